import CBLAS

/// Tokens to append to one cached sequence in an `InferenceSession.advance` call.
public struct InferenceInput: Sendable, Equatable {
    /// Which cache slot (sequence) the tokens continue.
    public var slot: Int
    /// Token ids, at least one; they take the slot's next positions.
    public var tokens: [Int32]

    public init(slot: Int, tokens: [Int32]) {
        self.slot = slot
        self.tokens = tokens
    }
}

/// Which positions of an `advance` call get logits.
public enum LogitsRequest: Sendable {
    /// Only each input's last token: row i of the logits belongs to input i (decoding, prefill).
    case lastPosition
    /// Every token fed, in input order then position order (scoring a text, tests).
    case everyPosition
}

/// Why an `advance` call was refused. Nothing in the cache changes when one is thrown.
public enum InferenceError: Error, CustomStringConvertible, Equatable {
    case slotOutOfRange(slot: Int, slots: Int)
    case duplicateSlot(slot: Int)
    case emptyInput(slot: Int)
    case tokenOutOfRange(token: Int32, vocabularySize: Int)
    case contextFull(slot: Int, length: Int, adding: Int, contextLength: Int)

    public var description: String {
        switch self {
        case let .slotOutOfRange(slot, slots): return "cache slot \(slot) does not exist (the session has \(slots))"
        case let .duplicateSlot(slot): return "cache slot \(slot) appears twice in one step"
        case let .emptyInput(slot): return "no tokens given for cache slot \(slot)"
        case let .tokenOutOfRange(token, size): return "token id \(token) is outside the vocabulary (0..<\(size))"
        case let .contextFull(slot, length, adding, context):
            return "sequence in slot \(slot) holds \(length) positions; adding \(adding) exceeds the context length \(context)"
        }
    }
}

/// Runs a GPT-2 model forward with a KV cache: a prompt is fed once (prefill, one batched pass),
/// then each step feeds one new token per live sequence and attends over the cached keys/values.
///
/// Several sequences of different lengths advance together in one call: their rows go through
/// each weight matrix in one product, so the weights are read from memory once per step for all
/// of them. Buffers are allocated up front (and grown only for a larger prefill), so a decoding
/// step allocates nothing. The matrices are also packed once into the decoding kernels' layout
/// (`PackedMatrix`), which costs one more copy of them in memory.
///
///     let session = InferenceSession(parameters: weights, batchCapacity: 2)
///     try session.advance([InferenceInput(slot: 0, tokens: prompt)])   // prefill
///     let logits = session.logits(row: 0)                              // V floats: next token
///     try session.advance([InferenceInput(slot: 0, tokens: [next])])   // one step
public final class InferenceSession {
    public let config: GPTConfig
    /// The weights. Prefill reads them in place; decoding reads a packed copy made at init, so
    /// changes made to them later are not seen by this session.
    public let parameters: ParameterBuffer
    public let cache: KVCache
    /// Threads for the products (and for OpenBLAS during a prefill).
    public let threads: Int

    /// The decoding products' weights, packed once (see `PackedMatrix`): per layer the attention,
    /// attention projection, MLP and MLP projection matrices, then the LM head (the token
    /// embedding transposed). Prefill products read `parameters` directly through sgemm.
    private let packedBlocks: [(attention: PackedMatrix, attentionProjection: PackedMatrix, mlp: PackedMatrix, mlpProjection: PackedMatrix)]
    private let packedHead: PackedMatrix

    // Activations, `rowCapacity` rows each; grown (never shrunk) when a prefill feeds more rows.
    private var rowCapacity = 0
    private var residual: UnsafeMutablePointer<Float>      // rows × C: the residual stream
    private var normed: UnsafeMutablePointer<Float>        // rows × C: LayerNorm output
    private var qkv: UnsafeMutablePointer<Float>           // rows × 3C
    private var attended: UnsafeMutablePointer<Float>      // rows × C: attention output before projection
    private var hidden: UnsafeMutablePointer<Float>        // rows × 4C: MLP hidden layer
    private var logitBuffer: UnsafeMutablePointer<Float>   // rows × V
    private var rowSlot: UnsafeMutablePointer<Int>
    private var rowPosition: UnsafeMutablePointer<Int>
    private var logitRowCount = 0

    /// A session for up to `batchCapacity` sequences at once, using `threads` threads for its
    /// products (OpenBLAS's own, for a prefill's products, included).
    public init(parameters: ParameterBuffer, batchCapacity: Int, threads: Int = 2) {
        precondition(parameters.layout.config.problems.isEmpty, "invalid model shape")
        config = parameters.layout.config
        self.parameters = parameters
        cache = KVCache(config: config, slots: batchCapacity)
        self.threads = max(1, threads)
        let C = config.embeddingSize, w = UnsafePointer(parameters.pointer)
        packedBlocks = parameters.layout.blocks.map { block in
            (attention: PackedMatrix(rowMajor: w + block.attentionWeight, inCount: C, outCount: 3 * C),
             attentionProjection: PackedMatrix(rowMajor: w + block.attentionProjectionWeight, inCount: C, outCount: C),
             mlp: PackedMatrix(rowMajor: w + block.mlpWeight, inCount: C, outCount: 4 * C),
             mlpProjection: PackedMatrix(rowMajor: w + block.mlpProjectionWeight, inCount: 4 * C, outCount: C))
        }
        packedHead = PackedMatrix(transposing: w + parameters.layout.tokenEmbedding, rows: config.vocabularySize, columns: C)
        let empty = { AlignedAllocation.zeroedFloats(1) }
        residual = empty(); normed = empty(); qkv = empty(); attended = empty(); hidden = empty(); logitBuffer = empty()
        rowSlot = .allocate(capacity: 1); rowPosition = .allocate(capacity: 1)
        reserveRows(batchCapacity)
    }

