import Tokenizer

/// The one definition of how a caption and its conditions become tokens, used by training and by
/// generation alike:
///
///     <|topic|>reusable glass water bottle<|platform|>instagram<|tone|>playful<|post|>Stay hydrated …<|endoftext|>
///
/// Control tokens are special tokens of the tokenizer; the field values and the post are ordinary
/// text, so a topic that contains "<|post|>" cannot forge a control token. Fields a caption lacks
/// are left out (a plain-text corpus gives `<|post|>text<|endoftext|>`).
public enum ConditioningFormat {
    /// The special tokens a tokenizer needs for this format.
    public static let requiredSpecialTokens = [
        SpecialToken.topic, SpecialToken.platform, SpecialToken.tone, SpecialToken.post, SpecialToken.endOfText,
    ]

    /// A tokenizer that cannot express the format (e.g. GPT-2's own files, which have only `<|endoftext|>`).
    public struct MissingSpecialTokens: Error, CustomStringConvertible {
        public var missing: [String]
        public var description: String {
            "the tokenizer lacks the control tokens \(missing.joined(separator: ", ")) that captions need (train one with `copygen tokenizer train`)"
        }
    }

    /// The ids of the control tokens in one tokenizer.
    public struct ControlTokens: Sendable {
        public let topic: TokenID, platform: TokenID, tone: TokenID, post: TokenID, endOfText: TokenID

        public init(tokenizer: Tokenizer) throws {
            let ids = ConditioningFormat.requiredSpecialTokens.map { tokenizer.id(ofSpecial: $0) }
            let missing = zip(ConditioningFormat.requiredSpecialTokens, ids).filter { $0.1 == nil }.map(\.0)
            if !missing.isEmpty { throw MissingSpecialTokens(missing: missing) }
            (topic, platform, tone, post, endOfText) = (ids[0]!, ids[1]!, ids[2]!, ids[3]!, ids[4]!)
        }
    }

    /// The header: every given condition, then `<|post|>`. Generation feeds exactly this and samples on.
    public static func header(topic: String?, platform: String?, tone: String?, tokenizer: Tokenizer,
                              controls: ControlTokens) -> [TokenID] {
        var tokens: [TokenID] = []
        for (control, value) in [(controls.topic, topic), (controls.platform, platform), (controls.tone, tone)] {
            guard let value, !value.isEmpty else { continue }
            tokens.append(control)
            tokens += tokenizer.encode(value)
        }
        tokens.append(controls.post)
        return tokens
    }

    /// A whole training example: header, post, `<|endoftext|>`, and how many leading tokens are
    /// header. Training computes the loss only on what follows the header (the post and its end):
    /// the model is never asked to write a header, only to write a post given one.
    public static func example(_ record: CaptionRecord, tokenizer: Tokenizer, controls: ControlTokens)
        -> (tokens: [TokenID], headerLength: Int)
    {
        let head = header(topic: record.topic, platform: record.platform, tone: record.tone,
                          tokenizer: tokenizer, controls: controls)
        return (head + tokenizer.encode(record.text) + [controls.endOfText], head.count)
    }
}
