import Captions
import Generation
import Hummingbird

/// `POST /v1/generate`: finished posts, as `copygen generate --format jsonl` prints them.
enum GenerateEndpoint {
    /// The request, checked field by field before any decoding starts.
    static func parse(_ fields: inout RequestFields, service: CopygenService) throws -> CaptionRequest {
        let topic = try fields.requiredString("topic")
        if topic.allSatisfy({ $0.isWhitespace || $0.isNewline }) { throw APIError.badField("topic", "is empty") }
        let platform = try fields.string("platform") ?? "instagram"
        let tone = try fields.string("tone") ?? "friendly"
        let count = try fields.integer("n", in: 1...CaptionGenerator.maximumCount) ?? 3
        let seed = try fields.seed("seed") ?? UInt64.random(in: .min ... .max)
        let temperature = try fields.float("temperature", problem: SamplingSettings.temperatureProblem)
        let topP = try fields.float("top_p", problem: SamplingSettings.topPProblem)
        let templateName = try fields.string("template")
        try fields.finish()

        let prompts = service.prompts
        guard let rules = prompts.platforms[platform] else {
            throw APIError.badField("platform", "unknown platform '\(platform)' (known: \(prompts.platforms.keys.sorted().joined(separator: ", ")))")
        }
        guard let toneDefinition = prompts.tones[tone] else {
            throw APIError.badField("tone", "unknown tone '\(tone)' (known: \(prompts.tones.keys.sorted().joined(separator: ", ")))")
        }
        var request = CaptionRequest(topic: topic, platform: rules.name, tone: toneDefinition.name, count: count, seed: seed)
        request.temperature = temperature
        request.topP = topP
        if let templateName {
            guard let template = prompts.templates[templateName] else {
                throw APIError.badField("template", "unknown template '\(templateName)' (known: \(prompts.templates.keys.sorted().joined(separator: ", ")))")
            }
            request.template = template
        }
        return request
    }

    static func handle(_ request: Request, service: CopygenService) async throws -> Response {
        var fields = try await RequestFields.read(request)
        let captionRequest = try parse(&fields, service: service)
        let result = try await service.admitted { cancellation in
            do {
                return try service.captions.generate(captionRequest, decoder: ScheduledDecoder(scheduler: service.scheduler, cancellation: cancellation))
            } catch let error as CaptionError {
                throw APIError.badField(field(of: error), error.description)
            }
        }
        let rules = try service.prompts.platform(captionRequest.platform)
        return JSONOutput.response(GenerateBody(request: captionRequest, result: result, maxCharacters: rules.maxCharacters))
    }

    static func field(of error: CaptionError) -> String {
        switch error {
        case .emptyTopic: return "topic"
        case .invalidCount: return "n"
        case .invalidSampling(let problem): return problem.hasPrefix("top-p") ? "top_p" : "temperature"
        case .templateWithoutPost: return "template"
        }
    }
}

/// The response of `/v1/generate`. Each post has the fields of a `generate --format jsonl` line.
struct GenerateBody: Encodable {
    struct Post: Encodable {
        var topic, platform, tone, text: String
        var characters: Int
        var score: Double
        var seed: UInt64
        var findings: [Fix]?
    }
    /// A bias finding fixed in the post: what was written and what replaced it.
    struct Fix: Encodable {
        var kind, category, match, fixed: String
    }
    struct Statistics: Encodable {
        var drawn, rounds, empty, copies, filtered, fixed, duplicates: Int
    }

    var topic, platform, tone: String
    var seed: UInt64
    var n: Int
    var maxCharacters: Int
    var topicTruncated: Bool
    var posts: [Post]
    var statistics: Statistics

    enum CodingKeys: String, CodingKey {
        case topic, platform, tone, seed, n, posts, statistics
        case maxCharacters = "max_characters", topicTruncated = "topic_truncated"
    }

    init(request: CaptionRequest, result: CaptionResult, maxCharacters: Int) {
        topic = result.topic
        platform = request.platform
        tone = request.tone
        seed = request.seed
        n = request.count
        self.maxCharacters = maxCharacters
        topicTruncated = result.topicWasTruncated
        posts = result.posts.map { post in
            Post(topic: result.topic, platform: request.platform, tone: request.tone, text: post.text, characters: post.characters,
                 score: JSONOutput.rounded(post.score), seed: request.seed,
                 findings: post.findings.isEmpty ? nil : post.findings.map {
                     Fix(kind: $0.kind.rawValue, category: $0.category, match: $0.match, fixed: $0.suggestions.first ?? "")
                 })
        }
        let s = result.statistics
        statistics = Statistics(drawn: s.drawn, rounds: s.rounds, empty: s.empty, copies: s.copies, filtered: s.filtered,
                                fixed: s.fixed, duplicates: s.duplicates)
    }
}
