import CBLAS

/// The one owner of OpenBLAS's thread count, a process-wide setting.
///
/// Training products run OpenBLAS on one thread and split the product themselves (`Gemm`), so
/// OpenBLAS's idle workers never spin against the element-wise kernels' threads; a prefill's
/// products in decoding hand OpenBLAS the session's threads. Each product states what it needs
/// just before calling sgemm, so no caller depends on what another one set.
public enum BLASThreads {
    /// Sets OpenBLAS to `threads` threads unless it already is (reading the count is cheap).
    @inline(__always)
    public static func use(_ threads: Int) {
        let wanted = Int32(max(1, threads))
        if openblas_get_num_threads() != wanted { openblas_set_num_threads(wanted) }
    }

    /// Runs `body` with OpenBLAS at `threads` threads, then restores the count it found.
    public static func with<Result>(_ threads: Int, _ body: () throws -> Result) rethrows -> Result {
        let previous = Int(openblas_get_num_threads())
        use(threads)
        defer { use(previous) }
        return try body()
    }
}
