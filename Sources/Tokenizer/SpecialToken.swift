/// A token id. Int32 keeps id arrays (and the model's embedding lookups) compact.
public typealias TokenID = Int32

/// The control tokens of copygen's caption format (laid out by `ConditioningFormat` in Corpus).
///
/// A trained copygen tokenizer gives them the ids right after the 256 byte tokens, in the order of
/// `all`: `<|endoftext|>` = 256, `<|topic|>` = 257, `<|platform|>` = 258, `<|tone|>` = 259,
/// `<|post|>` = 260. Fixed ids that do not depend on the vocabulary size keep model code simple.
/// Ordinary text never produces them: `Tokenizer.encode(_:)` treats their spelling as plain text.
public enum SpecialToken {
    public static let endOfText = "<|endoftext|>"
    public static let topic = "<|topic|>"
    public static let platform = "<|platform|>"
    public static let tone = "<|tone|>"
    public static let post = "<|post|>"

    /// Every control token, in id order for a trained tokenizer.
    public static let all: [String] = [endOfText, topic, platform, tone, post]
}
