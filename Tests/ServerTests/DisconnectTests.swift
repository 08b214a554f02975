import Foundation
@testable import Server
import TestSupport
import Testing

/// A client that hangs up mid-stream: its decoding stops and its slot is freed.
@Suite(.serialized) struct DisconnectTests {
    /// A completion that, left alone, runs to its 4096-token limit (checked below, so that an
    /// early natural end cannot pass for a cancellation).
    nonisolated(unsafe) static let longCompletion: [String: Any] = ["prompt": "Hello", "max_tokens": 4096, "slide": true, "seed": 5]

    @Test func hangingUpStopsTheDecoding() async throws {
        try await withServer { server in
            let alone = try await server.post("/v1/complete", Self.longCompletion).json()
            #expect(alone["tokens"] as? Int == 4096, "the long completion ended early: \(alone["stop_reason"] ?? "")")

            var request = Self.longCompletion
            request["stream"] = true
            let stream = try await StreamReader.open(port: server.port, json: request)
            #expect(stream.status == 200)
            let first = try await stream.next()
            #expect(first?.name == nil && (first?.data["text"] as? String)?.isEmpty == false)
            stream.close()
            // The server's writer may not get a thread for a while (here both pool threads are
            // taken for 1.5 s, as a busy test run or a loaded server can do); the decoding must
            // wait for it rather than run to its end unseen.
            for _ in 0..<ProcessInfo.processInfo.activeProcessorCount { Task.detached { sleep(1); usleep(500_000) } }

            try await server.waitUntil("the hung-up stream's sequence is dropped") {
                let statistics = server.service.scheduler.currentStatistics
                return statistics.sequencesCancelled == 1 && statistics.sequencesLive == 0 && server.service.gate.inFlight == 0
            }
            // The freed slot serves the next request.
            let next = try await server.post("/v1/complete", ["prompt": "Hi", "max_tokens": 5, "seed": 1])
            #expect(next.status == 200)
        }
    }
}
