import Foundation

/// What a streaming caller has been handed but not yet passed on (to a client's socket, say).
/// While it is at `limit` the caller's sequences sit out the scheduler's steps, keeping their
/// slots, and the other callers' sequences go on without them.
///
/// So decoding never runs far ahead of its reader: a slow client holds back only its own
/// sequences, and a client that has hung up is noticed (its next write fails) within `limit`
/// pieces, not after its sequence has run to the end, however late the writer gets a thread.
///
///     let backlog = DecodingBacklog(limit: 64)
///     // the decoding thread, for each piece it hands over:
///     backlog.added()
///     // the writer, after each piece it has sent:
///     backlog.sent()
public final class DecodingBacklog: @unchecked Sendable {
    public let limit: Int
    private let lock = NSLock()
    private var pending = 0
    /// Wakes the scheduler the job runs on when the backlog drops below the limit.
    private var onRoom: (@Sendable () -> Void)?

    public init(limit: Int) {
        precondition(limit > 0, "a backlog limit must be at least 1")
        self.limit = limit
    }

    /// Pieces handed over and not yet passed on.
    public var unsent: Int { lock.withLock { pending } }

    /// True while the reader is `limit` pieces behind.
    public var isFull: Bool { lock.withLock { pending >= limit } }

    /// A piece was handed to the reader.
    public func added() { lock.withLock { pending += 1 } }

    /// The reader passed a piece on.
    public func sent() {
        let wake: (@Sendable () -> Void)? = lock.withLock {
            pending -= 1
            return pending == limit - 1 ? onRoom : nil
        }
        wake?()
    }

    func whenRoom(_ wake: @escaping @Sendable () -> Void) { lock.withLock { onRoom = wake } }
}
