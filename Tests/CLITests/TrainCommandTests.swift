import Foundation
import Testing

/// `copygen train` and `copygen eval` end to end on a slice of the shipped corpus.
@Suite(.serialized) struct TrainCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpus = root.appendingPathComponent("Corpora/captions.jsonl").path
    static let tokenizer = root.appendingPathComponent("Tokenizers/captions-4k.json").path

    func slice(_ lines: Int) throws -> String {
        let text = try String(contentsOfFile: Self.corpus, encoding: .utf8)
        let path = NSTemporaryDirectory() + "copygen-slice-\(UUID().uuidString).jsonl"
        try text.split(separator: "\n").prefix(lines).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func trainsThenEvaluatesThenResumes() throws {
        let corpus = try slice(300)
        let out = NSTemporaryDirectory() + "copygen-train-\(UUID().uuidString)"
        let common = ["train", "--corpus", corpus, "--out", out, "--tokenizer", Self.tokenizer, "--preset", "tiny",
                      "--batch", "4", "--eval-interval", "5", "--quiet"]
        let run = try CopygenProcess.run(common + ["--steps", "10"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("finished at step 10"))
        for file in ["model.safetensors", "config.json", "tokenizer.json", "training_state.safetensors", "log.csv", "loss.svg",
                     "training_ngrams.bin"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file) missing")
        }
        let eval = try CopygenProcess.run(["eval", "--model", out, "--corpus", corpus, "--split", "validation"])
        #expect(eval.status == 0, "\(eval.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as! [String: Any]
        let loss = json["loss"] as! Double
        #expect(loss > 0 && loss < 9)
        #expect(abs((json["perplexity"] as! Double) - exp(loss)) < 1e-6 * exp(loss))
        #expect((json["bits_per_byte"] as! Double) > 0)
        #expect((json["tokens"] as! Int) > 0)

        let resumed = try CopygenProcess.run(common + ["--steps", "14", "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("steps 11...14"))
        let log = try String(contentsOfFile: out + "/log.csv", encoding: .utf8)
        #expect(log.split(separator: "\n").count == 1 + 14)
    }

    @Test func ctrlCSavesACheckpointAndResumeContinues() throws {
        let corpus = try slice(300)
        let out = NSTemporaryDirectory() + "copygen-train-\(UUID().uuidString)"
        let process = Process()
        process.executableURL = CopygenProcess.executable
        process.arguments = ["train", "--corpus", corpus, "--out", out, "--tokenizer", Self.tokenizer, "--preset", "tiny",
                             "--batch", "4", "--steps", "100000", "--checkpoint-interval", "100000", "--quiet"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        // Wait until training is under way (the tokenizer is written at the start), then interrupt.
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: out + "/tokenizer.json") && Date() < deadline { usleep(20_000) }
        usleep(300_000)
        process.interrupt()
        // Never hang the suite: a run that ignores Ctrl-C is killed and the test fails.
        let killAt = Date().addingTimeInterval(60)
        while process.isRunning && Date() < killAt { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            Issue.record("copygen train did not stop on SIGINT")
        }
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stderr.contains("interrupted: checkpoint saved at step"))
        #expect(FileManager.default.fileExists(atPath: out + "/training_state.safetensors"))
        let resumed = try CopygenProcess.run(["train", "--corpus", corpus, "--out", out, "--tokenizer", Self.tokenizer,
                                              "--batch", "4", "--steps", "1", "--resume", "--quiet"])
        // --steps below the saved step: nothing left to do, the run is complete.
        #expect(resumed.status == 0, "\(resumed.stderr)")
    }

    @Test(arguments: [
        (["train", "--corpus", "/nonexistent.jsonl", "--out", "/tmp/x"], "/nonexistent.jsonl: cannot open"),
        (["train", "--corpus", "C", "--out", "/tmp/x", "--preset", "huge"], "unknown preset 'huge'"),
        (["train", "--corpus", "C", "--out", "/tmp/x", "--steps", "0"], "--steps must be at least 1"),
        (["eval", "--model", "/nonexistent-model", "--corpus", "C"], "/nonexistent-model/config.json"),
    ])
    func badInputIsOneLineWithStatus2(arguments: [String], message: String) throws {
        let args = arguments.map { $0 == "C" ? Self.corpus : $0 }
        let run = try CopygenProcess.run(args)
        #expect(run.status == 2)
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
    }

    @Test func malformedCorpusStopsBeforeTraining() throws {
        let path = NSTemporaryDirectory() + "copygen-bad-\(UUID().uuidString).jsonl"
        try "{\"text\": \"fine\"}\n{\"text\": 3}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let out = NSTemporaryDirectory() + "copygen-train-\(UUID().uuidString)"
        let run = try CopygenProcess.run(["train", "--corpus", path, "--out", out, "--tokenizer", Self.tokenizer, "--preset", "tiny"])
        #expect(run.status == 2)
        #expect(run.stderr.contains(":2: \"text\" is not a string"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
