import Foundation
@testable import Server
import TestSupport
import Testing

/// Each endpoint answering a good request, over loopback, from the real server.
@Suite(.serialized) struct EndpointTests {
    @Test func healthOptionsAndPage() async throws {
        try await withServer { server in
            let health = try await server.get("/health")
            #expect(health.status == 200)
            #expect(try health.json()["status"] as? String == "ok")

            let options = try await server.get("/v1/options").json()
            let platforms = try #require(options["platforms"] as? [[String: Any]])
            #expect(platforms.contains { $0["name"] as? String == "instagram" && $0["max_characters"] as? Int == 2200 })
            let tones = try #require(options["tones"] as? [[String: Any]])
            #expect(tones.contains { $0["name"] as? String == "playful" })
            #expect((options["templates"] as? [[String: Any]])?.isEmpty == false)
            let model = try #require(options["model"] as? [String: Any])
            #expect(model["context"] as? Int == 64)
            #expect(model["word_list"] as? Bool == true)

            let page = try await server.get("/")
            #expect(page.status == 200)
            #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(page.text.contains("<form id=\"generate-form\""))
            // Offline: nothing is fetched from another origin.
            for pattern in ["src=\"http", "href=\"http", "@import", "url(http", "//cdn"] {
                #expect(!page.text.contains(pattern), "the page refers to \(pattern)")
            }
        }
    }

    @Test func generateReturnsPostsWithTheCLIFields() async throws {
        try await withServer { server in
            let request: [String: Any] = ["topic": "cold brew coffee", "platform": "x", "tone": "urgent", "n": 2, "seed": 7]
            let response = try await server.post("/v1/generate", request)
            #expect(response.status == 200, "\(response.text)")
            let body = try response.json()
            #expect(body["max_characters"] as? Int == 280)
            #expect(body["seed"] as? Int == 7)
            let posts = try #require(body["posts"] as? [[String: Any]])
            #expect(posts.count == 2)
            for post in posts {
                #expect(post["topic"] as? String == "cold brew coffee")
                #expect(post["platform"] as? String == "x")
                #expect(post["tone"] as? String == "urgent")
                #expect(post["seed"] as? Int == 7)
                let text = try #require(post["text"] as? String)
                let characters = try #require(post["characters"] as? Int)
                #expect(characters <= 280 && characters > 0)
                #expect(post["score"] is Double)
                #expect(!text.isEmpty)
            }
            // The same seed gives the same posts.
            let again = try await server.post("/v1/generate", request)
            #expect(try again.json()["posts"] as? NSArray == body["posts"] as? NSArray)
        }
    }

    @Test func filterFlagsMasksAndFixesWithCodePointOffsets() async throws {
        try await withServer { server in
            let fixed = try await server.post("/v1/filter", ["text": "🙂 Our chairman", "mode": "fix"]).json()
            #expect(fixed["text"] as? String == "🙂 Our chairman")
            #expect(fixed["output"] as? String == "🙂 Our chair")
            #expect(fixed["flagged"] as? Bool == true)
            let finding = try #require((fixed["findings"] as? [[String: Any]])?.first)
            #expect(finding["kind"] as? String == "bias")
            #expect(finding["match"] as? String == "chairman")
            #expect(finding["start"] as? Int == 6)
            #expect(finding["end"] as? Int == 14)
            #expect(finding["suggestions"] as? [String] == ["chair", "chairperson"])

            let masked = try await server.post("/v1/filter", ["text": "Hey guys, this is sh1t", "mode": "mask"]).json()
            #expect(masked["output"] as? String == "Hey guys, this is s***")
            let flagged = try await server.post("/v1/filter", ["text": "Hey guys, this is sh1t"]).json()
            #expect(flagged["output"] as? String == "Hey guys, this is sh1t")
            #expect((flagged["findings"] as? [Any])?.count == 2)
            let clean = try await server.post("/v1/filter", ["text": "fine"]).json()
            #expect(clean["flagged"] as? Bool == false)
        }
    }

    @Test func completeAnswersWholeAndStreamed() async throws {
        try await withServer { server in
            let request: [String: Any] = ["prompt": "Fresh bread 🍞 every", "max_tokens": 24, "seed": 3]
            let whole = try await server.post("/v1/complete", request)
            #expect(whole.status == 200, "\(whole.text)")
            let body = try whole.json()
            let text = try #require(body["text"] as? String)
            #expect(body["seed"] as? Int == 3)
            #expect((body["tokens"] as? Int).map { $0 >= 1 && $0 <= 24 } == true)

            var streaming = request
            streaming["stream"] = true
            let stream = try await StreamReader.open(port: server.port, json: streaming)
            #expect(stream.status == 200)
            #expect(stream.headers["content-type"]?.hasPrefix("text/event-stream") == true)
            let events = try await stream.readAll()
            let pieces = events.filter { $0.name == nil }.compactMap { $0.data["text"] as? String }
            let done = try #require(events.last)
            #expect(done.name == "done")
            #expect(pieces.allSatisfy { !$0.isEmpty })
            // The pieces add up to the whole text, which is the same as the unstreamed answer.
            #expect(pieces.joined() == text)
            #expect(done.data["text"] as? String == text)
        }
    }
}
