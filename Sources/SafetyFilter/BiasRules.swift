import ICU
import Support

/// A bias rule: phrases that exclude or stereotype, what to write instead, and when it applies.
public struct BiasRule: Equatable, Sendable {
    /// Alternatives, each a list of lower-case words ("you", "guys").
    public var phrases: [[String]]
    /// "gendered", "ableist", "ageist", "body", "racial".
    public var category: String
    public var severity: Severity
    /// Replacements, best first.
    public var suggestions: [String]
    /// Context: words that must (or must not) be near the phrase.
    public var condition: Condition

    /// When a rule applies. With no clauses it always does. Otherwise at least one positive clause
    /// (a word of `next` among the two words after the phrase, or of `previous` among the two
    /// before) must hold when any is given, and no negative clause may be broken.
    public struct Condition: Equatable, Sendable {
        public var next: Set<String> = []
        public var previous: Set<String> = []
        public var notNext: Set<String> = []
        public var notPrevious: Set<String> = []

        public init() {}
    }
}

/// The line format of bias rule files (docs/safety-filter.md, "Bias rule format"):
///
///     @set = word, word, ...
///     phrases | category | severity | suggestions | condition
public enum BiasRuleFormat {
    public static func parse(_ text: String, source: String) throws -> [BiasRule] {
        var sets: [String: Set<String>] = [:]
        var rules: [BiasRule] = []
        try LexiconFormat.forEachContentLine(text, source: source) { line, fail in

            if line.hasPrefix("@") {
                guard let equals = line.firstIndex(of: "=") else { throw fail("a word set needs '=' (@name = word, word)") }
                let name = line[..<equals].trimmingSpaces()
                sets[name] = Set(LexiconFormat.commaList(String(line[line.index(after: equals)...])).map(normalizedWord))
                return
            }
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
            guard fields.count == 4 || fields.count == 5 else {
                throw fail("expected 4 or 5 fields (phrases | category | severity | suggestions | condition), found \(fields.count)")
            }
            let phrases = LexiconFormat.commaList(fields[0]).map(words(of:)).filter { !$0.isEmpty }
            if phrases.isEmpty { throw fail("no phrases") }
            guard let severity = Severity(rawValue: fields[2].lowercased()) else {
                throw fail("unknown severity '\(fields[2])' (expected low, medium or high)")
            }
            let suggestions = LexiconFormat.commaList(fields[3])
            if suggestions.isEmpty { throw fail("no suggestions") }
            var condition = BiasRule.Condition()
            if fields.count == 5, !fields[4].isEmpty {
                for clause in fields[4].split(separator: ";") {
                    guard let colon = clause.firstIndex(of: ":") else { throw fail("condition clause '\(clause.trimmingSpaces())' needs ':'") }
                    let key = clause[..<colon].trimmingSpaces()
                    var listed: Set<String> = []
                    for word in LexiconFormat.commaList(String(clause[clause.index(after: colon)...])) {
                        if word.hasPrefix("@") {
                            guard let set = sets[word] else { throw fail("unknown word set '\(word)'") }
                            listed.formUnion(set)
                        } else {
                            listed.insert(normalizedWord(word))
                        }
                    }
                    switch key {
                    case "next": condition.next.formUnion(listed)
                    case "prev": condition.previous.formUnion(listed)
                    case "not-next": condition.notNext.formUnion(listed)
                    case "not-prev": condition.notPrevious.formUnion(listed)
                    default: throw fail("unknown condition '\(key)' (expected next, prev, not-next or not-prev)")
                    }
                }
            }
            rules.append(BiasRule(phrases: phrases, category: fields[1].lowercased(), severity: severity,
                                  suggestions: suggestions, condition: condition))
        }
        return rules
    }

    /// The words of a phrase as the matcher compares them: lower case, split at spaces and hyphens.
    static func words(of phrase: String) -> [String] {
        phrase.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "\t" }).map { normalizedWord(String($0)) }
    }

    /// Lower case, with typographic apostrophes made plain ("women’s" → "women's").
    static func normalizedWord(_ word: String) -> String {
        String(word.lowercased().map { $0 == "\u{2019}" || $0 == "\u{02BC}" ? "'" : $0 })
    }
}

/// A word of a line, for bias matching.
struct LineWord {
    var text: String
    var start: Int
    var end: Int
    /// The word without a possessive "'s" ("chairman's" → "chairman"), and where that ends.
    var base: String?
    var baseEnd: Int
    /// Only spaces and hyphens lie between this word and the one before it.
    var joinedToPrevious: Bool
}

