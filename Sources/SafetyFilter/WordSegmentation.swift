import ICU

/// A stretch of a line between two word boundaries, in code point offsets.
struct Segment {
    var start: Int
    var end: Int
    /// Letters or digits (a word), as opposed to spaces and punctuation.
    var isWord: Bool
}

/// Word boundaries by ICU's word break iterator (UAX #29, root locale).
///
/// The fast path: when every letter and digit of a line is ASCII (the rest being ASCII, or
/// punctuation, symbols, spaces and emoji), the word segments come from `simpleSegments`, a direct
/// transcription of the UAX #29 rules for those characters, and ICU is not called (opening a break
/// iterator costs more than filtering a tweet). A test checks that both give the same words.
enum WordSegmentation {
    /// The segments of `scalars` (the code points of `text`). Only word segments (`isWord`) are
    /// guaranteed to match ICU's on the fast path; spaces and punctuation may be cut differently.
    static func segments(of text: String, scalars: [Unicode.Scalar], isASCII: Bool) -> [Segment] {
        if isASCII || isSimple(scalars) { return simpleSegments(scalars) }
        return icuSegments(text, scalars: scalars)
    }

    /// Whether the fast path applies: no letters, digits, marks or format characters outside
    /// ASCII, apart from the pieces emoji are built from.
    static func isSimple(_ scalars: [Unicode.Scalar]) -> Bool {
        for scalar in scalars where scalar.value >= 0x80 {
            if isEmojiComponent(scalar) { continue }
            // Letter-like symbols ("ⓘ") and Braille are letters to UAX #29.
            if (0x2800...0x28FF).contains(scalar.value) || scalar.properties.isAlphabetic { return false }
            switch scalar.properties.generalCategory {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                 .initialPunctuation, .finalPunctuation, .otherPunctuation,
                 .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol, .spaceSeparator:
                continue
            default:
                return false
            }
        }
        return true
    }

