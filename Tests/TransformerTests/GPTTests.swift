import Support
import Testing
@testable import Transformer

@Suite struct GPTTests {
    static func tinyModel(vocabulary: Int = 37, dropout: Float = 0, maxBatch: Int = 2, maxLength: Int = 12, threads: Int = 2, seed: UInt64 = 5) -> GPT {
        var config = GPTConfig.preset("tiny", vocabularySize: vocabulary)!
        config.dropout = dropout
        let weights = ParameterBuffer(layout: ParameterLayout(config: config))
        var random = SeededRandom(seed: seed)
        weights.initializeGPT2(random: &random)
        // Non-trivial LayerNorm gains and biases, so their gradients are exercised too.
        for tensor in weights.layout.tensors where !tensor.isMatrix {
            for i in weights.slice(tensor).indices { weights.slice(tensor)[i] += 0.1 * random.nextGaussian() }
        }
        return GPT(parameters: weights, maxBatch: maxBatch, maxLength: maxLength, threads: threads, dropoutSeed: 11)
    }

    static func batch(vocabulary: Int, count: Int, seed: UInt64) -> (tokens: [Int32], targets: [Int32]) {
        var random = SeededRandom(seed: seed)
        let tokens = (0..<count).map { _ in Int32(random.next() % UInt64(vocabulary)) }
        var targets = (0..<count).map { _ in Int32(random.next() % UInt64(vocabulary)) }
        targets[0] = -1; targets[5] = -1  // ignored positions, like a caption's header
        return (tokens, targets)
    }

    @Test func wholeModelGradientMatchesFiniteDifferences() {
        let model = Self.tinyModel()
        let (tokens, targets) = Self.batch(vocabulary: 37, count: 24, seed: 1)
        func objective() -> Double {
            model.forward(tokens: tokens, targets: targets, batch: 2, length: 12, training: false)
            // The mean loss re-summed in Double from the per-position losses.
            return model.positionLosses.reduce(0.0) { $0 + Double($1) } / Double(model.countedTargets)
        }
        model.zeroGradients()
        _ = objective()
        #expect(model.countedTargets == 22)
        model.backward()
        let analytic = ParameterBuffer(layout: model.layout)
        _ = analytic.buffer.update(fromContentsOf: model.gradients.buffer)
        // Tolerance: 3% relative + 2e-4 absolute, ε = 1e-2 on weights of scale 0.02–1.
        for (index, tensor) in model.layout.tensors.enumerated() {
            GradientCheck.check(tensor.name, values: model.parameters.pointer + tensor.offset, analytic: analytic.pointer + tensor.offset,
                                count: tensor.count, coordinates: 3, relative: 3e-2, absolute: 2e-4, seed: UInt64(index), objective: objective)
        }
    }

    @Test func wteGradientHasBothTiedContributions() {
        // A token that never appears in the input still gets a gradient through the LM head only.
        let model = Self.tinyModel()
        let tokens = [Int32](repeating: 3, count: 24)
        let targets = [Int32](repeating: 4, count: 24)
        model.zeroGradients()
        model.forward(tokens: tokens, targets: targets, batch: 2, length: 12, training: true)
        model.backward()
        let C = model.config.embeddingSize
        let wte = model.gradients.pointer + model.layout.tokenEmbedding
        let row9 = (0..<C).map { abs(wte[9 * C + $0]) }.max()!
        #expect(row9 > 0)
    }

    @Test func lossStartsNearLogVocabulary() {
        let model = Self.tinyModel(vocabulary: 300)
        let (tokens, targets) = Self.batch(vocabulary: 300, count: 24, seed: 2)
        let loss = model.forward(tokens: tokens, targets: targets, batch: 2, length: 12, training: false)
        // Small random weights give near-uniform predictions: ln 300 ≈ 5.70.
        #expect(abs(loss - 5.70) < 0.2)
    }

    @Test func logitsWithoutTargetsEqualLogitsWithTargets() {
        let model = Self.tinyModel()
        let (tokens, targets) = Self.batch(vocabulary: 37, count: 12, seed: 3)
        model.forward(tokens: tokens, targets: targets, batch: 1, length: 12, training: false)
        let first = Array(model.logits)
        #expect(model.forward(tokens: tokens, targets: nil, batch: 1, length: 12, training: false) == 0)
        #expect(Array(model.logits) == first)
        #expect(first.count == 12 * 37)
    }

    @Test func dropoutOnlyInTraining() {
        let plain = Self.tinyModel(), dropping = Self.tinyModel(dropout: 0.2)
        let (tokens, targets) = Self.batch(vocabulary: 37, count: 24, seed: 4)
        let reference = plain.forward(tokens: tokens, targets: targets, batch: 2, length: 12, training: true)
        #expect(dropping.forward(tokens: tokens, targets: targets, batch: 2, length: 12, training: false) == reference)
        #expect(dropping.forward(tokens: tokens, targets: targets, batch: 2, length: 12, training: true) != reference)
    }

    /// Three SGD steps with dropout on: losses, weights and gradients identical bit for bit.
    static func run(threads: Int) -> (losses: [Float], weights: [Float]) {
        let model = tinyModel(dropout: 0.1, threads: threads)
        var losses: [Float] = []
        let (tokens, targets) = batch(vocabulary: 37, count: 24, seed: 10)
        for _ in 0..<3 {
            model.zeroGradients()
            losses.append(model.forward(tokens: tokens, targets: targets, batch: 2, length: 12, training: true))
            model.backward()
            for i in 0..<model.layout.count { model.parameters.pointer[i] -= 0.05 * model.gradients.pointer[i] }
        }
        return (losses, Array(model.parameters.buffer) + Array(model.gradients.buffer))
    }

    @Test func sameSeedSameThreadsSameResultsBitForBit() {
        let a = Self.run(threads: 2), b = Self.run(threads: 2)
        #expect(a.losses == b.losses)
        #expect(a.weights == b.weights)
        #expect(a.losses[2] < a.losses[0])
    }

    @Test func oneAndTwoThreadsAgree() {
        // Not promised bit for bit (OpenBLAS may block a split product differently), but close:
        // 1e-5 relative on the losses.
        let one = Self.run(threads: 1), two = Self.run(threads: 2)
        for (x, y) in zip(one.losses, two.losses) { #expect(abs(x - y) <= 1e-5 * abs(x)) }
        print("GPTTests: 1 and 2 threads bit-identical: \(one.losses == two.losses && one.weights == two.weights)")
    }

    @Test func shorterBatchesReuseTheBuffers() {
        let model = Self.tinyModel()
        let (tokens, targets) = Self.batch(vocabulary: 37, count: 24, seed: 6)
        let full = model.forward(tokens: Array(tokens[0..<6]), targets: Array(targets[0..<6]), batch: 1, length: 6, training: false)
        model.forward(tokens: tokens, targets: targets, batch: 2, length: 12, training: false)
        #expect(model.forward(tokens: Array(tokens[0..<6]), targets: Array(targets[0..<6]), batch: 1, length: 6, training: false) == full)
    }
}
