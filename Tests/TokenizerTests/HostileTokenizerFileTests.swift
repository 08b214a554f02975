import Foundation
import Testing
@testable import Tokenizer

/// tokenizer.json and GPT-2 vocabularies built to hurt the reader: refused with one line naming
/// the file and what is wrong, quickly.
@Suite struct HostileTokenizerFileTests {
    /// The small test tokenizer's tokenizer.json text.
    static let saved: String = {
        let directory = NSTemporaryDirectory() + "copygen-hostile-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try! TestText.small.save(to: directory + "/tokenizer.json")
        return try! String(contentsOfFile: directory + "/tokenizer.json", encoding: .utf8)
    }()

    static func expectRefusal(_ content: String, file name: String = "tokenizer.json", alongside: [String: String] = [:],
                              load: String? = nil, _ expected: String) throws {
        let directory = try TemporaryDirectory()
        try content.write(toFile: directory.path + "/" + name, atomically: true, encoding: .utf8)
        for (other, text) in alongside { try text.write(toFile: directory.path + "/" + other, atomically: true, encoding: .utf8) }
        let path = load.map { directory.path + "/" + $0 } ?? directory.path + "/" + name
        do {
            _ = try Tokenizer.load(from: path)
            Issue.record("accepted: \(expected)")
        } catch {
            let message = String(describing: error)
            #expect(message.contains(expected), "\(message)")
            #expect(message.contains(directory.path) && !message.contains("\n"), "\(message)")
        }
    }

    @Test func nestedAMillionDeepIsRefused() throws {
        try Self.expectRefusal(String(repeating: "[", count: 1_000_000) + String(repeating: "]", count: 1_000_000), "not valid JSON")
        try Self.expectRefusal(String(repeating: "{\"model\":", count: 1_000_000) + "{}" + String(repeating: "}", count: 1_000_000), "not valid JSON")
        // Cut short as well as deep.
        try Self.expectRefusal(String(repeating: "{\"a\":[", count: 1_000_000), "not valid JSON (truncated)")
    }

    @Test func aTokenListedTwiceInTheVocabularyIsRefused() throws {
        // "zq" (no token of the small tokenizer) listed twice: with the next free id, which alone
        // would load, and with the id of another token.
        let text = Self.saved
        let vocabulary = text.range(of: "\"vocab\": {")!
        let id = TestText.small.vocabularySize
        let twice = text.replacingCharacters(in: vocabulary, with: "\"vocab\": {\"zq\": \(id), \"zq\": 65, ")
        try Self.expectRefusal(twice, "\"zq\" appears twice in one object")
        // The same key spelled with an escape is the same key.
        let escaped = text.replacingCharacters(in: vocabulary, with: "\"vocab\": {\"zq\": \(id), \"z\\u0071\": \(id), ")
        try Self.expectRefusal(escaped, "\"zq\" appears twice in one object")
    }

    @Test func gpt2VocabularyWithADuplicateTokenIsRefused() throws {
        var vocabulary = (0..<256).map { byte in "\(quoted(ByteLevelAlphabet.encode([UInt8(byte)]))): \(byte)" }
        vocabulary.append("\"ab\": 256")
        vocabulary.append("\"ab\": 257")
        try Self.expectRefusal("{" + vocabulary.joined(separator: ", ") + "}", file: "vocab.json",
                               alongside: ["merges.txt": "#version: 0.2\na b\n"], load: "", "\"ab\" appears twice in one object")
    }

    @Test func mergesNamingUnknownTokensAreRefused() throws {
        let vocabulary = "{" + (0..<256).map { "\(quoted(ByteLevelAlphabet.encode([UInt8($0)]))): \($0)" }.joined(separator: ", ") + ", \"ab\": 256}"
        // merges.txt: a part that is not a token, and a merge whose result is not a token.
        try Self.expectRefusal(vocabulary, file: "vocab.json", alongside: ["merges.txt": "#version: 0.2\na b\nab zzz\n"], load: "",
                               "merge 2 (\"ab\" \"zzz\") names a token not in the vocabulary")
        try Self.expectRefusal(vocabulary, file: "vocab.json", alongside: ["merges.txt": "#version: 0.2\na b\nb c\n"], load: "",
                               "merge 2 (\"b\" \"c\") names a token not in the vocabulary")
        // tokenizer.json: the same for the "merges" list, in both of its spellings.
        let text = Self.saved
        let merges = text.range(of: "\"merges\": [\n")!
        try Self.expectRefusal(text.replacingCharacters(in: merges, with: "\"merges\": [\n      [\"zzzq\", \"q\"],\n"), "merge 1 (\"zzzq\" \"q\") names a token not in the vocabulary")
        try Self.expectRefusal(text.replacingCharacters(in: merges, with: "\"merges\": [\n      \"q zzzq\",\n"), "merge 1 (\"q\" \"zzzq\") names a token not in the vocabulary")
    }

    func quoted(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: text, options: .fragmentsAllowed), as: UTF8.self)
    }
}
