import Dispatch

/// A pointer that may cross into `concurrentPerform`'s workers: each worker writes a disjoint
/// slice, which Swift cannot prove, so the promise is made here once.
struct SharedPointer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
    init(_ base: UnsafeMutablePointer<Element>) { self.base = base }
}

/// Splits work across the inference threads. One level of parallelism at a time: the decoding
/// kernels split output columns or (row, head) pairs across `threads`, and OpenBLAS (used for
/// large prefill products) is given the same number of threads.
struct InferenceParallel: Sendable {
    let threads: Int

    /// Runs `body(part)` for part in 0..<parts, in parallel when there is more than one part.
    func run(parts: Int, _ body: @Sendable (Int) -> Void) {
        if parts <= 1 {
            body(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: parts, execute: body)
        }
    }

    /// Splits `0..<count` into at most `threads` contiguous ranges of at least `minimum` items,
    /// whose boundaries are multiples of `alignment`, and runs `body` on each.
    func forEachRange(count: Int, minimum: Int, alignment: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
        let parts = max(1, min(threads, count / max(1, minimum)))
        if parts == 1 {
            body(0..<count)
            return
        }
        run(parts: parts) { part in
            let lower = part == 0 ? 0 : min(count, (count * part / parts) / alignment * alignment)
            let upper = part == parts - 1 ? count : min(count, (count * (part + 1) / parts) / alignment * alignment)
            if lower < upper { body(lower..<upper) }
        }
    }
}
