import Testing
@testable import SafetyFilter

/// Precision and recall on the hand-labelled lines of LabelledExamples.swift. The figures are
/// printed (and recorded in docs/safety-filter.md); the test fails if either drops below its floor.
@Suite struct LabelledExampleTests {
    struct Tally {
        var truePositives = 0, falsePositives = 0, falseNegatives = 0, trueNegatives = 0
        var precision: Double { Double(truePositives) / Double(max(1, truePositives + falsePositives)) }
        var recall: Double { Double(truePositives) / Double(max(1, truePositives + falseNegatives)) }
    }

    static func examples() -> [(offending: Bool, text: String)] {
        labelledExamples.split(separator: "\n").compactMap { line in
            if line.hasPrefix("flag: ") { return (true, String(line.dropFirst(6))) }
            if line.hasPrefix("clean: ") { return (false, String(line.dropFirst(7))) }
            return nil
        }
    }

    @Test func precisionAndRecall() throws {
        let filter = try SafetyFilter()
        let examples = Self.examples()
        #expect(examples.count >= 250)
        var tally = Tally()
        var mistakes: [String] = []
        for (offending, text) in examples {
            let flagged = !filter.isClean(text)
            switch (offending, flagged) {
            case (true, true): tally.truePositives += 1
            case (false, true): tally.falsePositives += 1; mistakes.append("false positive: \(text) \(filter.findings(in: text).map(\.match))")
            case (true, false): tally.falseNegatives += 1; mistakes.append("missed: \(text)")
            case (false, false): tally.trueNegatives += 1
            }
        }
        print("SafetyFilter labelled examples: \(examples.count) lines (\(tally.truePositives + tally.falseNegatives) offending), "
            + "precision \(String(format2: tally.precision)), recall \(String(format2: tally.recall)); "
            + "TP \(tally.truePositives) FP \(tally.falsePositives) FN \(tally.falseNegatives) TN \(tally.trueNegatives)")
        for mistake in mistakes { print("  " + mistake) }
        #expect(tally.precision >= 0.95)
        #expect(tally.recall >= 0.9)
    }
}

extension String {
    /// A number with three decimals, without Foundation.
    init(format2 value: Double) {
        let thousandths = Int((value * 1000).rounded())
        let fraction = String(thousandths % 1000)
        self = "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
