import Support
import Testing
@testable import Tokenizer

@Suite struct StreamingDecoderTests {
    /// Byte tokens only: every multi-byte character arrives split across several ids.
    @Test func emojiSplitAcrossTokensNeverPrintsReplacement() throws {
        let tokenizer = TestText.small
        let text = "Go 👩‍👩‍👧‍👦 now 🇯🇵 東京 é"
        let ids = Array(text.utf8).map { TokenID($0) }
        let decoder = tokenizer.makeStreamingDecoder()
        var pieces: [String] = []
        for id in ids { pieces.append(try decoder.feed(id)) }
        pieces.append(decoder.finish())
        #expect(pieces.joined() == text)
        #expect(!pieces.joined().contains("\u{FFFD}"))
        // The four bytes of 👩 come out together, after the fourth one.
        let womanStart = Array("Go ".utf8).count
        #expect(pieces[womanStart..<(womanStart + 3)].allSatisfy { $0.isEmpty })
        #expect(pieces[womanStart + 3] == "👩")
    }

    @Test func streamingEqualsWholeDecode() throws {
        let tokenizer = TestText.small
        var generator = SeededRandom(seed: 4)
        for _ in 0..<300 {
            let text = TestText.hardString(using: &generator)
            let ids = tokenizer.encode(text)
            let decoder = tokenizer.makeStreamingDecoder()
            var streamed = ""
            for id in ids {
                let piece = try decoder.feed(id)
                #expect(!piece.contains("\u{FFFD}") || text.contains("\u{FFFD}"))
                streamed += piece
            }
            streamed += decoder.finish()
            #expect(streamed == (try tokenizer.decode(ids)))
        }
    }

    @Test func unfinishedOrInvalidBytes() throws {
        let tokenizer = TestText.small
        let decoder = tokenizer.makeStreamingDecoder()
        #expect(try decoder.feed(0xF0) == "")
        #expect(try decoder.feed(0x9F) == "")
        #expect(decoder.heldBackByteCount == 2)
        #expect(decoder.finish() == "\u{FFFD}")
        // A byte that can never start a sequence is not held back.
        #expect(try decoder.feed(0xFF) == "\u{FFFD}")
        #expect(try decoder.feed([0xC3, 0xA9, 0x41]) == "éA")
        // A sequence that went wrong is released at once.
        #expect(try decoder.feed([0xE2, 0x41]) == "\u{FFFD}A")
    }

    @Test func badIdThrowsAndKeepsState() throws {
        let tokenizer = TestText.small
        let decoder = tokenizer.makeStreamingDecoder()
        _ = try decoder.feed(0xE2)
        #expect(throws: TokenizerError.idOutOfRange(id: 600, vocabularySize: 600)) { try decoder.feed(600) }
        #expect(throws: TokenizerError.idOutOfRange(id: -1, vocabularySize: 600)) { try decoder.feed([65, -1]) }
        #expect(try decoder.feed([0x82, 0xAC]) == "€")
    }
}
