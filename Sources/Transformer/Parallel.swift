import Dispatch

/// Splitting work across the cores, one level of parallelism at a time: the one way training
/// kernels and decoding kernels run on threads.
///
/// Work is cut into at most `threads` contiguous ranges that depend only on the count and
/// `threads`; each range writes its own slice of the output, so results never depend on which
/// thread ran what. The parts run on a persistent `WorkerPool` (the calling thread takes part 0):
/// a decoding step runs about 30 products of a few tens of microseconds each, where waking a GCD
/// thread per product would cost more than the second core gains. When the pool is already in use
/// (a call from inside a part, or another session on another thread) the parts go to GCD instead.
///
///     Parallel.forEachRange(rows, threads: 2, minimumPerRange: 8) { range in
///         for row in range { normalize(row) }
///     }
public enum Parallel {
    /// Runs `body(part)` for every part in `0..<parts`, in parallel when there is more than one.
    public static func run(parts: Int, _ body: (Int) -> Void) {
        if parts <= 0 { return }
        if parts == 1 { body(0); return }
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            let job: @Sendable (Int) -> Void = { work.value($0) }
            if let pool = WorkerPool.shared(workers: parts - 1), pool.tryRun(parts: parts, job) { return }
            DispatchQueue.concurrentPerform(iterations: parts, execute: job)
        }
    }

    /// Calls `body` with consecutive ranges covering `0..<count`: at most `threads` of them, each
    /// of at least `minimumPerRange` items (but one), with inner boundaries on multiples of
    /// `alignment`. With one range it runs inline on the caller's thread.
    public static func forEachRange(_ count: Int, threads: Int, minimumPerRange: Int = 1, alignment: Int = 1,
                                    _ body: (Range<Int>) -> Void) {
        if count <= 0 { return }
        let parts = max(1, min(threads, count / max(1, minimumPerRange)))
        if parts == 1 { body(0..<count); return }
        run(parts: parts) { part in
            let range = rangeOf(part: part, of: parts, count: count, alignment: alignment)
            if !range.isEmpty { body(range) }
        }
    }

    /// Calls `body(i)` for every `i` in `0..<count`, split across `threads`.
    public static func forEach(_ count: Int, threads: Int, _ body: (Int) -> Void) {
        forEachRange(count, threads: threads) { range in
            for i in range { body(i) }
        }
    }

    /// Runs `body(part, range)` for `parts` ranges, in parallel: `part` lets a worker pick its own scratch memory.
    static func forEachPart(_ count: Int, parts: Int, _ body: (Int, Range<Int>) -> Void) {
        if count <= 0 { return }
        let parts = max(1, min(parts, count))
        run(parts: parts) { part in body(part, rangeOf(part: part, of: parts, count: count)) }
    }

    /// The `part`-th of `parts` near-equal contiguous ranges of `0..<count`, inner boundaries
    /// rounded down to multiples of `alignment`.
    static func rangeOf(part: Int, of parts: Int, count: Int, alignment: Int = 1) -> Range<Int> {
        let lower = part == 0 ? 0 : min(count, (count * part / parts) / alignment * alignment)
        let upper = part == parts - 1 ? count : min(count, (count * (part + 1) / parts) / alignment * alignment)
        return lower..<max(lower, upper)
    }
}

/// A value handed to worker threads that the caller knows is used safely: each part reads shared
/// inputs and writes its own disjoint slice, which Swift cannot prove, so the promise is made here.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
