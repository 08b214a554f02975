import Hummingbird

/// Every error leaves as a JSON body: the API's own (`APIError`), the router's (404, 405, 413 for
/// a body over the limit) and anything unexpected (500, without internals).
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            switch error.status {
            case .contentTooLarge: throw APIError.tooLarge()
            case .notFound: throw APIError(.notFound, "no such endpoint: \(request.method) \(request.uri.path)")
            case .methodNotAllowed: throw APIError(.methodNotAllowed, "\(request.uri.path) does not take \(request.method)")
            default: throw APIError(error.status, error.body ?? error.status.reasonPhrase)
            }
        } catch let error as HTTPResponseError {
            throw APIError(error.status, error.status.reasonPhrase)
        } catch {
            context.logger.error("request failed: \(error)")
            throw APIError(.internalServerError, "the server failed on this request: \(error)")
        }
    }
}
