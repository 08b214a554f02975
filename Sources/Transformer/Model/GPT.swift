import Support

/// A GPT-2-architecture language model with a hand-written backward pass.
///
/// Pre-LayerNorm blocks (causal self-attention, then a 4×-wide GELU MLP), final LayerNorm, LM head
/// tied to the token embedding. All activations are allocated once for `maxBatch × maxLength`
/// tokens; a training step allocates nothing.
///
///     let model = GPT(parameters: weights, maxBatch: 8, threads: 2)
///     model.zeroGradients()
///     let loss = model.forward(tokens: inputs, targets: targets, batch: 8, length: 128, training: true)
///     model.backward()            // model.gradients now holds d(mean loss)/d(weights)
///
/// Determinism: for the same weights, tokens, dropout seed and thread count, losses and gradients
/// are identical bit for bit (every reduction has a fixed order; see `Parallel`).
public final class GPT: @unchecked Sendable {
    public let config: GPTConfig
    public let layout: ParameterLayout
    /// The weights (shared with the optimizer, which updates them in place).
    public let parameters: ParameterBuffer
    /// d(loss)/d(weights), accumulated by `backward()` until `zeroGradients()`.
    public let gradients: ParameterBuffer
    public let maxBatch: Int
    public let maxLength: Int
    /// Threads for every kernel (and for the split OpenBLAS products).
    public let threads: Int
    /// Draws the dropout masks; save and restore it to resume training exactly.
    public var dropoutRandom: SeededRandom

    /// Shape of the last forward pass.
    public private(set) var batch = 0
    public private(set) var length = 0
    /// Targets counted in the last forward pass's loss (those ≥ 0).
    public private(set) var countedTargets = 0
    private var lastForwardTrained = false
    private var backwardReady = false
    private let acts: GPTActivations

    /// - Parameters:
    ///   - parameters: weights in `ParameterLayout(config: parameters.layout.config)`.
    ///   - maxLength: longest sequence (defaults to the context length).
    ///   - dropoutSeed: seeds `dropoutRandom`.
    public init(parameters: ParameterBuffer, maxBatch: Int, maxLength: Int? = nil, threads: Int = 1, dropoutSeed: UInt64 = 0) {
        let config = parameters.layout.config
        precondition(config.problems.isEmpty, "invalid GPT config: \(config.problems.joined(separator: "; "))")
        let maxLength = maxLength ?? config.contextLength
        precondition(maxBatch >= 1 && (1...config.contextLength).contains(maxLength), "GPT: maxBatch must be ≥ 1 and maxLength in 1...contextLength")
        self.config = config
        self.layout = parameters.layout
        self.parameters = parameters
        self.gradients = ParameterBuffer(layout: parameters.layout)
        self.maxBatch = maxBatch
        self.maxLength = maxLength
        self.threads = max(1, threads)
        self.dropoutRandom = SeededRandom(seed: dropoutSeed)
        self.acts = GPTActivations(config: config, maxBatch: maxBatch, maxLength: maxLength, threads: max(1, threads))
    }

    /// Sets every gradient to zero (before a step, or before the first of several accumulated micro-batches).
    public func zeroGradients() { gradients.zero() }

