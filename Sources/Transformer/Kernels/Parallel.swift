import Dispatch

/// Splitting work across the cores, one level of parallelism at a time.
///
/// Every kernel takes a `threads` count. Work is split into `threads` contiguous ranges that run
/// on `DispatchQueue.concurrentPerform`; each range writes its own slice of the output, so results
/// never depend on which thread ran what. OpenBLAS is kept at one thread (see `Gemm`) and its
/// products are split the same way, so the two never compete for the cores.
public enum Parallel {
    /// Calls `body` with consecutive ranges covering `0..<count`, at most `threads` of them at once.
    /// With one thread (or little work) it runs inline on the caller's thread.
    public static func forEachRange(_ count: Int, threads: Int, minimumPerRange: Int = 1, _ body: (Range<Int>) -> Void) {
        if count <= 0 { return }
        let parts = max(1, min(threads, count / max(1, minimumPerRange)))
        if parts == 1 { body(0..<count); return }
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                work.value(rangeOf(part: part, of: parts, count: count))
            }
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
        if parts == 1 { body(0, 0..<count); return }
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                work.value(part, rangeOf(part: part, of: parts, count: count))
            }
        }
    }

    /// The `part`-th of `parts` near-equal contiguous ranges of `0..<count`.
    static func rangeOf(part: Int, of parts: Int, count: Int) -> Range<Int> {
        (part * count / parts)..<((part + 1) * count / parts)
    }
}

/// A value handed to worker threads that the caller knows is used safely (disjoint writes).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
