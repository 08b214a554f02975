import Tokenizer

/// One `generate` call waiting in, or running on, a `DecodingScheduler`: its prompts, settings
/// and hooks, and the results so far. Touched by the scheduler's thread, and by the caller only
/// once `isDone` (both under the scheduler's lock).
final class DecodingJob {
    let starts: [[TokenID]]
    let settings: SamplingSettings
    let count: Int
    let control: ((inout DecodingStep) -> Void)?
    let onToken: ((TokenEvent) -> TokenDecision)?
    let onFinish: ((GeneratedSequence) -> Void)?
    let cancellation: DecodingCancellation?
    let backlog: DecodingBacklog?
    let tokenizer: Tokenizer
    /// The job's own sampler: jobs differ in settings, and its scratch is per step only.
    var sampler: TokenSampler
    private(set) var results: [GeneratedSequence?]
    private var nextIndex = 0
    private var recorded = 0
    var error: (any Error)?
    var isDone = false
    /// Each started prompt's logits after its prefill: the first draw of its other samples.
    var promptLogits: [Int: [Float]] = [:]

    init(starts: [[TokenID]], settings: SamplingSettings, count: Int, generator: Generator,
         control: ((inout DecodingStep) -> Void)?, onToken: ((TokenEvent) -> TokenDecision)?,
         onFinish: ((GeneratedSequence) -> Void)?, cancellation: DecodingCancellation?, backlog: DecodingBacklog? = nil) {
        self.starts = starts
        self.settings = settings
        self.count = count
        self.control = control
        self.onToken = onToken
        self.onFinish = onFinish
        self.cancellation = cancellation
        self.backlog = backlog
        tokenizer = generator.tokenizer
        sampler = TokenSampler(settings: settings, vocabularySize: generator.config.vocabularySize,
                               specialTokens: generator.specialTokens)
        results = Array(repeating: nil, count: starts.count * count)
    }

    var hasWaitingSequence: Bool { nextIndex < results.count }
    var isComplete: Bool { recorded == results.count }
    /// The job's reader is too far behind: its sequences sit out the next step.
    var isHeld: Bool { backlog?.isFull ?? false }

    /// The next sequence, in the order `Generator.generate` starts them, placed in `slot`.
    func admitNext(slot: Int) -> LiveSequence {
        let index = nextIndex
        nextIndex += 1
        let prompt = index / count, sample = index % count
        var sequence = LiveSequence(
            index: index, prompt: prompt, sample: sample, slot: slot, context: starts[prompt],
            random: Generator.random(for: index, settings: settings),
            decoder: tokenizer.makeStreamingDecoder(), stops: StopStringMatcher(settings.stopStrings))
        sequence.input = starts[prompt]
        return sequence
    }

    func record(_ result: GeneratedSequence, index: Int) {
        results[index] = result
        recorded += 1
        onFinish?(result)
    }

    func fail(_ error: any Error) {
        if self.error == nil { self.error = error }
    }
}
