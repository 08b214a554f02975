import Generation
import Support
import Tokenizer
import Transformer

/// A tiny tokenizer trained in the test and a random model over its vocabulary.
enum TestModel {
    static let tokenizer: Tokenizer = {
        let texts = ["fresh coffee every morning", "coffee and cake", "morning light", "fresh bread and coffee"]
        return try! TokenizerTrainer(minimumPairCount: 1).train(texts: Array(repeating: texts, count: 3).flatMap { $0 }, vocabularySize: 290)
    }()

    /// Vocabulary 300 (a few ids past the tokenizer's, which the generator must never produce).
    static func model(contextLength: Int = 32, seed: UInt64 = 1) -> ParameterBuffer {
        let config = GPTConfig(vocabularySize: 300, contextLength: contextLength, layers: 2, heads: 2, embeddingSize: 32)
        let parameters = ParameterBuffer(layout: ParameterLayout(config: config))
        var random = SeededRandom(seed: seed)
        parameters.initializeGPT2(random: &random)
        // Larger weights than GPT-2's start, so the random model's distributions are far from flat.
        for tensor in parameters.layout.tensors where tensor.isMatrix {
            let values = parameters.slice(tensor)
            for i in values.indices { values[i] *= 15 }
        }
        return parameters
    }

    static var greedy: SamplingSettings {
        var settings = SamplingSettings()
        settings.temperature = 0
        settings.repetitionPenalty = 1
        return settings
    }
}