/// Finds bias rule phrases among the words of a line.
struct BiasMatcher {
    let rules: [BiasRule]
    /// (rule, phrase) pairs by first word.
    private var byFirstWord: [String: [(rule: Int, phrase: Int)]] = [:]

    init(rules: [BiasRule]) {
        self.rules = rules
        for (r, rule) in rules.enumerated() {
            for (p, phrase) in rule.phrases.enumerated() {
                byFirstWord[phrase[0], default: []].append((r, p))
            }
        }
    }

    /// Words of the line from its word segments: ICU's words, lower-cased; a word's apostrophes
    /// are made plain. ASCII words are lower-cased from a table; others go through NFKC casefolding.
    static func words(scalars: [Unicode.Scalar], segments: [Segment]) -> [LineWord] {
        var result: [LineWord] = []
        var previousEnd = -1
        var bytes: [UInt8] = []
        for segment in segments where segment.isWord {
            var joined = previousEnd >= 0
            if joined {
                for i in previousEnd..<segment.start {
                    let v = scalars[i].value
                    let kind: ScalarKind = v < 0x80 ? ScalarFolding.asciiKinds[Int(v)] : ScalarFolding.fold(scalars[i]).kind
                    if kind != .space && kind != .transparent { joined = false; break }
                }
            }
            bytes.removeAll(keepingCapacity: true)
            var isASCII = true
            for i in segment.start..<segment.end {
                let v = scalars[i].value
                if v >= 0x80 { isASCII = false; break }
                bytes.append(v >= 0x41 && v <= 0x5A ? UInt8(v) | 0x20 : UInt8(v))
            }
            let text: String
            if isASCII {
                text = String(decoding: bytes, as: UTF8.self)
            } else {
                let original = String(String.UnicodeScalarView(scalars[segment.start..<segment.end]))
                text = BiasRuleFormat.normalizedWord(ICU.normalize(original, .nfkcCasefold))
            }
            var base: String? = nil
            if text.hasSuffix("'s") && text.count > 2 { base = String(text.dropLast(2)) }
            result.append(LineWord(text: text, start: segment.start, end: segment.end,
                                   base: base, baseEnd: base == nil ? segment.end : segment.end - 2, joinedToPrevious: joined))
            previousEnd = segment.end
        }
        return result
    }

    /// Matches as (rule index, first word, last word, end offset), without overlaps; the longest
    /// phrase wins. A possessive "'s" on the last word stays outside the match ("chairman's").
    func matches(in words: [LineWord]) -> [(rule: Int, first: Int, last: Int, end: Int)] {
        var found: [(rule: Int, first: Int, last: Int, end: Int)] = []
        var w = 0
        while w < words.count {
            var best: (rule: Int, last: Int, end: Int)? = nil
            var candidates = byFirstWord[words[w].text] ?? []
            if let base = words[w].base { candidates += byFirstWord[base] ?? [] }
            for (r, p) in candidates {
                let phrase = rules[r].phrases[p]
                let last = w + phrase.count - 1
                if last >= words.count { continue }
                var end = 0
                var same = true
                for k in 0..<phrase.count {
                    let word = words[w + k]
                    if k > 0 && !word.joinedToPrevious { same = false; break }
                    if word.text == phrase[k] {
                        end = word.end
                    } else if k == phrase.count - 1, word.base == phrase[k] {
                        end = word.baseEnd
                    } else {
                        same = false
                        break
                    }
                }
                if !same || !applies(rules[r].condition, first: w, last: last, in: words) { continue }
                if best == nil || last > best!.last { best = (r, last, end) }
            }
            if let best {
                found.append((best.rule, w, best.last, best.end))
                w = best.last + 1
            } else {
                w += 1
            }
        }
        return found
    }

    private func applies(_ condition: BiasRule.Condition, first: Int, last: Int, in words: [LineWord]) -> Bool {
        let following = words[(last + 1)..<min(words.count, last + 3)].map(\.text)
        let preceding = words[max(0, first - 2)..<first].map(\.text)
        if following.contains(where: condition.notNext.contains) { return false }
        if preceding.contains(where: condition.notPrevious.contains) { return false }
        if condition.next.isEmpty && condition.previous.isEmpty { return true }
        return following.contains(where: condition.next.contains) || preceding.contains(where: condition.previous.contains)
    }
}
