import CICU

/// Unicode services from the system ICU (libicu-dev), through the `CICU` shim.
///
/// Foundation on Linux has NFC/NFKC but no NFKC_Casefold, no confusable skeletons and no word
/// break iterator, and it is several times slower on long strings; so copygen calls ICU directly.
public enum ICU {
    /// The normalization forms copygen uses.
    public enum Form: Sendable {
        case nfc, nfkc, nfkcCasefold, nfd

        var cValue: cicu_form {
            switch self {
            case .nfc: return CICU_NFC
            case .nfkc: return CICU_NFKC
            case .nfkcCasefold: return CICU_NFKC_CASEFOLD
            case .nfd: return CICU_NFD
            }
        }
    }

    /// The ICU library version in use, e.g. "72.1".
    public static var version: String { String(cString: cicu_version()) }

    /// `text` in the normalization form `form`.
    public static func normalize(_ text: String, _ form: Form) -> String {
        if text.isEmpty { return text }
        // ASCII is already NFC, NFKC and NFD; only casefolding changes it.
        if form != .nfkcCasefold, text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        let units = Array(text.utf16)
        if cicu_is_normalized(form.cValue, units, Int32(units.count)) == 1 { return text }
        return callWithGrowingBuffer(initial: units.count + units.count / 2 + 16) { out, capacity in
            cicu_normalize(form.cValue, units, Int32(units.count), out, capacity)
        }
    }

    /// The UTS #39 confusable skeleton of `text`. Case is not folded: compare
    /// `skeleton(normalize(x, .nfkcCasefold))` on both sides.
    public static func skeleton(_ text: String) -> String {
        if text.isEmpty { return text }
        let units = Array(text.utf16)
        return callWithGrowingBuffer(initial: units.count * 2 + 16) { out, capacity in
            cicu_skeleton(units, Int32(units.count), out, capacity)
        }
    }

    /// A segment of text between two word boundaries, in UTF-16 offsets.
    public struct WordSegment: Equatable, Sendable {
        /// Start and end offsets in UTF-16 code units.
        public var start: Int, end: Int
        /// True for word-like segments (letters, numbers, kana, ideographs), false for spaces and punctuation.
        public var isWord: Bool
    }

    /// The segments of `text` by ICU's word break iterator (root locale).
    public static func wordSegments(_ text: String) -> [WordSegment] {
        let units = Array(text.utf16)
        if units.isEmpty { return [] }
        var capacity = units.count + 2
        while true {
            var boundaries = [Int32](repeating: 0, count: capacity)
            var statuses = [Int32](repeating: 0, count: capacity)
            let count = Int(cicu_word_boundaries(units, Int32(units.count), &boundaries, &statuses, Int32(capacity)))
            precondition(count >= 0, "ICU word break iterator failed with error \(-count)")
            if count > capacity { capacity = count; continue }
            var segments: [WordSegment] = []
            segments.reserveCapacity(max(0, count - 1))
            for i in 1..<max(1, count) {
                // ICU reports the status of the segment ending at boundary i; 100 and above are words.
                segments.append(WordSegment(start: Int(boundaries[i - 1]), end: Int(boundaries[i]), isWord: statuses[i] >= 100))
            }
            return segments
        }
    }

    /// Runs an ICU call that follows the shim's length protocol, growing the buffer once if needed.
    private static func callWithGrowingBuffer(
        initial: Int, _ call: (UnsafeMutablePointer<UInt16>, Int32) -> Int32
    ) -> String {
        var capacity = initial
        while true {
            var buffer = [UInt16](repeating: 0, count: capacity)
            let needed = Int(buffer.withUnsafeMutableBufferPointer { call($0.baseAddress!, Int32(capacity)) })
            // A negative length is an ICU error code; with valid Swift strings (well-formed UTF-16)
            // ICU has no reason to fail, so this is a programming error, not bad input.
            precondition(needed >= 0, "ICU call failed with error \(-needed)")
            if needed <= capacity { return String(decoding: buffer[0..<needed], as: UTF16.self) }
            capacity = needed
        }
    }
}