    deinit { releaseRows() }

    /// Sequences the session holds at once.
    public var batchCapacity: Int { cache.slots }

    /// Positions cached for `slot`.
    public func length(of slot: Int) -> Int { cache.lengths[slot] }

    /// Forgets `slot`'s sequence.
    public func reset(slot: Int) { cache.reset(slot: slot) }

    /// Forgets every sequence.
    public func resetAll() { cache.resetAll() }

    /// Gives `destination` the first `length` cached positions of `source` (`KVCache.copy`).
    public func copy(slot source: Int, to destination: Int, length: Int) {
        cache.copy(slot: source, to: destination, length: length)
    }

    /// The logits of row `row` of the last `advance` call (see `LogitsRequest`): V floats, valid
    /// until the next call. Callers may modify them in place (samplers do).
    public func logits(row: Int) -> UnsafeMutableBufferPointer<Float> {
        precondition(row >= 0 && row < logitRowCount, "logit row \(row) out of range 0..<\(logitRowCount)")
        return UnsafeMutableBufferPointer(start: logitBuffer + row * config.vocabularySize, count: config.vocabularySize)
    }

    /// Appends each input's tokens to its slot's sequence and computes logits for the requested
    /// positions. Returns the number of logit rows.
    @discardableResult
    public func advance(_ inputs: [InferenceInput], logits request: LogitsRequest = .lastPosition) throws -> Int {
        try validate(inputs)
        let C = config.embeddingSize, V = config.vocabularySize
        var rows = 0
        for input in inputs { rows += input.tokens.count }
        reserveRows(rows)

        // Token + position embeddings.
        let embedding = UnsafePointer(parameters.pointer + parameters.layout.tokenEmbedding)
        let positions = UnsafePointer(parameters.pointer + parameters.layout.positionEmbedding)
        var r = 0
        for input in inputs {
            let start = cache.lengths[input.slot]
            for (k, token) in input.tokens.enumerated() {
                rowSlot[r] = input.slot
                rowPosition[r] = start + k
                let out = residual + r * C, tokenRow = embedding + Int(token) * C, positionRow = positions + (start + k) * C
                for c in 0..<C { out[c] = tokenRow[c] + positionRow[c] }
                r += 1
            }
        }

        for layer in 0..<config.layers { runBlock(layer, rows: rows) }
        for input in inputs { cache.lengths[input.slot] += input.tokens.count }

        // Final LayerNorm and the tied LM head, only for the rows whose logits are wanted.
        let lnWeight = UnsafePointer(parameters.pointer + parameters.layout.finalNormWeight)
        let lnBias = UnsafePointer(parameters.pointer + parameters.layout.finalNormBias)
        switch request {
        case .lastPosition:
            var last = -1
            for (i, input) in inputs.enumerated() {
                last += input.tokens.count
                LayerNorm.forward(out: normed + i * C, mean: nil, rstd: nil, input: residual + last * C,
                                  weight: lnWeight, bias: lnBias, rows: 1, C: C)
            }
            logitRowCount = inputs.count
        case .everyPosition:
            normRows(rows, weight: lnWeight, bias: lnBias)
            logitRowCount = rows
        }
        if logitRowCount > InferenceKernels.sgemmRowThreshold {
            InferenceKernels.sgemmLanguageModelHead(normed, rows: logitRowCount, embedding: embedding, vocabularySize: V,
                                                    channels: C, into: logitBuffer, threads: threads)
        } else {
            InferenceKernels.linear(normed, rows: logitRowCount, weight: packedHead, bias: nil, into: logitBuffer,
                                    accumulate: false, threads: threads)
        }
        return logitRowCount
    }

