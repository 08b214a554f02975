import Tokenizer

/// Why a sequence ended.
public enum StopReason: Sendable, Equatable, CustomStringConvertible {
    /// The model produced `<|endoftext|>`.
    case endOfText
    /// The text reached this stop string (which is not part of the result).
    case stopString(String)
    /// `maxNewTokens` tokens were generated.
    case maxTokens
    /// The sequence filled the model's context and `ContextPolicy.stop` was in force.
    case contextFull
    /// The caller's `control` or `onToken` hook stopped it.
    case stoppedByCaller
    /// Every token was banned at a step, so nothing could be sampled.
    case noAllowedToken

    public var description: String {
        switch self {
        case .endOfText: return "end of text"
        case .stopString(let text): return "stop string \(text.debugDescription)"
        case .maxTokens: return "maximum new tokens reached"
        case .contextFull: return "context full"
        case .stoppedByCaller: return "stopped by caller"
        case .noAllowedToken: return "every token was banned"
        }
    }
}

/// One finished sequence of a `Generator.generate` call.
public struct GeneratedSequence: Sendable, Equatable {
    /// Index of the prompt it continues, and which of that prompt's `count` samples it is.
    public var prompt: Int
    public var sample: Int
    /// The generated tokens: without the prompt and the end-of-text token; with a stop string,
    /// up to and including the token that completed it (its text is cut at the stop string).
    public var tokens: [TokenID]
    /// The model's log-probability (natural log, temperature 1, before any sampler changed the
    /// logits) of each token in `tokens`.
    public var logProbabilities: [Float]
    /// Mean log-probability over `tokens`, plus the end-of-text token when the sequence ended with
    /// it (a post the model would have ended there scores higher); 0 when nothing was generated.
    public var meanLogProbability: Float
    /// The decoded text: whole characters only, without a stop string or anything after it.
    public var text: String
    public var stopReason: StopReason
    /// How many times the context window slid (`ContextPolicy.slide`).
    public var contextSlides: Int
}

/// What a `control` hook sees before a token is drawn, and what it may do about it.
public struct DecodingStep {
    /// Index of the sequence in the result array (prompt · count + sample).
    public let sequence: Int
    public let prompt: Int
    public let sample: Int
    /// Tokens generated so far.
    public let generated: [TokenID]
    /// Text generated so far (what the result would hold if the sequence ended now).
    public let text: String
    private let mutableLogits: UnsafeMutableBufferPointer<Float>
    /// The logits after bias, bans and penalties, before temperature and truncation; valid only
    /// inside the hook. A banned token reads −∞.
    public var logits: UnsafeBufferPointer<Float> { UnsafeBufferPointer(mutableLogits) }
    /// Set by `stop()`.
    public private(set) var stopRequested = false

    init(sequence: Int, prompt: Int, sample: Int, generated: [TokenID], text: String, logits: UnsafeMutableBufferPointer<Float>) {
        self.sequence = sequence
        self.prompt = prompt
        self.sample = sample
        self.generated = generated
        self.text = text
        mutableLogits = logits
    }

    /// Makes `token` impossible at this step.
    public func ban(_ token: TokenID) { LogitProcessors.ban(mutableLogits, CollectionOfOne(token)) }

    /// Makes every token in `tokens` impossible at this step.
    public func ban(_ tokens: some Sequence<TokenID>) { LogitProcessors.ban(mutableLogits, tokens) }

    /// Bans `tokens` unless that leaves `rule` nothing to accept: `rule` (a hook's last, hard
    /// rule, which returns false when no token it accepts is left) runs with them banned and, if
    /// it returns false, runs again with their logits given back. For a soft rule under a hard one;
    /// returns what `rule` returned last, so that soft rules can nest (the inner gives way first).
    @discardableResult
    public func ban(_ tokens: [TokenID], unlessItBlocks rule: (DecodingStep) -> Bool) -> Bool {
        guard !tokens.isEmpty else { return rule(self) }
        let saved = tokens.map { Int($0) < mutableLogits.count && $0 >= 0 ? mutableLogits[Int($0)] : -.infinity }
        ban(tokens)
        if rule(self) { return true }
        for (token, logit) in zip(tokens, saved) where token >= 0 && Int(token) < mutableLogits.count {
            mutableLogits[Int(token)] = logit
        }
        return rule(self)
    }

    /// Ends the sequence now, without drawing a token (`StopReason.stoppedByCaller`).
    public mutating func stop() { stopRequested = true }
}

/// A token just drawn, as `onToken` sees it.
public struct TokenEvent: Sendable {
    public let sequence: Int
    public let prompt: Int
    public let sample: Int
    public let token: TokenID
    /// The model's log-probability of `token` (see `GeneratedSequence.logProbabilities`).
    public let logProbability: Float
    /// Text completed by this token: whole characters, stop-string prefixes held back; may be empty.
    public let text: String
    /// Tokens generated so far, this one included.
    public let generatedCount: Int
}

/// What `onToken` wants after seeing a token.
public enum TokenDecision: Sendable {
    case `continue`
    /// End the sequence, keeping this token.
    case stop
    /// End the sequence without this token: its text (the event's `text`) is not in the result.
    case discardAndStop
}

/// Why `generate` refused to start.
public enum GenerationError: Error, CustomStringConvertible, Equatable {
    case invalidSettings([String])
    case promptTooLong(prompt: Int, length: Int, contextLength: Int)
    case emptyPromptWithoutEndOfText(prompt: Int)
    case vocabularyMismatch(tokenizer: Int, model: Int)
    case invalidCount(Int)

    /// Throws `invalidSettings` or `invalidCount` for a request no decoder can run.
    public static func check(_ settings: SamplingSettings, count: Int) throws {
        let problems = settings.problems
        guard problems.isEmpty else { throw GenerationError.invalidSettings(problems) }
        guard count >= 1 else { throw GenerationError.invalidCount(count) }
    }

    public var description: String {
        switch self {
        case .invalidSettings(let problems): return "invalid sampling settings: " + problems.joined(separator: "; ")
        case let .promptTooLong(prompt, length, context):
            return "prompt \(prompt) has \(length) tokens, more than the model's context of \(context)"
        case .emptyPromptWithoutEndOfText(let prompt):
            return "prompt \(prompt) is empty and the tokenizer has no <|endoftext|> token to start from"
        case let .vocabularyMismatch(tokenizer, model):
            return "the tokenizer has \(tokenizer) tokens but the model only \(model)"
        case .invalidCount(let count): return "count must be at least 1 (got \(count))"
        }
    }
}
