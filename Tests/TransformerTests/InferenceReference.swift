import Foundation
import Support
@testable import Transformer

/// A deliberately naive GPT-2 forward pass in Double, written from the math with no cache, no SIMD
/// and no BLAS, so that the inference tests stand on their own: every position's logits for one
/// token sequence.
enum InferenceReference {
    static func logits(_ parameters: ParameterBuffer, tokens: [Int32]) -> [[Double]] {
        let layout = parameters.layout, config = layout.config
        let C = config.embeddingSize, H = config.heads, d = config.headSize, V = config.vocabularySize
        let p = parameters.pointer
        func value(_ offset: Int, _ i: Int) -> Double { Double(p[offset + i]) }
        func layerNorm(_ x: [Double], _ weight: Int, _ bias: Int) -> [Double] {
            let mean = x.reduce(0, +) / Double(C)
            let variance = x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(C)
            return (0..<C).map { (x[$0] - mean) / (variance + 1e-5).squareRoot() * value(weight, $0) + value(bias, $0) }
        }
        // x · W + b with W stored in × out.
        func linear(_ x: [Double], _ weight: Int, _ bias: Int, out: Int) -> [Double] {
            (0..<out).map { j in (0..<x.count).reduce(value(bias, j)) { $0 + x[$1] * value(weight, $1 * out + j) } }
        }
        var xs: [[Double]] = tokens.enumerated().map { t, token in
            (0..<C).map { value(layout.tokenEmbedding, Int(token) * C + $0) + value(layout.positionEmbedding, t * C + $0) }
        }
        for block in layout.blocks {
            let qkv = xs.map { linear(layerNorm($0, block.ln1Weight, block.ln1Bias), block.attentionWeight, block.attentionBias, out: 3 * C) }
            for t in 0..<xs.count {
                var attended = [Double](repeating: 0, count: C)
                for h in 0..<H {
                    let scores = (0...t).map { s in (0..<d).reduce(0.0) { $0 + qkv[t][h * d + $1] * qkv[s][C + h * d + $1] } / Double(d).squareRoot() }
                    let top = scores.max()!
                    let weights = scores.map { exp($0 - top) }
                    let total = weights.reduce(0, +)
                    for s in 0...t { for i in 0..<d { attended[h * d + i] += weights[s] / total * qkv[s][2 * C + h * d + i] } }
                }
                let projected = linear(attended, block.attentionProjectionWeight, block.attentionProjectionBias, out: C)
                for c in 0..<C { xs[t][c] += projected[c] }
            }
            for t in 0..<xs.count {
                let hidden = linear(layerNorm(xs[t], block.ln2Weight, block.ln2Bias), block.mlpWeight, block.mlpBias, out: 4 * C)
                    .map { 0.5 * $0 * (1 + tanh(0.7978845608028654 * ($0 + 0.044715 * $0 * $0 * $0))) }
                let projected = linear(hidden, block.mlpProjectionWeight, block.mlpProjectionBias, out: C)
                for c in 0..<C { xs[t][c] += projected[c] }
            }
        }
        return xs.map { x in
            let normed = layerNorm(x, layout.finalNormWeight, layout.finalNormBias)
            return (0..<V).map { v in (0..<C).reduce(0.0) { $0 + normed[$1] * value(layout.tokenEmbedding, v * C + $1) } }
        }
    }

    /// A model with random weights large enough that attention is far from uniform and every
    /// LayerNorm gain and bias differs, so that a misplaced index shows in the logits.
    static func randomModel(_ config: GPTConfig, seed: UInt64) -> ParameterBuffer {
        let parameters = ParameterBuffer(layout: ParameterLayout(config: config))
        var random = SeededRandom(seed: seed)
        for tensor in parameters.layout.tensors {
            let values = parameters.slice(tensor)
            let isGain = tensor.name.hasSuffix("ln_1.weight") || tensor.name.hasSuffix("ln_2.weight") || tensor.name.hasSuffix("ln_f.weight")
            for i in values.indices {
                values[i] = isGain ? 1 + 0.2 * random.nextGaussian() : (tensor.isMatrix ? 0.3 : 0.1) * random.nextGaussian()
            }
        }
        return parameters
    }

    static func randomTokens(_ count: Int, vocabularySize: Int, seed: UInt64) -> [Int32] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in Int32(random.next() % UInt64(vocabularySize)) }
    }
}