    /// One transformer block over `rows` rows, writing this layer's keys and values into the cache.
    private func runBlock(_ layer: Int, rows: Int) {
        let C = config.embeddingSize, H = config.heads, d = config.headSize
        let block = parameters.layout.blocks[layer]
        let w = UnsafePointer(parameters.pointer)

        normRows(rows, weight: w + block.ln1Weight, bias: w + block.ln1Bias)
        let packed = packedBlocks[layer]
        linear(normed, rows: rows, weight: w + block.attentionWeight, packed: packed.attention,
               bias: w + block.attentionBias, into: qkv, accumulate: false)

        // Keys and values of the new positions go into the cache first, so that a prefill row
        // attends to the rows before it in the same call.
        for r in 0..<rows {
            let position = rowPosition[r]
            for h in 0..<H {
                let at = cache.offset(layer: layer, slot: rowSlot[r], head: h)
                let key = qkv + r * 3 * C + C + h * d, keyLane = cache.keys + at + cache.keyOffset(position: position)
                for c in 0..<d { keyLane[16 * c] = key[c] }
                (cache.values + at + position * d).update(from: qkv + r * 3 * C + 2 * C + h * d, count: d)
            }
        }

        // Attention, one task per (row, head); split across threads when there is enough of it.
        let cacheRef = cache
        let averageLength = rowPosition[rows - 1] + 1
        Parallel.forEachRange(rows * H, threads: threads, minimumPerRange: max(1, 32_768 / max(1, averageLength * d))) { tasks in
            for task in tasks {
                let r = task / H, h = task % H
                let length = rowPosition[r] + 1
                let at = cacheRef.offset(layer: layer, slot: rowSlot[r], head: h)
                withUnsafeTemporaryAllocation(of: Float.self, capacity: (length + 15) / 16 * 16) { scores in
                    InferenceKernels.attend(query: qkv + r * 3 * C + h * d, blockedKeys: cacheRef.keys + at,
                                            values: cacheRef.values + at, length: length, headSize: d,
                                            scores: scores.baseAddress!, into: attended + r * C + h * d)
                }
            }
        }

        linear(attended, rows: rows, weight: w + block.attentionProjectionWeight, packed: packed.attentionProjection,
               bias: w + block.attentionProjectionBias, into: residual, accumulate: true)
        normRows(rows, weight: w + block.ln2Weight, bias: w + block.ln2Bias)
        linear(normed, rows: rows, weight: w + block.mlpWeight, packed: packed.mlp, bias: w + block.mlpBias,
               into: hidden, accumulate: false)
        GELU.forward(out: hidden, input: hidden, count: rows * 4 * C, threads: threads)
        linear(hidden, rows: rows, weight: w + block.mlpProjectionWeight, packed: packed.mlpProjection,
               bias: w + block.mlpProjectionBias, into: residual, accumulate: true)
    }

    /// y = x · W + bias (+ y): sgemm on the stored weights for many rows, else the packed kernel.
    private func linear(
        _ x: UnsafePointer<Float>, rows: Int, weight: UnsafePointer<Float>, packed: PackedMatrix,
        bias: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, accumulate: Bool
    ) {
        if rows > InferenceKernels.sgemmRowThreshold {
            InferenceKernels.sgemmLinear(x, rows: rows, inCount: packed.inCount, weight: weight, bias: bias,
                                         outCount: packed.outCount, into: y, accumulate: accumulate, threads: threads)
        } else {
            InferenceKernels.linear(x, rows: rows, weight: packed, bias: bias, into: y, accumulate: accumulate, threads: threads)
        }
    }

    /// normed[r] = LayerNorm(residual[r]) for every row.
    private func normRows(_ rows: Int, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>) {
        LayerNorm.forward(out: normed, mean: nil, rstd: nil, input: residual, weight: weight, bias: bias,
                          rows: rows, C: config.embeddingSize, threads: threads)
    }

    private func validate(_ inputs: [InferenceInput]) throws {
        var seen = Set<Int>()
        for input in inputs {
            guard input.slot >= 0 && input.slot < cache.slots else { throw InferenceError.slotOutOfRange(slot: input.slot, slots: cache.slots) }
            guard seen.insert(input.slot).inserted else { throw InferenceError.duplicateSlot(slot: input.slot) }
            guard !input.tokens.isEmpty else { throw InferenceError.emptyInput(slot: input.slot) }
            if let bad = input.tokens.first(where: { $0 < 0 || Int($0) >= config.vocabularySize }) {
                throw InferenceError.tokenOutOfRange(token: bad, vocabularySize: config.vocabularySize)
            }
            let length = cache.lengths[input.slot]
            guard length + input.tokens.count <= config.contextLength else {
                throw InferenceError.contextFull(slot: input.slot, length: length, adding: input.tokens.count, contextLength: config.contextLength)
            }
        }
    }

    private func reserveRows(_ rows: Int) {
        guard rows > rowCapacity else { return }
        releaseRows()
        let C = config.embeddingSize
        let floats = AlignedAllocation.zeroedFloats
        residual = floats(rows * C); normed = floats(rows * C); qkv = floats(rows * 3 * C)
        attended = floats(rows * C); hidden = floats(rows * 4 * C); logitBuffer = floats(rows * config.vocabularySize)
        rowSlot = .allocate(capacity: rows); rowPosition = .allocate(capacity: rows)
        rowCapacity = rows
        logitRowCount = 0
    }

    private func releaseRows() {
        for pointer in [residual, normed, qkv, attended, hidden, logitBuffer] { AlignedAllocation.free(pointer) }
        rowSlot.deallocate(); rowPosition.deallocate()
    }
}
