import Support
import Tokenizer
import Transformer

/// Generates text from a model: prompts in, finished sequences out, decoded together.
///
/// Every live sequence advances one token per step in one batched pass of the model with its KV
/// cache. When a sequence ends, its cache slot takes the next waiting prompt in the same pass
/// (its prefill rides along with the other sequences' steps), so `prompts.count × count` may
/// exceed the batch capacity.
///
///     let generator = try Generator(model: weights, tokenizer: tokenizer)
///     let results = try generator.generate(prompts: [tokenizer.encode("Hello")], settings: settings, count: 3)
///
/// The same prompts, settings (seed included) and batch capacity give the same sequences.
public final class Generator {
    public let tokenizer: Tokenizer
    public let session: InferenceSession
    public var config: GPTConfig { session.config }
    /// `<|endoftext|>`'s id, if the tokenizer has it: an empty prompt starts from it, and
    /// (with `stopAtEndOfText`) producing it ends a sequence.
    public let endOfText: TokenID?
    /// Special tokens other than end-of-text, plus model ids beyond the tokenizer's vocabulary:
    /// banned unless `allowSpecialTokens`.
    let specialTokens: [TokenID]
    /// `step`'s scratch for the calling loop's draws.
    private var rawLogits: [Float]

    /// - Parameters:
    ///   - model: the weights (read in place, not copied).
    ///   - batchCapacity: sequences decoded together at most; sizes the KV cache.
    ///   - threads: threads for the model's products.
    public init(model: ParameterBuffer, tokenizer: Tokenizer, batchCapacity: Int = 8, threads: Int = 2) throws {
        let V = model.layout.config.vocabularySize
        guard tokenizer.vocabularySize <= V else {
            throw GenerationError.vocabularyMismatch(tokenizer: tokenizer.vocabularySize, model: V)
        }
        self.tokenizer = tokenizer
        session = InferenceSession(parameters: model, batchCapacity: max(1, batchCapacity), threads: threads)
        endOfText = tokenizer.id(ofSpecial: SpecialToken.endOfText)
        specialTokens = tokenizer.specialTokens.map(\.id).filter { $0 != tokenizer.id(ofSpecial: SpecialToken.endOfText) }
            + (tokenizer.vocabularySize..<V).map { TokenID($0) }
        rawLogits = Array(repeating: 0, count: V)
    }

    /// A generator over a training model's weights.
    public convenience init(model: GPT, tokenizer: Tokenizer, batchCapacity: Int = 8, threads: Int = 2) throws {
        try self.init(model: model.parameters, tokenizer: tokenizer, batchCapacity: batchCapacity, threads: threads)
    }

