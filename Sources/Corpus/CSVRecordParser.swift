/// RFC 4180 CSV: fields separated by commas, optionally quoted with `"`, a doubled `""` inside
/// quotes is one quote, and a quoted field may span lines.
struct CSVRecordParser {
    enum Outcome: Equatable {
        case complete([String])
        /// The record's quoted field is still open at the end of the line: append the next line.
        case needsMoreInput
        case malformed(String)
    }

    /// Parses one record from `text` (one or more physical lines joined with "\n").
    static func parse(_ text: String) -> Outcome {
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var fieldWasQuoted = false
        var afterClosingQuote = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if scalar == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.unicodeScalars.append("\""); continue }
                        pending = next
                    }
                    inQuotes = false
                    afterClosingQuote = true
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",":
                fields.append(field)
                field = ""
                fieldWasQuoted = false
                afterClosingQuote = false
            case "\"":
                if fieldWasQuoted || !field.isEmpty {
                    return .malformed("a quote inside an unquoted field (quote the whole field and double inner quotes)")
                }
                inQuotes = true
                fieldWasQuoted = true
            default:
                if afterClosingQuote {
                    return .malformed("text after a closing quote")
                }
                field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes { return .needsMoreInput }
        fields.append(field)
        return .complete(fields)
    }
}
