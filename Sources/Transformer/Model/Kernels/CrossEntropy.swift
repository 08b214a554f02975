/// Softmax cross-entropy over the vocabulary, with an ignore rule: a target < 0 contributes no
/// loss and no gradient (the training loop marks header and padding positions that way).
public enum CrossEntropy {
    /// Fills `logSumExp[r]` (needed by backward) and `losses[r]` (0 for ignored rows) for `rows`
    /// rows of V logits; returns the mean loss over non-ignored rows and how many there were.
    /// `logits` is left unchanged.
    public static func forward(
        losses: UnsafeMutablePointer<Float>, logSumExp: UnsafeMutablePointer<Float>,
        logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, rows: Int, V: Int, threads: Int = 1
    ) -> (mean: Float, counted: Int) {
        Parallel.forEachRange(rows, threads: threads, minimumPerRange: 8) { range in
            for r in range {
                let row = logits + r * V
                let target = Int(targets[r])
                if target < 0 { losses[r] = 0; logSumExp[r] = 0; continue }
                let maximum = VectorMath.maximum(row, count: V)
                let lse = maximum + log(sumOfExponentials(row, count: V, shift: maximum))
                logSumExp[r] = lse
                losses[r] = lse - row[target]
            }
        }
        // Summed in row order on one thread so the mean is the same for any thread count.
        var total: Double = 0, counted = 0
        for r in 0..<rows where targets[r] >= 0 {
            total += Double(losses[r])
            counted += 1
        }
        return (counted == 0 ? 0 : Float(total / Double(counted)), counted)
    }

    /// dlogits = (softmax − onehot) · lossScale for counted rows, 0 for ignored rows.
    /// `dlogits` may be `logits` itself (the model does that to save a B·T·V buffer).
    public static func backward(
        dlogits: UnsafeMutablePointer<Float>, logits: UnsafePointer<Float>, logSumExp: UnsafePointer<Float>,
        targets: UnsafePointer<Int32>, rows: Int, V: Int, lossScale: Float, threads: Int = 1
    ) {
        Parallel.forEachRange(rows, threads: threads, minimumPerRange: 8) { range in
            for r in range {
                let d = dlogits + r * V, x = logits + r * V
                let target = Int(targets[r])
                if target < 0 { d.update(repeating: 0, count: V); continue }
                let lse = logSumExp[r]
                var j = 0
                while j + 16 <= V {
                    VectorMath.store(VectorMath.exp(VectorMath.load(x + j) - lse) * lossScale, d + j)
                    j += 16
                }
                while j < V { d[j] = VectorMath.exp(x[j] - lse) * lossScale; j += 1 }
                d[target] -= lossScale
            }
        }
    }

    @inline(__always)
    static func sumOfExponentials(_ values: UnsafePointer<Float>, count: Int, shift: Float) -> Float {
        var sum = SIMD16<Float>()
        var i = 0
        while i + 16 <= count {
            sum += VectorMath.exp(VectorMath.load(values + i) - shift)
            i += 16
        }
        var total = sum.sum()
        while i < count { total += VectorMath.exp(values[i] - shift); i += 1 }
        return total
    }
}

#if canImport(Glibc)
import Glibc
#endif
