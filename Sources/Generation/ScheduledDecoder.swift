import Tokenizer

/// A caller's handle on a shared `DecodingScheduler`: `generate` queues the call's sequences
/// into the running batch and blocks until they are done. Make one per request, with the
/// request's cancellation (and, when it streams, its backlog), and call it from a thread that
/// may block (not a Swift concurrency pool thread: the pool has as many threads as cores).
public final class ScheduledDecoder: SequenceDecoding {
    public let scheduler: DecodingScheduler
    public let cancellation: DecodingCancellation?
    public let backlog: DecodingBacklog?

    public init(scheduler: DecodingScheduler, cancellation: DecodingCancellation? = nil, backlog: DecodingBacklog? = nil) {
        self.scheduler = scheduler
        self.cancellation = cancellation
        self.backlog = backlog
    }

    public func generate(
        prompts: [[TokenID]], settings: SamplingSettings, count: Int = 1,
        control: ((inout DecodingStep) -> Void)? = nil,
        onToken: ((TokenEvent) -> TokenDecision)? = nil,
        onFinish: ((GeneratedSequence) -> Void)? = nil
    ) throws -> [GeneratedSequence] {
        try GenerationError.check(settings, count: count)
        let generator = scheduler.generator
        let job = DecodingJob(starts: try generator.startingTokens(prompts), settings: settings, count: count,
                              generator: generator, control: control, onToken: onToken, onFinish: onFinish,
                              cancellation: cancellation, backlog: backlog)
        return try scheduler.run(job)
    }
}
