import Hummingbird

/// The URL map: the page and health check are open; everything under `/v1/` takes the token
/// when one is set.
enum Routes {
    static func router(service: CopygenService, configuration: ServerConfiguration) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        router.get("/") { _, _ in Page.response() }
        router.get("/health") { _, _ in JSONOutput.response(HealthBody(service: service)) }

        let api = router.group("v1")
        if let token = configuration.token { api.add(middleware: BearerTokenMiddleware(token: token)) }
        api.get("options") { _, _ in JSONOutput.response(service.options) }
        api.post("generate") { request, _ in try await GenerateEndpoint.handle(request, service: service) }
        api.post("filter") { request, _ in try await FilterEndpoint.handle(request, service: service) }
        api.post("complete") { request, _ in try await CompleteEndpoint.handle(request, service: service) }
        return router
    }
}

/// `GET /health`: alive, and how busy.
struct HealthBody: Encodable {
    var status = "ok"
    var model: String
    var requests: Int
    var requestLimit: Int
    var liveSequences: Int
    var sequencesCancelled: Int

    enum CodingKeys: String, CodingKey {
        case status, model, requests
        case requestLimit = "request_limit", liveSequences = "live_sequences", sequencesCancelled = "sequences_cancelled"
    }

    init(service: CopygenService) {
        let statistics = service.scheduler.currentStatistics
        model = service.options.model.name
        requests = service.gate.inFlight
        requestLimit = service.gate.limit
        liveSequences = statistics.sequencesLive
        sequencesCancelled = statistics.sequencesCancelled
    }
}
