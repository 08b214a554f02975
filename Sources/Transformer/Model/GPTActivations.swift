/// Everything the forward pass keeps for the backward pass, plus the backward pass's own scratch,
/// allocated once for the largest (batch, length) the model will see. Sizes use N = B·T rows.
final class GPTActivations {
    let rows: Int  // maximum N
    let maxLength: Int
    let width: Int  // C
    let probabilitiesPerLayer: Int  // B·H·T·T

    // Forward, per layer l: stream[2l] is the block's input, stream[2l+1] the point between
    // attention and MLP, stream[2L] the last block's output.
    let stream: FloatStorage       // (2L+1) · N·C
    let ln1, ln2: FloatStorage     // L · N·C
    let ln1Mean, ln1Rstd, ln2Mean, ln2Rstd: FloatStorage  // L · N
    let qkv: FloatStorage          // L · N·3C
    let probabilities: FloatStorage  // L · B·H·T·T
    let attention: FloatStorage    // L · N·C, heads side by side, before the output projection
    let fc, fcGELU: FloatStorage   // L · N·4C
    let branch: FloatStorage       // N·C: a projection's output before it joins the stream
    let lnf, lnfMean, lnfRstd: FloatStorage
    let logits: FloatStorage       // N·V; the backward pass turns it into dlogits in place
    let losses, logSumExp: FloatStorage  // N
    let tokens: UnsafeMutablePointer<Int32>, targets: UnsafeMutablePointer<Int32>
    /// Dropout masks (empty when the model has no dropout): embedding, then attention/MLP per layer.
    let masks: FloatStorage        // (2L+1) · N·C

    // Backward scratch.
    let dStream, dBranch, dAttention, dNormalized: FloatStorage  // N·C each
    let dqkv: FloatStorage         // N·3C
    let dfc: FloatStorage          // N·4C
    let attentionScratch: FloatStorage  // threads · blockRows · T

    init(config: GPTConfig, maxBatch: Int, maxLength: Int, threads: Int) {
        let C = config.embeddingSize, L = config.layers, V = config.vocabularySize, H = config.heads
        let N = maxBatch * maxLength
        rows = N
        self.maxLength = maxLength
        width = C
        probabilitiesPerLayer = maxBatch * H * maxLength * maxLength
        stream = FloatStorage(count: (2 * L + 1) * N * C)
        ln1 = FloatStorage(count: L * N * C); ln2 = FloatStorage(count: L * N * C)
        ln1Mean = FloatStorage(count: L * N); ln1Rstd = FloatStorage(count: L * N)
        ln2Mean = FloatStorage(count: L * N); ln2Rstd = FloatStorage(count: L * N)
        qkv = FloatStorage(count: L * N * 3 * C)
        probabilities = FloatStorage(count: L * maxBatch * H * maxLength * maxLength)
        attention = FloatStorage(count: L * N * C)
        fc = FloatStorage(count: L * N * 4 * C); fcGELU = FloatStorage(count: L * N * 4 * C)
        branch = FloatStorage(count: N * C)
        lnf = FloatStorage(count: N * C); lnfMean = FloatStorage(count: N); lnfRstd = FloatStorage(count: N)
        logits = FloatStorage(count: N * V)
        losses = FloatStorage(count: N); logSumExp = FloatStorage(count: N)
        tokens = .allocate(capacity: max(1, N)); tokens.initialize(repeating: 0, count: max(1, N))
        targets = .allocate(capacity: max(1, N)); targets.initialize(repeating: -1, count: max(1, N))
        masks = FloatStorage(count: config.dropout > 0 ? (2 * L + 1) * N * C : 0)
        dStream = FloatStorage(count: N * C); dBranch = FloatStorage(count: N * C)
        dAttention = FloatStorage(count: N * C); dNormalized = FloatStorage(count: N * C)
        dqkv = FloatStorage(count: N * 3 * C)
        dfc = FloatStorage(count: N * 4 * C)
        attentionScratch = FloatStorage(count: max(1, threads) * Attention.blockRows * maxLength)
    }

    /// Block `l`'s slices of the per-layer activations, the same for the forward and backward pass.
    struct Layer {
        /// The residual stream at the block's input, between its two branches, and at its output.
        let input, middle, output: UnsafeMutablePointer<Float>
        let ln1, ln1Mean, ln1Rstd, qkv, probabilities, attention: UnsafeMutablePointer<Float>
        let ln2, ln2Mean, ln2Rstd, fc, fcGELU: UnsafeMutablePointer<Float>
    }

    func layer(_ l: Int) -> Layer {
        let NC = rows * width
        return Layer(input: stream.slice(2 * l, size: NC), middle: stream.slice(2 * l + 1, size: NC), output: stream.slice(2 * l + 2, size: NC),
                     ln1: ln1.slice(l, size: NC), ln1Mean: ln1Mean.slice(l, size: rows), ln1Rstd: ln1Rstd.slice(l, size: rows),
                     qkv: qkv.slice(l, size: 3 * NC), probabilities: probabilities.slice(l, size: probabilitiesPerLayer),
                     attention: attention.slice(l, size: NC),
                     ln2: ln2.slice(l, size: NC), ln2Mean: ln2Mean.slice(l, size: rows), ln2Rstd: ln2Rstd.slice(l, size: rows),
                     fc: fc.slice(l, size: 4 * NC), fcGELU: fcGELU.slice(l, size: 4 * NC))
    }

    /// The residual stream after the last block (input of the final LayerNorm).
    func finalStream(layers L: Int) -> UnsafeMutablePointer<Float> { stream.slice(2 * L, size: rows * width) }

    deinit {
        tokens.deallocate()
        targets.deallocate()
    }
}