    /// Variation selector 16, zero-width joiner, skin tones, the keycap mark and tag characters:
    /// UAX #29 attaches them to the character before (rule WB4).
    @inline(__always) static func isEmojiComponent(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0xFE0E, 0xFE0F, 0x200D, 0x20E3, 0x1F3FB...0x1F3FF, 0xE0020...0xE007F: return true
        default: return false
        }
    }

    /// ICU's segments, with its UTF-16 offsets turned into code point offsets.
    static func icuSegments(_ text: String, scalars: [Unicode.Scalar]) -> [Segment] {
        let icu = ICU.wordSegments(text)
        if icu.isEmpty { return [] }
        // The code point index of every UTF-16 offset that starts a code point.
        var scalarIndexOfUTF16 = [Int](repeating: 0, count: text.utf16.count + 1)
        var utf16Offset = 0
        for (index, scalar) in scalars.enumerated() {
            scalarIndexOfUTF16[utf16Offset] = index
            utf16Offset += scalar.value > 0xFFFF ? 2 : 1
        }
        scalarIndexOfUTF16[utf16Offset] = scalars.count
        return icu.map {
            Segment(start: scalarIndexOfUTF16[$0.start], end: scalarIndexOfUTF16[$0.end], isWord: $0.isWord)
        }
    }

    /// UAX #29's word classes, as they apply on the fast path.
    private enum WordClass: UInt8 {
        case aLetter, numeric, midLetter, midNumLet, midNum, extendNumLet, newline, cr, lf, wSegSpace, other
    }

    /// The word class of a character outside ASCII on the fast path (punctuation, symbols, spaces).
    private static func nonASCIIClass(_ value: UInt32) -> WordClass {
        switch value {
        case 0x2018, 0x2019, 0x2024, 0xFE52, 0xFF07, 0xFF0E: return .midNumLet
        case 0x00B7, 0x0387, 0x055F, 0x05F4, 0x2027, 0xFE13, 0xFE55: return .midLetter
        case 0x037E, 0x0589, 0x060C, 0x060D, 0x066C, 0x07F8, 0x2044, 0xFE10, 0xFE14, 0xFE50, 0xFE54, 0xFF0C, 0xFF1B: return .midNum
        case 0x202F, 0x203F, 0x2040, 0x2054, 0xFE33, 0xFE34, 0xFE4D...0xFE4F, 0xFF3F: return .extendNumLet
        case 0x0085, 0x2028, 0x2029: return .newline
        case 0x1680, 0x2000...0x2006, 0x2008...0x200A, 0x205F, 0x3000: return .wSegSpace
        default: return .other
        }
    }

    private static let classes: [WordClass] = (0..<128).map { value in
        switch UInt8(value) {
        // ICU's root rules count "@" as a letter (so "@mention" is one word) and do not join
        // letters across ":" (UAX #29 would).
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "@"): return .aLetter
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return .numeric
        case UInt8(ascii: "."), UInt8(ascii: "'"): return .midNumLet
        case UInt8(ascii: ","), UInt8(ascii: ";"): return .midNum
        case UInt8(ascii: "_"): return .extendNumLet
        case 0x0B, 0x0C: return .newline
        case 0x0D: return .cr
        case 0x0A: return .lf
        case 0x20: return .wSegSpace
        default: return .other
        }
    }

    /// UAX #29 rules WB3–WB13b over the fast path's characters. Emoji components take the class of
    /// the character before them (WB4), so they never split or join words.
    static func simpleSegments(_ scalars: [Unicode.Scalar]) -> [Segment] {
        let n = scalars.count
        if n == 0 { return [] }
        var c = [WordClass](repeating: .other, count: n)
        for i in 0..<n {
            let value = scalars[i].value
            if value < 0x80 {
                c[i] = classes[Int(value)]
            } else if i > 0 && isEmojiComponent(scalars[i]) && c[i - 1] != .newline && c[i - 1] != .cr && c[i - 1] != .lf {
                c[i] = c[i - 1]
            } else {
                c[i] = nonASCIIClass(value)
            }
        }
        func isAH(_ k: WordClass) -> Bool { k == .aLetter }
        func isLineEnd(_ k: WordClass) -> Bool { k == .newline || k == .cr || k == .lf }
        func joins(_ i: Int) -> Bool {  // no break between i-1 and i
            let before = c[i - 1], after = c[i]
            if before == .cr && after == .lf { return true }                                   // WB3
            if isLineEnd(before) || isLineEnd(after) { return false }                             // WB3a/b
            if before == .wSegSpace && after == .wSegSpace { return true }                     // WB3d
            if isAH(before) && isAH(after) { return true }                                     // WB5
            if isAH(before) && (after == .midLetter || after == .midNumLet), i + 1 < n, isAH(c[i + 1]) { return true }  // WB6
            if (before == .midLetter || before == .midNumLet), isAH(after), i >= 2, isAH(c[i - 2]) { return true }     // WB7
            if before == .numeric && after == .numeric { return true }                         // WB8
            if isAH(before) && after == .numeric { return true }                               // WB9
            if before == .numeric && isAH(after) { return true }                               // WB10
            if (before == .midNum || before == .midNumLet), after == .numeric, i >= 2, c[i - 2] == .numeric { return true }  // WB11
            if before == .numeric, (after == .midNum || after == .midNumLet), i + 1 < n, c[i + 1] == .numeric { return true } // WB12
            if (isAH(before) || before == .numeric || before == .extendNumLet) && after == .extendNumLet { return true }     // WB13a
            if before == .extendNumLet && (isAH(after) || after == .numeric) { return true }   // WB13b
            return false                                                                       // WB999
        }
        var segments: [Segment] = []
        var start = 0
        // ICU counts a segment as a word when it has a letter or digit, or is a run of two or more
        // connectors ("___", by rule WB13a); a lone "_" is not a word.
        var hasWordCharacter = c[0] == .aLetter || c[0] == .numeric
        var connectors = c[0] == .extendNumLet ? 1 : 0
        for i in 1..<n {
            if !joins(i) {
                segments.append(Segment(start: start, end: i, isWord: hasWordCharacter || connectors >= 2))
                start = i
                hasWordCharacter = false
                connectors = 0
            }
            if c[i] == .aLetter || c[i] == .numeric { hasWordCharacter = true }
            if c[i] == .extendNumLet { connectors += 1 }
        }
        segments.append(Segment(start: start, end: n, isWord: hasWordCharacter || connectors >= 2))
        return segments
    }
}
