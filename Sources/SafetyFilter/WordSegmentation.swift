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
/// For a line that is all ASCII, the same boundaries come from `asciiSegments`, a direct
/// transcription of the UAX #29 rules restricted to ASCII, so the fast path never calls ICU; a test
/// checks that both agree.
enum WordSegmentation {
    /// The segments of `scalars` (the code points of `text`).
    static func segments(of text: String, scalars: [Unicode.Scalar], isASCII: Bool) -> [Segment] {
        if isASCII { return asciiSegments(scalars) }
        return icuSegments(text, scalars: scalars)
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

    /// UAX #29's word classes, as they apply to ASCII.
    private enum WordClass: UInt8 {
        case aLetter, numeric, midLetter, midNumLet, midNum, extendNumLet, newline, cr, lf, wSegSpace, other
    }

    private static let classes: [WordClass] = (0..<128).map { value in
        switch UInt8(value) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return .aLetter
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return .numeric
        case UInt8(ascii: ":"): return .midLetter
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

    /// UAX #29 rules WB3–WB13b over ASCII (no Extend or Format characters exist there).
    static func asciiSegments(_ scalars: [Unicode.Scalar]) -> [Segment] {
        let n = scalars.count
        if n == 0 { return [] }
        let c = scalars.map { classes[Int($0.value)] }
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
        var hasWordCharacter = c[0] == .aLetter || c[0] == .numeric
        for i in 1..<n {
            if !joins(i) {
                segments.append(Segment(start: start, end: i, isWord: hasWordCharacter))
                start = i
                hasWordCharacter = false
            }
            if c[i] == .aLetter || c[i] == .numeric { hasWordCharacter = true }
        }
        segments.append(Segment(start: start, end: n, isWord: hasWordCharacter))
        return segments
    }
}
