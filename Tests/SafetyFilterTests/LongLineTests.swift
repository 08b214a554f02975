import Testing
@testable import SafetyFilter

/// Megabyte lines: the work is linear in the line (no timing thresholds here; the benchmark
/// reports speed), and findings far into the line still have the right offsets.
@Suite struct LongLineTests {
    static let filter = try! SafetyFilter()

    @Test func megabyteOfRepeatsAndSplitLetters() {
        // Runs and split-letter chains are where a naive matcher goes quadratic.
        for unit in ["s", "s s ", "f u ", "a.", "$", "1"] {
            let text = String(repeating: unit, count: (1 << 20) / unit.utf8.count)
            _ = Self.filter.findings(in: text)
        }
    }

    @Test func findingAtTheEndOfAMegabyte() {
        let prefix = String(repeating: "classic cocktails ", count: 60_000)
        let findings = Self.filter.findings(in: prefix + "sh1t")
        #expect(findings.count == 1)
        #expect(findings.first?.start == prefix.unicodeScalars.count)
    }

    @Test func manyFindingsInOneLongWord() {
        let text = String(repeating: "shiitakeshit", count: 50_000)
        let findings = Self.filter.findings(in: text)
        #expect(findings.count == 1)  // one word, masked whole
        #expect(findings.first?.end == text.unicodeScalars.count)
    }
}
