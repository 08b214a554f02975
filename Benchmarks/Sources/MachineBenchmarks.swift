import Foundation
import Measurement

/// The machine's own sgemm rate, which every other figure of the run is quoted against.
func machineBenchmarks() throws -> [String: Any] {
    [
        "cores": ProcessInfo.processInfo.activeProcessorCount,
        "sgemm_gflops_512x1152x384_1_thread": MachineProbe.sgemmGFLOPS(m: 512, n: 1152, k: 384, threads: 1),
        "sgemm_gflops_512x1152x384_2_threads": MachineProbe.sgemmGFLOPS(m: 512, n: 1152, k: 384, threads: 2),
    ]
}
