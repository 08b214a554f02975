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
        case .nfkc: return ICU.normalize(text, .nfkc)
        case .nfc: return ICU.normalize(text, .nfc)
        case .none: return text
        }
    }

    public var description: String { rawValue }
}
