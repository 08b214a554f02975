import Foundation
import Testing
import SafetyFilter

/// Every caption of the shipped corpus passes the filter: the model learns from clean copy.
@Suite struct ShippedCorpusFilterTests {
    @Test func filterFindsNothingInTheShippedCorpus() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Corpora/captions.jsonl").path
        let filter = try SafetyFilter()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var checked = 0
        for (index, line) in text.split(separator: "\n").enumerated() {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let caption = object["text"] as! String
            let findings = filter.findings(in: caption)
            #expect(findings.isEmpty, "line \(index + 1): \(findings.map(\.match))")
            checked += 1
        }
        #expect(checked >= 6000)
    }
}
