/// One caption as tokens: its header (conditions up to `<|post|>`) then the post and `<|endoftext|>`.
public struct TrainingExample: Equatable, Sendable {
    public var tokens: [Int32]
    /// Leading tokens that are header; the loss skips them (see `ConditioningFormat`).
    public var headerLength: Int

    public init(tokens: [Int32], headerLength: Int) {
        self.tokens = tokens
        self.headerLength = max(0, min(headerLength, tokens.count))
    }
}

/// Where a data stream stands: the epoch and the next row within it. Saved in the training state
/// so that a resumed run reads exactly the rows the interrupted one would have read next.
public struct DataPosition: Equatable, Sendable, Codable {
    public var epoch: Int
    public var row: Int
    public init(epoch: Int = 0, row: Int = 0) { self.epoch = epoch; self.row = row }
}
