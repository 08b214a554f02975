/// How `copygen serve` listens and how much work it takes on.
public struct ServerConfiguration: Sendable {
    /// Loopback unless told otherwise: the API has no TLS, and a token is optional.
    public var host = "127.0.0.1"
    /// 0 asks the system for a free port (tests); the chosen one is in `CopygenServer.onListening`.
    public var port = 8080
    /// When set, every `/v1/` request needs `Authorization: Bearer <token>`.
    public var token: String?
    /// Requests being served or waiting at once; one more gets 503 with `Retry-After`.
    public var requestLimit = 64
    /// Sequences decoded together (the decoder's slots), at most `DecodingScheduler.maximumBatch`.
    public var batchSize = 16
    /// Threads for the model's products.
    public var threads = 2
    /// How long a shutdown waits for requests in flight before cancelling them.
    public var drainSeconds = 5

    /// The largest request body read; a larger one gets 413.
    public static let maximumBodyBytes = 64 * 1024
    /// What `Retry-After` says when the queue is full.
    public static let retryAfterSeconds = 1

    public init() {}
}
