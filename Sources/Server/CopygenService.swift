import Captions
import Foundation
import Generation
import SafetyFilter
import Support
import Tokenizer

/// What the server loads once and shares among requests: the model and its decoder, the prompt
/// library, the caption generator and the filter. Immutable after `init`; the decoder is the only
/// shared moving part and is safe to call from any thread.
public final class CopygenService: @unchecked Sendable {
    public let model: CaptionModel
    public let prompts: PromptLibrary
    public let captions: CaptionGenerator
    public let filter: SafetyFilter
    public let scheduler: DecodingScheduler
    /// Keeps `/v1/complete` with `words_only` to the model's words (nil when it has no word list).
    let completionWords: WordGuard?
    let gate: AdmissionGate
    let options: OptionsBody

    /// Loads the model (filling a missing index or word list from the shipped corpus, each
    /// repair reported through `warn`) and starts the decoder's thread.
    public convenience init(modelDirectory: String, promptsDirectory: String, configuration: ServerConfiguration,
                            warn: (String) -> Void = { _ in }) throws {
        try self.init(
            model: try CaptionModel.loadForPosts(directory: modelDirectory, corpus: CorpusOnDemand(path: nil), needsWords: true, warn: warn),
            prompts: try PromptLibrary.load(directory: promptsDirectory), configuration: configuration)
    }

    /// A service over a model already loaded (tests start several servers over one model).
    public init(model: CaptionModel, prompts: PromptLibrary, configuration: ServerConfiguration) throws {
        self.model = model
        self.prompts = prompts
        scheduler = try DecodingScheduler(model: model.parameters, tokenizer: model.tokenizer,
                                          batchSize: configuration.batchSize, threads: configuration.threads)
        captions = try CaptionGenerator(model: model, prompts: prompts, allowedWords: model.postWords(),
                                        decoder: ScheduledDecoder(scheduler: scheduler))
        filter = captions.filter
        completionWords = captions.listedWordGuard  // the same list: the model's words without its names
        gate = AdmissionGate(limit: configuration.requestLimit)
        options = OptionsBody(prompts: prompts, model: model)
        scheduler.start()
    }

    /// Lets the decoder finish what it holds, then ends its thread.
    public func stop() { scheduler.stop() }

    /// `body` on a thread of its own, holding a place at the gate (503 when none is left) and
    /// cancelling its decoding if the request is abandoned.
    func admitted<T: Sendable>(_ body: @escaping @Sendable (DecodingCancellation) throws -> T) async throws -> T {
        try gate.enter()
        defer { gate.leave() }
        let cancellation = DecodingCancellation()
        do {
            return try await BlockingWork.run(cancellation: cancellation) { try body(cancellation) }
        } catch is SchedulerStopped {
            throw APIError(.serviceUnavailable, "the server is shutting down")
        } catch is DecodingCancelled {
            throw APIError(.serviceUnavailable, "the request was cancelled")
        }
    }
}
