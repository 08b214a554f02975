import Foundation
import Support

/// Reads a caption corpus (JSON Lines, CSV or plain text) from a file or standard input, one
/// record at a time in bounded memory.
///
/// Strict by default: the first malformed line throws an error naming the file and line. `check`
/// callers use `nextResult()` instead, which reports a bad line and moves on.
public final class CorpusReader {
    public let format: CorpusFormat
    /// "<stdin>" or the path.
    public var sourceName: String { lines.sourceName }

    private let lines: LineReader
    private var lookahead: String?
    private var csvColumns: [String: Int] = [:]
    private var csvColumnCount = 0
    /// Fields other than `text` that a JSON line may carry as strings; others are ignored.
    static let optionalFields = ["topic", "platform", "tone", "industry"]

    /// Opens `path` (nil or "-" for standard input). `format` nil means guess it.
    public init(path: String?, format: CorpusFormat? = nil, lossy: Bool = false) throws {
        lines = try LineReader(path: path, lossy: lossy)
        if let format {
            self.format = format
        } else {
            // Peek at the first line to guess the format of an unnamed stream; keep it for reading.
            lookahead = try lines.nextLine()
            self.format = CorpusFormat.guess(path: path, firstLine: lookahead)
        }
        if self.format == .csv { try readCSVHeader() }
    }

    /// Every record of the file at `path`; throws on the first malformed line.
    public static func readAll(path: String?, format: CorpusFormat? = nil, lossy: Bool = false) throws -> [CaptionRecord] {
        let reader = try CorpusReader(path: path, format: format, lossy: lossy)
        var records: [CaptionRecord] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    /// The next record, or nil at the end; throws `InputError` naming the line on bad input.
    public func next() throws -> CaptionRecord? {
        while let result = try nextResult() {
            switch result {
            case .success(let record): return record
            case .failure(let error): throw error
            }
        }
        return nil
    }

    /// The next record or the error of the next bad line (reading then continues after it); nil
    /// at the end. Read failures of the stream itself still throw.
    public func nextResult() throws -> Result<CaptionRecord, InputError>? {
        while true {
            let line: String
            do {
                guard let next = try nextLine() else { return nil }
                line = next
            } catch let error as InputError {
                if case .invalidUTF8 = error { return .failure(error) }
                throw error
            }
            let lineNumber = lines.lineNumber
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            do {
                switch format {
                case .jsonl: return .success(try parseJSONLine(line, lineNumber: lineNumber))
                case .text: return .success(CaptionRecord(text: line, source: sourceName, line: lineNumber))
                case .csv:
                    guard let record = try parseCSVRecord(startingWith: line, lineNumber: lineNumber) else { continue }
                    return .success(record)
                }
            } catch let error as InputError {
                return .failure(error)
            }
        }
    }

    private func nextLine() throws -> String? {
        if let line = lookahead {
            lookahead = nil
            return line
        }
        return try lines.nextLine()
    }

    private func malformed(_ line: Int, _ what: String) -> InputError {
        .malformed(source: sourceName, line: line, what: what)
    }

    private func parseJSONLine(_ line: String, lineNumber: Int) throws -> CaptionRecord {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
        } catch {
            throw malformed(lineNumber, "not valid JSON" + Self.jsonErrorDetail(error))
        }
        guard let fields = object as? [String: Any] else {
            throw malformed(lineNumber, "expected a JSON object with a \"text\" field")
        }
        guard let textValue = fields["text"] else { throw malformed(lineNumber, "missing \"text\" field") }
        guard let text = textValue as? String else { throw malformed(lineNumber, "\"text\" is not a string") }
        if text.allSatisfy(\.isWhitespace) { throw malformed(lineNumber, "\"text\" is empty") }
        var record = CaptionRecord(text: text, source: sourceName, line: lineNumber)
        for name in Self.optionalFields {
            guard let value = fields[name], !(value is NSNull) else { continue }
            guard let string = value as? String else { throw malformed(lineNumber, "\"\(name)\" is not a string") }
            let trimmed = string.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            switch name {
            case "topic": record.topic = trimmed
            case "platform": record.platform = trimmed.lowercased()
            case "tone": record.tone = trimmed.lowercased()
            default: record.industry = trimmed
            }
        }
        return record
    }

    /// Foundation's message for a JSON error, cut to its one useful sentence.
    private static func jsonErrorDetail(_ error: Error) -> String {
        let ns = error as NSError
        if let detail = ns.userInfo[NSDebugDescriptionErrorKey] as? String, !detail.isEmpty {
            return ": " + (detail.split(separator: "\n").first.map(String.init) ?? detail)
        }
        return ""
    }

    private func readCSVHeader() throws {
        while let line = try nextLine() {
            if line.isEmpty { continue }
            let headerLine = lines.lineNumber
            let headerText = line.hasPrefix("\u{FEFF}") ? String(line.dropFirst()) : line
            guard case .complete(let names) = CSVRecordParser.parse(headerText) else {
                throw malformed(headerLine, "CSV header row is malformed")
            }
            // Records are checked against the header's column count, not the number of distinct
            // names: a repeated name ("text,topic,tone,topic") once let a short record pass the
            // count check and then index past its fields (found by `make fuzz`).
            csvColumnCount = names.count
            for (index, name) in names.enumerated() {
                let key = name.trimmingCharacters(in: .whitespaces).lowercased()
                if csvColumns[key] != nil && (key == "text" || Self.optionalFields.contains(key)) {
                    throw malformed(headerLine, "CSV header names the \"\(key)\" column twice")
                }
                if csvColumns[key] == nil { csvColumns[key] = index }
            }
            if csvColumns["text"] == nil {
                throw malformed(headerLine, "CSV header has no \"text\" column (found: \(names.joined(separator: ", ")))")
            }
            return
        }
        throw InputError.malformed(source: sourceName, line: nil, what: "empty CSV file (expected a header row with a \"text\" column)")
    }

    private func parseCSVRecord(startingWith first: String, lineNumber: Int) throws -> CaptionRecord? {
        var text = first
        while true {
            switch CSVRecordParser.parse(text) {
            case .malformed(let why):
                throw malformed(lineNumber, "CSV: \(why)")
            case .needsMoreInput:
                guard let more = try lines.nextLine() else {
                    throw malformed(lineNumber, "CSV: a quoted field is not closed before the end of the file")
                }
                text += "\n" + more
            case .complete(let fields):
                if fields.count != csvColumnCount {
                    throw malformed(lineNumber, "CSV: \(fields.count) fields, but the header has \(csvColumnCount)")
                }
                func value(_ name: String) -> String? {
                    guard let index = csvColumns[name] else { return nil }
                    let trimmed = fields[index].trimmingCharacters(in: .whitespaces)
                    return trimmed.isEmpty ? nil : trimmed
                }
                guard let captionText = csvColumns["text"].map({ fields[$0] }), !captionText.allSatisfy(\.isWhitespace) else {
                    throw malformed(lineNumber, "CSV: the text field is empty")
                }
                return CaptionRecord(
                    text: captionText, topic: value("topic"), platform: value("platform")?.lowercased(),
                    tone: value("tone")?.lowercased(), industry: value("industry"),
                    source: sourceName, line: lineNumber)
            }
        }
    }
}
