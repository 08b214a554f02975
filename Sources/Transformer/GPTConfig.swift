/// The shape of a GPT-2-architecture model.
///
/// Names follow the math: `C` (embeddingSize) channels, `T` (contextLength) positions,
/// `V` (vocabularySize) tokens, `L` layers of `heads` attention heads each.
public struct GPTConfig: Codable, Equatable, Sendable {
    /// V: tokens in the vocabulary (from the tokenizer).
    public var vocabularySize: Int
    /// T: the longest sequence the model sees (learned position embeddings).
    public var contextLength: Int
    /// L: transformer blocks.
    public var layers: Int
    /// Attention heads per block; `embeddingSize` must be a multiple of it.
    public var heads: Int
    /// C: width of the residual stream.
    public var embeddingSize: Int
    /// Dropout probability during training (0 disables it); inference never drops.
    public var dropout: Float

    public init(vocabularySize: Int, contextLength: Int, layers: Int, heads: Int, embeddingSize: Int, dropout: Float = 0) {
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.layers = layers
        self.heads = heads
        self.embeddingSize = embeddingSize
        self.dropout = dropout
    }

    /// Channels per head.
    public var headSize: Int { embeddingSize / heads }

    /// The named sizes: `tiny` for tests, `small` (the default), `base` for more data and time.
    public static let presetNames = ["tiny", "small", "base"]

    /// The preset called `name` with the given vocabulary size, or nil for an unknown name.
    public static func preset(_ name: String, vocabularySize: Int) -> GPTConfig? {
        switch name {
        case "tiny": return GPTConfig(vocabularySize: vocabularySize, contextLength: 64, layers: 2, heads: 2, embeddingSize: 64)
        case "small": return GPTConfig(vocabularySize: vocabularySize, contextLength: 128, layers: 4, heads: 4, embeddingSize: 256)
        case "base": return GPTConfig(vocabularySize: vocabularySize, contextLength: 256, layers: 6, heads: 6, embeddingSize: 384)
        default: return nil
        }
    }

    /// What differs between this shape and `other`'s, as one phrase ("layers 4 here, 6 there"), or
    /// nil when the two hold the same tensors. Dropout is a training setting, not shape.
    public func shapeDifference(from other: GPTConfig, here: String = "here", there: String = "there") -> String? {
        let fields: [(String, Int, Int)] = [
            ("vocabulary size", vocabularySize, other.vocabularySize), ("context length", contextLength, other.contextLength),
            ("layers", layers, other.layers), ("heads", heads, other.heads), ("width", embeddingSize, other.embeddingSize),
        ]
        let differing = fields.filter { $0.1 != $0.2 }.map { "\($0.0) \($0.1) \(here), \($0.2) \(there)" }
        return differing.isEmpty ? nil : differing.joined(separator: "; ")
    }

    /// Problems with this shape, one line each; empty when the model can be built.
    public var problems: [String] {
        var found: [String] = []
        if vocabularySize < 1 { found.append("vocabulary size must be positive (got \(vocabularySize))") }
        if contextLength < 1 { found.append("context length must be positive (got \(contextLength))") }
        if layers < 1 { found.append("layers must be positive (got \(layers))") }
        if heads < 1 { found.append("heads must be positive (got \(heads))") }
        if embeddingSize < 1 { found.append("embedding size must be positive (got \(embeddingSize))") }
        if heads > 0 && embeddingSize % heads != 0 {
            found.append("embedding size \(embeddingSize) is not a multiple of heads \(heads)")
        }
        if !(0..<1).contains(dropout) { found.append("dropout must be in [0, 1) (got \(dropout))") }
        return found
    }
}
