/// One caption of a corpus: the finished post and what it was written for.
public struct CaptionRecord: Equatable, Sendable {
    /// The post itself, hashtags and emoji included.
    public var text: String
    /// The product or subject, e.g. "reusable glass water bottle".
    public var topic: String?
    /// instagram, x, linkedin, facebook, tiktok, … (see `Platform.known`).
    public var platform: String?
    /// playful, professional, urgent, inspirational, friendly, luxury (see `Tone.known`).
    public var tone: String?
    /// The business area, e.g. "food and drink". Reported by `corpus check`; not part of the prompt.
    public var industry: String?
    /// Where the record came from, for messages: file name (or "<stdin>") and line.
    public var source: String
    public var line: Int

    public init(text: String, topic: String? = nil, platform: String? = nil, tone: String? = nil,
                industry: String? = nil, source: String = "", line: Int = 0) {
        self.text = text
        self.topic = topic
        self.platform = platform
        self.tone = tone
        self.industry = industry
        self.source = source
        self.line = line
    }

    /// Whether this caption belongs to the validation split (see `ValidationSplit`).
    public var isValidation: Bool { ValidationSplit.contains(text) }
}

/// The platforms the shipped corpus and prompts know, with their hard character limits.
public enum Platform {
    public static let known = ["instagram", "x", "linkedin", "facebook", "tiktok", "threads"]
    /// The platform's maximum post length in characters; Facebook's is a readability budget.
    public static let characterLimit: [String: Int] = [
        "x": 280, "instagram": 2200, "tiktok": 2200, "linkedin": 3000, "facebook": 1200, "threads": 500,
    ]
}

/// The tones the shipped corpus and prompts know.
public enum Tone {
    public static let known = ["playful", "professional", "urgent", "inspirational", "friendly", "luxury"]
}

/// The deterministic validation split: about 10% of captions, chosen by a hash of the text, so
/// that the same caption is always on the same side whatever file or order it arrives in.
/// The rule is FNV-1a (64-bit) of the UTF-8 bytes, modulo 10, equal to 0 — the same rule as
/// Corpora/tools/build_corpus.py.
public enum ValidationSplit {
    public static func contains(_ text: String) -> Bool {
        fnv1a(text) % 10 == 0
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
