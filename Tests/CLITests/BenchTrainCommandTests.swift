import Foundation
import Testing

@Suite struct BenchTrainCommandTests {
    @Test func printsOneJSONObjectWithTheFigures() throws {
        let run = try CopygenProcess.run(["bench", "train", "--layers", "1", "--dim", "32", "--heads", "2", "--context", "16",
                                          "--vocab", "50", "--batch", "2", "--steps", "1", "--threads", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let shape = object?["shape"] as? [String: Any]
        #expect(shape?["dim"] as? Int == 32 && shape?["batch"] as? Int == 2)
        for key in ["tokens_per_second", "achieved_gflops", "sgemm_gflops", "ratio_to_sgemm", "flops_per_token"] {
            #expect((object?[key] as? Double ?? 0) > 0, "\(key)")
        }
        // 6 · (12·L·C² + V·C) + 12·L·T·C for L = 1, C = 32, V = 50, T = 16.
        #expect(object?["flops_per_token"] as? Double == Double(6 * (12 * 32 * 32 + 50 * 32) + 12 * 16 * 32))
    }

    @Test func badShapeIsAUsageError() throws {
        let run = try CopygenProcess.run(["bench", "train", "--layers", "1", "--dim", "30", "--heads", "4", "--context", "16",
                                          "--vocab", "50", "--batch", "2"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("not a multiple of heads"))
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test func interopRefusesABrokenCheckpointInOneLine() throws {
        let directory = NSTemporaryDirectory() + "copygen-bench-interop-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let written = try CopygenProcess.run(["bench", "interop", "--out", directory])
        #expect(written.status == 0, "\(written.stderr)")
        let weights = directory + "/model.safetensors"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: weights))
        try bytes.prefix(bytes.count - 64).write(to: URL(fileURLWithPath: weights))
        let run = try CopygenProcess.run(["bench", "interop", "--model", directory, "--out", directory + "/again"])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("copygen: error: \(weights): tensor transformer.ln_f.bias"), "\(run.stderr)")
    }
}
