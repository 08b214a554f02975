import ICU
import Support
import Testing
@testable import Tokenizer

@Suite struct NormalizationTests {
    @Test func formsDoWhatTheySay() {
        #expect(Normalization.nfkc.apply("ﬁne Ｆｕｌｌ ½") == "fine Full 1⁄2")
        #expect(Normalization.nfc.apply("cafe\u{301}") == "caf\u{E9}")
        #expect(Normalization.nfc.apply("ﬁne") == "ﬁne")
        #expect(Normalization.none.apply("cafe\u{301}") == "cafe\u{301}")
    }

    /// Normalizing only the non-ASCII runs must equal normalizing the whole string with ICU.
    @Test(arguments: [ICU.Form.nfkc, .nfc])
    func runWiseNormalizationEqualsWholeString(form: ICU.Form) {
        var generator = SeededRandom(seed: 5)
        for _ in 0..<2000 {
            let text = TestText.hardString(using: &generator) + "e\u{301}" + TestText.hardString(using: &generator)
            #expect(Normalization.normalizeNonASCIIRuns(text, form) == ICU.normalize(text, form))
        }
        for text in ["", "a", "é", "e\u{301}", "\u{301}", "A\u{30A}\u{301}x", "ascii only"] {
            #expect(Normalization.normalizeNonASCIIRuns(text, form) == ICU.normalize(text, form))
        }
    }
}
