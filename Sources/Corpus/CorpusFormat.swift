import Support

/// The file formats a corpus may come in.
public enum CorpusFormat: String, CaseIterable, Sendable {
    /// JSON Lines: one object a line with `text` and optional `topic`, `platform`, `tone`, `industry`.
    case jsonl
    /// CSV with a header row naming a `text` column (and optionally the other fields).
    case csv
    /// Plain text: one caption a line; blank lines are skipped.
    case text

    /// The format for `path`: by extension (.jsonl/.json, .csv, .txt); otherwise by the first
    /// non-blank line (a `{` means JSON Lines), which `firstLine` supplies.
    public static func guess(path: String?, firstLine: String?) -> CorpusFormat {
        let lower = (path ?? "").lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".json") || lower.hasSuffix(".ndjson") { return .jsonl }
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".txt") { return .text }
        if let first = firstLine?.drop(while: { $0 == " " || $0 == "\t" || $0 == "\u{FEFF}" }), first.hasPrefix("{") {
            return .jsonl
        }
        return .text
    }
}
