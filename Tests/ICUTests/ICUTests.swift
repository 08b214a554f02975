import Testing
@testable import ICU

@Suite struct ICUTests {
    @Test func nfkcFoldsCompatibilityCharacters() {
        #expect(ICU.normalize("ｆｕｌｌ", .nfkc) == "full")
        #expect(ICU.normalize("ﬁne", .nfkc) == "fine")
        #expect(ICU.normalize("café", .nfc) == "caf\u{E9}")
        #expect(ICU.normalize("cafe\u{301}", .nfc) == "caf\u{E9}")
        #expect(ICU.normalize("plain ascii", .nfkc) == "plain ascii")
    }

    @Test func casefoldLowersAndFolds() {
        #expect(ICU.normalize("STRASSE", .nfkcCasefold) == "strasse")
        #expect(ICU.normalize("Straße", .nfkcCasefold) == "strasse")
    }

    @Test func skeletonMapsLookAlikes() {
        // Cyrillic ѕ (U+0455) and і (U+0456) look like Latin s and i.
        let cyrillic = "\u{0455}h\u{0456}p"
        #expect(ICU.skeleton(ICU.normalize(cyrillic, .nfkcCasefold)) == ICU.skeleton("ship"))
        #expect(ICU.skeleton(ICU.normalize("ＳＨＩＰ", .nfkcCasefold)) == ICU.skeleton("ship"))
        #expect(ICU.skeleton("ship") != ICU.skeleton("shop"))
    }

    @Test func wordSegmentsMarkWords() {
        let segments = ICU.wordSegments("Hi, world 42!")
        let words = segments.filter(\.isWord).map { s -> String in
            let units = Array("Hi, world 42!".utf16)[s.start..<s.end]
            return String(decoding: units, as: UTF16.self)
        }
        #expect(words == ["Hi", "world", "42"])
        #expect(segments.first?.start == 0)
        #expect(segments.last?.end == 13)
    }

    @Test func longInputGrowsBuffer() {
        // NFKC of U+FDFA expands to 18 characters: the shim's length protocol must grow the buffer.
        let text = String(repeating: "\u{FDFA}", count: 50)
        #expect(ICU.normalize(text, .nfkc).unicodeScalars.count == 18 * 50)
    }
}
