import Support

/// A flat, owned float buffer in a `ParameterLayout`: the weights, or their gradients, or an
/// optimizer moment. A final class with a fixed base pointer, so kernels on several threads can
/// read it (and write disjoint slices of it) without copying.
public final class ParameterBuffer: @unchecked Sendable {
    public let layout: ParameterLayout
    /// `layout.count` floats (`AlignedAllocation`).
    public let pointer: UnsafeMutablePointer<Float>

    /// A zero-filled buffer.
    public init(layout: ParameterLayout) {
        self.layout = layout
        pointer = AlignedAllocation.zeroedFloats(layout.count)
    }

    deinit { AlignedAllocation.free(pointer) }

    /// The whole buffer.
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: layout.count) }

    /// The slice holding `tensor`.
    public func slice(_ tensor: ParameterLayout.Tensor) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: pointer + tensor.offset, count: tensor.count)
    }

    /// Sets every float to zero (e.g. gradients before a step).
    public func zero() { pointer.update(repeating: 0, count: layout.count) }

    /// Fills the buffer with GPT-2's initialization: weights ~ N(0, 0.02), the residual projections
    /// (attn.c_proj, mlp.c_proj) scaled by 1/sqrt(2L) so the residual stream's variance does not
    /// grow with depth, biases 0, LayerNorm gains 1.
    public func initializeGPT2(random: inout SeededRandom) {
        let residualScale = 1 / Float(2 * layout.config.layers).squareRoot()
        for tensor in layout.tensors {
            let values = slice(tensor)
            if tensor.name.hasSuffix("ln_1.weight") || tensor.name.hasSuffix("ln_2.weight") || tensor.name.hasSuffix("ln_f.weight") {
                values.update(repeating: 1)
            } else if !tensor.isMatrix {
                values.update(repeating: 0)
            } else {
                let std: Float = tensor.name.hasSuffix("c_proj.weight") ? 0.02 * residualScale : 0.02
                for i in values.indices { values[i] = std * random.nextGaussian() }
            }
        }
    }
}