    /// The logits of the last forward pass: `batch · length` rows of V floats, row b·length + t
    /// predicting the token after position t of sequence b. `backward()` overwrites them.
    public var logits: UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: acts.logits.pointer, count: batch * length * config.vocabularySize)
    }

    /// Per-position losses of the last forward pass (0 where the target was ignored).
    public var positionLosses: UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: acts.losses.pointer, count: batch * length)
    }

    /// Runs the model on `batch` sequences of `length` tokens (row-major, batch × length).
    ///
    /// - Parameters:
    ///   - targets: the next token for each position, or a negative value to leave that position
    ///     out of the loss; nil computes logits only (then `backward()` is not allowed).
    ///   - training: applies dropout (when the config has it) and keeps what `backward()` needs.
    /// - Returns: the mean cross-entropy over positions whose target is ≥ 0 (0 when there are none
    ///   or `targets` is nil).
    @discardableResult
    public func forward(tokens: UnsafePointer<Int32>, targets: UnsafePointer<Int32>?, batch B: Int, length T: Int, training: Bool) -> Float {
        precondition((1...maxBatch).contains(B) && (1...maxLength).contains(T), "GPT.forward: batch \(B) × length \(T) exceeds \(maxBatch) × \(maxLength)")
        let C = config.embeddingSize, L = config.layers, V = config.vocabularySize, H = config.heads
        let N = B * T, NC = N * C
        let w = parameters.pointer
        let a = acts
        batch = B; length = T
        for i in 0..<N {
            precondition(tokens[i] >= 0 && Int(tokens[i]) < V, "GPT.forward: token \(tokens[i]) at position \(i) is outside the vocabulary of \(V)")
            a.tokens[i] = tokens[i]
            a.targets[i] = targets.map { $0[i] < Int32(V) ? $0[i] : -1 } ?? -1
        }
        let dropping = training && config.dropout > 0
        let p = config.dropout
        let maskSize = acts.rows * C

        Encoder.forward(out: a.stream.pointer, tokens: a.tokens, wte: w + layout.tokenEmbedding, wpe: w + layout.positionEmbedding, B: B, T: T, C: C, threads: threads)
        if dropping {
            Dropout.forward(out: a.stream.pointer, mask: a.masks.slice(0, size: maskSize), input: a.stream.pointer, rows: N, width: C, probability: p, seed: dropoutRandom.next(), threads: threads)
        }
        for l in 0..<L {
            let block = layout.blocks[l], x = a.layer(l)
            LayerNorm.forward(out: x.ln1, mean: x.ln1Mean, rstd: x.ln1Rstd, input: x.input,
                              weight: w + block.ln1Weight, bias: w + block.ln1Bias, rows: N, C: C, threads: threads)
            Matmul.forward(out: x.qkv, input: x.ln1, weight: w + block.attentionWeight, bias: w + block.attentionBias, rows: N, inputSize: C, outputSize: 3 * C, threads: threads)
            Attention.forward(out: x.attention, probabilities: x.probabilities, qkv: x.qkv, B: B, T: T, C: C, heads: H, threads: threads)
            Matmul.forward(out: a.branch.pointer, input: x.attention, weight: w + block.attentionProjectionWeight, bias: w + block.attentionProjectionBias, rows: N, inputSize: C, outputSize: C, threads: threads)
            if dropping {
                Dropout.forward(out: a.branch.pointer, mask: a.masks.slice(2 * l + 1, size: maskSize), input: a.branch.pointer, rows: N, width: C, probability: p, seed: dropoutRandom.next(), threads: threads)
            }
            Residual.forward(out: x.middle, a: x.input, b: a.branch.pointer, count: NC, threads: threads)

            LayerNorm.forward(out: x.ln2, mean: x.ln2Mean, rstd: x.ln2Rstd, input: x.middle,
                              weight: w + block.ln2Weight, bias: w + block.ln2Bias, rows: N, C: C, threads: threads)
            Matmul.forward(out: x.fc, input: x.ln2, weight: w + block.mlpWeight, bias: w + block.mlpBias, rows: N, inputSize: C, outputSize: 4 * C, threads: threads)
            GELU.forward(out: x.fcGELU, input: x.fc, count: N * 4 * C, threads: threads)
            Matmul.forward(out: a.branch.pointer, input: x.fcGELU, weight: w + block.mlpProjectionWeight, bias: w + block.mlpProjectionBias, rows: N, inputSize: 4 * C, outputSize: C, threads: threads)
            if dropping {
                Dropout.forward(out: a.branch.pointer, mask: a.masks.slice(2 * l + 2, size: maskSize), input: a.branch.pointer, rows: N, width: C, probability: p, seed: dropoutRandom.next(), threads: threads)
            }
            Residual.forward(out: x.output, a: x.middle, b: a.branch.pointer, count: NC, threads: threads)
        }
        LayerNorm.forward(out: a.lnf.pointer, mean: a.lnfMean.pointer, rstd: a.lnfRstd.pointer, input: a.finalStream(layers: L),
                          weight: w + layout.finalNormWeight, bias: w + layout.finalNormBias, rows: N, C: C, threads: threads)
        LanguageModelHead.forward(logits: a.logits.pointer, input: a.lnf.pointer, wte: w + layout.tokenEmbedding, rows: N, C: C, V: V, threads: threads)

        lastForwardTrained = dropping
        guard targets != nil else {
            countedTargets = 0
            backwardReady = false
            return 0
        }
        let (mean, counted) = CrossEntropy.forward(losses: a.losses.pointer, logSumExp: a.logSumExp.pointer, logits: a.logits.pointer,
                                                   targets: a.targets, rows: N, V: V, threads: threads)
        countedTargets = counted
        backwardReady = true
        return mean
    }

    /// Array form of `forward(tokens:targets:batch:length:training:)`.
    @discardableResult
    public func forward(tokens: [Int32], targets: [Int32]?, batch: Int, length: Int, training: Bool) -> Float {
        precondition(tokens.count >= batch * length && (targets?.count ?? Int.max) >= batch * length, "GPT.forward: fewer tokens than batch × length")
        return tokens.withUnsafeBufferPointer { t in
            if let targets {
                return targets.withUnsafeBufferPointer { forward(tokens: t.baseAddress!, targets: $0.baseAddress!, batch: batch, length: length, training: training) }
            }
            return forward(tokens: t.baseAddress!, targets: nil, batch: batch, length: length, training: training)
        }
    }

    /// Adds d(mean loss of the last forward)/d(weights) into `gradients`. Needs a forward pass
    /// with targets just before; consumes its logits. To average over k accumulated micro-batches,
    /// scale the gradients by 1/k afterwards (or the learning rate).
    public func backward() {
        precondition(backwardReady, "GPT.backward needs a forward pass with targets first")
        backwardReady = false
        let B = batch, T = length
        let C = config.embeddingSize, L = config.layers, V = config.vocabularySize, H = config.heads
        let N = B * T, NC = N * C
        let w = parameters.pointer, g = gradients.pointer
        let a = acts
        let dropping = lastForwardTrained
        let maskSize = acts.rows * C
        let dStream = a.dStream.pointer

        if countedTargets == 0 { return }  // nothing was scored: every gradient is zero
        CrossEntropy.backward(dlogits: a.logits.pointer, logits: a.logits.pointer, logSumExp: a.logSumExp.pointer, targets: a.targets,
                              rows: N, V: V, lossScale: 1 / Float(countedTargets), threads: threads)
        LanguageModelHead.backward(dinput: a.dNormalized.pointer, dwte: g + layout.tokenEmbedding, dlogits: a.logits.pointer,
                                   input: a.lnf.pointer, wte: w + layout.tokenEmbedding, rows: N, C: C, V: V, threads: threads)
        dStream.update(repeating: 0, count: NC)
        LayerNorm.backward(dinput: dStream, dweight: g + layout.finalNormWeight, dbias: g + layout.finalNormBias, dout: a.dNormalized.pointer,
                           input: a.finalStream(layers: L), weight: w + layout.finalNormWeight,
                           mean: a.lnfMean.pointer, rstd: a.lnfRstd.pointer, rows: N, C: C, threads: threads)

        // dStream holds d(loss)/d(block output); each branch's backward reads it and each
        // LayerNorm's backward adds its share, which is the residual connection's backward.
        func branchGradient(mask: Int) -> UnsafeMutablePointer<Float> {
            guard dropping else { return dStream }
            Dropout.backward(dinput: a.dBranch.pointer, dout: dStream, mask: a.masks.slice(mask, size: maskSize), count: NC, threads: threads)
            return a.dBranch.pointer
        }
        for l in (0..<L).reversed() {
            let block = layout.blocks[l], x = a.layer(l)

            // MLP branch.
            Matmul.backward(dinput: a.dfc.pointer, dweight: g + block.mlpProjectionWeight, dbias: g + block.mlpProjectionBias, dout: branchGradient(mask: 2 * l + 2),
                            input: x.fcGELU, weight: w + block.mlpProjectionWeight, rows: N, inputSize: 4 * C, outputSize: C, threads: threads)
            GELU.backward(dinput: a.dfc.pointer, dout: a.dfc.pointer, input: x.fc, count: N * 4 * C, threads: threads)
            Matmul.backward(dinput: a.dNormalized.pointer, dweight: g + block.mlpWeight, dbias: g + block.mlpBias, dout: a.dfc.pointer,
                            input: x.ln2, weight: w + block.mlpWeight, rows: N, inputSize: C, outputSize: 4 * C, threads: threads)
            LayerNorm.backward(dinput: dStream, dweight: g + block.ln2Weight, dbias: g + block.ln2Bias, dout: a.dNormalized.pointer, input: x.middle,
                               weight: w + block.ln2Weight, mean: x.ln2Mean, rstd: x.ln2Rstd, rows: N, C: C, threads: threads)

            // Attention branch.
            Matmul.backward(dinput: a.dAttention.pointer, dweight: g + block.attentionProjectionWeight, dbias: g + block.attentionProjectionBias,
                            dout: branchGradient(mask: 2 * l + 1), input: x.attention, weight: w + block.attentionProjectionWeight,
                            rows: N, inputSize: C, outputSize: C, threads: threads)
            Attention.backward(dqkv: a.dqkv.pointer, dout: a.dAttention.pointer, qkv: x.qkv, probabilities: x.probabilities,
                               scratch: a.attentionScratch.pointer, B: B, T: T, C: C, heads: H, threads: threads)
            Matmul.backward(dinput: a.dNormalized.pointer, dweight: g + block.attentionWeight, dbias: g + block.attentionBias, dout: a.dqkv.pointer,
                            input: x.ln1, weight: w + block.attentionWeight, rows: N, inputSize: C, outputSize: 3 * C, threads: threads)
            LayerNorm.backward(dinput: dStream, dweight: g + block.ln1Weight, dbias: g + block.ln1Bias, dout: a.dNormalized.pointer, input: x.input,
                               weight: w + block.ln1Weight, mean: x.ln1Mean, rstd: x.ln1Rstd, rows: N, C: C, threads: threads)
        }
        Encoder.backward(dwte: g + layout.tokenEmbedding, dwpe: g + layout.positionEmbedding, dout: branchGradient(mask: 0),
                         tokens: a.tokens, B: B, T: T, C: C, threads: threads)
    }
}
