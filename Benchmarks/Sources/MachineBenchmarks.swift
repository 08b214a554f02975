import CBLAS
import Foundation

/// Facts about the machine a run happened on, and its own sgemm rate: every other figure is
/// quoted against these, measured in the same run, since shared machines are noisy.
enum BenchmarkEnvironment {
    /// The 1-minute load average, from /proc/loadavg.
    static func loadAverage() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return -1 }
        return Double(text.split(separator: " ").first ?? "") ?? -1
    }

    /// Median seconds of `body` over `repeats` runs after one warm-up.
    static func medianSeconds(repeats: Int, _ body: () throws -> Void) rethrows -> Double {
        try body()
        var times: [Double] = []
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        times.sort()
        return times[times.count / 2]
    }

    /// GFLOP/s of OpenBLAS sgemm for C[m×n] = A[m×k] · B[k×n] on `threads` threads.
    static func sgemmGFLOPS(m: Int, n: Int, k: Int, threads: Int) -> Double {
        let previous = openblas_get_num_threads()
        openblas_set_num_threads(Int32(threads))
        defer { openblas_set_num_threads(previous) }
        let a = [Float](repeating: 0.5, count: m * k)
        let b = [Float](repeating: 0.25, count: k * n)
        var c = [Float](repeating: 0, count: m * n)
        let seconds = medianSeconds(repeats: 7) {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                        1, a, Int32(k), b, Int32(n), 0, &c, Int32(n))
        }
        return 2 * Double(m) * Double(n) * Double(k) / seconds / 1e9
    }
}

func machineBenchmarks() throws -> [String: Any] {
    [
        "cores": ProcessInfo.processInfo.activeProcessorCount,
        "sgemm_gflops_512x1152x384_1_thread": BenchmarkEnvironment.sgemmGFLOPS(m: 512, n: 1152, k: 384, threads: 1),
        "sgemm_gflops_512x1152x384_2_threads": BenchmarkEnvironment.sgemmGFLOPS(m: 512, n: 1152, k: 384, threads: 2),
    ]
}
