import ArgumentParser
import Transformer

/// The model shape both benchmarks take (`bench train`, `bench decode`): random weights of this
/// shape are timed, so no model directory is needed.
struct ModelShapeOptions: ParsableArguments {
    @Option(help: "Transformer blocks.") var layers: Int
    @Option(help: "Embedding width C.") var dim: Int
    @Option(help: "Attention heads.") var heads: Int
    @Option(help: "Context length T (the sequence length of a training row).") var context: Int
    @Option(help: "Vocabulary size V.") var vocab: Int

    var config: GPTConfig {
        GPTConfig(vocabularySize: vocab, contextLength: context, layers: layers, heads: heads, embeddingSize: dim)
    }

    func validate() throws {
        if let problem = config.problems.first { throw ValidationError(problem) }
    }
}
