import SafetyFilter
import Tokenizer

/// What to write: a topic, for a platform, in a tone.
public struct CaptionRequest: Sendable, Equatable {
    public var topic: String
    /// A platform name from the prompt library (`instagram`, `x`, …).
    public var platform: String
    /// A tone name from the prompt library (`playful`, `professional`, …).
    public var tone: String
    /// How many finished posts to return.
    public var count: Int = 3
    /// Seeds every random choice: the same request with the same seed gives the same posts.
    public var seed: UInt64 = 0
    /// Sampling temperature; nil takes the tone's (tones.yaml).
    public var temperature: Float? = nil
    /// Nucleus sampling threshold in (0, 1]; nil takes 0.95.
    public var topP: Float? = nil
    /// The post's structure; nil takes the platform's template.
    public var template: PostTemplate? = nil
    /// Added to the logits of these tokens at every step (steering; tests use it to push the model
    /// toward a banned word).
    public var logitBias: [TokenID: Float] = [:]
    /// Added to the logits of the tokens that spell the topic's content words (see
    /// `CaptionGenerator.topicTokens`), so that a small model mentions a topic it never saw; 0 is off.
    public var topicBoost: Float = CaptionGenerator.defaultTopicBoost

    public init(topic: String, platform: String, tone: String, count: Int = 3, seed: UInt64 = 0) {
        self.topic = topic
        self.platform = platform
        self.tone = tone
        self.count = count
        self.seed = seed
    }
}

/// One finished post.
public struct CaptionPost: Sendable, Equatable {
    /// The post, ready to publish: within the platform's limit, filtered.
    public var text: String
    /// Its length as the platform counts it (`PlatformRules.characterCount`).
    public var characters: Int
    /// Its rank score (`CaptionScore`); higher is better.
    public var score: Double
    /// Bias findings that were fixed with their suggested replacement (empty when none).
    public var findings: [Finding]
    /// What the model wrote, cut at a boundary, before hashtags moved and the template was filled.
    public var draft: String
    /// The model's words in the post (hashtag block and call to action excluded).
    public var body: String
    /// Whether the body mentions the topic (`TopicMention`).
    public var mentionsTopic: Bool
}

/// Why candidates were not used, counted over one request.
public struct CandidateStatistics: Sendable, Equatable {
    /// Candidates decoded.
    public var drawn = 0
    /// Rounds of batched decoding.
    public var rounds = 0
    /// Nothing usable left after cutting at a boundary.
    public var empty = 0
    /// Repeated 12 or more consecutive tokens of a training caption.
    public var copies = 0
    /// Failed the safety filter (profanity, or bias without a replacement) and were dropped.
    public var filtered = 0
    /// Had bias findings that were fixed with replacements, and were kept.
    public var fixed = 0
    /// The same text as a post already accepted.
    public var duplicates = 0

    public init() {}
}

/// The posts for one request, best first, and what happened on the way.
public struct CaptionResult: Sendable, Equatable {
    public var posts: [CaptionPost]
    /// The topic as used (trimmed, and shortened if it was too long for the model's context).
    public var topic: String
    public var topicWasTruncated: Bool
    public var statistics: CandidateStatistics
}

/// A request that cannot be served.
public enum CaptionError: Error, CustomStringConvertible, Equatable {
    case emptyTopic
    case invalidCount(Int)
    /// A sampling value out of range (`SamplingSettings.temperatureProblem`, `topPProblem`).
    case invalidSampling(String)
    case templateWithoutPost(String)

    public var description: String {
        switch self {
        case .emptyTopic: return "the topic is empty"
        case .invalidCount(let n): return "the number of posts must be between 1 and \(CaptionGenerator.maximumCount) (got \(n))"
        case .invalidSampling(let problem): return problem
        case .templateWithoutPost(let name): return "template '\(name)' has no {post} slot"
        }
    }
}
