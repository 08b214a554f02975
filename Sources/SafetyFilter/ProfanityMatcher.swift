import Support

/// A lexicon form compiled for matching against letter runs.
struct CompiledForm {
    enum Step {
        /// At least `minimum` letters that can stand for `code` (0–25 for a–z, else a code point).
        case letters(code: UInt32, minimum: Int32)
        /// Separators between two words of a phrase.
        case wordGap
    }

    var steps: [Step]
    var entryIndex: Int
    var containsDigits: Bool
    /// The first letter code, for indexing.
    var firstCode: UInt32
}

/// A match of one lexicon entry: runs `firstRun...lastRun` of a folded line.
struct ProfanityMatch {
    var entryIndex: Int
    var scalarStart: Int
    var scalarEnd: Int
}

/// Finds lexicon forms in folded lines.
///
/// Each form is a sequence of (letter, at least n times) steps; a step consumes one or more runs
/// that can stand for its letter, so "fuuuck", "fu\u{200B}ck", "fück" and "f.u.c.k" all meet the
/// steps of "fuck", while "ass" (a, then s at least twice) never meets "as". Work per line is
/// linear: matching starts only at runs, a form has a bounded number of steps, and each step
/// consumes at most `maximumRunsPerStep` runs.
struct ProfanityMatcher {
    let entries: [LexiconEntry]
    private var forms: [CompiledForm] = []
    /// Form indices by first letter a–z.
    private var formsByLetter: [[Int]] = Array(repeating: [], count: 26)
    /// Form indices by a first code outside a–z (digits, other scripts).
    private var formsByOther: [UInt32: [Int]] = [:]
    /// Exceptions per entry, folded into the code space of `LetterRun.primary` (space = 0x20).
    private var exceptions: [[[UInt32]]] = []
    private var longestException = 0

    static let maximumRunsPerStep = 32

    init(entries: [LexiconEntry], source: String) throws {
        self.entries = entries
        for (index, entry) in entries.enumerated() {
            for form in entry.forms {
                guard let compiled = Self.compile(form, entryIndex: index) else {
                    throw InputError.malformed(source: source, line: nil, what: "form '\(form)' has no letters after folding")
                }
                let formIndex = forms.count
                forms.append(compiled)
                if compiled.firstCode < 26 {
                    formsByLetter[Int(compiled.firstCode)].append(formIndex)
                } else {
                    formsByOther[compiled.firstCode, default: []].append(formIndex)
                }
            }
            let folded = entry.exceptions.map(Self.foldException).filter { !$0.isEmpty }
            longestException = max(longestException, folded.map(\.count).max() ?? 0)
            exceptions.append(folded)
        }
    }

    /// The letter codes of one code point as the matcher sees it (lower case, folded).
    private static func codes(of scalar: Unicode.Scalar) -> (kind: ScalarKind, codes: [UInt32]) {
        let value = scalar.value
        if value < 0x80 {
            let kind = ScalarFolding.asciiKinds[Int(value)]
            switch kind {
            case .letter: return (kind, [(value | 0x20) - 0x61])
            case .digit: return (kind, [value])
            default: return (kind, [])
            }
        }
        let folded = ScalarFolding.fold(scalar)
        return (folded.kind, folded.letters.map { $0.value >= 0x61 && $0.value <= 0x7A ? $0.value - 0x61 : $0.value })
    }

    static func compile(_ form: String, entryIndex: Int) -> CompiledForm? {
        var steps: [CompiledForm.Step] = []
        var containsDigits = false
        for scalar in form.unicodeScalars {
            let (kind, codes) = Self.codes(of: scalar)
            switch kind {
            case .space, .lineBreak:
                if let last = steps.last, case .letters = last { steps.append(.wordGap) }
            case .letter, .digit:
                containsDigits = containsDigits || kind == .digit
                for code in codes {
                    if case let .letters(previous, minimum) = steps.last, previous == code {
                        steps[steps.count - 1] = .letters(code: code, minimum: minimum + 1)
                    } else {
                        steps.append(.letters(code: code, minimum: 1))
                    }
                }
            default:
                continue  // apostrophes and other punctuation inside a form are not matched
            }
        }
        if case .wordGap = steps.last { steps.removeLast() }
        guard case let .letters(first, _) = steps.first else { return nil }
        return CompiledForm(steps: steps, entryIndex: entryIndex, containsDigits: containsDigits, firstCode: first)
    }

    /// An exception phrase in the code space of `LetterRun.primary`: letters as code points,
    /// one 0x20 between words.
    static func foldException(_ phrase: String) -> [UInt32] {
        var result: [UInt32] = []
        for scalar in phrase.unicodeScalars {
            let (kind, codes) = Self.codes(of: scalar)
            switch kind {
            case .letter, .digit:
                result.append(contentsOf: codes.map { $0 < 26 ? $0 + 0x61 : $0 })
            case .space, .punctuation, .lineBreak, .leetSymbol:
                if let last = result.last, last != 0x20 { result.append(0x20) }
            case .transparent:
                continue
            }
        }
        if result.last == 0x20 { result.removeLast() }
        return result
    }

