import Hummingbird
import Logging
import ServiceLifecycle

/// `copygen serve`: the HTTP server around a `CopygenService`.
///
///     let service = try CopygenService(modelDirectory: "Models/default", promptsDirectory: "Prompts", configuration: configuration)
///     try await CopygenServer(service: service, configuration: configuration).run { port in print("listening on \(port)") }
///
/// SIGINT and SIGTERM start a graceful shutdown: the listener closes, requests in flight get up
/// to `drainSeconds` to finish (then they are cancelled), the decoder stops, and `run` returns.
public struct CopygenServer: Sendable {
    public let service: CopygenService
    public let configuration: ServerConfiguration

    public init(service: CopygenService, configuration: ServerConfiguration) {
        self.service = service
        self.configuration = configuration
    }

    /// The application, for `run` or for a test that runs it inside its own task.
    public func application(onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol & Service
    {
        var logger = Logger(label: "copygen-serve")
        logger.logLevel = .warning
        return Application(
            router: Routes.router(service: service, configuration: configuration),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "copygen"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    /// Serves until the calling task is cancelled (tests run servers inside their own process,
    /// where signals belong to the test runner).
    public func runUntilCancelled(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onListening: onListening).run()
    }

    /// Serves until SIGINT or SIGTERM, then drains and returns.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        var logger = Logger(label: "copygen-serve")
        logger.logLevel = .warning
        var group = ServiceGroupConfiguration(services: [.init(service: application(onListening: onListening))], logger: logger)
        group.gracefulShutdownSignals = [.sigterm, .sigint]
        group.maximumGracefulShutdownDuration = .seconds(configuration.drainSeconds)
        defer { service.stop() }
        // Past the drain time the group cancels the requests still running (their decoding
        // stops through their cancellation handlers) and returns.
        try await ServiceGroup(configuration: group).run()
    }
}
