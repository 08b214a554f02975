/// Everything the forward pass keeps for the backward pass, plus the backward pass's own scratch,
/// allocated once for the largest (batch, length) the model will see. Sizes use N = B·T rows.
final class GPTActivations {
    let rows: Int  // maximum N
    let maxLength: Int

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

    deinit {
        tokens.deallocate()
        targets.deallocate()
    }
}
