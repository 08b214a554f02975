import Transformer

/// AdamW (Loshchilov & Hutter): Adam with weight decay applied to the weights directly, not
/// through the gradient.
///
/// Decay applies to matrices only (`ParameterLayout.Tensor.isMatrix`): the four linear weights of
/// each block and both embeddings (wte, which is also the tied LM head, and wpe), as GPT-2 and
/// nanoGPT do; biases and LayerNorm gains are never decayed, since shrinking a gain or a bias
/// toward zero is not a useful prior. Moments live in two `ParameterBuffer`s of the same layout,
/// which `training_state.safetensors` saves for resume together with `step`.
public final class AdamW: @unchecked Sendable {
    public let layout: ParameterLayout
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    /// Exponential moving average of gradients (m).
    public let firstMoment: ParameterBuffer
    /// Exponential moving average of squared gradients (v).
    public let secondMoment: ParameterBuffer
    /// Updates applied so far (the t of the bias correction); restore it when resuming.
    public var step: Int = 0

    public init(layout: ParameterLayout, beta1: Float = 0.9, beta2: Float = 0.95, epsilon: Float = 1e-8, weightDecay: Float = 0.1) {
        self.layout = layout
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        firstMoment = ParameterBuffer(layout: layout)
        secondMoment = ParameterBuffer(layout: layout)
    }

    /// One update of `parameters` from `gradients` (unchanged) at `learningRate`.
    /// `gradientScale` multiplies every gradient first: pass the clipping factor and/or 1/k for k
    /// accumulated micro-batches to save a pass over the gradients.
    public func update(parameters: ParameterBuffer, gradients: ParameterBuffer, learningRate: Float, gradientScale: Float = 1, threads: Int = 1) {
        precondition(parameters.layout.count == layout.count && gradients.layout.count == layout.count, "AdamW: buffers do not match the layout")
        step += 1
        let b1 = beta1, b2 = beta2, eps = epsilon, scale = gradientScale
        let correction1 = 1 - Float(Double(b1).power(step)), correction2 = 1 - Float(Double(b2).power(step))
        let p = parameters.pointer, g = gradients.pointer, m = firstMoment.pointer, v = secondMoment.pointer
        for tensor in layout.tensors {
            let decay = tensor.isMatrix ? 1 - learningRate * weightDecay : 1
            let start = tensor.offset
            Parallel.forEachRange(tensor.count, threads: threads, minimumPerRange: 16_384) { range in
                for i in (start + range.lowerBound)..<(start + range.upperBound) {
                    let gradient = g[i] * scale
                    let mi = b1 * m[i] + (1 - b1) * gradient
                    let vi = b2 * v[i] + (1 - b2) * gradient * gradient
                    m[i] = mi
                    v[i] = vi
                    let mHat = mi / correction1, vHat = vi / correction2
                    p[i] = p[i] * decay - learningRate * mHat / (vHat.squareRoot() + eps)
                }
            }
        }
    }
}

extension Double {
    /// self^n for a non-negative integer n (Foundation-free).
    func power(_ n: Int) -> Double {
        var result = 1.0, base = self, e = n
        while e > 0 {
            if e & 1 == 1 { result *= base }
            base *= base
            e >>= 1
        }
        return result
    }
}
