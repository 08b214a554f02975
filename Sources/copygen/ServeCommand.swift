import ArgumentParser
import Captions
import Foundation
import Server
import Support

/// `copygen serve`: the JSON API and the page, over one loaded model.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the JSON API and the web page for writing and checking posts.",
        discussion: """
            Loads the model once and listens on http://HOST:PORT/ (127.0.0.1:8080 by default; give \
            --host 0.0.0.0 to be reachable from other machines). The page is at /, the API under \
            /v1/ (docs/http-api.md). With --token-file, every /v1/ request needs the header \
            'Authorization: Bearer TOKEN', TOKEN being the file's first line. Requests that arrive \
            together are decoded together. Ctrl-C or SIGTERM stops listening, lets the requests in \
            flight finish (a few seconds at most) and exits with status 0.
            """
    )

    @Option(help: "Model directory (default: Models/default).") var model: String?
    @Option(help: "Prompts directory (default: Prompts).") var prompts: String?
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port, printed at start).") var port = 8080
    @Option(help: "File whose first line is the API token.") var tokenFile: String?
    @Option(help: "Requests served or waiting at once; more get 503.") var requestLimit = 64
    @OptionGroup var threadsOption: ThreadsOption

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535 (got \(port))") }
        if requestLimit < 1 { throw ValidationError("--request-limit must be at least 1 (got \(requestLimit))") }
    }

    /// `Copygen.main` runs commands synchronously: the server runs on Swift concurrency's threads
    /// while the main thread waits for it.
    func run() throws {
        let outcome = Outcome()
        let finished = DispatchSemaphore(value: 0)
        Task {
            do { try await serve() } catch { outcome.error = error }
            finished.signal()
        }
        finished.wait()
        if let error = outcome.error { throw error }
    }

    private final class Outcome: @unchecked Sendable {
        var error: (any Error)?
    }

    private func serve() async throws {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.requestLimit = requestLimit
        configuration.threads = threadsOption.threads
        if let tokenFile {
            let token = try FileContents.readText(tokenFile).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            guard !token.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--token-file: \(tokenFile) has no token on its first line")
            }
            configuration.token = token
        }
        let modelDirectory = try GenerateCommand.locate(model, default: ResourceLocator.defaultModel, what: "model directory")
        let promptsDirectory = try GenerateCommand.locate(prompts, default: ResourceLocator.defaultPrompts, what: "Prompts directory")
        let service = try CopygenService(modelDirectory: modelDirectory, promptsDirectory: promptsDirectory,
                                         configuration: configuration, warn: { StandardStreams.message("copygen: " + $0) })
        let host = self.host
        try await CopygenServer(service: service, configuration: configuration).run { port in
            StandardStreams.writeLine("copygen: serving \(modelDirectory) on http://\(host):\(port)/ (Ctrl-C to stop)")
        }
        StandardStreams.message("copygen: stopped")
    }
}
