import SafetyFilter
import Support

/// How `copygen filter` prints findings: a readable line on standard error, or JSON Lines.
enum FilterReport {
    /// `<stdin>:3: profanity/slur (high) "match" at 4-9`, plus suggestions for bias.
    static func textLine(_ finding: Finding, source: String, line: Int) -> String {
        var text = "\(source):\(line): \(finding.kind.rawValue)/\(finding.category) (\(finding.severity.rawValue)) "
            + "\"\(finding.match)\" at \(finding.start)-\(finding.end)"
        if !finding.suggestions.isEmpty {
            text += "; try: " + finding.suggestions.joined(separator: ", ")
        }
        return text
    }

    /// One JSON object: text, output, flagged, findings.
    static func jsonLine(text: String, output: String, findings: [Finding]) -> String {
        var json = "{\"text\":\(JSONString.quoted(text)),\"output\":\(JSONString.quoted(output)),\"flagged\":\(!findings.isEmpty),\"findings\":["
        for (index, finding) in findings.enumerated() {
            if index > 0 { json += "," }
            json += "{\"kind\":\(JSONString.quoted(finding.kind.rawValue)),\"category\":\(JSONString.quoted(finding.category)),"
                + "\"severity\":\(JSONString.quoted(finding.severity.rawValue)),\"match\":\(JSONString.quoted(finding.match)),"
                + "\"start\":\(finding.start),\"end\":\(finding.end),"
                + "\"suggestions\":[\(finding.suggestions.map(JSONString.quoted).joined(separator: ","))]}"
        }
        return json + "]}"
    }
}