    /// Generates `count` sequences for each prompt.
    ///
    /// - Parameters:
    ///   - prompts: token ids; an empty prompt starts from `<|endoftext|>`. A prompt longer than
    ///     the context is refused (truncate it first; the CLI keeps its end).
    ///   - control: called for each sequence before each draw, after the fixed bans and penalties:
    ///     it may ban tokens for this step or stop the sequence (a safety filter, a character budget).
    ///   - onToken: called after each drawn token with the text it completed; may stop the sequence.
    ///   - onFinish: called as each sequence ends, in the order they end.
    /// - Returns: the sequences in prompt order, then sample order (index prompt · count + sample).
    public func generate(
        prompts: [[TokenID]], settings: SamplingSettings, count: Int = 1,
        control: ((inout DecodingStep) -> Void)? = nil,
        onToken: ((TokenEvent) -> TokenDecision)? = nil,
        onFinish: ((GeneratedSequence) -> Void)? = nil
    ) throws -> [GeneratedSequence] {
        try GenerationError.check(settings, count: count)
        let starts = try startingTokens(prompts)

        var sampler = TokenSampler(settings: settings, vocabularySize: config.vocabularySize, specialTokens: specialTokens)
        var waiting = (0..<(prompts.count * count)).reversed().map { $0 }  // popped from the end: lowest first
        var freeSlots = Array((0..<session.batchCapacity).reversed())
        var live: [LiveSequence] = []
        var results = [GeneratedSequence?](repeating: nil, count: prompts.count * count)
        session.resetAll()

        while !waiting.isEmpty || !live.isEmpty {
            while let slot = freeSlots.last, let index = waiting.popLast() {
                freeSlots.removeLast()
                session.reset(slot: slot)
                let prompt = index / count, sample = index % count
                live.append(LiveSequence(
                    index: index, prompt: prompt, sample: sample, slot: slot, context: starts[prompt],
                    random: Self.random(for: index, settings: settings),
                    decoder: tokenizer.makeStreamingDecoder(), stops: StopStringMatcher(settings.stopStrings)))
                live[live.count - 1].input = starts[prompt]
            }
            // A context slide refills its slot from the start.
            for sequence in live where sequence.input.count > 1 && session.length(of: sequence.slot) > 0 {
                session.reset(slot: sequence.slot)
            }
            try session.advance(live.map { InferenceInput(slot: $0.slot, tokens: $0.input) })

            var finished: [Int] = []
            for row in live.indices {
                if let reason = step(&live[row], logits: session.logits(row: row), sampler: &sampler, settings: settings,
                                     control: control, onToken: onToken, scratch: &rawLogits) {
                    let result = live[row].finish(reason, endOfText: endOfText)
                    results[result.prompt * count + result.sample] = result
                    onFinish?(result)
                    finished.append(row)
                }
            }
            for row in finished.reversed() {
                freeSlots.append(live[row].slot)
                live.remove(at: row)
            }
        }
        return results.map { $0! }
    }

    /// Draws one token for `sequence` from its logits; returns why it ended, or nil to go on
    /// (with `sequence.input` set to what the next pass must feed: more than one token means the
    /// slot must be emptied first). `DecodingScheduler` draws with it too, so that both decode a
    /// sequence the same way. It reads the session and changes nothing in it, so draws for
    /// different sequences may run on different threads, each with its own `scratch` (V floats)
    /// and sampler.
    func step(
        _ sequence: inout LiveSequence, logits: UnsafeMutableBufferPointer<Float>, sampler: inout TokenSampler,
        settings: SamplingSettings, control: ((inout DecodingStep) -> Void)?, onToken: ((TokenEvent) -> TokenDecision)?,
        scratch rawLogits: inout [Float]
    ) -> StopReason? {
        // The model's own distribution, kept for the score before the samplers change the logits.
        rawLogits.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: logits.baseAddress!, count: logits.count) }
        let logNormalizer = rawLogits.withUnsafeBufferPointer { Self.logSumExp($0) }

        sampler.prepare(logits, history: sequence.generated)
        if let control {
            var view = DecodingStep(sequence: sequence.index, prompt: sequence.prompt, sample: sequence.sample,
                                    generated: sequence.generated, text: sequence.text, logits: logits)
            control(&view)
            if view.stopRequested { return .stoppedByCaller }
        }
        guard let token = sampler.choose(logits, random: &sequence.random) else { return .noAllowedToken }
        let logProbability = rawLogits[Int(token)] - logNormalizer

        if settings.stopAtEndOfText && token == endOfText {
            sequence.endLogProbability = logProbability
            return .endOfText
        }
        sequence.generated.append(token)
        sequence.logProbabilities.append(logProbability)
        sequence.context.append(token)
        let completed = (try? sequence.decoder.feed(token)) ?? ""
        let (released, stop) = sequence.stops.feed(completed)
        let textBytesBefore = sequence.text.utf8.count
        sequence.text += released
        if let stop { return .stopString(stop) }
        if let onToken {
            let event = TokenEvent(sequence: sequence.index, prompt: sequence.prompt, sample: sequence.sample, token: token,
                                   logProbability: logProbability, text: released, generatedCount: sequence.generated.count)
            switch onToken(event) {
            case .continue: break
            case .stop: return .stoppedByCaller
            case .discardAndStop:
                sequence.generated.removeLast()
                sequence.logProbabilities.removeLast()
                sequence.text = String(decoding: sequence.text.utf8.prefix(textBytesBefore), as: UTF8.self)
                sequence.discardHeldText = true
                return .stoppedByCaller
            }
        }
        if sequence.generated.count >= settings.maxNewTokens { return .maxTokens }

        let T = config.contextLength
        if session.length(of: sequence.slot) < T {
            sequence.input = [token]
        } else if settings.contextPolicy == .slide {
            // Rebuild the cache from the most recent three quarters of the context: one prefill
            // now buys T/4 cheap steps before the next slide. (The caller empties the slot.)
            sequence.input = Array(sequence.context.suffix(max(1, T - T / 4)))
            sequence.context = sequence.input
            sequence.slides += 1
        } else {
            return .contextFull
        }
        return nil
    }

    /// Sequence `index`'s own generator: its draws depend on the seed and its index, never on
    /// the sequences decoded beside it.
    static func random(for index: Int, settings: SamplingSettings) -> SeededRandom {
        SeededRandom(seed: settings.seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// The prompt each sequence starts from: an empty prompt starts from `<|endoftext|>`; a prompt
    /// longer than the context is refused.
    func startingTokens(_ prompts: [[TokenID]]) throws -> [[TokenID]] {
        let T = config.contextLength
        return try prompts.enumerated().map { index, prompt in
            if prompt.isEmpty {
                guard let endOfText else { throw GenerationError.emptyPromptWithoutEndOfText(prompt: index) }
                return [endOfText]
            }
            guard prompt.count <= T else { throw GenerationError.promptTooLong(prompt: index, length: prompt.count, contextLength: T) }
            return prompt
        }
    }

    /// log Σ exp(x) over the finite logits, 16 lanes at a time.
    static func logSumExp(_ x: UnsafeBufferPointer<Float>) -> Float {
        let maximum = VectorMath.maximum(x.baseAddress!, count: x.count)
        guard maximum.isFinite else { return maximum }
        var sum = SIMD16<Float>()
        var i = 0
        let raw = UnsafeRawPointer(x.baseAddress!)
        while i + 16 <= x.count {
            sum += VectorMath.exp(raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self) - maximum)
            i += 16
        }
        var total = sum.sum()
        while i < x.count { total += VectorMath.exp(x[i] - maximum); i += 1 }
        return maximum + log(total)
    }
}

