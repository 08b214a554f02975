import Support

/// The profanity and bias filter every post passes through.
///
/// Profanity (swearing, slurs, sexual, violent and drug terms) comes from a lexicon matched on a
/// folded view of the text that resists evasion; bias comes from phrase rules with context
/// conditions and suggested replacements. Immutable after `init`: share one filter across threads.
///
///     let filter = try SafetyFilter()
///     filter.findings(in: "Hey guys, this deal is f.u.c.k.i.n.g great")   // a bias and a profanity finding
///     filter.fix("Hey guys, ...")                                          // "Hey everyone, ..."
public final class SafetyFilter: @unchecked Sendable {
    /// The built-in lexicon (Sources/SafetyFilter/Data/lexicon.txt).
    public static func builtInLexicon() throws -> [LexiconEntry] {
        try LexiconFormat.parse(String(decoding: PackageResources.lexicon_txt, as: UTF8.self), source: "built-in lexicon.txt")
    }

    /// The built-in bias rules (Sources/SafetyFilter/Data/bias-rules.txt).
    public static func builtInBiasRules() throws -> [BiasRule] {
        try BiasRuleFormat.parse(String(decoding: PackageResources.bias_rules_txt, as: UTF8.self), source: "built-in bias-rules.txt")
    }

    /// Reads a user lexicon file (the built-in format; docs/safety-filter.md). A malformed line
    /// throws `InputError.malformed` naming the file and line.
    public static func loadUserLexicon(path: String) throws -> [LexiconEntry] {
        try LexiconFormat.parse(FileContents.readText(path), source: path)
    }

    private let profanity: ProfanityMatcher
    private let bias: BiasMatcher

    /// A filter with the built-in lexicon and bias rules, plus `extraLexicon` (a user's entries).
    public init(extraLexicon: [LexiconEntry] = []) throws {
        profanity = try ProfanityMatcher(entries: Self.builtInLexicon() + extraLexicon, source: "lexicon")
        bias = BiasMatcher(rules: try Self.builtInBiasRules())
    }

    /// Everything found in `text` (one line or several), ordered by position. Offsets are in
    /// Unicode code points of `text`.
    public func findings(in text: String) -> [Finding] {
        if text.isEmpty { return [] }
        let scalars = Array(text.unicodeScalars)
        // The fast path: ASCII needs no normalization, skeletons or ICU word breaks; the same
        // rules apply from tables (see WordSegmentation.simpleSegments).
        let isASCII = text.utf8.count == scalars.count
        let segments = WordSegmentation.segments(of: text, scalars: scalars, isASCII: isASCII)
        var result: [Finding] = []

        let line = FoldedLine(scalars: scalars, isASCII: isASCII, segments: segments)
        for match in profanity.matches(in: line) {
            let entry = profanity.entries[match.entryIndex]
            // Combining marks after the last letter belong to it ("k\u{336}").
            var end = match.scalarEnd
            while end < scalars.count, !scalars[end].isASCII, Self.isMark(scalars[end]) { end += 1 }
            result.append(Finding(
                kind: .profanity, category: entry.category, severity: entry.severity,
                match: Self.substring(scalars, match.scalarStart, end),
                start: match.scalarStart, end: end, suggestions: []))
        }

        let words = BiasMatcher.words(scalars: scalars, segments: segments)
        for match in bias.matches(in: words) {
            let rule = bias.rules[match.rule]
            let start = words[match.first].start, end = match.end
            let original = Self.substring(scalars, start, end)
            result.append(Finding(
                kind: .bias, category: rule.category, severity: rule.severity, match: original,
                start: start, end: end, suggestions: rule.suggestions.map { CaseKeeping.apply(caseOf: original, to: $0) }))
        }
        result.sort { $0.start != $1.start ? $0.start < $1.start : $0.kind == .profanity }
        return result
    }

    /// `text` with every profane word masked: first letter kept, the rest `*`.
    public func mask(_ text: String) -> String {
        Rewriting.apply(findings(in: text).filter { $0.kind == .profanity }, to: text, fixBias: false)
    }

    /// `text` with the first suggestion of every bias finding applied (in the original's case) and
    /// profanity masked.
    public func fix(_ text: String) -> String {
        Rewriting.apply(findings(in: text), to: text, fixBias: true)
    }

    /// The text and what `mask` and `fix` give, from one pass (the CLI wants all three).
    public func review(_ text: String) -> (findings: [Finding], masked: String, fixed: String) {
        let found = findings(in: text)
        if found.isEmpty { return (found, text, text) }
        return (found, Rewriting.apply(found, to: text, fixBias: false), Rewriting.apply(found, to: text, fixBias: true))
    }

    /// Whether nothing at all is found in `text`.
    public func isClean(_ text: String) -> Bool {
        findings(in: text).isEmpty
    }

    /// Every lexicon form in lower case, Capitalized and UPPER case: the surface forms a
    /// generator's sampler should keep the model from completing. Evasive spellings are not
    /// listed (a model does not invent them); the filter still catches them afterwards.
    public var bannedWordForms: [String] {
        var seen = Set<String>()
        var result: [String] = []
        for entry in profanity.entries {
            for form in entry.forms {
                let lower = form.lowercased()
                for variant in [lower, lower.prefix(1).uppercased() + lower.dropFirst(), lower.uppercased()] where seen.insert(variant).inserted {
                    result.append(variant)
                }
            }
        }
        return result
    }

    static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    static func substring(_ scalars: [Unicode.Scalar], _ start: Int, _ end: Int) -> String {
        String(String.UnicodeScalarView(scalars[start..<end]))
    }
}
