import SafetyFilter

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
        var json = "{\"text\":\(quoted(text)),\"output\":\(quoted(output)),\"flagged\":\(!findings.isEmpty),\"findings\":["
        for (index, finding) in findings.enumerated() {
            if index > 0 { json += "," }
            json += "{\"kind\":\(quoted(finding.kind.rawValue)),\"category\":\(quoted(finding.category)),"
                + "\"severity\":\(quoted(finding.severity.rawValue)),\"match\":\(quoted(finding.match)),"
                + "\"start\":\(finding.start),\"end\":\(finding.end),"
                + "\"suggestions\":[\(finding.suggestions.map(quoted).joined(separator: ","))]}"
        }
        return json + "]}"
    }

    /// A JSON string literal; non-ASCII characters are written as UTF-8.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
