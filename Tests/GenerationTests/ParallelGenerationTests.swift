import Generation
import Support
import Testing
import Transformer

/// Batched generation on two threads. The other generation tests use a model too narrow for the
/// decoding products to split, so this is where `make test-tsan` sees the sampler driving a
/// session whose worker pool is busy: a 256-wide model, four sequences at once, run past 64
/// positions so that attention splits as well. Sampling is seeded per sequence and the split
/// never changes the arithmetic, so two threads must write exactly what one thread writes.
@Suite struct ParallelGenerationTests {
    static func generate(threads: Int) throws -> [GeneratedSequence] {
        let config = GPTConfig(vocabularySize: 300, contextLength: 80, layers: 1, heads: 4, embeddingSize: 256)
        let model = ParameterBuffer(layout: ParameterLayout(config: config))
        var random = SeededRandom(seed: 3)
        model.initializeGPT2(random: &random)
        var settings = SamplingSettings()
        settings.maxNewTokens = 70
        settings.stopAtEndOfText = false
        settings.seed = 21
        let tokenizer = TestModel.tokenizer
        let generator = try Generator(model: model, tokenizer: tokenizer, batchCapacity: 4, threads: threads)
        return try generator.generate(prompts: [tokenizer.encode("fresh coffee"), tokenizer.encode("morning")], settings: settings, count: 2)
    }

    @Test func fourSequencesOnTwoThreadsMatchOneThread() throws {
        let two = try Self.generate(threads: 2)
        #expect(two.count == 4 && two.allSatisfy { $0.tokens.count == 70 })
        #expect(two == (try Self.generate(threads: 1)))
    }
}
