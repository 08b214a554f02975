/// Layer normalization over the last axis of `rows` rows of C channels (GPT-2: ε = 1e-5).
public enum LayerNorm {
    public static let epsilon: Float = 1e-5

    /// out = (x − mean) · rstd · weight + bias per row; saves each row's mean and 1/std for backward.
    /// Works on any number of rows (B·T during training, the new positions during decoding).
    public static func forward(
        out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>?, rstd: UnsafeMutablePointer<Float>?,
        input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        rows: Int, C: Int, threads: Int = 1
    ) {
        Parallel.forEachRange(rows, threads: threads, minimumPerRange: 16) { range in
            for row in range {
                let x = input + row * C, o = out + row * C
                let m = Reduce.sum(x, count: C) / Float(C)
                let variance = Reduce.sumOfSquaredDeviations(x, count: C, from: m) / Float(C)
                let s = 1 / (variance + epsilon).squareRoot()
                for c in 0..<C { o[c] = (x[c] - m) * s * weight[c] + bias[c] }
                mean?[row] = m
                rstd?[row] = s
            }
        }
    }

    /// Accumulates into `dinput`, `dweight`, `dbias` (the residual stream and parameter gradients
    /// both gather contributions from several places).
    public static func backward(
        dinput: UnsafeMutablePointer<Float>, dweight: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>,
        dout: UnsafePointer<Float>, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, rows: Int, C: Int, threads: Int = 1
    ) {
        // dx = rstd · (dn − mean(dn) − n · mean(dn · n)), with n the normalized input and dn = dout · weight.
        Parallel.forEachRange(rows, threads: threads, minimumPerRange: 16) { range in
            for row in range {
                let x = input + row * C, d = dout + row * C, dx = dinput + row * C
                let m = mean[row], s = rstd[row]
                var sumDn = Reduce.Accumulator(), sumDnN = Reduce.Accumulator()
                var c = 0
                while c + 16 <= C {
                    let n = (VectorMath.load(x + c) - m) * s
                    let dn = VectorMath.load(d + c) * VectorMath.load(weight + c)
                    sumDn += dn
                    sumDnN += dn * n
                    c += 16
                }
                var a = sumDn.sum(), b = sumDnN.sum()
                while c < C {
                    let n = (x[c] - m) * s, dn = d[c] * weight[c]
                    a += dn; b += dn * n
                    c += 1
                }
                let meanDn = a / Float(C), meanDnN = b / Float(C)
                for c in 0..<C {
                    let n = (x[c] - m) * s
                    dx[c] += (d[c] * weight[c] - meanDn - n * meanDnN) * s
                }
            }
        }
        // Parameter gradients: parallel over channel bands, each channel summed over rows in order.
        Parallel.forEachRange(C, threads: threads, minimumPerRange: 16) { channels in
            for row in 0..<rows {
                let x = input + row * C, d = dout + row * C
                let m = mean[row], s = rstd[row]
                for c in channels {
                    dweight[c] += d[c] * (x[c] - m) * s
                    dbias[c] += d[c]
                }
            }
        }
    }
}
