import Foundation
import Testing
@testable import Tokenizer

/// Tokenizer files that crashed the readers (docs/reliability-fuzzing.md), kept as regression tests.
@Suite struct TokenizerFuzzRegressionTests {
    /// GPT-2's 256 byte tokens, spelled in the byte-level alphabet, with ids 0..<256.
    static var byteVocabulary: [String: Int] {
        Dictionary(uniqueKeysWithValues: (0..<256).map { (ByteLevelAlphabet.encode([UInt8($0)]), $0) })
    }

    static func json(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    /// A special token's id beyond Int32 used to trap converting it to a TokenID; now it is a
    /// one-line error naming the file. GPT-2's pair takes `<|endoftext|>`'s id from vocab.json.
    @Test func specialTokenIdBeyondInt32InVocabJSON() throws {
        let directory = try TemporaryDirectory()
        var vocabulary = Self.byteVocabulary
        vocabulary[SpecialToken.endOfText] = 99_999_999_999
        try Self.json(vocabulary).write(to: URL(fileURLWithPath: directory.path + "/vocab.json"))
        try Data("#version: 0.2\n".utf8).write(to: URL(fileURLWithPath: directory.path + "/merges.txt"))
        do {
            _ = try Tokenizer.load(from: directory.path)
            Issue.record("an id beyond Int32 was accepted")
        } catch let error as TokenizerError {
            #expect(String(describing: error).contains("<|endoftext|>\" has id 99999999999 out of range"), "\(error)")
            #expect(!String(describing: error).contains("\n"))
        }
    }

    /// The same through tokenizer.json's `added_tokens`.
    @Test func specialTokenIdBeyondInt32InAddedTokens() throws {
        let directory = try TemporaryDirectory()
        let file: [String: Any] = [
            "model": ["type": "BPE", "vocab": Self.byteVocabulary, "merges": [String]()],
            "added_tokens": [["id": 4_294_967_296, "content": "<|post|>"]],
            "pre_tokenizer": ["type": "ByteLevel", "add_prefix_space": false],
        ]
        let path = directory.path + "/tokenizer.json"
        try Self.json(file).write(to: URL(fileURLWithPath: path))
        #expect(throws: TokenizerError.self) { try Tokenizer.load(from: path) }
    }

    /// A merge whose result is a special token let ordinary text produce a control token ("brew"
    /// gave the special "br"), breaking `encode`'s promise. The fuzz target's round-trip property
    /// caught it on a hand-made file; such a file is now refused.
    @Test func mergeThatMakesASpecialTokenIsRefused() throws {
        let directory = try TemporaryDirectory()
        var vocabulary = Self.byteVocabulary
        vocabulary["br"] = 256
        let file: [String: Any] = [
            "model": ["type": "BPE", "vocab": vocabulary, "merges": ["b r"]],
            "added_tokens": [["id": 256, "content": "br"]],
            "pre_tokenizer": ["type": "ByteLevel", "add_prefix_space": false],
        ]
        let path = directory.path + "/tokenizer.json"
        try Self.json(file).write(to: URL(fileURLWithPath: path))
        do {
            let tokenizer = try Tokenizer.load(from: path)
            Issue.record("loaded; \"brew\" encodes as \(tokenizer.encode("brew"))")
        } catch let error as TokenizerError {
            #expect(String(describing: error).contains("merge 1 (\"b\" \"r\") makes the special token \"br\""), "\(error)")
        }
    }
}
