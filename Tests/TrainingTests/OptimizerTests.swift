import Support
import Testing
import Transformer
@testable import Training

@Suite struct OptimizerTests {
    static let config = GPTConfig(vocabularySize: 5, contextLength: 2, layers: 1, heads: 1, embeddingSize: 4)

    @Test func adamWMatchesTheFormulaAndDecaysMatricesOnly() {
        let layout = ParameterLayout(config: Self.config)
        let p = ParameterBuffer(layout: layout), g = ParameterBuffer(layout: layout)
        for i in 0..<layout.count { p.pointer[i] = 0.5; g.pointer[i] = 0.2 }
        let adam = AdamW(layout: layout, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1)
        adam.update(parameters: p, gradients: g, learningRate: 0.01)
        // Step 1: m̂ = g, v̂ = g², so the Adam step is lr · g/|g| = 0.01 (ε negligible).
        let wte = layout.tensor(named: "transformer.wte.weight")!, bias = layout.tensor(named: "transformer.h.0.attn.c_attn.bias")!
        let gain = layout.tensor(named: "transformer.ln_f.weight")!
        let decayed: Float = 0.5 * (1 - 0.01 * 0.1) - 0.01
        #expect(abs(p.slice(wte)[0] - decayed) < 1e-7)
        let undecayed: Float = 0.5 - 0.01
        #expect(abs(p.slice(bias)[0] - undecayed) < 1e-7)
        #expect(abs(p.slice(gain)[0] - undecayed) < 1e-7)
        #expect(adam.step == 1)
        // Step 2 with the same gradient: moments at their fixed point, the step is still lr.
        adam.update(parameters: p, gradients: g, learningRate: 0.01)
        let twice: Float = 0.5 - 0.02, moment: Float = 0.9 * 0.02 + 0.02
        #expect(abs(p.slice(bias)[0] - twice) < 1e-6)
        #expect(abs(adam.firstMoment.slice(bias)[0] - moment) < 1e-7)
    }

    @Test func adamWGradientScaleEqualsScaledGradients() {
        let layout = ParameterLayout(config: Self.config)
        let p1 = ParameterBuffer(layout: layout), p2 = ParameterBuffer(layout: layout)
        let g = ParameterBuffer(layout: layout), half = ParameterBuffer(layout: layout)
        var random = SeededRandom(seed: 3)
        for i in 0..<layout.count { g.pointer[i] = random.nextGaussian(); half.pointer[i] = g.pointer[i] * 0.5 }
        let a1 = AdamW(layout: layout), a2 = AdamW(layout: layout)
        for _ in 0..<3 {
            a1.update(parameters: p1, gradients: g, learningRate: 1e-3, gradientScale: 0.5, threads: 2)
            a2.update(parameters: p2, gradients: half, learningRate: 1e-3)
        }
        #expect(Array(p1.buffer) == Array(p2.buffer))
    }

    @Test func scheduleWarmsUpThenFollowsCosineToTheFloor() {
        let s = LearningRateSchedule(peak: 1e-3, floor: 1e-4, warmupSteps: 10, totalSteps: 110)
        #expect(abs(s.rate(at: 0) - 1e-4) < 1e-9)
        #expect(abs(s.rate(at: 4) - 5e-4) < 1e-9)
        #expect(abs(s.rate(at: 9) - 1e-3) < 1e-9)
        #expect(abs(s.rate(at: 10) - 1e-3) < 1e-9)
        #expect(abs(s.rate(at: 60) - 5.5e-4) < 1e-8)  // halfway: the mean of peak and floor
        #expect(abs(s.rate(at: 110) - 1e-4) < 1e-9)
        #expect(abs(s.rate(at: 500) - 1e-4) < 1e-9)
        for step in 10..<110 { #expect(s.rate(at: step + 1) <= s.rate(at: step)) }
        #expect(LearningRateSchedule(peak: 1, floor: 0, warmupSteps: 0, totalSteps: 0).rate(at: 0) == 0)
        #expect(LearningRateSchedule(peak: 1, floor: 0, warmupSteps: 0, totalSteps: 10).rate(at: 0) == 1)
    }

    @Test func clippingScalesToTheMaximumNormAndReportsTheOriginal() {
        let layout = ParameterLayout(config: Self.config)
        let g = ParameterBuffer(layout: layout)
        for i in 0..<layout.count { g.pointer[i] = 1 }
        let expected = Float(layout.count).squareRoot()
        #expect(abs(GradientClipping.globalNorm(g, threads: 2) - expected) < 1e-4)
        let norm = GradientClipping.clip(g, maxNorm: 1, threads: 2)
        #expect(abs(norm - expected) < 1e-4)
        #expect(abs(GradientClipping.globalNorm(g) - 1) < 1e-5)
        // Within the limit: untouched.
        let before = Array(g.buffer)
        GradientClipping.clip(g, maxNorm: 2)
        #expect(Array(g.buffer) == before)
        g.pointer[3] = .nan
        #expect(GradientClipping.globalNorm(g).isNaN)
        #expect(GradientClipping.scale(norm: .nan, maxNorm: 1) == 1)
    }

    @Test func tinyModelOverfitsOneBatch() {
        let config = GPTConfig.preset("tiny", vocabularySize: 40)!
        let weights = ParameterBuffer(layout: ParameterLayout(config: config))
        var random = SeededRandom(seed: 1)
        weights.initializeGPT2(random: &random)
        let model = GPT(parameters: weights, maxBatch: 2, maxLength: 16, threads: 2)
        let tokens = (0..<32).map { _ in Int32(random.next() % 40) }
        var targets = Array(tokens.dropFirst()) + [0]
        targets[0] = -1
        let adam = AdamW(layout: model.layout, weightDecay: 0)
        var first: Float = 0, last: Float = 0
        for step in 0..<150 {
            model.zeroGradients()
            last = model.forward(tokens: tokens, targets: targets, batch: 2, length: 16, training: true)
            if step == 0 { first = last }
            model.backward()
            let norm = GradientClipping.globalNorm(model.gradients)
            adam.update(parameters: weights, gradients: model.gradients, learningRate: 3e-3, gradientScale: GradientClipping.scale(norm: norm, maxNorm: 1))
        }
        #expect(first > 3.4)  // ≈ ln 40 = 3.69 at the start
        #expect(last < 0.05, "loss after 150 steps: \(last)")
    }
}
