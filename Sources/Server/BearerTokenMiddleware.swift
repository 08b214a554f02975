import Hummingbird

/// Lets a request through only with `Authorization: Bearer <token>`; 401 otherwise.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]

    init(token: String) {
        self.token = Array(token.utf8)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              ConstantTime.equal(Array(header.utf8.dropFirst("Bearer ".utf8.count)), token)
        else { throw APIError.unauthorized() }
        return try await next(request, context)
    }
}

enum ConstantTime {
    /// Equal bytes, compared in a time that depends only on the lengths: every byte of the longer
    /// is looked at whatever the first difference, so the time taken does not tell a guesser how
    /// much of the token they have right.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count) | (a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }
}
