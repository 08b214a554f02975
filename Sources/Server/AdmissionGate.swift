import Foundation

/// Counts the requests being served or waiting for the decoder; past `limit`, a request is
/// turned away at once (503 with `Retry-After`) rather than queued without bound.
final class AdmissionGate: @unchecked Sendable {
    let limit: Int
    private let lock = NSLock()
    private var count = 0

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes a place, or throws the 503.
    func enter() throws {
        let admitted = lock.withLock {
            guard count < limit else { return false }
            count += 1
            return true
        }
        if !admitted { throw APIError.busy() }
    }

    func leave() {
        lock.withLock { count -= 1 }
    }

    var inFlight: Int { lock.withLock { count } }
}
