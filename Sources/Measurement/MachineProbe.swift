import CBLAS
import Dispatch
import Support
import Transformer

/// Facts about the machine a measurement ran on, measured in the same run as the figures quoted
/// against them, since shared machines are noisy: its load, its own sgemm rate and its memory
/// bandwidth.
public enum MachineProbe {
    /// The 1-minute load average from /proc/loadavg (-1 where there is none).
    public static func loadAverage() -> Double {
        // Read through FileContents: Foundation's file reading leaks its buffer on files that report
        // size 0, as /proc files do.
        guard let text = try? FileContents.readText("/proc/loadavg") else { return -1 }
        return Double(text.split(separator: " ").first ?? "") ?? -1
    }

    /// Median seconds of `body` over `repeats` runs after one warm-up run.
    public static func medianSeconds(repeats: Int, _ body: () throws -> Void) rethrows -> Double {
        try body()
        var times: [Double] = []
        for _ in 0..<max(1, repeats) {
            let start = Clock.nanoseconds()
            try body()
            times.append(Clock.seconds(since: start))
        }
        return median(times)
    }

    /// The middle value (the upper one of an even count; 0 for none).
    public static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    /// GFLOP/s of one OpenBLAS sgemm C[m×n] = A[m×k] · B[k×n] on OpenBLAS's own `threads`
    /// threads (median of `repeats` after a warm-up): the machine's reference rate.
    public static func sgemmGFLOPS(m: Int, n: Int, k: Int, threads: Int, repeats: Int = 7) -> Double {
        let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: k * n)
        var c = [Float](repeating: 0, count: m * n)
        let seconds = BLASThreads.with(threads) {
            medianSeconds(repeats: repeats) {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                            1, a, Int32(k), b, Int32(n), 0, &c, Int32(n))
            }
        }
        return 2 * Double(m) * Double(n) * Double(k) / seconds / 1e9
    }

    /// GB/s of summing a 512 MB buffer (far beyond the caches) on `threads` threads; best of three.
    public static func memoryBandwidth(threads: Int) -> Double {
        let count = 128 << 20
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 1, count: count)
        var best = Double.infinity
        for _ in 0..<3 {
            let start = Clock.nanoseconds()
            Parallel.forEachRange(count, threads: threads) { range in
                var sum = SIMD16<Float>()
                var i = range.lowerBound
                let raw = UnsafeRawPointer(buffer)
                while i + 16 <= range.upperBound { sum += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self); i += 16 }
                if sum.sum() == -1 { print("") }  // keeps the sum from being optimised away
            }
            best = min(best, Clock.seconds(since: start))
        }
        return Double(count * 4) / best / 1e9
    }

    /// `value` rounded to `digits` decimals, for JSON reports.
    public static func rounded(_ value: Double, _ digits: Int = 1) -> Double {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}
