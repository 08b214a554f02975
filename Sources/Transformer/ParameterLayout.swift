/// Where each named tensor of a GPT-2 model lives inside one flat float buffer.
///
/// Weights, gradients and AdamW's two moments all use this one layout, so the optimizer and the
/// gradient clipper walk single contiguous arrays, and a checkpoint is a list of slices of it.
/// Names and shapes are Hugging Face GPT-2's (`transformer.h.0.attn.c_attn.weight`, …), with
/// linear weights stored input-major (Conv1D: in × out), so checkpoints load in `transformers`.
public struct ParameterLayout: Sendable {
    /// One tensor: its name, shape, and place in the flat buffer.
    public struct Tensor: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        public var offset: Int
        public var count: Int { shape.reduce(1, *) }
        /// Matrices get weight decay; vectors (biases, LayerNorm gains) do not.
        public var isMatrix: Bool { shape.count == 2 }
    }

    /// Offsets of one transformer block's tensors.
    public struct Block: Sendable {
        public var ln1Weight: Int, ln1Bias: Int
        public var attentionWeight: Int, attentionBias: Int          // C × 3C (q | k | v), 3C
        public var attentionProjectionWeight: Int, attentionProjectionBias: Int  // C × C, C
        public var ln2Weight: Int, ln2Bias: Int
        public var mlpWeight: Int, mlpBias: Int                      // C × 4C, 4C
        public var mlpProjectionWeight: Int, mlpProjectionBias: Int  // 4C × C, C
    }

    public let config: GPTConfig
    /// Every tensor in checkpoint order.
    public let tensors: [Tensor]
    /// Token embedding, V × C (also the LM head: tied).
    public let tokenEmbedding: Int
    /// Position embedding, T × C.
    public let positionEmbedding: Int
    public let blocks: [Block]
    public let finalNormWeight: Int, finalNormBias: Int
    /// Floats in the whole buffer.
    public let count: Int

    public init(config: GPTConfig) {
        let C = config.embeddingSize, V = config.vocabularySize, T = config.contextLength
        var tensors: [Tensor] = []
        var next = 0
        func add(_ name: String, _ shape: [Int]) -> Int {
            let tensor = Tensor(name: name, shape: shape, offset: next)
            tensors.append(tensor)
            next += tensor.count
            return tensor.offset
        }
        tokenEmbedding = add("transformer.wte.weight", [V, C])
        positionEmbedding = add("transformer.wpe.weight", [T, C])
        var blocks: [Block] = []
        for l in 0..<config.layers {
            let p = "transformer.h.\(l)."
            blocks.append(Block(
                ln1Weight: add(p + "ln_1.weight", [C]), ln1Bias: add(p + "ln_1.bias", [C]),
                attentionWeight: add(p + "attn.c_attn.weight", [C, 3 * C]), attentionBias: add(p + "attn.c_attn.bias", [3 * C]),
                attentionProjectionWeight: add(p + "attn.c_proj.weight", [C, C]), attentionProjectionBias: add(p + "attn.c_proj.bias", [C]),
                ln2Weight: add(p + "ln_2.weight", [C]), ln2Bias: add(p + "ln_2.bias", [C]),
                mlpWeight: add(p + "mlp.c_fc.weight", [C, 4 * C]), mlpBias: add(p + "mlp.c_fc.bias", [4 * C]),
                mlpProjectionWeight: add(p + "mlp.c_proj.weight", [4 * C, C]), mlpProjectionBias: add(p + "mlp.c_proj.bias", [C])))
        }
        finalNormWeight = add("transformer.ln_f.weight", [C])
        finalNormBias = add("transformer.ln_f.bias", [C])
        self.config = config
        self.tensors = tensors
        self.blocks = blocks
        self.count = next
    }

    /// The tensor called `name`, if the layout has one.
    public func tensor(named name: String) -> Tensor? {
        tensors.first { $0.name == name }
    }
}
