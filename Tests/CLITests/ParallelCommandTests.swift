import Foundation
import Testing

/// The benchmark commands on two threads, so that the sanitized runs (`make test-asan`,
/// `make test-tsan`) see the binary's own threads: the training kernels split a 256-row batch,
/// decoding splits a 256-wide model's products across the worker pool, and the bandwidth probe
/// reads its buffer on two threads (70 tokens: attention splits too past 64 positions). The other CLI tests pass `--threads 1` or use tiny models.
@Suite struct ParallelCommandTests {
    @Test func benchTrainOnTwoThreads() throws {
        let run = try CopygenProcess.run(["bench", "train", "--layers", "1", "--dim", "64", "--heads", "2", "--context", "64",
                                          "--vocab", "300", "--batch", "4", "--steps", "2", "--threads", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect((object?["tokens_per_second"] as? Double ?? 0) > 0)
    }

    @Test func benchDecodeOnTwoThreadsAtBatchFour() throws {
        let run = try CopygenProcess.run(["bench", "decode", "--layers", "1", "--dim", "256", "--heads", "4", "--context", "80",
                                          "--vocab", "300", "--batch", "4", "--tokens", "70", "--threads", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(object?["batch"] as? Int == 4)
        #expect((object?["tokens_per_second"] as? Double ?? 0) > 0)
    }
}
