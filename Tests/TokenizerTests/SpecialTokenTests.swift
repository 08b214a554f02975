import Support
import Testing
@testable import Tokenizer

/// Ordinary text can never produce a control token; only a caller that names it can.
@Suite struct SpecialTokenTests {
    let tokenizer = TestText.small
    let specialIDs = Set(SpecialToken.all.compactMap { TestText.small.id(ofSpecial: $0) })

    @Test func spellingInTextIsPlainText() throws {
        for name in SpecialToken.all {
            let text = "before \(name) after\(name)"
            let ids = tokenizer.encode(text)
            #expect(specialIDs.isDisjoint(with: ids), "\(name)")
            #expect(try tokenizer.decode(ids) == text)
        }
    }

    @Test func allowedSpecialsBecomeTheirIds() throws {
        let text = "<|topic|>glass bottle<|platform|>instagram<|post|>Stay hydrated<|endoftext|>"
        let ids = tokenizer.encode(text, allowedSpecial: Set(SpecialToken.all))
        #expect(ids.first == 257)
        #expect(ids.last == 256)
        #expect(ids.filter { specialIDs.contains($0) } == [257, 258, 260, 256])
        #expect(try tokenizer.decode(ids) == text)
    }

    @Test func onlyTheAllowedOnesAreRecognised() {
        let ids = tokenizer.encode("<|post|>hi<|endoftext|>", allowedSpecial: [SpecialToken.endOfText])
        #expect(!ids.contains(260))
        #expect(ids.last == 256)
        // Names the tokenizer does not have are ignored rather than invented.
        #expect(tokenizer.encode("<|nope|>", allowedSpecial: ["<|nope|>"]) == tokenizer.encode("<|nope|>"))
    }

    @Test func lookAlikesAreNotSpecial() throws {
        // NFKC turns the fullwidth brackets into "<" and ">", but specials are matched before normalization.
        let text = "＜|endoftext|＞"
        let ids = tokenizer.encode(text, allowedSpecial: Set(SpecialToken.all))
        #expect(specialIDs.isDisjoint(with: ids))
        #expect(try tokenizer.decode(ids) == "<|endoftext|>")
    }

    @Test func generatedTextNeverYieldsSpecials() {
        var generator = SeededRandom(seed: 9)
        for _ in 0..<500 {
            let text = TestText.hardString(using: &generator) + "<|endoftext|>" + TestText.hardString(using: &generator)
            #expect(specialIDs.isDisjoint(with: tokenizer.encode(text)))
        }
    }
}
