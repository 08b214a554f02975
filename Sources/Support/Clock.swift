#if canImport(Glibc)
import Glibc
#endif

/// The clocks every measurement reads: wall time for throughput, and the calling thread's CPU
/// time for one part of single-threaded work against the whole (unmoved by other processes).
///
///     let start = Clock.nanoseconds()
///     work()
///     let seconds = Clock.seconds(since: start)
public enum Clock {
    /// Monotonic wall-clock nanoseconds.
    public static func nanoseconds() -> UInt64 { read(CLOCK_MONOTONIC) }

    /// Seconds from `start` (a `nanoseconds()` reading) to now.
    public static func seconds(since start: UInt64) -> Double { Double(nanoseconds() - start) * 1e-9 }

    /// Nanoseconds of CPU time the calling thread has used.
    public static func threadCPUNanoseconds() -> UInt64 { read(CLOCK_THREAD_CPUTIME_ID) }

    /// What one `threadCPUNanoseconds()` reading costs (the fastest of 200 back-to-back pairs),
    /// to take out of a sum of many readings.
    public static let threadCPUReadingCost: UInt64 = (0..<200).reduce(UInt64.max) { fastest, _ in
        let start = threadCPUNanoseconds()
        return min(fastest, threadCPUNanoseconds() - start)
    }

    private static func read(_ clock: clockid_t) -> UInt64 {
        var time = timespec()
        clock_gettime(clock, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
