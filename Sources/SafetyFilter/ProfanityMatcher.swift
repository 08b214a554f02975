import Support

/// One step of a compiled form: at least `minimum` letters that can stand for `code` (0–25 for
/// a–z, else a code point), or, when `code == Step.wordGap`, the separators between two words.
struct Step {
    var code: UInt32
    var minimum: Int32
    static let wordGap = UInt32.max
}

/// A lexicon form compiled for matching against letter runs. Plain values only (its steps live in
/// the matcher's flat `steps` array), so that the inner loop copies no reference-counted storage.
struct CompiledForm {
    var firstStep: Int
    var stepCount: Int
    var entryIndex: Int
    var matchesInsideWords: Bool
    var hasExceptions: Bool
    var containsDigits: Bool
    var firstCode: UInt32
    /// The code of the second step, or `Step.wordGap` / nil; a cheap test before a full walk.
    var secondCode: UInt32?
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
    private var steps: [Step] = []
    /// Form indices by first letter a–z.
    private var formsByLetter: [[Int]] = Array(repeating: [], count: 26)
    /// Form indices by first letter a–z (× 27) and second letter a–z; column 26 holds forms whose
    /// second step is not a letter a–z (a word gap, another script, or none).
    private var formsByLetterPair: [[Int]] = Array(repeating: [], count: 26 * 27)
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
                guard let (formSteps, containsDigits) = Self.compile(form) else {
                    throw InputError.malformed(source: source, line: nil, what: "form '\(form)' has no letters after folding")
                }
                let compiled = CompiledForm(
                    firstStep: steps.count, stepCount: formSteps.count, entryIndex: index,
                    matchesInsideWords: entry.matchesInsideWords, hasExceptions: !entry.exceptions.isEmpty,
                    containsDigits: containsDigits, firstCode: formSteps[0].code,
                    secondCode: formSteps.count > 1 ? formSteps[1].code : nil)
                steps.append(contentsOf: formSteps)
                let formIndex = forms.count
                forms.append(compiled)
                if compiled.firstCode < 26 {
                    formsByLetter[Int(compiled.firstCode)].append(formIndex)
                    let second = compiled.secondCode.map { $0 < 26 ? Int($0) : 26 } ?? 26
                    formsByLetterPair[Int(compiled.firstCode) * 27 + second].append(formIndex)
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

    /// The steps of a form, and whether it contains digits; nil when it has no letters.
    static func compile(_ form: String) -> ([Step], Bool)? {
        var steps: [Step] = []
        var containsDigits = false
        for scalar in form.unicodeScalars {
            let (kind, codes) = Self.codes(of: scalar)
            switch kind {
            case .space, .lineBreak:
                if let last = steps.last, last.code != Step.wordGap { steps.append(Step(code: Step.wordGap, minimum: 0)) }
            case .letter, .digit:
                containsDigits = containsDigits || kind == .digit
                for code in codes {
                    if let last = steps.last, last.code == code {
                        steps[steps.count - 1].minimum += 1
                    } else {
                        steps.append(Step(code: code, minimum: 1))
                    }
                }
            default:
                continue  // apostrophes and other punctuation inside a form are not matched
            }
        }
        if steps.last?.code == Step.wordGap { steps.removeLast() }
        guard let first = steps.first, first.code != Step.wordGap else { return nil }
        return (steps, containsDigits)
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
        if line.runs.isEmpty { return [] }
        var found: [ProfanityMatch] = []
        line.runs.withUnsafeBufferPointer { runs in
            steps.withUnsafeBufferPointer { steps in
                found = matches(runs: runs, steps: steps)
            }
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

    private func matches(runs: UnsafeBufferPointer<LetterRun>, steps: UnsafeBufferPointer<Step>) -> [ProfanityMatch] {
        var found: [ProfanityMatch] = []
        // The first and last run of the word around each run, computed on first need.
        var wordStart: [Int] = []
        var wordEnd: [Int] = []

        func attempt(_ formIndex: Int, at start: Int) {
            let form = forms[formIndex]
            if !form.matchesInsideWords && !runs[start].startsPart { return }
            // Cheap test: the next run must continue the first step or begin the second.
            if let second = form.secondCode, start + 1 < runs.count {
                let next = runs[start + 1]
                if second == Step.wordGap {
                    if next.gap != .space && !next.matches(form.firstCode) { return }
                } else if !next.matches(second) && !next.matches(form.firstCode) {
                    return
                }
            }
            guard let last = Self.walk(form, from: start, runs: runs, steps: steps) else { return }
            if !form.matchesInsideWords && !runs[last].endsPart { return }
            if form.hasExceptions && isException(form.entryIndex, first: start, last: last, in: runs) { return }
            var first = start, end = last
            if form.matchesInsideWords {
                // An inside-word match marks its whole word ("clusterfuck"), so that masking hides it.
                if wordStart.isEmpty {
                    wordStart = [Int](repeating: 0, count: runs.count)
                    wordEnd = [Int](repeating: 0, count: runs.count)
                    for r in 0..<runs.count { wordStart[r] = runs[r].startsWord ? r : wordStart[r - 1] }
                    for r in (0..<runs.count).reversed() { wordEnd[r] = runs[r].endsWord ? r : wordEnd[r + 1] }
                }
                first = wordStart[start]
                end = wordEnd[last]
            }
            found.append(ProfanityMatch(entryIndex: form.entryIndex,
                                        scalarStart: Int(runs[first].scalarStart), scalarEnd: Int(runs[end].scalarEnd)))
        }

        for start in 0..<runs.count {
            let run = runs[start]
            let nextMask = start + 1 < runs.count ? runs[start + 1].mask : 0
            var mask = run.mask
            while mask != 0 {
                let letter = mask.trailingZeroBitCount
                mask &= mask - 1
                if nextMask & (1 << letter) != 0 {
                    // The next run may continue this letter ("$s"): any second letter can follow.
                    for formIndex in formsByLetter[letter] { attempt(formIndex, at: start) }
                    continue
                }
                // Only forms whose second letter the next run can stand for.
                for formIndex in formsByLetterPair[letter * 27 + 26] { attempt(formIndex, at: start) }
                var next = nextMask
                while next != 0 {
                    let second = next.trailingZeroBitCount
                    next &= next - 1
                    for formIndex in formsByLetterPair[letter * 27 + second] { attempt(formIndex, at: start) }
                }
            }
            if run.other != 0, let list = formsByOther[run.other] {
                for formIndex in list { attempt(formIndex, at: start) }
            }
        }
        return found
    }

    /// Whether a match may continue from run `r - 1` into run `r`: within one piece always;
    /// across a short gap only from one lone letter to another ("f u c k", "f.u.c.k").
    @inline(__always) private static func continues(into r: Int, _ runs: UnsafeBufferPointer<LetterRun>) -> Bool {
        let run = runs[r]
        switch run.gap {
        case .none: return true
        case .space, .short:
            let previous = runs[r - 1]
            return run.gapLength <= 3 && run.isLone && previous.isLone && !run.digitsOnly && !previous.digitsOnly
        case .long: return false
        }
    }

    /// Walks `form` from run `start`; returns the last run of the match or nil.
    private static func walk(_ form: CompiledForm, from start: Int, runs: UnsafeBufferPointer<LetterRun>,
                             steps: UnsafeBufferPointer<Step>) -> Int? {
        var r = start
        var afterWordGap = false
        var trueLetters: Int32 = 0
        let end = form.firstStep + form.stepCount
        for s in form.firstStep..<end {
            let step = steps[s]
            if step.code == Step.wordGap {
                guard r < runs.count, runs[r].gap == .space else { return nil }
                afterWordGap = true
                continue
            }
            guard r < runs.count, runs[r].matches(step.code) else { return nil }
            if r > start && !afterWordGap && !continues(into: r, runs) { return nil }
            afterWordGap = false
            let nextCode: UInt32? = s + 1 < end && steps[s + 1].code != Step.wordGap ? steps[s + 1].code : nil
            var total: Int32 = 0
            var taken = 0
            while true {
                total += runs[r].count
                trueLetters += runs[r].trueLetters
                r += 1
                taken += 1
                if r >= runs.count || taken >= maximumRunsPerStep { break }
                if !runs[r].matches(step.code) || !continues(into: r, runs) { break }
                // Enough letters, and the next run can start the next step: leave it to that
                // step ("k1ll": the "1" may be i or l).
                if total >= step.minimum, let nextCode, runs[r].matches(nextCode) { break }
            }
            // A doubled letter is a spelling ("rapping", "woop"), not an evasion; three or more
            // of a letter the form has once or twice is one ("fuuuck", "asss").
            if total != step.minimum && total < max(3, step.minimum + 1) { return nil }
        }
        // A match made only of digits and symbols ("455") is a number, not a word.
        if trueLetters == 0 && !form.containsDigits { return nil }
        return r - 1
    }

    /// Whether one of the entry's exception phrases covers runs `first...last`.
    private func isException(_ entryIndex: Int, first: Int, last: Int, in runs: UnsafeBufferPointer<LetterRun>) -> Bool {
        let phrases = exceptions[entryIndex]
        if phrases.isEmpty { return false }
        let reach = longestException + 1
        // The context: runs within `reach` letters on either side, read as primary letters.
        var low = first
        var before = 0
        while low > 0 && before < reach {
            before += runs[low].gap == .none ? 0 : 1
            low -= 1
            before += Int(runs[low].count)
        }
        var high = last
        var after = 0
        while high + 1 < runs.count && after < reach {
            high += 1
            after += Int(runs[high].count) + (runs[high].gap == .none ? 0 : 1)
        }
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
