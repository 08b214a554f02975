/// How a letter is separated from the letter before it.
enum Gap: UInt8 {
    /// Directly joined (only invisible characters between): the same piece of a word.
    case none
    /// Only spaces, hyphens or underscores: words of one phrase ("kill yourself", "f u c k").
    case space
    /// At most three characters of other punctuation on one line ("f.u.c.k", "f, u").
    case short
    /// Anything longer, a line break, or the start of the line.
    case long
}

/// A run of equal letters in the folded view of a line ("uuu" in "fuuuck"), with everything the
/// matcher needs to know about its neighbourhood. All offsets are code point offsets of the line.
struct LetterRun {
    /// The letters a–z this run may stand for (bit 0 = a); more than one for leetspeak ("1": i or l).
    var mask: UInt32
    /// A letter outside a–z, or a digit, by code point; 0 when none.
    var other: UInt32
    /// How many letters the run holds.
    var count: Int32
    /// How many of them are true letters (not digits or leetspeak symbols).
    var trueLetters: Int32
    var scalarStart: Int32
    var scalarEnd: Int32
    var gap: Gap
    /// The number of separator characters in the gap before the run.
    var gapLength: Int32
    /// A word boundary (ICU's, or a separator) lies just before the run.
    var startsWord: Bool
    /// A word boundary lies just after the run.
    var endsWord = false
    /// A word boundary, or a lower-case letter before an upper-case one ("Clit|Est", "Bad|Ass"),
    /// lies just before the run: where a whole-word form may start. Made-up CamelCase words and
    /// hashtags glue words together; each part is read as a word of its own.
    var startsPart: Bool
    /// A part boundary lies just after the run.
    var endsPart = false
    /// The run is a whole piece: a lone letter between separators ("f" in "f u c k").
    var isLone = false
    /// Every letter of the run is a digit.
    var digitsOnly: Bool
    /// The letter the run is read as when comparing with exception phrases.
    var primary: UInt32 {
        if mask != 0 && other == 0 { return 0x61 + UInt32(mask.trailingZeroBitCount) }
        return other
    }

    /// Whether the run can stand for the letter `code` (0–25 for a–z, else a code point).
    @inline(__always) func matches(_ code: UInt32) -> Bool {
        code < 26 ? mask & (1 << code) != 0 : other == code
    }
}

/// One line of text, folded for profanity matching and cut into letter runs.
///
/// Folding per code point keeps the map back to the original offsets: each letter of the folded
/// view remembers the code point it came from. Invisible characters and combining marks vanish,
/// look-alikes become Latin letters, leetspeak symbols that sit against letters become letters,
/// and the gaps between letters are classified so that "f u c k" can be read as one word.
struct FoldedLine {
    let scalars: [Unicode.Scalar]
    private(set) var runs: [LetterRun] = []

    /// One letter of the folded view, before runs are formed.
    private struct Letter {
        var mask: UInt32
        var other: UInt32
        var kind: ScalarKind
        var scalar: Int32
        var gap: Gap
        var gapLength: Int32
        var boundaryBefore: Bool
        /// `boundaryBefore`, or an upper-case letter right after a lower-case one.
        var partBefore: Bool
    }

    init(scalars: [Unicode.Scalar], isASCII: Bool, segments: [Segment]) {
        self.scalars = scalars
        if scalars.isEmpty { return }
        var (kinds, folded) = Self.classify(scalars)                                      // 1
        Self.hideLinkPaths(scalars, &kinds)
        Self.resolveLeetSymbols(scalars, &kinds)                                          // 2
        let boundary = isASCII ? [] : Self.wordBoundaries(segments, count: scalars.count)  // 3
        var letters = Self.letters(scalars, kinds: kinds, folded: folded, boundary: boundary, isASCII: isASCII)  // 4
        Self.keepDigitsOutsideWords(&letters)                                             // 5
        runs = Self.runs(of: letters)                                                     // 6
    }

    /// Classifies every code point (ASCII from a table, the rest through ICU, cached).
    private static func classify(_ scalars: [Unicode.Scalar]) -> (kinds: [ScalarKind], folded: [Int: [Unicode.Scalar]]) {
        let n = scalars.count
        var kinds = [ScalarKind](repeating: .punctuation, count: n)
        var folded: [Int: [Unicode.Scalar]] = [:]
        for i in 0..<n {
            let value = scalars[i].value
            if value < 0x80 {
                kinds[i] = ScalarFolding.asciiKinds[Int(value)]
            } else {
                let f = ScalarFolding.fold(scalars[i])
                kinds[i] = f.kind
                if !f.letters.isEmpty { folded[i] = f.letters }
            }
        }
        return (kinds, folded)
    }

