import Support
import Tokenizer

/// Chooses one token from a step's logits with the samplers of `SamplingSettings`, in its
/// documented order. Split in two so a caller can ban tokens between the fixed masks and the draw:
/// `prepare` (bias, bans, penalties), then the caller's bans, then `choose` (temperature, top-k,
/// top-p, min-p, draw). Keeps its scratch between steps, so a step allocates nothing.
public struct TokenSampler {
    public let settings: SamplingSettings
    /// `settings.bannedTokens`, plus the special tokens other than end-of-text unless allowed.
    public let bannedTokens: [TokenID]
    private var counts: [UInt16]
    private var candidates: [Candidate] = []

    /// - Parameters:
    ///   - specialTokens: ids banned unless `settings.allowSpecialTokens` (end-of-text excluded by the caller).
    public init(settings: SamplingSettings, vocabularySize: Int, specialTokens: [TokenID] = []) {
        self.settings = settings
        var banned = settings.bannedTokens
        if !settings.allowSpecialTokens { banned.formUnion(specialTokens) }
        bannedTokens = banned.sorted()
        counts = Array(repeating: 0, count: vocabularySize)
        candidates.reserveCapacity(vocabularySize)
    }

    /// Steps 1–3: logit bias, banned tokens, penalties over the recent `history` (generated tokens).
    public mutating func prepare(_ logits: UnsafeMutableBufferPointer<Float>, history: [TokenID]) {
        if !settings.logitBias.isEmpty { LogitProcessors.addBias(logits, settings.logitBias) }
        LogitProcessors.ban(logits, bannedTokens)
        LogitProcessors.applyPenalties(logits, history: history, window: settings.penaltyWindow,
                                       repetition: settings.repetitionPenalty, presence: settings.presencePenalty,
                                       frequency: settings.frequencyPenalty, counts: &counts)
    }

    /// Steps 4–8: temperature (0 = greedy), top-k, top-p, min-p, then a draw from `random`.
    /// Nil when every token is banned.
    public mutating func choose(_ logits: UnsafeMutableBufferPointer<Float>, random: inout SeededRandom) -> TokenID? {
        if settings.temperature == 0 { return LogitProcessors.greedy(logits) }
        if settings.topK > 0 {
            LogitProcessors.topCandidates(logits, temperature: settings.temperature, k: settings.topK, into: &candidates)
        } else {
            LogitProcessors.candidates(logits, temperature: settings.temperature, into: &candidates)
            LogitProcessors.topK(&candidates, 0)
        }
        if candidates.isEmpty { return nil }
        LogitProcessors.softmax(&candidates)
        LogitProcessors.topP(&candidates, settings.topP)
        LogitProcessors.minP(&candidates, settings.minP)
        return LogitProcessors.draw(candidates, uniform: random.nextUniform())
    }
}
