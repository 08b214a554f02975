import CBLAS

/// Floating-point work of a training step, counted the way model-FLOP-utilisation figures are
/// (nanoGPT's `estimate_mfu`, the PaLM paper's appendix): matrix products only.
///
/// - Weights used in products, P = L·(3C² + C² + 4C² + 4C²) + V·C (the LM head is wte, used once
///   more); position embeddings, biases and gains are not products. Forward costs 2·P FLOPs per
///   token, backward twice that (input and weight gradients): 6·P.
/// - Attention's scores (QKᵀ) and weighted sum (PV): 2·T·C FLOPs each per token per layer forward,
///   twice that backward: 12·L·T·C per token, counting the full T×T square as those references do
///   (copygen's blocked kernel skips most of the masked half, so it does less than it is credited).
/// Element-wise work (LayerNorm, GELU, softmax, AdamW) is not counted: it is the overhead the
/// ratio to the machine's sgemm rate exposes.
public enum TrainingCost {
    public static func matrixWeights(_ config: GPTConfig) -> Int {
        let C = config.embeddingSize
        return config.layers * 12 * C * C + config.vocabularySize * C
    }

    /// FLOPs per trained token at sequence length `length`.
    public static func flopsPerToken(_ config: GPTConfig, length: Int) -> Double {
        6 * Double(matrixWeights(config)) + 12 * Double(config.layers * length * config.embeddingSize)
    }

    /// GFLOP/s of one OpenBLAS sgemm C[m×n] = A[m×k]·B[k×n] using OpenBLAS's own `threads` threads
    /// (median of `repeats` after a warm-up): the machine's reference rate. Leaves OpenBLAS at one
    /// thread afterwards, as the kernels expect.
    public static func sgemmGFLOPS(m: Int, n: Int, k: Int, threads: Int, repeats: Int = 7) -> Double {
        openblas_set_num_threads(Int32(max(1, threads)))
        defer { openblas_set_num_threads(1) }
        let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: k * n)
        var c = [Float](repeating: 0, count: m * n)
        var times: [Double] = []
        for run in 0...repeats {
            let start = Clock.nanoseconds()
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(n), 0, &c, Int32(n))
            if run > 0 { times.append(Double(Clock.nanoseconds() - start) * 1e-9) }
        }
        times.sort()
        return 2 * Double(m) * Double(n) * Double(k) / times[times.count / 2] / 1e9
    }
}

/// A monotonic clock for timings.
public enum Clock {
    public static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}

#if canImport(Glibc)
import Glibc
#endif
