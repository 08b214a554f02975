import Foundation
import Support
import Testing
@testable import Tokenizer

/// tokenizer.json and GPT-2 files: round trips, and every way a file can be bad.
@Suite struct TokenizerFileTests {
    @Test func savedFileLoadsWithSameBehaviour() throws {
        let directory = try TemporaryDirectory()
        for tokenizer in [TestText.small, TestText.smallNFC, TestText.smallNone] {
            let path = directory.path + "/t.json"
            try tokenizer.save(to: path)
            let loaded = try Tokenizer.load(from: path)
            #expect(loaded.vocabularySize == tokenizer.vocabularySize)
            #expect(loaded.normalization == tokenizer.normalization)
            #expect(loaded.preTokenizer == .gpt4)
            #expect(loaded.specialTokens.map(\.name) == SpecialToken.all)
            var generator = SeededRandom(seed: 8)
            for _ in 0..<200 {
                let text = TestText.hardString(using: &generator)
                #expect(loaded.encode(text) == tokenizer.encode(text))
            }
        }
        // A directory holding a tokenizer.json loads too.
        try TestText.small.save(to: directory.path + "/tokenizer.json")
        #expect(try Tokenizer.load(from: directory.path).vocabularySize == 600)
    }

    @Test func savedFileIsTheHuggingFaceShape() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/t.json"
        try TestText.small.save(to: path)
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        let model = root["model"] as! [String: Any]
        #expect(model["type"] as? String == "BPE")
        let vocabulary = model["vocab"] as! [String: Int]
        #expect(vocabulary.count == 600)
        #expect(vocabulary["Ġ"] == 32)
        #expect(vocabulary["<|endoftext|>"] == 256)
        #expect((model["merges"] as! [[String]]).count == 339)
        #expect((root["normalizer"] as! [String: Any])["type"] as? String == "NFKC")
        #expect((root["added_tokens"] as! [[String: Any]]).count == 5)
    }

    @Test func byteLevelAlphabetIsGPT2s() {
        #expect(ByteLevelAlphabet.encode([32]) == "Ġ")
        #expect(ByteLevelAlphabet.encode([10]) == "Ċ")
        #expect(ByteLevelAlphabet.encode(Array("hi!".utf8)) == "hi!")
        #expect(Set(ByteLevelAlphabet.characterForByte).count == 256)
        for byte in 0..<256 { #expect(ByteLevelAlphabet.decode(ByteLevelAlphabet.encode([UInt8(byte)])) == [UInt8(byte)]) }
        #expect(ByteLevelAlphabet.decode(" ") == nil)
    }

    @Test func missingFile() {
        #expect(throws: InputError.self) { try Tokenizer.load(from: "/nonexistent/tokenizer.json") }
        do {
            _ = try Tokenizer.load(from: "/nonexistent/tokenizer.json")
        } catch {
            #expect(String(describing: error).contains("/nonexistent/tokenizer.json"))
        }
    }

    @Test(arguments: [
        ("", "empty"),
        ("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}", "truncated"),
        ("[1, 2, 3]", "top level"),
        ("{\"version\": \"1.0\"}", "no \"model\""),
        ("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}", "WordPiece"),
        ("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1}, \"merges\": []}}", "byte tokens"),
        ("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": \"zero\"}, \"merges\": []}}", "not an integer"),
    ])
    func badFilesAreOneLineErrors(content: String, expected: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/bad.json"
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try Tokenizer.load(from: path)
            Issue.record("loaded a bad file: \(content)")
        } catch {
            let message = String(describing: error)
            #expect(message.contains(path))
            #expect(message.contains(expected), "\(message)")
            #expect(!message.contains("\n"))
        }
    }

    @Test func truncatedSavedFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/t.json"
        try TestText.small.save(to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for fraction in [0.1, 0.5, 0.99] {
            try bytes.prefix(Int(Double(bytes.count) * fraction)).write(to: URL(fileURLWithPath: path))
            #expect(throws: TokenizerError.self) { try Tokenizer.load(from: path) }
        }
    }

    @Test func foreignPreTokenizerAndMissingMerges() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/t.json"
        try TestText.small.save(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\\\\s+(?!\\\\S)|", with: "").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: TokenizerError.self) { try Tokenizer.load(from: path) }
        // A merge naming a token that is not in the vocabulary.
        try text.replacingOccurrences(of: "\"merges\": [\n      [", with: "\"merges\": [\n      [\"zzzq\", \"q\"], [")
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: TokenizerError.self) { try Tokenizer.load(from: path) }
    }

    @Test func directoryWithoutTokenizerFiles() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: TokenizerError.self) { try Tokenizer.load(from: directory.path) }
    }

    @Test(.enabled(if: SharedData.hasGPT2, "needs ../shared/data/gpt2"))
    func gpt2FilesUnderHuggingFaceNamesAndTruncated() throws {
        let directory = try TemporaryDirectory()
        let encoder = try Data(contentsOf: URL(fileURLWithPath: SharedData.gpt2Directory + "/encoder.json"))
        let merges = try Data(contentsOf: URL(fileURLWithPath: SharedData.gpt2Directory + "/vocab.bpe"))
        try encoder.write(to: URL(fileURLWithPath: directory.path + "/vocab.json"))
        try merges.write(to: URL(fileURLWithPath: directory.path + "/merges.txt"))
        let tokenizer = try Tokenizer.load(from: directory.path)
        #expect(tokenizer.encode("Hello world") == [15496, 995])
        // Saved as tokenizer.json (GPT-2's split as a Split regex), it loads with the same ids.
        try tokenizer.save(to: directory.path + "/gpt2.json")
        let reloaded = try Tokenizer.load(from: directory.path + "/gpt2.json")
        #expect(reloaded.preTokenizer == .gpt2)
        #expect(reloaded.encode("It's 2024, y'all!  ok") == tokenizer.encode("It's 2024, y'all!  ok"))
        // A truncated encoder.json is an error, not a crash.
        try encoder.prefix(encoder.count / 2).write(to: URL(fileURLWithPath: directory.path + "/vocab.json"))
        #expect(throws: TokenizerError.self) { try Tokenizer.load(from: directory.path) }
    }

    @Test func decodeRejectsOutOfRangeIds() {
        let tokenizer = TestText.small
        #expect(throws: TokenizerError.idOutOfRange(id: 600, vocabularySize: 600)) { try tokenizer.decode([65, 600]) }
        #expect(throws: TokenizerError.idOutOfRange(id: -5, vocabularySize: 600)) { try tokenizer.decode([-5]) }
        #expect(tokenizer.bytes(of: 600).isEmpty)
        #expect(tokenizer.bytes(of: -1).isEmpty)
        #expect(TokenizerError.idOutOfRange(id: 600, vocabularySize: 600).description == "token id 600 is out of range (the vocabulary has ids 0...599)")
    }

    @Test func invalidUTF8DecodesToReplacement() throws {
        #expect(try TestText.small.decode([0xFF, 65]) == "\u{FFFD}A")
        #expect(try TestText.small.decode([0xE2, 0x82]) == "\u{FFFD}")
    }

    @Test func jsonStringEscaping() {
        #expect(JSONString.quoted("a\"b\\c\n\u{1}é") == "\"a\\\"b\\\\c\\n\\u0001é\"")
    }
}
