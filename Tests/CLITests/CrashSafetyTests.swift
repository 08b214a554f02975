#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Support
import Testing
import Tokenizer
import Training
import Transformer

/// `copygen train` killed with SIGKILL at seeded random moments, over and over, then resumed:
/// the model directory must never hold a half-written file, each kill must leave a checkpoint that
/// loads, `--resume` must continue from it, and the run must finally end with exactly the weights
/// of a run that was never interrupted.
@Suite(.serialized) struct CrashSafetyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let tokenizerPath = root.appendingPathComponent("Tokenizers/captions-4k.json").path
    static let kills = 40
    static let totalSteps = 300

    /// Every name a run may leave in its directory.
    static let outputs: Set<String> = ["words.txt", "names.txt", "model.safetensors", "config.json", "tokenizer.json", "training_state.safetensors",
                                       "log.csv", "loss.svg", "training_ngrams.bin"]

    /// A small corpus of captions made up from word lists (so the test needs no data files).
    static func writeCorpus(to path: String) throws {
        let products = ["cold brew", "linen shirt", "trail shoes", "desk lamp", "oat cookies", "canvas tote", "herbal tea", "wool socks"]
        let moods = ["Bright", "Slow", "Fresh", "Quiet", "Bold", "Easy"]
        let endings = ["made for your mornings.", "now back in stock.", "for long weekends outside.", "with free shipping this week.",
                       "that lasts all season.", "in three new colours."]
        let platforms = ["instagram", "x", "linkedin"]
        var random = SeededRandom(seed: 77)
        var lines: [String] = []
        for i in 0..<160 {
            let product = products[i % products.count]
            let text = "\(moods[Int(random.next() % 6)]) \(product) \(endings[Int(random.next() % 6)]) Caption \(i)."
            lines.append(#"{"text": "\#(text)", "topic": "\#(product)", "platform": "\#(platforms[i % 3])"}"#)
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func trainArguments(corpus: String, out: String, checkpointInterval: Int) -> [String] {
        ["train", "--corpus", corpus, "--out", out, "--tokenizer", tokenizerPath, "--preset", "tiny", "--batch", "2",
         "--steps", String(totalSteps), "--eval-interval", "3", "--checkpoint-interval", String(checkpointInterval),
         "--threads", "2", "--quiet"]
    }

    /// The step recorded in a training state, after checking the file is whole.
    static func savedStep(_ directory: String) throws -> Int? {
        let path = directory + "/training_state.safetensors"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let file = try SafeTensorsFile(path: path)
        let config = try Trainer.savedConfig(directory: directory)
        let count = ParameterLayout(config: config).count
        for name in ["weights", "adam.first_moment", "adam.second_moment"] {
            #expect(file.entry(name)?.shape == [count], "\(name) in \(path)")
        }
        return Int(file.metadata["step"] ?? "")
    }

    /// Checks every file in `directory` is either absent or whole and loadable; returns the names of
    /// temporary files a killed write left (they must never carry a name a loader reads).
    static func checkDirectory(_ directory: String, context: String) throws -> [String] {
        var temporaries: [String] = []
        // A kill while the binary is still loading (a busy machine) comes before --out exists: nothing written.
        guard FileManager.default.fileExists(atPath: directory) else { return temporaries }
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where !outputs.contains(name) {
            let isTemporary = name.hasPrefix(".") && outputs.contains { name.hasPrefix(".\($0).tmp-") }
            #expect(isTemporary, "\(context): unexpected file \(name)")
            temporaries.append(name)
        }
        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: directory + "/" + name) }
        if exists("model.safetensors") && exists("config.json") {
            _ = try ModelCheckpoint.load(directory: directory)
        } else if exists("model.safetensors") {
            _ = try SafeTensorsFile(path: directory + "/model.safetensors")
        } else if exists("config.json") {
            _ = try GPT2ConfigFile.read(path: directory + "/config.json")
        }
        if exists("tokenizer.json") {
            #expect(try Tokenizer.load(from: directory + "/tokenizer.json").vocabularySize == 4096, "\(context)")
        }
        if exists("log.csv") { _ = try TrainingLog.load(path: directory + "/log.csv") }
        if exists("loss.svg") {
            #expect(Scratch.text(directory + "/loss.svg").hasSuffix("</svg>\n"), "\(context): loss.svg is cut short")
        }
        return temporaries
    }

    @Test func sigkillAtRandomMomentsNeverCorruptsAndResumeCompletes() throws {
        let work = Scratch.directory("crash")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let corpus = work + "/captions.jsonl"
        try Self.writeCorpus(to: corpus)

        // The reference: the same run, never interrupted (checkpoints do not change the arithmetic).
        let reference = work + "/reference"
        let straight = try CopygenProcess.run(Self.trainArguments(corpus: corpus, out: reference, checkpointInterval: 10_000))
        #expect(straight.status == 0, "\(straight.stderr)")

        let out = work + "/model"
        var random = SeededRandom(seed: 20261125)
        var lastStep = 0
        var killedMidWrite = 0, finishedEarly = 0, delivered = 0
        for kill in 0..<Self.kills {
            let resuming = FileManager.default.fileExists(atPath: out + "/training_state.safetensors")
            let errorPath = work + "/stderr-\(kill).txt"
            let errorFD = Scratch.create(errorPath)
            // A checkpoint after every step (about 6 MB of files), so that many kills land inside a write.
            let child = try ChildProcess(CopygenProcess.executable.path,
                                         Self.trainArguments(corpus: corpus, out: out, checkpointInterval: 1) + (resuming ? ["--resume"] : []),
                                         stderr: errorFD)
            close(errorFD)
            // From 10 ms (still loading) to 400 ms (a few dozen steps in).
            usleep(useconds_t(10_000 + random.next() % 390_000))
            child.send(SIGKILL)
            let ending = child.wait()
            let stderr = Scratch.text(errorPath)
            let context = "kill \(kill) (\(ending))"
            if ending.exitStatus == 0 { finishedEarly += 1 } else {
                delivered += 1
                #expect(ending.signal == SIGKILL, "\(context): \(stderr)")
            }
            #expect(!stderr.contains("error"), "\(context): \(stderr)")
            if resuming, let started = stderr.split(separator: "\n").first(where: { $0.contains(" steps ") }) {
                #expect(started.contains("steps \(lastStep + 1)..."), "\(context): resumed at the wrong step: \(started)")
            }
            let temporaries = try Self.checkDirectory(out, context: context)
            if !temporaries.isEmpty { killedMidWrite += 1 }
            if let step = try Self.savedStep(out) {
                #expect(step >= lastStep, "\(context): the checkpoint went back from step \(lastStep) to \(step)")
                lastStep = step
            }
            if ending.exitStatus == 0 { break }
        }
        #expect(delivered >= Self.kills / 2, "too few kills landed before the run finished: \(delivered)")
        print("crash safety: \(delivered) of \(Self.kills) planned SIGKILLs delivered, \(killedMidWrite) landed inside a file write, \(finishedEarly) runs finished first, last checkpoint at step \(lastStep) of \(Self.totalSteps)")

        // Finally let it finish.
        let last = try CopygenProcess.run(Self.trainArguments(corpus: corpus, out: out, checkpointInterval: 1) + ["--resume"])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(last.stderr.contains("finished at step \(Self.totalSteps)"), "\(last.stderr)")
        #expect(try Self.checkDirectory(out, context: "after the last run").isEmpty, "temporary files were left behind")
        _ = try ModelCheckpoint.load(directory: out)
        let log = try TrainingLog.load(path: out + "/log.csv")
        #expect(log.entries.map(\.step) == Array(1...Self.totalSteps), "log.csv lost or repeated steps")

        // Killed and resumed dozens of times, the run ends with the uninterrupted run's weights, bit for bit.
        let resumed = try SafeTensorsFile(path: out + "/training_state.safetensors")
        let straightState = try SafeTensorsFile(path: reference + "/training_state.safetensors")
        let a = resumed.bytes(of: resumed.entry("weights")!), b = straightState.bytes(of: straightState.entry("weights")!)
        #expect(a.count == b.count && memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0, "resumed weights differ from the uninterrupted run's")
        #expect(try FileContents.read(out + "/model.safetensors") == FileContents.read(reference + "/model.safetensors"))
    }
}
