/// How bad a finding is. Ordered: `.low < .medium < .high`.
public enum Severity: String, Sendable, CaseIterable, Comparable {
    case low, medium, high

    public static func < (a: Severity, b: Severity) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One problem found in a line of text.
public struct Finding: Equatable, Sendable {
    /// Profanity (the lexicon: swearing, slurs, sexual, violent and drug terms) or bias (the rules).
    public enum Kind: String, Sendable {
        case profanity, bias
    }

    public var kind: Kind
    /// The lexicon category ("profanity", "slur", "sexual", ...) or the bias rule category
    /// ("gendered", "ableist", "ageist", "body", "racial").
    public var category: String
    public var severity: Severity
    /// The original characters of the text that the finding covers, unchanged.
    public var match: String
    /// Offsets of `match` in Unicode code points of the text: `start` inclusive, `end` exclusive.
    public var start: Int
    public var end: Int
    /// Better wording, best first (bias findings); empty for profanity.
    public var suggestions: [String]

    public init(kind: Kind, category: String, severity: Severity, match: String, start: Int, end: Int, suggestions: [String]) {
        self.kind = kind
        self.category = category
        self.severity = severity
        self.match = match
        self.start = start
        self.end = end
        self.suggestions = suggestions
    }
}
