import Hummingbird
import SafetyFilter

/// `POST /v1/filter`: findings and the flagged, masked or fixed text, as
/// `copygen filter --format jsonl` prints them (offsets in Unicode code points of `text`).
enum FilterEndpoint {
    enum Mode: String, CaseIterable { case flag, mask, fix }

    static func handle(_ request: Request, service: CopygenService) async throws -> Response {
        var fields = try await RequestFields.read(request)
        let text = try fields.requiredString("text")
        let modeName = try fields.string("mode") ?? Mode.flag.rawValue
        try fields.finish()
        guard let mode = Mode(rawValue: modeName) else {
            throw APIError.badField("mode", "must be one of \(Mode.allCases.map(\.rawValue).joined(separator: ", ")), got '\(modeName)'")
        }
        let filter = service.filter
        let body = try await service.admitted { _ in
            let review = filter.review(text)
            let output: String
            switch mode {
            case .flag: output = text
            case .mask: output = review.masked
            case .fix: output = review.fixed
            }
            return FilterBody(text: text, output: output, findings: review.findings)
        }
        return JSONOutput.response(body)
    }
}

/// The response of `/v1/filter`: the fields of a `filter --format jsonl` line.
struct FilterBody: Encodable, Sendable {
    struct Item: Encodable, Sendable {
        var kind, category, severity, match: String
        var start, end: Int
        var suggestions: [String]
    }
    var text: String
    var output: String
    var flagged: Bool
    var findings: [Item]

    init(text: String, output: String, findings: [Finding]) {
        self.text = text
        self.output = output
        flagged = !findings.isEmpty
        self.findings = findings.map {
            Item(kind: $0.kind.rawValue, category: $0.category, severity: $0.severity.rawValue, match: $0.match,
                 start: $0.start, end: $0.end, suggestions: $0.suggestions)
        }
    }
}