/// The decoding state of one sequence while it is live.
struct LiveSequence {
    let index: Int, prompt: Int, sample: Int, slot: Int
    /// What the model has seen (prompt + generated, after any slides): the source of a slide.
    var context: [TokenID]
    var random: SeededRandom
    let decoder: StreamingDecoder
    var stops: StopStringMatcher
    var input: [TokenID] = []
    var generated: [TokenID] = []
    var logProbabilities: [Float] = []
    var endLogProbability: Float? = nil
    var text = ""
    var slides = 0
    var discardHeldText = false

    init(index: Int, prompt: Int, sample: Int, slot: Int, context: [TokenID], random: SeededRandom,
         decoder: StreamingDecoder, stops: StopStringMatcher) {
        self.index = index; self.prompt = prompt; self.sample = sample; self.slot = slot
        self.context = context; self.random = random; self.decoder = decoder; self.stops = stops
    }

    /// The result. Text held back as a possible stop-string start is released (unless the caller
    /// discarded the last token); bytes of an unfinished character at the very end are dropped.
    mutating func finish(_ reason: StopReason, endOfText: TokenID?) -> GeneratedSequence {
        if case .stopString = reason {} else if !discardHeldText { text += stops.finish() }
        var scores = logProbabilities
        if let endLogProbability { scores.append(endLogProbability) }
        let mean = scores.isEmpty ? 0 : scores.reduce(0, +) / Float(scores.count)
        return GeneratedSequence(prompt: prompt, sample: sample, tokens: generated, logProbabilities: logProbabilities,
                                 meanLogProbability: mean, text: text, stopReason: reason, contextSlides: slides)
    }
}

#if canImport(Glibc)
import Glibc
#endif
