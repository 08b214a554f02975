import ICU

/// The Unicode normalization a tokenizer applies to ordinary text before splitting it.
///
/// NFKC (the default) folds compatibility forms ("ﬁ" → "fi", fullwidth → ASCII), so that look-alike
/// spellings share tokens. NFC only composes accents; `none` keeps the text as it is (GPT-2's files).
public enum Normalization: String, Sendable, CaseIterable, CustomStringConvertible {
    case nfkc, nfc, none

    /// `text` in this normalization form.
    public func apply(_ text: String) -> String {
        switch self {
        case .nfkc: return Self.normalizeNonASCIIRuns(text, .nfkc)
        case .nfc: return Self.normalizeNonASCIIRuns(text, .nfc)
        case .none: return text
        }
    }

    public var description: String { rawValue }

    /// Normalizes only the parts of `text` that are not ASCII, each with the ASCII character before
    /// it (which a following combining mark may compose with).
    ///
    /// Why this is exact: ASCII characters are unchanged by NFC and NFKC, have combining class 0 and
    /// never combine with the character before them, so normalization never looks across the point
    /// just before an ASCII character. Marketing text is mostly ASCII, so ICU sees a small fraction
    /// of it, and repeated pieces ("’s", an emoji) are normalized once per call.
    static func normalizeNonASCIIRuns(_ text: String, _ form: ICU.Form) -> String {
        var text = text
        return text.withUTF8 { bytes -> String in
            let n = bytes.count
            guard let firstNonASCII = bytes.firstIndex(where: { $0 >= 0x80 }) else { return String(decoding: bytes, as: UTF8.self) }
            var out: [UInt8] = []
            out.reserveCapacity(n + n / 16)
            var memo: [String: String] = [:]
            var i = firstNonASCII > 0 ? firstNonASCII - 1 : 0
            out.append(contentsOf: bytes[0..<i])
            while i < n {
                // Here bytes[i] starts a segment: at most one ASCII character, then non-ASCII bytes.
                var j = bytes[i] < 0x80 ? i + 1 : i
                while j < n && bytes[j] >= 0x80 { j += 1 }
                let segment = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<j]), as: UTF8.self)
                if let known = memo[segment] {
                    out.append(contentsOf: known.utf8)
                } else {
                    let normalized = ICU.normalize(segment, form)
                    if memo.count < 4096 { memo[segment] = normalized }
                    out.append(contentsOf: normalized.utf8)
                }
                // Copy the ASCII run that follows, except its last character, which joins the next segment.
                var k = j
                while k < n && bytes[k] < 0x80 { k += 1 }
                if k == n {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[j..<n]))
                    break
                }
                let next = k > j ? k - 1 : k
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[j..<next]))
                i = next
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
