import Support

/// Packs captions into fixed-length training rows.
///
/// A row holds `length + 1` tokens: inputs are its first `length`, targets the last `length`
/// (each input's next token). Whole captions are packed greedily, so every post is seen with its
/// header; the rest of a row is padding. A caption longer than a row is cut into consecutive
/// rows. Targets that are header tokens or padding are -1, which the loss ignores.
public struct RowPacker: Sendable {
    /// Tokens in a row's input (the model's context length T).
    public let length: Int
    /// The token placed in padding positions (the model sees it as input; its target is ignored).
    public let paddingToken: Int32

    public init(length: Int, paddingToken: Int32) {
        precondition(length >= 1)
        self.length = length
        self.paddingToken = paddingToken
    }

    /// A row: `length` input tokens and `length` targets (-1 where ignored).
    public struct Row: Equatable, Sendable {
        public var inputs: [Int32]
        public var targets: [Int32]
    }

    /// The rows of `examples` taken in `order`.
    public func pack(_ examples: [TrainingExample], order: [Int]) -> [Row] {
        var rows: [Row] = []
        var tokens: [Int32] = []
        var counted: [Bool] = []  // whether each token is a target the loss counts
        let capacity = length + 1

        func closeRow() {
            if tokens.isEmpty { return }
            let used = tokens.count
            tokens += Array(repeating: paddingToken, count: capacity - used)
            counted += Array(repeating: false, count: capacity - used)
            var targets = [Int32](repeating: -1, count: length)
            for t in 0..<length where counted[t + 1] { targets[t] = tokens[t + 1] }
            rows.append(Row(inputs: Array(tokens[0..<length]), targets: targets))
            tokens.removeAll(keepingCapacity: true)
            counted.removeAll(keepingCapacity: true)
        }

        for index in order {
            let example = examples[index]
            let mask = (0..<example.tokens.count).map { $0 >= example.headerLength }
            if example.tokens.count > capacity {
                closeRow()
                // Consecutive windows: each starts at the previous one's last token, so every
                // token after the first is a target exactly once.
                var start = 0
                while start < example.tokens.count - 1 {
                    let end = min(start + capacity, example.tokens.count)
                    tokens = Array(example.tokens[start..<end])
                    counted = Array(mask[start..<end])
                    counted[0] = false  // the first token of a window is input only
                    closeRow()
                    start = end - 1
                }
                continue
            }
            if tokens.count + example.tokens.count > capacity { closeRow() }
            tokens += example.tokens
            counted += mask
        }
        closeRow()
        return rows
    }
}