    /// Leetspeak symbols count as letters only against letters: "$hit", "a$$", "sh!t",
    /// "f*ck"; but "wow!", "$5" and "***" stay punctuation. "$" and "@" may stand at either
    /// end of a word; "!", "|", "+" and "*" only between letters.
    private static func resolveLeetSymbols(_ scalars: [Unicode.Scalar], _ kinds: inout [ScalarKind]) {
        let n = scalars.count
        var i = 0
        while i < n {
            guard kinds[i] == .leetSymbol else { i += 1; continue }
            var end = i
            while end + 1 < n, kinds[end + 1] == .leetSymbol || kinds[end + 1] == .transparent { end += 1 }
            var before = i - 1
            while before >= 0, kinds[before] == .transparent { before -= 1 }
            let after = end + 1
            let letterBefore = before >= 0 && (kinds[before] == .letter || kinds[before] == .digit)
            let letterAfter = after < n && (kinds[after] == .letter || kinds[after] == .digit)
            for k in i...end where kinds[k] == .leetSymbol {
                let value = scalars[k].value
                let endsAllowed = value == 0x24 || value == 0x40  // "$", "@"
                let isLetter = endsAllowed ? (letterBefore || letterAfter) : (letterBefore && letterAfter)
                if !isLetter { kinds[k] = .punctuation }
            }
            i = end + 1
        }
    }

    /// Word boundaries from ICU's word break iterator. Within ASCII, UAX #29 never breaks
    /// between two letters or digits (rules WB5, WB8–WB10), so an ASCII line needs none.
    private static func wordBoundaries(_ segments: [Segment], count n: Int) -> [Bool] {
        var boundary = [Bool](repeating: false, count: n + 1)
        for segment in segments {
            boundary[segment.start] = true
            boundary[segment.end] = true
        }
        return boundary
    }

    /// The letters of the folded view, with the gap and boundary before each.
    private static func letters(_ scalars: [Unicode.Scalar], kinds: [ScalarKind], folded: [Int: [Unicode.Scalar]],
                                boundary: [Bool], isASCII: Bool) -> [Letter] {
        let n = scalars.count
        var letters: [Letter] = []
        letters.reserveCapacity(n)
        var separators: Int32 = 0
        var onlySpaces = true
        var sawLineBreak = false
        var previousEnd = -1
        var previousIsSymbol = false
        for i in 0..<n {
            let kind = kinds[i]
            switch kind {
            case .transparent: continue
            case .space: separators += 1; continue
            case .punctuation: separators += 1; onlySpaces = false; continue
            case .lineBreak: separators += 1; sawLineBreak = true; continue
            case .letter, .digit, .leetSymbol: break
            }
            var gap = Gap.none
            var boundaryBefore: Bool
            if previousEnd < 0 {
                gap = .long
                boundaryBefore = true
            } else if separators > 0 {
                gap = sawLineBreak ? .long : onlySpaces ? .space : separators <= 3 ? .short : .long
                boundaryBefore = true
            } else {
                // Joined letters: ICU's boundary counts, except around a leetspeak symbol, which
                // glues the letters it stands between ("sh!t" is one word to a reader).
                boundaryBefore = false
                if !isASCII && !previousIsSymbol && kind != .leetSymbol {
                    for p in previousEnd...i where boundary[p] { boundaryBefore = true; break }
                }
            }
            let partBefore = boundaryBefore || (separators == 0 && Self.isLowercase(scalars[previousEnd - 1]) && Self.isUppercase(scalars[i]))
            let value = scalars[i].value
            if value < 0x80 {
                let mask = kind == .letter ? UInt32(1) << ((value | 0x20) - 0x61) : ScalarFolding.leetMask(value)
                letters.append(Letter(mask: mask, other: kind == .digit ? value : 0, kind: kind, scalar: Int32(i),
                                      gap: gap, gapLength: separators, boundaryBefore: boundaryBefore, partBefore: partBefore))
            } else {
                var first = true
                for letter in folded[i] ?? [] {
                    let v = letter.value
                    var unit = Letter(mask: 0, other: v, kind: .letter, scalar: Int32(i), gap: first ? gap : .none,
                                      gapLength: first ? separators : 0, boundaryBefore: first && boundaryBefore,
                                      partBefore: first && partBefore)
                    if v >= 0x61 && v <= 0x7A {
                        unit.mask = 1 << (v - 0x61)
                        unit.other = 0
                    } else if v >= 0x30 && v <= 0x39 {
                        unit.mask = ScalarFolding.leetMask(v)
                        unit.kind = .digit
                    }
                    letters.append(unit)
                    first = false
                }
            }
            separators = 0
            onlySpaces = true
            sawLineBreak = false
            previousEnd = i + 1
            previousIsSymbol = kind == .leetSymbol
        }
        return letters
    }

