import Captions
import Foundation
import Logging
@testable import Server
import ServiceLifecycle
import Support
import TestSupport
import Tokenizer
import Transformer

/// A `tiny` random model (context 64) with the shipped tokenizer, written once to a temporary
/// directory and loaded once, as the caption tests do: it writes gibberish, so these tests
/// check the API's behaviour (fields, limits, errors, determinism), never wording.
enum ServerFixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static let modelDirectory: String = {
        let tokenizerPath = repositoryRoot + "/Tokenizers/captions-4k.json"
        let tokenizer = try! Tokenizer.load(from: tokenizerPath)
        let directory = NSTemporaryDirectory() + "copygen-server-model-\(getpid())"
        let config = GPTConfig.preset("tiny", vocabularySize: tokenizer.vocabularySize)!
        let weights = ParameterBuffer(layout: ParameterLayout(config: config))
        var random = SeededRandom(seed: 11)
        weights.initializeGPT2(random: &random)
        try! ModelCheckpoint.save(parameters: weights, config: config, to: directory,
                                  endOfTextToken: Int(tokenizer.id(ofSpecial: SpecialToken.endOfText)!))
        try? FileManager.default.removeItem(atPath: directory + "/" + CaptionModel.tokenizerFileName)
        try! FileManager.default.copyItem(atPath: tokenizerPath, toPath: directory + "/" + CaptionModel.tokenizerFileName)
        return directory
    }()

    /// The model with its no-copy index and word list counted from the shipped corpus.
    static let model: CaptionModel = try! CaptionModel.loadForPosts(
        directory: modelDirectory, corpus: CorpusOnDemand(path: repositoryRoot + "/Corpora/captions.jsonl"),
        needsWords: true, warn: { _ in })
    static let prompts: PromptLibrary = try! PromptLibrary.load(directory: repositoryRoot + "/Prompts")
}

/// A real server on a free loopback port, serving until `stop`.
final class RunningServer: @unchecked Sendable {
    let service: CopygenService
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(service: CopygenService, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.service = service
        self.port = port
        self.group = group
        self.task = task
    }

    static func start(token: String? = nil, requestLimit: Int = 64, batchSize: Int = 16) async throws -> RunningServer {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.token = token
        configuration.requestLimit = requestLimit
        configuration.batchSize = batchSize
        configuration.threads = 1
        let service = try CopygenService(model: ServerFixture.model, prompts: ServerFixture.prompts, configuration: configuration)
        let server = CopygenServer(service: service, configuration: configuration)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        // Stopped by a graceful shutdown, as SIGTERM stops `copygen serve` (signals here belong
        // to the test runner).
        let application = server.application { port in continuation.yield(port) }
        let group = ServiceGroup(configuration: .init(services: [.init(service: application)], logger: Logger(label: "server-tests")))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw LoopbackError("the server did not start") }
        return RunningServer(service: service, port: port, group: group, task: task)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
        service.stop()
    }

    func post(_ path: String, _ json: [String: Any], headers: [String: String] = [:]) async throws -> HTTPResult {
        try await LoopbackHTTP.post(port: port, path, json: json, headers: headers)
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> HTTPResult {
        try await LoopbackHTTP.get(port: port, path, headers: headers)
    }

    func raw(_ method: String, _ path: String, body: [UInt8]) async throws -> HTTPResult {
        try await LoopbackHTTP.request(port: port, method, path, body: body)
    }

    /// Waits (polling, with a generous limit that only guards against a hang) until `condition`.
    func waitUntil(_ what: String, _ condition: @escaping @Sendable () -> Bool) async throws {
        for _ in 0..<6000 {
            if condition() { return }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        throw LoopbackError("gave up waiting until \(what)")
    }
}

/// Runs `body` against a fresh server and stops the server afterwards, whatever happened.
func withServer(token: String? = nil, requestLimit: Int = 64, _ body: (RunningServer) async throws -> Void) async throws {
    let server = try await RunningServer.start(token: token, requestLimit: requestLimit)
    do {
        try await body(server)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}
