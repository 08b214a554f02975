import Foundation
import Generation

/// Runs blocking work (decoding, which waits on the shared scheduler) on a thread of its own.
/// Swift concurrency's pool has one thread per core, two here: blocking them would stall every
/// connection. The number of such threads is bounded by `AdmissionGate`.
enum BlockingWork {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = "copygen-request"
            thread.stackSize = 4 << 20
            thread.start()
        }
    }

    /// `run`, and when the awaiting task is cancelled (the server is giving up on the request),
    /// `cancellation` fires so the decoding stops and frees its slots.
    static func run<T: Sendable>(cancellation: DecodingCancellation, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withTaskCancellationHandler {
            try await run(body)
        } onCancel: {
            cancellation.cancel()
        }
    }
}
