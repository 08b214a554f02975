import Support

/// One entry of a profanity lexicon: the built-in one or a user's (`--lexicon FILE`).
public struct LexiconEntry: Equatable, Sendable {
    /// The surface forms, written plainly ("bitch", "bitches"). A space means "separators here"
    /// ("kill yourself"). Evasions (look-alikes, leetspeak, repeats, split letters) are the
    /// matcher's job, never listed here.
    public var forms: [String]
    /// "profanity", "slur", "sexual", "violence", "drugs", "insult", or a user's own category.
    public var category: String
    public var severity: Severity
    /// Whether a form is also found inside longer words ("fuck" in "clusterfuck"); when false a
    /// form must be a whole word ("ass" is not found in "classic").
    public var matchesInsideWords: Bool
    /// Innocent words or phrases containing a form ("shiitake" for "shit"); a match that one of
    /// them covers is not a finding.
    public var exceptions: [String]

    public init(forms: [String], category: String = "custom", severity: Severity = .high,
                matchesInsideWords: Bool = false, exceptions: [String] = []) {
        self.forms = forms
        self.category = category
        self.severity = severity
        self.matchesInsideWords = matchesInsideWords
        self.exceptions = exceptions
    }
}

/// The line format of lexicon files, shared by the built-in lexicon and `--lexicon FILE`:
///
///     forms | category | severity | match | exceptions
///
/// Only `forms` is required; the others default to `custom`, `high`, `word` and none. Blank lines
/// and lines starting with `#` are ignored. docs/safety-filter.md describes each field.
public enum LexiconFormat {
    /// Parses lexicon text; `source` names the file in errors, which also name the line.
    public static func parse(_ text: String, source: String) throws -> [LexiconEntry] {
        var entries: [LexiconEntry] = []
        try forEachContentLine(text, source: source) { line, fail in

            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
            if fields.count > 5 {
                throw fail("expected at most 5 fields (forms | category | severity | match | exceptions), found \(fields.count)")
            }
            let forms = commaList(fields[0])
            if forms.isEmpty { throw fail("no forms before the first '|'") }
            for form in forms where !form.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil }) {
                throw fail("form '\(form)' has no letters or digits")
            }
            var entry = LexiconEntry(forms: forms)
            if fields.count > 1, !fields[1].isEmpty {
                let category = fields[1].lowercased()
                guard category.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                    throw fail("category '\(fields[1])' must be one word (letters, digits, '-' or '_')")
                }
                entry.category = category
            }
            if fields.count > 2, !fields[2].isEmpty {
                guard let severity = Severity(rawValue: fields[2].lowercased()) else {
                    throw fail("unknown severity '\(fields[2])' (expected low, medium or high)")
                }
                entry.severity = severity
            }
            if fields.count > 3, !fields[3].isEmpty {
                switch fields[3].lowercased() {
                case "word": entry.matchesInsideWords = false
                case "inside": entry.matchesInsideWords = true
                default: throw fail("unknown match mode '\(fields[3])' (expected word or inside)")
                }
            }
            if fields.count > 4 { entry.exceptions = commaList(fields[4]) }
            entries.append(entry)
        }
        return entries
    }

    /// Calls `body` with each line of `text` that is neither blank nor a `#` comment, trimmed, and
    /// a function making the error for that line (naming `source` and the line number). The line
    /// loop of both data formats, the lexicon and the bias rules.
    static func forEachContentLine(
        _ text: String, source: String, _ body: (_ line: String, _ fail: (String) -> InputError) throws -> Void
    ) throws {
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let number = lineNumber
            try body(line) { what in .malformed(source: source, line: number, what: what) }
        }
    }

    static func commaList(_ field: String) -> [String] {
        field.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (and a stray carriage return).
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
