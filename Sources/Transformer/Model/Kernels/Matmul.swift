/// A linear layer with GPT-2's Conv1D layout: out[N×OC] = input[N×IC] · weight[IC×OC] + bias.
///
/// The weight is stored input-major (IC rows of OC), as in Hugging Face GPT-2 checkpoints, so
/// every product is a plain row-major sgemm with the right transpose flags and no copies.
public enum Matmul {
    /// out = input · weight (+ bias). `rows` is N (B·T in training, the new positions in decoding).
    public static func forward(
        out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>?, rows: Int, inputSize: Int, outputSize: Int, threads: Int = 1
    ) {
        if let bias {
            Parallel.forEachRange(rows, threads: threads, minimumPerRange: 64) { range in
                for row in range { (out + row * outputSize).update(from: bias, count: outputSize) }
            }
        }
        Gemm.multiply(transposeA: false, transposeB: false, m: rows, n: outputSize, k: inputSize,
                      a: input, lda: inputSize, b: weight, ldb: outputSize,
                      beta: bias == nil ? 0 : 1, c: out, ldc: outputSize, threads: threads)
    }

    /// dinput = dout · weightᵀ (overwritten, or added when `accumulateInput`); dweight += inputᵀ · dout;
    /// dbias += column sums of dout.
    public static func backward(
        dinput: UnsafeMutablePointer<Float>?, dweight: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>?,
        dout: UnsafePointer<Float>, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        rows: Int, inputSize: Int, outputSize: Int, accumulateInput: Bool = false, threads: Int = 1
    ) {
        if let dinput {
            Gemm.multiply(transposeA: false, transposeB: true, m: rows, n: inputSize, k: outputSize,
                          a: dout, lda: outputSize, b: weight, ldb: outputSize,
                          beta: accumulateInput ? 1 : 0, c: dinput, ldc: inputSize, threads: threads)
        }
        Gemm.multiply(transposeA: true, transposeB: false, m: inputSize, n: outputSize, k: rows,
                      a: input, lda: inputSize, b: dout, ldb: outputSize,
                      beta: 1, c: dweight, ldc: outputSize, threads: threads)
        if let dbias { ColumnSum.accumulate(into: dbias, rows: dout, count: rows, width: outputSize, threads: threads) }
    }
}

/// sum[c] += Σ_r x[r, c], parallel over column bands; each column is summed in row order.
enum ColumnSum {
    static func accumulate(into sum: UnsafeMutablePointer<Float>, rows x: UnsafePointer<Float>, count: Int, width: Int, threads: Int) {
        let blocks = (width + 15) / 16
        Parallel.forEachRange(blocks, threads: threads) { blockRange in
            for block in blockRange {
                let start = block * 16
                if start + 16 <= width {
                    var acc = VectorMath.load(sum + start)
                    for r in 0..<count { acc += VectorMath.load(x + r * width + start) }
                    VectorMath.store(acc, sum + start)
                } else {
                    for c in start..<width {
                        var total = sum[c]
                        for r in 0..<count { total += x[r * width + c] }
                        sum[c] = total
                    }
                }
            }
        }
    }
}
