import CBLAS

/// Row-major single-precision matrix products through OpenBLAS, split across threads by us.
///
/// OpenBLAS itself is held at one thread: its idle workers spin after each call and would compete
/// with the element-wise kernels' own threads. Instead a product is cut into `threads` bands of
/// rows (or columns) of C, each a one-threaded sgemm on its own core, which keeps exactly one
/// level of parallelism at any moment.
public enum Gemm {
    /// C[M×N] = alpha · op(A) · op(B) + beta · C, all row-major; `transposeA` means A is stored
    /// K×M (lda ≥ M), `transposeB` means B is stored N×K (ldb ≥ K).
    public static func multiply(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int = 1
    ) {
        if m == 0 || n == 0 { return }
        BLASThreads.use(1)
        let ta = transposeA ? CblasTrans : CblasNoTrans
        let tb = transposeB ? CblasTrans : CblasNoTrans
        let parts = threads > 1 && (m >= 64 || n >= 64) ? threads : 1
        if parts == 1 {
            cblas_sgemm(CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
            return
        }
        if m >= n {
            // Bands of rows of C: rows of A (or columns when A is stored transposed).
            let bands = bandCount(m, parts)
            Parallel.forEachRange(bands, threads: parts) { range in
                for band in range {
                    let rows = bandRange(band, of: bands, total: m)
                    let aStart = transposeA ? a + rows.lowerBound : a + rows.lowerBound * lda
                    cblas_sgemm(CblasRowMajor, ta, tb, Int32(rows.count), Int32(n), Int32(k), alpha, aStart, Int32(lda),
                                b, Int32(ldb), beta, c + rows.lowerBound * ldc, Int32(ldc))
                }
            }
        } else {
            // Bands of columns of C: columns of B (or rows when B is stored transposed).
            let bands = bandCount(n, parts)
            Parallel.forEachRange(bands, threads: parts) { range in
                for band in range {
                    let columns = bandRange(band, of: bands, total: n)
                    let bStart = transposeB ? b + columns.lowerBound * ldb : b + columns.lowerBound
                    cblas_sgemm(CblasRowMajor, ta, tb, Int32(m), Int32(columns.count), Int32(k), alpha, a, Int32(lda),
                                bStart, Int32(ldb), beta, c + columns.lowerBound, Int32(ldc))
                }
            }
        }
    }

    /// One band per thread, with band edges on multiples of 16 so the kernels stay aligned.
    private static func bandCount(_ size: Int, _ parts: Int) -> Int { min(parts, max(1, size / 16)) }

    private static func bandRange(_ index: Int, of bands: Int, total: Int) -> Range<Int> {
        let blocks = (total + 15) / 16
        let start = min(total, (index * blocks / bands) * 16)
        let end = index == bands - 1 ? total : min(total, ((index + 1) * blocks / bands) * 16)
        return start..<end
    }
}
