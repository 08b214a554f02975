import Captions
import Foundation
import Generation
import Hummingbird
import Tokenizer

/// `POST /v1/complete`: continues a prompt, as `copygen complete` does; with `"stream": true`
/// the text arrives as server-sent events, one per decoded piece. A piece is always whole
/// characters (the streaming decoder holds back an unfinished UTF-8 sequence), so a client may
/// show each piece as it comes.
enum CompleteEndpoint {
    /// The most tokens one completion may ask for (with `slide`, beyond the model's context).
    static let maximumTokens = 4096

    struct Parsed: Sendable {
        var prompt: String
        var settings: SamplingSettings
        var stream: Bool
        var wordsOnly: Bool
    }

    static func parse(_ fields: inout RequestFields) throws -> Parsed {
        let prompt = try fields.requiredString("prompt")
        var settings = SamplingSettings()
        settings.maxNewTokens = try fields.integer("max_tokens", in: 1...maximumTokens) ?? 128
        settings.temperature = try fields.float("temperature", problem: SamplingSettings.temperatureProblem) ?? 0.8
        settings.topK = try fields.integer("top_k", in: 0...1_000_000) ?? 40
        settings.topP = try fields.float("top_p", problem: SamplingSettings.topPProblem) ?? 0.95
        settings.minP = try fields.float("min_p", problem: { $0 >= 0 && $0 < 1 ? nil : "must be in [0, 1) (got \($0))" }) ?? 0
        settings.repetitionPenalty = try fields.float("repetition_penalty", problem: {
            $0 > 0 && $0.isFinite ? nil : "must be a finite number > 0 (got \($0))"
        }) ?? 1.1
        let stops = try fields.strings("stop") ?? []
        if stops.contains(where: \.isEmpty) { throw APIError.badField("stop", "must not hold an empty string") }
        settings.stopStrings = stops
        settings.seed = try fields.seed("seed") ?? UInt64.random(in: .min ... .max)
        settings.contextPolicy = try fields.bool("slide") == true ? .slide : .stop
        let wordsOnly = try fields.bool("words_only") ?? false
        let stream = try fields.bool("stream") ?? false
        try fields.finish()
        return Parsed(prompt: prompt, settings: settings, stream: stream, wordsOnly: wordsOnly)
    }

    static func handle(_ request: Request, service: CopygenService) async throws -> Response {
        var fields = try await RequestFields.read(request)
        let parsed = try parse(&fields)
        if parsed.wordsOnly && service.completionWords == nil {
            throw APIError.badField("words_only", "the model directory has no words.txt")
        }
        let (tokens, truncated) = promptTokens(parsed.prompt, service: service)
        if parsed.stream { return try stream(parsed, tokens: tokens, truncated: truncated, service: service) }
        let sequence = try await service.admitted { cancellation in
            try decode(parsed, tokens: tokens, service: service, cancellation: cancellation, onText: nil)
        }
        return JSONOutput.response(CompletionBody(sequence: sequence, seed: parsed.settings.seed, promptTruncated: truncated))
    }

    /// The prompt's tokens; a prompt longer than the context keeps its end, as the CLI does.
    static func promptTokens(_ prompt: String, service: CopygenService) -> ([TokenID], Bool) {
        let tokens = service.model.tokenizer.encode(prompt)
        let room = service.model.config.contextLength - 1
        return tokens.count > room ? (Array(tokens.suffix(room)), true) : (tokens, false)
    }

    /// Decodes one completion on the calling (blocking) thread; `onText` sees each piece.
    static func decode(_ parsed: Parsed, tokens: [TokenID], service: CopygenService, cancellation: DecodingCancellation,
                       backlog: DecodingBacklog? = nil, onText: (@Sendable (String) -> Void)?) throws -> GeneratedSequence {
        let settings = parsed.settings
        let words = parsed.wordsOnly ? service.completionWords?.addingWords(ofPrompt: parsed.prompt) : nil
        let prompt = parsed.prompt
        let decoder = ScheduledDecoder(scheduler: service.scheduler, cancellation: cancellation, backlog: backlog)
        return try decoder.generate(
            prompts: [tokens], settings: settings, count: 1,
            control: words.map { words in { step in words.restrict(step, context: prompt, settings: settings) } },
            onToken: onText.map { onText in { event in
                if !event.text.isEmpty { onText(event.text) }
                return .continue
            } })[0]
    }

