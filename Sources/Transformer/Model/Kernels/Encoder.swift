/// The embedding layer: out[b, t, :] = wte[token[b, t], :] + wpe[t, :].
public enum Encoder {
    /// - Parameters: out (B·T·C), tokens (B·T ids in 0..<V), wte (V·C), wpe (≥ T·C).
    public static func forward(
        out: UnsafeMutablePointer<Float>, tokens: UnsafePointer<Int32>,
        wte: UnsafePointer<Float>, wpe: UnsafePointer<Float>, B: Int, T: Int, C: Int, threads: Int = 1
    ) {
        Parallel.forEachRange(B * T, threads: threads, minimumPerRange: 64) { rows in
            for row in rows {
                let token = Int(tokens[row]), t = row % T
                let o = out + row * C, e = wte + token * C, p = wpe + t * C
                for c in 0..<C { o[c] = e[c] + p[c] }
            }
        }
    }

    /// Accumulates: dwte[token] += dout row, dwpe[t] += dout row. Parallel over channel bands, each
    /// channel summed over rows in row order, so the result does not depend on the thread count.
    public static func backward(
        dwte: UnsafeMutablePointer<Float>, dwpe: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
        tokens: UnsafePointer<Int32>, B: Int, T: Int, C: Int, threads: Int = 1
    ) {
        Parallel.forEachRange(C, threads: threads, minimumPerRange: 16) { channels in
            for row in 0..<(B * T) {
                let token = Int(tokens[row]), t = row % T
                let d = dout + row * C, e = dwte + token * C, p = dwpe + t * C
                for c in channels {
                    e[c] += d[c]
                    p[c] += d[c]
                }
            }
        }
    }
}
