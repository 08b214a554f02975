import Support

/// Packs training examples into fixed-length rows.
///
/// A row holds `length + 1` tokens: inputs are its first `length`, targets the last `length`
/// (each input's next token). Targets that are header tokens or padding are -1, which the loss
/// ignores.
///
/// - Captions are packed whole and greedily, so every post is seen with its header; the rest of a
///   row is padding. A caption longer than a row is cut into consecutive rows.
/// - Documents are one stream in the order given, cut into full rows as it fills (the way GPT-2
///   was pre-trained): no padding is spent on pre-training text, which is most of the tokens.
///   Consecutive document rows share one token, so every token after the first is a target once.
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

        var stream: [Int32] = []  // document tokens not yet in a row
        stream.reserveCapacity(2 * capacity)
        var documentRows: [Row] = []
        func emitFullStreamRows() {
            var start = 0
            while stream.count - start >= capacity {
                documentRows.append(Row(inputs: Array(stream[start..<start + length]),
                                        targets: Array(stream[start + 1..<start + capacity])))
                start += length
            }
            stream.removeFirst(start)
        }

        for index in order {
            let example = examples[index]
            if example.kind == .document {
                stream += example.tokens
                emitFullStreamRows()
                // Document rows join the output as they complete, so the two kinds stay interleaved
                // in the order the examples were given.
                rows += documentRows
                documentRows.removeAll(keepingCapacity: true)
                continue
            }
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
        if stream.count > 1 {  // the stream's tail: a short row, padded
            tokens = stream
            counted = [false] + Array(repeating: true, count: stream.count - 1)
            closeRow()
        }
        return rows
    }
}
