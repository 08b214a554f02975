import Foundation
import SafetyFilter

/// The safety filter on arbitrary text (invalid UTF-8 decoded with U+FFFD), in every mode the CLI
/// offers: flag (`findings`), mask, fix, and `review` (all three at once).
enum SafetyFilterTarget {
    static let target = FuzzTarget(name: "safety-filter", run: run, seeds: seeds)
    static let filter = try! SafetyFilter()

    static func run(_ input: UnsafeRawBufferPointer) {
        checkAllModes(filter, lossyText(input))
    }

    /// Findings lie inside the text, in order, and quote it exactly; `review` agrees with the
    /// single-mode calls; clean text comes back unchanged.
    static func checkAllModes(_ filter: SafetyFilter, _ text: String) {
        let scalars = Array(text.unicodeScalars)
        let findings = filter.findings(in: text)
        var previousStart = 0
        for finding in findings {
            require(0 <= finding.start && finding.start <= finding.end && finding.end <= scalars.count,
                    "finding \(finding.start)..<\(finding.end) outside the text's \(scalars.count) scalars")
            require(finding.start >= previousStart, "findings out of order")
            previousStart = finding.start
            var quoted = String.UnicodeScalarView()
            quoted.append(contentsOf: scalars[finding.start..<finding.end])
            require(finding.match == String(quoted), "finding's match is not the text at its offsets")
        }
        let masked = filter.mask(text), fixed = filter.fix(text)
        let review = filter.review(text)
        require(review.findings == findings, "review's findings differ")
        require(review.masked == masked, "review's masked text differs from mask()")
        require(review.fixed == fixed, "review's fixed text differs from fix()")
        if findings.isEmpty {
            require(masked == text && fixed == text, "clean text was changed")
            require(filter.isClean(text), "isClean disagrees with findings")
        }
    }

    static func seeds() throws -> [(name: String, bytes: [UInt8])] {
        let captions = try repositoryLines("Corpora/captions.jsonl", count: 2)
        return [
            ("captions", captions),
            ("evasions", Array("Hey guys, this is f.u.c.k.i.n.g great, ｓｈｉｔ, sh!t and a$$ — crazy cheap deals".utf8)),
            ("marks", Array("da\u{336}m\u{336}n i\u{301}t, wheelchair-bound old man".utf8) + [0xE2, 0x82]),
        ]
    }
}
