import Tokenizer

/// How the next token is chosen, and when a sequence ends.
///
/// The samplers run in this fixed order on each step's logits (see `TokenSampler`):
///   1. `logitBias` is added;
///   2. `bannedTokens` (and, unless `allowSpecialTokens`, every special token but end-of-text),
///      then the caller's per-step bans, are set to −∞;
///   3. repetition, presence and frequency penalties over the last `penaltyWindow` generated tokens;
///   4. temperature (0 = greedy: the highest remaining logit, and steps 5–7 are skipped);
///   5. top-k, 6. top-p (nucleus), 7. min-p, each on what the previous one kept;
///   8. a draw from the renormalised probabilities with the sequence's seeded generator.
public struct SamplingSettings: Sendable, Equatable {
    /// Divides the logits; 0 picks the most likely token (greedy), higher is more varied.
    public var temperature: Float = 0.8
    /// Keep only the k most likely tokens; 0 keeps all.
    public var topK: Int = 40
    /// Keep the smallest set of most likely tokens whose probability reaches p; 1 keeps all.
    public var topP: Float = 0.95
    /// Drop tokens less likely than minP × the most likely token's probability; 0 keeps all.
    public var minP: Float = 0
    /// Positive logits of recently generated tokens are divided by it, negative ones multiplied; 1 is off.
    public var repetitionPenalty: Float = 1.1
    /// Subtracted once from the logit of every token seen in the window; 0 is off.
    public var presencePenalty: Float = 0
    /// Subtracted from a token's logit once per occurrence in the window; 0 is off.
    public var frequencyPenalty: Float = 0
    /// How many of the most recently generated tokens the penalties look at.
    public var penaltyWindow: Int = 64
    /// Added to the logit of each listed token before anything else.
    public var logitBias: [TokenID: Float] = [:]
    /// Tokens never sampled.
    public var bannedTokens: Set<TokenID> = []
    /// Lets the model produce special tokens other than end-of-text (the conditioning markers).
    public var allowSpecialTokens = false
    /// Text that ends a sequence; the stop string itself is not part of the result.
    public var stopStrings: [String] = []
    /// End a sequence when the model produces `<|endoftext|>` (not part of the result).
    public var stopAtEndOfText = true
    /// The most tokens generated per sequence.
    public var maxNewTokens: Int = 256
    /// What happens when a sequence reaches the model's context length.
    public var contextPolicy: ContextPolicy = .stop
    /// Seeds the sampling; sequence i of a call draws from its own generator seeded from this
    /// and i, so one sequence's tokens do not depend on the others.
    public var seed: UInt64 = 0

    public init() {}

    /// Why `value` cannot be a temperature, or nil. The command line, the server and the caption
    /// generator all ask here, so a bad value reads the same wherever it was given.
    public static func temperatureProblem(_ value: Float) -> String? {
        value >= 0 && value.isFinite ? nil : "temperature must be a finite number ≥ 0 (got \(value))"
    }

    /// Why `value` cannot be a nucleus threshold (top-p), or nil.
    public static func topPProblem(_ value: Float) -> String? {
        value > 0 && value <= 1 ? nil : "top-p must be in (0, 1] (got \(value))"
    }

    /// Problems with these settings, one line each; empty when they are usable.
    public var problems: [String] {
        var found: [String] = []
        if let problem = Self.temperatureProblem(temperature) { found.append(problem) }
        if topK < 0 { found.append("top-k must be ≥ 0 (got \(topK))") }
        if let problem = Self.topPProblem(topP) { found.append(problem) }
        if !(minP >= 0 && minP < 1) { found.append("min-p must be in [0, 1) (got \(minP))") }
        if !(repetitionPenalty > 0 && repetitionPenalty.isFinite) { found.append("repetition penalty must be a finite number > 0 (got \(repetitionPenalty))") }
        if !presencePenalty.isFinite { found.append("presence penalty must be finite (got \(presencePenalty))") }
        if !frequencyPenalty.isFinite { found.append("frequency penalty must be finite (got \(frequencyPenalty))") }
        if penaltyWindow < 0 { found.append("penalty window must be ≥ 0 (got \(penaltyWindow))") }
        if maxNewTokens < 1 { found.append("max new tokens must be ≥ 1 (got \(maxNewTokens))") }
        if stopStrings.contains(where: \.isEmpty) { found.append("a stop string must not be empty") }
        if logitBias.values.contains(where: { $0.isNaN }) { found.append("a logit bias must not be NaN") }
        return found
    }
}

/// What to do when a sequence fills the model's context.
public enum ContextPolicy: Sendable, Equatable {
    /// End the sequence with `StopReason.contextFull`.
    case stop
    /// Keep the most recent three quarters of the context, rebuild the cache from them, and go on.
    case slide
}
