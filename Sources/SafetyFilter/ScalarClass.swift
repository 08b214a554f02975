#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ICU

/// What one code point of the input is, for matching.
enum ScalarKind: UInt8 {
    /// A letter or a mark-free letter sequence after folding ("Ｆ" → "f", "ß" → "ss").
    case letter
    /// A decimal digit: part of a word, and a leetspeak letter ("0" → o) when its word has letters.
    case digit
    /// A symbol that stands for a letter in leetspeak ("$", "@", "!", "|", "+", "*"), when it sits
    /// against letters; otherwise punctuation.
    case leetSymbol
    /// White space, hyphens and underscores: what separates the words of a phrase.
    case space
    /// A line or paragraph separator: nothing is matched across it.
    case lineBreak
    /// Any other punctuation, symbol or emoji: separates words.
    case punctuation
    /// Zero-width and format characters, combining marks, variation selectors: invisible to matching.
    case transparent
}

/// A code point folded for comparison: NFKC casefolding, the UTS #39 confusable skeleton
/// (Cyrillic "а" and Greek "ο" become Latin), combining marks removed.
struct FoldedScalar {
    var kind: ScalarKind
    /// The folded letters (for `.letter`), or the digit (for `.digit`); empty otherwise.
    var letters: [Unicode.Scalar]
}

/// Folding of single code points. ASCII is answered from a table; anything else goes through ICU
/// once per distinct code point and is cached for the life of the process (the result does not
/// depend on the lexicon, so every filter shares the cache).
enum ScalarFolding {
    /// The leetspeak letters a character may stand for, as a bit mask over a–z (bit 0 = a).
    static func leetMask(_ value: UInt32) -> UInt32 {
        switch value {
        case 0x30: return bit("o")          // 0
        case 0x31: return bit("i") | bit("l")  // 1
        case 0x33: return bit("e")          // 3
        case 0x34: return bit("a")          // 4
        case 0x35: return bit("s")          // 5
        case 0x36: return bit("g") | bit("b")  // 6
        case 0x37: return bit("t")          // 7
        case 0x38: return bit("b")          // 8
        case 0x39: return bit("g")          // 9
        case 0x40: return bit("a")          // @
        case 0x24: return bit("s")          // $
        case 0x21: return bit("i")          // !
        case 0x7C: return bit("i") | bit("l")  // |
        case 0x2B: return bit("t")          // +
        // "*" is how people half-hide a vowel ("f*ck", "sh*t").
        case 0x2A: return bit("a") | bit("e") | bit("i") | bit("o") | bit("u")
        default: return 0
        }
    }

    static func bit(_ letter: Unicode.Scalar) -> UInt32 { 1 << (letter.value - 0x61) }

    /// The kind of an ASCII code point.
    static let asciiKinds: [ScalarKind] = (0..<128).map { value -> ScalarKind in
        let c = UInt8(value)
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return .letter
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return .digit
        case UInt8(ascii: "$"), UInt8(ascii: "@"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: "+"), UInt8(ascii: "*"):
            return .leetSymbol
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "-"), UInt8(ascii: "_"): return .space
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0B, 0x0C: return .lineBreak
        default: return .punctuation  // other punctuation, symbols and control characters
        }
    }

    /// Folds a code point that is not ASCII.
    static func fold(_ scalar: Unicode.Scalar) -> FoldedScalar {
        let properties = scalar.properties
        if properties.isDefaultIgnorableCodePoint { return FoldedScalar(kind: .transparent, letters: []) }
        switch properties.generalCategory {
        case .format, .nonspacingMark, .enclosingMark, .spacingMark:
            return FoldedScalar(kind: .transparent, letters: [])
        case .lineSeparator, .paragraphSeparator:
            return FoldedScalar(kind: .lineBreak, letters: [])
        case .spaceSeparator, .dashPunctuation, .connectorPunctuation:
            return FoldedScalar(kind: .space, letters: [])
        case .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return FoldedScalar(kind: .punctuation, letters: [])
        default:
            break
        }
        if properties.isWhitespace { return FoldedScalar(kind: .space, letters: []) }
        if properties.isEmojiPresentation || (properties.isEmoji && !properties.isAlphabetic) {
            return FoldedScalar(kind: .punctuation, letters: [])
        }
        return cache.value(for: scalar)
    }

    /// The ICU work for one code point: NFKC casefold, skeleton, casefold again (a skeleton may be
    /// upper case), then decomposition with the marks dropped ("ü" → "u").
    static func foldWithICU(_ scalar: Unicode.Scalar) -> FoldedScalar {
        var text = ICU.normalize(String(Character(scalar)), .nfkcCasefold)
        // Fullwidth and mathematical letters are Latin after NFKC; the skeleton would only spoil
        // them (its prototype for "m" is "rn").
        if !text.unicodeScalars.allSatisfy(\.isASCII) {
            text = ICU.skeleton(text)
            if text == "rn" { text = "m" }
        }
        text = ICU.normalize(ICU.normalize(text, .nfkcCasefold), .nfd)
        var letters: [Unicode.Scalar] = []
        for s in text.unicodeScalars {
            let p = s.properties
            if p.generalCategory == .nonspacingMark || p.generalCategory == .enclosingMark || p.isDefaultIgnorableCodePoint { continue }
            if p.isAlphabetic || p.numericType != nil { letters.append(s) }
        }
        if letters.isEmpty { return FoldedScalar(kind: .punctuation, letters: []) }
        if letters.count == 1, letters[0].isASCII, asciiKinds[Int(letters[0].value)] == .digit {
            return FoldedScalar(kind: .digit, letters: letters)
        }
        return FoldedScalar(kind: .letter, letters: letters)
    }

    private static let cache = FoldCache()
}

/// A process-wide, lock-protected map from code point to its folding. Filters are shared across
/// threads, so the cache is too; the ICU calls it saves cost microseconds each.
private final class FoldCache: @unchecked Sendable {
    private var table: [UInt32: FoldedScalar] = [:]
    private let lock: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        lock = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
    }

    func value(for scalar: Unicode.Scalar) -> FoldedScalar {
        pthread_mutex_lock(lock)
        if let known = table[scalar.value] {
            pthread_mutex_unlock(lock)
            return known
        }
        pthread_mutex_unlock(lock)
        let folded = ScalarFolding.foldWithICU(scalar)
        pthread_mutex_lock(lock)
        if table.count < 1 << 16 { table[scalar.value] = folded }
        pthread_mutex_unlock(lock)
        return folded
    }
}
