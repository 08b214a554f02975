/// Causal multi-head self-attention over a packed q|k|v tensor.
///
/// Layout: `qkv` is (B, T, 3C) with queries in channels [0, C), keys in [C, 2C), values in
/// [2C, 3C); head h owns channels [h·hs, (h+1)·hs) of each part. `out` is (B, T, C) with the
/// heads side by side. `probabilities` is (B, H, T, T), kept for backward.
///
/// Each (batch row, head) pair is independent and runs on its own thread; inside it, the scores
/// and the weighted sum are small single-threaded sgemms over blocks of query rows, each block
/// multiplying only the key columns it may see (the causal mask skips most of the upper triangle).
public enum Attention {
    /// Query rows per block: a block of rows [r0, r1) needs key columns [0, r1).
    static let blockRows = 64

    public static func forward(
        out: UnsafeMutablePointer<Float>, probabilities: UnsafeMutablePointer<Float>, qkv: UnsafePointer<Float>,
        B: Int, T: Int, C: Int, heads H: Int, threads: Int = 1
    ) {
        let hs = C / H
        Parallel.forEach(B * H, threads: threads) { item in
            let b = item / H, h = item % H
            let q = qkv + b * T * 3 * C + h * hs
            attendCausal(
                queries: q, keys: q + C, values: q + 2 * C, stride: 3 * C, queryCount: T, firstPosition: 0,
                headSize: hs, out: out + b * T * C + h * hs, outStride: C,
                probabilities: probabilities + item * T * T, probabilityStride: T)
        }
    }

    /// One head: queries at positions firstPosition ..< firstPosition + queryCount attend to keys
    /// and values at positions 0 ... their own (rows of `keys`/`values` are positions, `stride`
    /// floats apart). Query row i's weights go to `probabilities[i·probabilityStride ..]`, which
    /// needs room for firstPosition + queryCount floats per row. Usable by cached decoding too.
    public static func attendCausal(
        queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>, stride: Int,
        queryCount: Int, firstPosition: Int, headSize hs: Int,
        out: UnsafeMutablePointer<Float>, outStride: Int,
        probabilities: UnsafeMutablePointer<Float>, probabilityStride: Int
    ) {
        let scale = 1 / Float(hs).squareRoot()
        var r0 = 0
        while r0 < queryCount {
            let r1 = min(r0 + blockRows, queryCount)
            let columns = firstPosition + r1
            let p = probabilities + r0 * probabilityStride
            Gemm.multiply(transposeA: false, transposeB: true, m: r1 - r0, n: columns, k: hs, alpha: scale,
                          a: queries + r0 * stride, lda: stride, b: keys, ldb: stride,
                          beta: 0, c: p, ldc: probabilityStride)
            for i in r0..<r1 {
                let row = probabilities + i * probabilityStride
                let visible = firstPosition + i + 1
                let maximum = VectorMath.maximum(row, count: visible)
                let total = VectorMath.exponentiate(row, count: visible, shift: maximum)
                let inverse = 1 / total
                for j in 0..<visible { row[j] *= inverse }
                for j in visible..<columns { row[j] = 0 }
            }
            Gemm.multiply(transposeA: false, transposeB: false, m: r1 - r0, n: hs, k: columns,
                          a: p, lda: probabilityStride, b: values, ldb: stride,
                          beta: 0, c: out + r0 * outStride, ldc: outStride)
            r0 = r1
        }
    }

    /// Overwrites `dqkv` (B, T, 3C) with the gradient from `dout` (B, T, C).
    /// `scratch` needs `threads · blockRows · T` floats.
    public static func backward(
        dqkv: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, qkv: UnsafePointer<Float>,
        probabilities: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        B: Int, T: Int, C: Int, heads H: Int, threads: Int = 1
    ) {
        let hs = C / H
        let scale = 1 / Float(hs).squareRoot()
        let stride = 3 * C
        Parallel.forEachPart(B * H, parts: max(1, threads)) { worker, items in
            let dScores = scratch + worker * blockRows * T
            for item in items {
                let b = item / H, h = item % H
                let q = qkv + b * T * stride + h * hs, k = q + C, v = q + 2 * C
                let dq = dqkv + b * T * stride + h * hs, dk = dq + C, dv = dq + 2 * C
                let dO = dout + b * T * C + h * hs
                let P = probabilities + item * T * T
                for t in 0..<T {
                    (dk + t * stride).update(repeating: 0, count: hs)
                    (dv + t * stride).update(repeating: 0, count: hs)
                }
                var r0 = 0
                while r0 < T {
                    let r1 = min(r0 + blockRows, T), n = r1 - r0, columns = r1
                    let pBlock = P + r0 * T
                    // dP = dO · Vᵀ and dV += Pᵀ · dO
                    Gemm.multiply(transposeA: false, transposeB: true, m: n, n: columns, k: hs,
                                  a: dO + r0 * C, lda: C, b: v, ldb: stride, beta: 0, c: dScores, ldc: T)
                    Gemm.multiply(transposeA: true, transposeB: false, m: columns, n: hs, k: n,
                                  a: pBlock, lda: T, b: dO + r0 * C, ldb: C, beta: 1, c: dv, ldc: stride)
                    // Softmax backward: dS = P ∘ (dP − Σⱼ P·dP), zero where masked.
                    for i in 0..<n {
                        let pRow = pBlock + i * T, dRow = dScores + i * T
                        let visible = r0 + i + 1
                        let s = Reduce.dot(pRow, dRow, count: visible)
                        for j in 0..<visible { dRow[j] = pRow[j] * (dRow[j] - s) }
                        for j in visible..<columns { dRow[j] = 0 }
                    }
                    // dQ = scale · dS · K and dK += scale · dSᵀ · Q
                    Gemm.multiply(transposeA: false, transposeB: false, m: n, n: hs, k: columns, alpha: scale,
                                  a: dScores, lda: T, b: k, ldb: stride, beta: 0, c: dq + r0 * stride, ldc: stride)
                    Gemm.multiply(transposeA: true, transposeB: false, m: columns, n: hs, k: n, alpha: scale,
                                  a: dScores, lda: T, b: q + r0 * stride, ldb: stride, beta: 1, c: dk, ldc: stride)
                    r0 = r1
                }
            }
        }
    }
}