    /// Digits read as letters only in a piece with at least two true letters ("sh1t",
    /// "b1tch"), so that prices, phone numbers and model names ("A55") stay numbers.
    private static func keepDigitsOutsideWords(_ letters: inout [Letter]) {
        var pieceStart = 0
        while pieceStart < letters.count {
            var pieceEnd = pieceStart + 1
            while pieceEnd < letters.count, letters[pieceEnd].gap == .none { pieceEnd += 1 }
            var trueLetters = 0
            for k in pieceStart..<pieceEnd where letters[k].kind == .letter { trueLetters += 1 }
            if trueLetters < 2 {
                for k in pieceStart..<pieceEnd where letters[k].kind == .digit { letters[k].mask = 0 }
            }
            pieceStart = pieceEnd
        }
    }

    /// Runs of equal letters.
    private static func runs(of letters: [Letter]) -> [LetterRun] {
        var runs: [LetterRun] = []
        runs.reserveCapacity(letters.count)
        for letter in letters {
            let isTrueLetter: Int32 = letter.kind == .letter ? 1 : 0
            if var last = runs.last, letter.gap == .none, !letter.partBefore,
               last.mask == letter.mask, last.other == letter.other, letter.mask != 0 || letter.other != 0 {
                last.count += 1
                last.trueLetters += isTrueLetter
                last.scalarEnd = letter.scalar + 1
                last.digitsOnly = last.digitsOnly && letter.kind == .digit
                runs[runs.count - 1] = last
            } else {
                runs.append(LetterRun(
                    mask: letter.mask, other: letter.other, count: 1, trueLetters: isTrueLetter,
                    scalarStart: letter.scalar, scalarEnd: letter.scalar + 1, gap: letter.gap,
                    gapLength: letter.gapLength, startsWord: letter.boundaryBefore,
                    startsPart: letter.partBefore, digitsOnly: letter.kind == .digit))
            }
        }
        for r in runs.indices {
            let next = r + 1 < runs.count ? runs[r + 1] : nil
            runs[r].endsWord = next.map { $0.startsWord } ?? true
            runs[r].endsPart = next.map { $0.startsPart } ?? true
            runs[r].isLone = runs[r].gap != .none && (next.map { $0.gap != .none } ?? true)
        }
        return runs
    }

    @inline(__always) private static func isLowercase(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x80 ? scalar.value >= 0x61 && scalar.value <= 0x7A : scalar.properties.isLowercase
    }

    @inline(__always) private static func isUppercase(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x80 ? scalar.value >= 0x41 && scalar.value <= 0x5A : scalar.properties.isUppercase
    }

    @inline(__always) private static func isWhiteSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x80 ? scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" : scalar.properties.isWhitespace
    }

    /// Marks the path of every link ("https://t.co/BeHREYsh7Q") as punctuation: shortened links
    /// are random letters, which spell anything. The host name is still read.
    private static func hideLinkPaths(_ scalars: [Unicode.Scalar], _ kinds: inout [ScalarKind]) {
        let n = scalars.count
        var i = 0
        while i + 3 < n {
            // "://" followed by a host, then "/": everything up to the next white space is the path.
            guard scalars[i] == ":", scalars[i + 1] == "/", scalars[i + 2] == "/" else { i += 1; continue }
            var j = i + 3
            while j < n, scalars[j] != "/", !isWhiteSpace(scalars[j]) { j += 1 }
            while j < n, !isWhiteSpace(scalars[j]) {
                kinds[j] = .punctuation
                j += 1
            }
            i = j
        }
    }
}
