import Foundation
import Testing
@testable import Tokenizer

/// copygen must reproduce GPT-2's ids exactly from GPT-2's own files.
@Suite(.enabled(if: SharedData.hasGPT2, "needs ../shared/data/gpt2"))
struct GPT2GoldenTests {
    static let tokenizer: Tokenizer? = try? Tokenizer.load(from: SharedData.gpt2Directory)

    static func goldenCases() throws -> [(text: String, ids: [TokenID])] {
        let text = try String(contentsOfFile: SharedData.goldenIDs, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return (object["text"] as! String, (object["ids"] as! [Int]).map { TokenID($0) })
        }
    }

    @Test func loadsGPT2Directory() throws {
        let tokenizer = try #require(Self.tokenizer)
        #expect(tokenizer.vocabularySize == 50257)
        #expect(tokenizer.mergeCount == 50000)
        #expect(tokenizer.id(ofSpecial: SpecialToken.endOfText) == 50256)
        #expect(tokenizer.id(ofSpecial: SpecialToken.post) == nil)
        #expect(tokenizer.normalization == .none)
        #expect(tokenizer.preTokenizer == .gpt2)
    }

    @Test func reproducesEveryGoldenLine() throws {
        let tokenizer = try #require(Self.tokenizer)
        let cases = try Self.goldenCases()
        #expect(cases.count == 100)
        for (text, ids) in cases {
            let encoded = tokenizer.encode(text)
            #expect(encoded == ids, "text: \(text.debugDescription)")
            #expect(try tokenizer.decode(ids) == text)
        }
    }

    @Test func endOfTextIsPlainTextUnlessAllowed() throws {
        let tokenizer = try #require(Self.tokenizer)
        let text = "a<|endoftext|>b"
        #expect(!tokenizer.encode(text).contains(50256))
        #expect(tokenizer.encode(text, allowedSpecial: [SpecialToken.endOfText]) == [64, 50256, 65])
    }
}
