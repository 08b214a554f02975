import Transformer

/// Gradient clipping by global norm: when ‖g‖₂ over every parameter exceeds `maxNorm`, all
/// gradients are scaled by maxNorm/‖g‖ so the step keeps its direction but not its size.
public enum GradientClipping {
    /// Floats per chunk of the norm's sum: fixed, so the result is the same for any thread count.
    static let chunk = 1 << 16

    /// ‖gradients‖₂. Each chunk's sum of squares uses 16 float lanes, chunks add in Double, in order.
    /// NaN or ∞ when any gradient is.
    public static func globalNorm(_ gradients: ParameterBuffer, threads: Int = 1) -> Float {
        let count = gradients.layout.count
        let chunks = (count + chunk - 1) / chunk
        var partial = [Double](repeating: 0, count: chunks)
        let g = gradients.pointer
        partial.withUnsafeMutableBufferPointer { sums in
            let out = sums.baseAddress!
            Parallel.forEachRange(chunks, threads: threads) { range in
                for c in range {
                    let start = c * chunk, end = min(count, start + chunk)
                    var acc = SIMD16<Float>()
                    var i = start
                    while i + 16 <= end {
                        let x = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD16<Float>.self)
                        acc += x * x
                        i += 16
                    }
                    var total = Double(acc.sum())
                    while i < end { total += Double(g[i] * g[i]); i += 1 }
                    out[c] = total
                }
            }
        }
        return Float(partial.reduce(0, +).squareRoot())
    }

    /// The factor that brings `norm` down to `maxNorm` (1 when already within it, or when the
    /// norm is not finite — the caller should stop on that instead).
    public static func scale(norm: Float, maxNorm: Float) -> Float {
        norm.isFinite && norm > maxNorm && maxNorm > 0 ? maxNorm / norm : 1
    }

    /// Scales `gradients` in place so their global norm is at most `maxNorm`; returns the norm
    /// before clipping (what `log.csv` records).
    @discardableResult
    public static func clip(_ gradients: ParameterBuffer, maxNorm: Float, threads: Int = 1) -> Float {
        let norm = globalNorm(gradients, threads: threads)
        let factor = scale(norm: norm, maxNorm: maxNorm)
        if factor != 1 {
            let g = gradients.pointer
            Parallel.forEachRange(gradients.layout.count, threads: threads, minimumPerRange: 16_384) { range in
                for i in range { g[i] *= factor }
            }
        }
        return norm
    }
}
