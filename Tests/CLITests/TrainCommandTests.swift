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

        // The saved run fixes the shape: a shape flag that disagrees stops the resume, naming why.
        let reshaped = try CopygenProcess.run(common + ["--steps", "16", "--resume", "--layers", "3"])
        #expect(reshaped.status == 2)
        #expect(reshaped.stderr.contains("the saved model's shape differs from the flags given; resume without shape flags"), "\(reshaped.stderr)")
        #expect(try String(contentsOfFile: out + "/log.csv", encoding: .utf8).split(separator: "\n").count == 1 + 14)
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

    /// A plain-text file of documents, one a line, each longer than the tiny preset's context.
    func documents(_ count: Int) throws -> String {
        let path = NSTemporaryDirectory() + "copygen-docs-\(UUID().uuidString).txt"
        let lines = (0..<count).map { i in
            "Room \(i) has a bright kitchen, a quiet garden and fast wifi. Walk to the Marlow market, the river and three cafes. "
                + "Check in after three; the host leaves a map, fresh bread and coffee for the first morning of your stay."
        }
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func pretrainsOnDocumentsThenFineTunesWithInitAndResumes() throws {
        let docs = try documents(60), corpus = try slice(200), fewer = try slice(50)
        let base = NSTemporaryDirectory() + "copygen-base-\(UUID().uuidString)"
        let pretrain = try CopygenProcess.run(["train", "--documents", docs + "@2", "--corpus", fewer + "@0.5", "--out", base,
                                               "--tokenizer", Self.tokenizer, "--preset", "tiny", "--batch", "4", "--steps", "6", "--quiet"])
        #expect(pretrain.status == 0, "\(pretrain.stderr)")
        #expect(FileManager.default.fileExists(atPath: base + "/model.safetensors"))

        let tuned = NSTemporaryDirectory() + "copygen-tuned-\(UUID().uuidString)"
        let common = ["train", "--init", base, "--corpus", corpus, "--out", tuned, "--batch", "4", "--eval-interval", "3", "--quiet"]
        let fineTune = try CopygenProcess.run(common + ["--steps", "4"])
        #expect(fineTune.status == 0, "\(fineTune.stderr)")
        #expect(fineTune.stderr.contains("starting from the weights of \(base)"))
        // The model keeps --init's shape and tokenizer.
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tuned + "/config.json"))) as! [String: Any]
        #expect(config["n_layer"] as? Int == 2 && config["n_embd"] as? Int == 64)
        #expect(FileManager.default.contentsEqual(atPath: tuned + "/tokenizer.json", andPath: base + "/tokenizer.json"))
        // words.txt: the base's words (its documents') and the fine-tuning captions' words.
        let baseWords = Set(try String(contentsOfFile: base + "/words.txt", encoding: .utf8).split(separator: "\n").map(String.init))
        let tunedWords = Set(try String(contentsOfFile: tuned + "/words.txt", encoding: .utf8).split(separator: "\n").map(String.init))
        #expect(baseWords.contains("kitchen") && baseWords.contains("wifi"))
        #expect(tunedWords.isSuperset(of: baseWords))
        #expect(tunedWords.count > baseWords.count)
        // names.txt: the base's names and the captions' own.
        let baseNames = Set(try String(contentsOfFile: base + "/names.txt", encoding: .utf8).split(separator: "\n").map(String.init))
        let tunedNames = Set(try String(contentsOfFile: tuned + "/names.txt", encoding: .utf8).split(separator: "\n").map(String.init))
        #expect(baseNames.contains("marlow") && tunedNames.isSuperset(of: baseNames) && tunedNames.isSubset(of: tunedWords))

        let resumed = try CopygenProcess.run(common + ["--steps", "6", "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("steps 5...6"), "\(resumed.stderr)")
    }

    @Test func badInitIsOneLineNamingWhatDiffers() throws {
        let corpus = try slice(100)
        let base = NSTemporaryDirectory() + "copygen-base-\(UUID().uuidString)"
        let made = try CopygenProcess.run(["train", "--corpus", corpus, "--out", base, "--tokenizer", Self.tokenizer,
                                           "--preset", "tiny", "--batch", "4", "--steps", "2", "--quiet"])
        #expect(made.status == 0, "\(made.stderr)")
        let notAModel = NSTemporaryDirectory() + "copygen-empty-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: notAModel, withIntermediateDirectories: true)
        let otherTokenizer = NSTemporaryDirectory() + "copygen-tok-\(UUID().uuidString).json"
        let trained = try CopygenProcess.run(["tokenizer", "train", "--corpus", corpus, "--vocab-size", "300", "--out", otherTokenizer])
        #expect(trained.status == 0, "\(trained.stderr)")
        let cases: [([String], String)] = [
            (["--init", "/nonexistent-model"], "--init /nonexistent-model: no such model directory"),
            (["--init", notAModel], "not a model directory (no config.json)"),
            (["--init", base, "--layers", "3"], "shape differs from the flags given (layers 3 asked, 2 in --init)"),
            (["--init", base, "--tokenizer", otherTokenizer], "its tokenizer differs from \(otherTokenizer) (vocabulary size 4096 against 300)"),
            (["--init", base, "--preset", "small"], "--init takes its model's shape"),
        ]
        for (flags, message) in cases {
            let out = NSTemporaryDirectory() + "copygen-out-\(UUID().uuidString)"
            let run = try CopygenProcess.run(["train", "--corpus", corpus, "--out", out, "--steps", "1"] + flags)
            #expect(run.status == 2, "\(flags): \(run.stderr)")
            #expect(run.stderr.contains(message), "\(flags): \(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(flags) wrote \(out)")
        }
    }

    @Test func documentsWithInvalidUTF8NameTheLineOrAreReadLossily() throws {
        let path = NSTemporaryDirectory() + "copygen-docs-\(UUID().uuidString).txt"
        var bytes = Array("A sunny flat near the beach with two bedrooms.\n".utf8)
        bytes += [0x47, 0x6f, 0xff, 0x64, 0x0a]  // "Go\xffd"
        bytes += Array("A cabin in the woods with a fireplace and a deck.\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let out = NSTemporaryDirectory() + "copygen-out-\(UUID().uuidString)"
        let args = ["train", "--documents", path, "--out", out, "--tokenizer", Self.tokenizer, "--preset", "tiny",
                    "--batch", "2", "--steps", "1", "--quiet"]
        let strict = try CopygenProcess.run(args)
        #expect(strict.status == 2)
        #expect(strict.stderr.contains("\(path):2"), "\(strict.stderr)")
        #expect(strict.stderr.split(separator: "\n").count == 1, "\(strict.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let lossy = try CopygenProcess.run(args + ["--lossy"])
        #expect(lossy.status == 0, "\(lossy.stderr)")
    }

    @Test(arguments: [
        (["--corpus", "C@0"], "the weight after '@' must be a number in (0, 1000]"),
        (["--corpus", "@2"], "no file name before '@'"),
        ([String](), "nothing to train on: give --corpus or --documents"),
    ])
    func badWeightsAndMissingDataAreUsageErrors(flags: [String], message: String) throws {
        let run = try CopygenProcess.run(["train", "--out", "/tmp/copygen-never"] + flags.map { $0.replacingOccurrences(of: "C@", with: Self.corpus + "@") })
        #expect(run.status == 2)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }
}
