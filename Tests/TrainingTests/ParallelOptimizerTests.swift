import Support
import Testing
import Transformer
@testable import Training

/// The optimizer and clipping split a tensor across threads only past 16K floats a part, which the
/// other tests' models never reach; this one's token embedding (600 × 64) splits in two, so
/// `make test-tsan` sees those threads. Exact comparison: each float's update is independent.
@Suite struct ParallelOptimizerTests {
    static let config = GPTConfig(vocabularySize: 600, contextLength: 8, layers: 1, heads: 2, embeddingSize: 64)

    static func steps(threads: Int) -> [Float] {
        let layout = ParameterLayout(config: config)
        #expect(layout.tensor(named: "transformer.wte.weight")!.count >= 2 * 16_384)
        let p = ParameterBuffer(layout: layout), g = ParameterBuffer(layout: layout)
        var random = SeededRandom(seed: 17)
        for i in 0..<layout.count { p.pointer[i] = random.nextGaussian() * 0.02 }
        let adam = AdamW(layout: layout)
        for _ in 0..<3 {
            for i in 0..<layout.count { g.pointer[i] = random.nextGaussian() }
            let norm = GradientClipping.clip(g, maxNorm: 1, threads: threads)
            #expect(norm > 1)
            adam.update(parameters: p, gradients: g, learningRate: 1e-3, threads: threads)
        }
        return Array(p.buffer) + Array(adam.firstMoment.buffer) + Array(adam.secondMoment.buffer)
    }

    @Test func twoThreadsEqualOneThread() {
        #expect(Self.steps(threads: 2) == Self.steps(threads: 1))
    }
}
