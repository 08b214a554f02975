import Foundation
@testable import Server
import TestSupport
import Testing

/// Requests that arrive together share the decoder's batch, and each gets exactly what it would
/// have got alone.
@Suite(.serialized) struct ConcurrencyTests {
    nonisolated(unsafe) static let generateRequests: [[String: Any]] = [
        ["topic": "cold brew coffee", "platform": "x", "tone": "urgent", "n": 3, "seed": 11],
        ["topic": "handmade soap", "platform": "instagram", "tone": "playful", "n": 2, "seed": 12],
        ["topic": "yoga retreat", "platform": "linkedin", "tone": "professional", "n": 1, "seed": 13],
        ["topic": "bike repair", "platform": "facebook", "tone": "friendly", "n": 3, "seed": 14, "temperature": 1.1],
        ["topic": "vegan bakery", "platform": "threads", "tone": "luxury", "n": 2, "seed": 15],
        ["topic": "cold brew coffee", "platform": "x", "tone": "urgent", "n": 1, "seed": 16],
    ]
    nonisolated(unsafe) static let completeRequests: [[String: Any]] = [
        ["prompt": "Our new", "max_tokens": 40, "seed": 21],
        ["prompt": "", "max_tokens": 30, "seed": 22, "temperature": 0],
    ]

    /// The part of an answer that must not depend on what else was running.
    func canonical(_ response: HTTPResult) throws -> String {
        #expect(response.status == 200, "\(response.text)")
        var object = try response.json()
        object.removeValue(forKey: "statistics")
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    func send(_ server: RunningServer, _ index: Int) async throws -> HTTPResult {
        index < Self.generateRequests.count
            ? try await server.post("/v1/generate", Self.generateRequests[index])
            : try await server.post("/v1/complete", Self.completeRequests[index - Self.generateRequests.count])
    }

    @Test func concurrentAnswersEqualOneAtATimeAnswers() async throws {
        try await withServer { server in
            let total = Self.generateRequests.count + Self.completeRequests.count
            var alone: [String] = []
            for index in 0..<total { alone.append(try canonical(try await send(server, index))) }
            let alonePeak = server.service.scheduler.currentStatistics.peakLive
            #expect(alonePeak <= 6)

            // Hold the decoder until every request is queued, so that they really share steps.
            let queuedBefore = server.service.scheduler.currentStatistics.jobsQueued
            server.service.scheduler.pause()
            let together = try await withThrowingTaskGroup(of: (Int, HTTPResult).self) { group in
                for index in 0..<total { group.addTask { (index, try await self.send(server, index)) } }
                try await server.waitUntil("every request is queued") {
                    server.service.scheduler.currentStatistics.jobsQueued - queuedBefore == total
                }
                server.service.scheduler.resume()
                var answers = [HTTPResult?](repeating: nil, count: total)
                for try await (index, response) in group { answers[index] = response }
                return answers.map { $0! }
            }
            for index in 0..<total {
                #expect(try canonical(together[index]) == alone[index], "request \(index) differs when run with others")
            }
            #expect(server.service.scheduler.currentStatistics.peakLive == server.service.scheduler.batchSize)
        }
    }
}
