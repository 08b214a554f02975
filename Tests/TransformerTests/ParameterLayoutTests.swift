import Support
import Testing
@testable import Transformer

@Suite struct ParameterLayoutTests {
    @Test func countMatchesGPT2Formula() {
        let config = GPTConfig.preset("small", vocabularySize: 2048)!
        let layout = ParameterLayout(config: config)
        let C = 256, V = 2048, T = 128, L = 4
        // Per block: 2 LayerNorms (4C) + qkv (3C² + 3C) + proj (C² + C) + fc (4C² + 4C) + fc proj (4C² + C).
        let perBlock = 4 * C + 3 * C * C + 3 * C + C * C + C + 4 * C * C + 4 * C + 4 * C * C + C
        #expect(layout.count == V * C + T * C + L * perBlock + 2 * C)
        #expect(layout.tensors.count == 2 + 12 * L + 2)
        #expect(layout.tensor(named: "transformer.h.3.mlp.c_fc.weight")?.shape == [C, 4 * C])
    }

    @Test func tensorsTileTheBufferWithoutGaps() {
        let layout = ParameterLayout(config: GPTConfig.preset("tiny", vocabularySize: 300)!)
        var expected = 0
        for tensor in layout.tensors {
            #expect(tensor.offset == expected)
            expected += tensor.count
        }
        #expect(expected == layout.count)
    }

    @Test func initializationIsSeededAndShaped() {
        let layout = ParameterLayout(config: GPTConfig.preset("tiny", vocabularySize: 300)!)
        var r1 = SeededRandom(seed: 7), r2 = SeededRandom(seed: 7)
        let a = ParameterBuffer(layout: layout), b = ParameterBuffer(layout: layout)
        a.initializeGPT2(random: &r1)
        b.initializeGPT2(random: &r2)
        #expect(Array(a.buffer) == Array(b.buffer))
        let gain = a.slice(layout.tensor(named: "transformer.ln_f.weight")!)
        #expect(gain.allSatisfy { $0 == 1 })
        let wte = a.slice(layout.tensor(named: "transformer.wte.weight")!)
        let mean = wte.reduce(0, +) / Float(wte.count)
        let variance = wte.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(wte.count)
        // 19,200 samples of N(0, 0.02²): the sample std is within 5% of 0.02 with overwhelming probability.
        #expect(abs(variance.squareRoot() - 0.02) < 0.001)
    }

    @Test func presetsAreValid() {
        for name in GPTConfig.presetNames {
            #expect(GPTConfig.preset(name, vocabularySize: 4096)!.problems.isEmpty)
        }
        #expect(GPTConfig.preset("huge", vocabularySize: 10) == nil)
        #expect(!GPTConfig(vocabularySize: 10, contextLength: 8, layers: 1, heads: 3, embeddingSize: 64).problems.isEmpty)
    }
}