    /// Pieces the decoding may run ahead of the socket writer.
    static let streamBacklog = 64

    /// The streaming answer: a `data` event per piece, then `done` with the whole result (or
    /// `error`). When the client goes away, writing fails, the decoding is cancelled and its
    /// slot freed before the next step. The decoding waits while the writer is `streamBacklog`
    /// pieces behind, so it cannot run to its end unseen by a writer that has not had a thread.
    static func stream(_ parsed: Parsed, tokens: [TokenID], truncated: Bool, service: CopygenService) throws -> Response {
        try service.gate.enter()
        let (events, continuation) = AsyncStream<StreamEvent>.makeStream()
        let cancellation = DecodingCancellation()
        let backlog = DecodingBacklog(limit: streamBacklog)
        let thread = Thread {
            defer {
                continuation.finish()
                service.gate.leave()
            }
            do {
                let sequence = try decode(parsed, tokens: tokens, service: service, cancellation: cancellation,
                                          backlog: backlog) { text in
                    backlog.added()
                    continuation.yield(.piece(text))
                }
                continuation.yield(.done(CompletionBody(sequence: sequence, seed: parsed.settings.seed, promptTruncated: truncated)))
            } catch {
                continuation.yield(.failed(Self.message(for: error)))
            }
        }
        thread.name = "copygen-stream"
        thread.stackSize = 4 << 20
        thread.start()

        return Response(status: .ok, headers: ServerSentEvents.headers, body: ResponseBody { writer in
            try await withTaskCancellationHandler {
                var streamed = ""
                do {
                    for await event in events {
                        switch event {
                        case .piece(let text):
                            streamed += text
                            try await writer.write(ServerSentEvents.event(PieceBody(text: text)))
                            backlog.sent()
                        case .done(let body):
                            // Text held back as a possible stop-string start is released only at the end.
                            let rest = String(decoding: body.text.utf8.dropFirst(streamed.utf8.count), as: UTF8.self)
                            if !rest.isEmpty { try await writer.write(ServerSentEvents.event(PieceBody(text: rest))) }
                            try await writer.write(ServerSentEvents.event(body, name: "done"))
                        case .failed(let message):
                            try await writer.write(ServerSentEvents.event(APIError.ErrorBody(error: .init(message: message, field: nil)), name: "error"))
                        }
                    }
                    try await writer.finish(nil)
                } catch {
                    cancellation.cancel()
                    throw error
                }
            } onCancel: {
                cancellation.cancel()
            }
        })
    }

    static func message(for error: any Error) -> String {
        switch error {
        case is SchedulerStopped: return "the server is shutting down"
        case is DecodingCancelled: return "the request was cancelled"
        default: return "\(error)"
        }
    }

    enum StreamEvent: Sendable {
        case piece(String)
        case done(CompletionBody)
        case failed(String)
    }
}

/// One streamed piece of text.
struct PieceBody: Encodable, Sendable {
    var text: String
}

/// A finished completion (the whole text, and why it stopped).
struct CompletionBody: Encodable, Sendable {
    var text: String
    var tokens: Int
    var stopReason: String
    var seed: UInt64
    var promptTruncated: Bool

    enum CodingKeys: String, CodingKey {
        case text, tokens, seed
        case stopReason = "stop_reason", promptTruncated = "prompt_truncated"
    }

    init(sequence: GeneratedSequence, seed: UInt64, promptTruncated: Bool) {
        text = sequence.text
        tokens = sequence.tokens.count
        stopReason = sequence.stopReason.description
        self.seed = seed
        self.promptTruncated = promptTruncated
    }
}
