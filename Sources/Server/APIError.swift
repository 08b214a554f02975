import Foundation
import Hummingbird

/// A request the API refuses, answered as `{"error": {"message": ..., "field": ...}}` with its
/// status. `field` names the request field at fault, when one is.
public struct APIError: Error, HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String
    public var field: String?
    /// Extra response headers (`Retry-After`, `WWW-Authenticate`).
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ message: String, field: String? = nil) {
        self.status = status
        self.message = message
        self.field = field
    }

    public var description: String { message }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONOutput.response(ErrorBody(error: .init(message: message, field: field)), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    static func badField(_ field: String, _ message: String) -> APIError {
        APIError(.badRequest, "\(field): \(message)", field: field)
    }

    static func tooLarge() -> APIError {
        APIError(.contentTooLarge, "the request body is larger than \(ServerConfiguration.maximumBodyBytes / 1024) KB")
    }

    static func busy() -> APIError {
        var error = APIError(.serviceUnavailable, "the server is busy; try again in \(ServerConfiguration.retryAfterSeconds) s")
        error.headers[.retryAfter] = String(ServerConfiguration.retryAfterSeconds)
        return error
    }

    static func unauthorized() -> APIError {
        var error = APIError(.unauthorized, "this server needs an API token: send the header 'Authorization: Bearer <token>'")
        error.headers[.wwwAuthenticate] = "Bearer"
        return error
    }

    struct ErrorBody: Encodable {
        struct Detail: Encodable {
            var message: String
            var field: String?
        }
        var error: Detail
    }
}
