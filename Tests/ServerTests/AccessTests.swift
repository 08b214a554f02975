import Foundation
@testable import Server
import TestSupport
import Testing

/// The bearer token, and the bounded queue.
@Suite(.serialized) struct AccessTests {
    @Test func tokenIsRequiredOnTheAPIOnly() async throws {
        try await withServer(token: "s3cret-token") { server in
            let none = try await server.post("/v1/filter", ["text": "fine"])
            #expect(none.status == 401)
            #expect(none.headers["www-authenticate"] == "Bearer")
            #expect(try none.errorDetail().message.contains("Authorization: Bearer"))
            for wrong in ["Bearer s3cret-toke", "Bearer s3cret-token2", "Bearer ", "Basic s3cret-token", "s3cret-token"] {
                let response = try await server.post("/v1/filter", ["text": "fine"], headers: ["Authorization": wrong])
                #expect(response.status == 401, "\(wrong)")
            }
            #expect(try await server.get("/v1/options").status == 401)
            let right = try await server.post("/v1/filter", ["text": "fine"], headers: ["Authorization": "Bearer s3cret-token"])
            #expect(right.status == 200)
            #expect(try await server.get("/v1/options", headers: ["Authorization": "Bearer s3cret-token"]).status == 200)
            // The page and the health check stay open, so that the page can ask for the token.
            #expect(try await server.get("/").status == 200)
            #expect(try await server.get("/health").status == 200)
        }
    }

    @Test func constantTimeComparison() {
        #expect(ConstantTime.equal(Array("abc".utf8), Array("abc".utf8)))
        #expect(!ConstantTime.equal(Array("abc".utf8), Array("abd".utf8)))
        #expect(!ConstantTime.equal(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!ConstantTime.equal([], Array("a".utf8)))
        #expect(ConstantTime.equal([], []))
        // Lengths 256 apart must not wrap to equal.
        #expect(!ConstantTime.equal([UInt8](repeating: 0, count: 256), []))
    }

    @Test func aFullQueueAnswers503WithRetryAfter() async throws {
        try await withServer(requestLimit: 1) { server in
            server.service.scheduler.pause()
            let first = Task { try await server.post("/v1/generate", ["topic": "tea", "n": 1, "seed": 1]) }
            try await server.waitUntil("the first request holds the only place") { server.service.gate.inFlight == 1 }
            let second = try await server.post("/v1/generate", ["topic": "tea", "n": 1, "seed": 2])
            #expect(second.status == 503)
            #expect(second.headers["retry-after"] == String(ServerConfiguration.retryAfterSeconds))
            #expect(try second.errorDetail().message.contains("busy"))
            server.service.scheduler.resume()
            let answer = try await first.value
            #expect(answer.status == 200)
            // With the place free again, the next request is served.
            #expect(try await server.post("/v1/filter", ["text": "fine"]).status == 200)
        }
    }
}