    /// Every match in `line`, overlapping ones resolved (longest first, then most severe).
    func matches(in line: FoldedLine) -> [ProfanityMatch] {
        let runs = line.runs
        if runs.isEmpty { return [] }
        // The first run of the word around each run, and the last, for whole-word and
        // inside-word matches alike.
        var wordStart = [Int](repeating: 0, count: runs.count)
        var wordEnd = [Int](repeating: 0, count: runs.count)
        for r in runs.indices { wordStart[r] = runs[r].startsWord ? r : wordStart[r - 1] }
        for r in runs.indices.reversed() { wordEnd[r] = runs[r].endsWord ? r : wordEnd[r + 1] }

        var found: [ProfanityMatch] = []
        for start in runs.indices {
            let run = runs[start]
            var mask = run.mask
            while mask != 0 {
                let letter = mask.trailingZeroBitCount
                mask &= mask - 1
                for formIndex in formsByLetter[letter] { attempt(formIndex, at: start) }
            }
            if run.other != 0, let list = formsByOther[run.other] {
                for formIndex in list { attempt(formIndex, at: start) }
            }
        }

        func attempt(_ formIndex: Int, at start: Int) {
            let form = forms[formIndex]
            let entry = entries[form.entryIndex]
            if !entry.matchesInsideWords && !runs[start].startsWord { return }
            guard let last = walk(form, from: start, in: line) else { return }
            if !entry.matchesInsideWords && !runs[last].endsWord { return }
            if isException(form.entryIndex, first: start, last: last, in: runs) { return }
            // An inside-word match marks its whole word ("clusterfuck"), so that masking hides it.
            let first = entry.matchesInsideWords ? wordStart[start] : start
            let end = entry.matchesInsideWords ? wordEnd[last] : last
            found.append(ProfanityMatch(entryIndex: form.entryIndex,
                                        scalarStart: Int(runs[first].scalarStart), scalarEnd: Int(runs[end].scalarEnd)))
        }

        if found.count < 2 { return found }
        found.sort {
            if $0.scalarStart != $1.scalarStart { return $0.scalarStart < $1.scalarStart }
            if $0.scalarEnd != $1.scalarEnd { return $0.scalarEnd > $1.scalarEnd }
            return entries[$0.entryIndex].severity > entries[$1.entryIndex].severity
        }
        var kept: [ProfanityMatch] = []
        for match in found where match.scalarStart >= (kept.last?.scalarEnd ?? 0) { kept.append(match) }
        return kept
    }

    /// Walks `form` from run `start`; returns the last run of the match or nil.
    private func walk(_ form: CompiledForm, from start: Int, in line: FoldedLine) -> Int? {
        let runs = line.runs
        var r = start
        var afterWordGap = false
        var trueLetters: Int32 = 0
        for (s, step) in form.steps.enumerated() {
            switch step {
            case .wordGap:
                guard r < runs.count, runs[r].gap == .space else { return nil }
                afterWordGap = true
            case let .letters(code, minimum):
                guard r < runs.count, runs[r].matches(code) else { return nil }
                if r > start && !afterWordGap && !line.continues(into: r) { return nil }
                afterWordGap = false
                var nextCode: UInt32? = nil
                if s + 1 < form.steps.count, case let .letters(c, _) = form.steps[s + 1] { nextCode = c }
                var total: Int32 = 0
                var taken = 0
                while true {
                    total += runs[r].count
                    trueLetters += runs[r].trueLetters
                    r += 1
                    taken += 1
                    if r >= runs.count || taken >= Self.maximumRunsPerStep { break }
                    if !runs[r].matches(code) || !line.continues(into: r) { break }
                    // Enough letters, and the next run can start the next step: leave it to that
                    // step ("k1ll": the "1" may be i or l).
                    if total >= minimum, let nextCode, runs[r].matches(nextCode) { break }
                }
                if total < minimum { return nil }
            }
        }
        // A match made only of digits and symbols ("455") is a number, not a word.
        if trueLetters == 0 && !form.containsDigits { return nil }
        return r - 1
    }

    /// Whether one of the entry's exception phrases covers runs `first...last`.
    private func isException(_ entryIndex: Int, first: Int, last: Int, in runs: [LetterRun]) -> Bool {
        let phrases = exceptions[entryIndex]
        if phrases.isEmpty { return false }
        let reach = longestException + 1
        // The context: runs within `reach` letters on either side, read as primary letters.
        var low = first
        var before = 0
        while low > 0 && before < reach { low -= 1; before += Int(runs[low].count) + 1 }
        var high = last
        var after = 0
        while high + 1 < runs.count && after < reach { high += 1; after += Int(runs[high].count) + 1 }
        var context: [UInt32] = []
        var matchStart = 0
        var matchEnd = 0
        for r in low...high {
            if r > low && runs[r].gap != .none { context.append(0x20) }
            if r == first { matchStart = context.count }
            let letter = runs[r].primary
            for _ in 0..<min(Int(runs[r].count), reach) { context.append(letter) }
            if r == last { matchEnd = context.count }
        }
        for phrase in phrases where phrase.count <= context.count {
            var i = 0
            while i + phrase.count <= context.count {
                if i <= matchStart && i + phrase.count >= matchEnd && context[i..<(i + phrase.count)].elementsEqual(phrase) {
                    return true
                }
                if i > matchStart { break }
                i += 1
            }
        }
        return false
    }
}
