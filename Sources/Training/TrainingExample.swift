/// One training text as tokens: a caption (its header, then the post and `<|endoftext|>`) or a
/// document of pre-training text (its tokens and `<|endoftext|>`, no header).
public struct TrainingExample: Equatable, Sendable {
    /// How the packer lays an example into rows.
    public enum Kind: Equatable, Sendable {
        /// Kept whole in one row with its header when it fits, so a post is always learned with
        /// the conditions it was written for; the rest of the row is padding.
        case caption
        /// Part of one continuous stream of text cut into full rows: no padding, no header, and
        /// a row may hold the end of one document and the start of the next.
        case document
    }

    public var tokens: [Int32]
    /// Leading tokens that are header; the loss skips them (see `ConditioningFormat`).
    public var headerLength: Int
    public var kind: Kind

    public init(tokens: [Int32], headerLength: Int, kind: Kind = .caption) {
        self.tokens = tokens
        self.headerLength = max(0, min(headerLength, tokens.count))
        self.kind = kind
    }
}

/// Where a data stream stands: the epoch and the next row within it. Saved in the training state
/// so that a resumed run reads exactly the rows the interrupted one would have read next.
public struct DataPosition: Equatable, Sendable, Codable {
    public var epoch: Int
    public var row: Int
    public init(epoch: Int = 0, row: Int = 0) { self.epoch = epoch; self.row = row }
}
