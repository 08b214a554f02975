import Transformer

/// Floating-point work of a training step, counted the way model-FLOP-utilisation figures are
/// (nanoGPT's `estimate_mfu`, the PaLM paper's appendix): matrix products only.
///
/// - Weights used in products, P = L·(3C² + C² + 4C² + 4C²) + V·C (the LM head is wte, used once
///   more); position embeddings, biases and gains are not products. Forward costs 2·P FLOPs per
///   token, backward twice that (input and weight gradients): 6·P.
/// - Attention's scores (QKᵀ) and weighted sum (PV): 2·T·C FLOPs each per token per layer forward,
///   twice that backward: 12·L·T·C per token, counting the full T×T square as those references do
///   (copygen's blocked kernel skips most of the masked half, so it does less than it is credited).
/// Element-wise work (LayerNorm, GELU, softmax, AdamW) is not counted: it is the overhead the
/// ratio to the machine's sgemm rate exposes.
public enum TrainingCost {
    public static func matrixWeights(_ config: GPTConfig) -> Int {
        let C = config.embeddingSize
        return config.layers * 12 * C * C + config.vocabularySize * C
    }

    /// FLOPs per trained token at sequence length `length`.
    public static func flopsPerToken(_ config: GPTConfig, length: Int) -> Double {
        6 * Double(matrixWeights(config)) + 12 * Double(config.layers * length * config.embeddingSize)
    }
}
