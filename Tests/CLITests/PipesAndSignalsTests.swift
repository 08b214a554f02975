#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Support
import Testing
import Tokenizer
import Transformer

/// copygen in a pipe: a reader that leaves early, Ctrl-C in the middle of output, and standard
/// input far larger than the memory the command should use.
@Suite struct PipesAndSignalsTests {
    static let root = CrashSafetyTests.root
    static let defaultModel = root.appendingPathComponent("Models/default").path
    static let tokenizerPath = CrashSafetyTests.tokenizerPath
    static let copygen = CopygenProcess.executable.path
    static let topics = (1...60).map { "topic number \($0): cold brew, linen shirts and trail shoes" }.joined(separator: "\n") + "\n"

    /// A model that never draws <|endoftext|>, so `complete --slide` streams until stopped: the final
    /// norm maps every position to the same vector of ones, and <|endoftext|>'s (tied) embedding
    /// row points away from it.
    static let endlessModel: String = {
        let directory = Scratch.directory("endless")
        let tokenizer = try! Tokenizer.load(from: tokenizerPath)
        let endOfText = Int(tokenizer.id(ofSpecial: SpecialToken.endOfText)!)
        let config = GPTConfig(vocabularySize: tokenizer.vocabularySize, contextLength: 32, layers: 1, heads: 2, embeddingSize: 16)
        let weights = ParameterBuffer(layout: ParameterLayout(config: config))
        var random = SeededRandom(seed: 5)
        weights.initializeGPT2(random: &random)
        let layout = weights.layout
        for i in 0..<16 {
            weights.pointer[layout.finalNormWeight + i] = 0
            weights.pointer[layout.finalNormBias + i] = 1
            weights.pointer[layout.tokenEmbedding + endOfText * 16 + i] = -10
        }
        try! ModelCheckpoint.save(parameters: weights, config: config, to: directory, endOfTextToken: endOfText)
        try! tokenizer.save(to: directory + "/tokenizer.json")
        return directory
    }()

    // MARK: a reader that leaves early

    @Test(arguments: [
        "generate --model MODEL --seed 1 -n 2 --format jsonl | head -1",
        "generate --model MODEL --seed 1 -n 2 | head -1",
        "complete --model ENDLESS --slide --max-tokens 100000 --seed 1 --prompt hello | head -c 20",
    ])
    func aReaderThatLeavesEarlyEndsQuietly(pipeline: String) throws {
        // bash with pipefail: the pipeline's status is copygen's unless copygen succeeded.
        let work = Scratch.directory("pipe")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let topicsPath = work + "/topics.txt"
        try Self.topics.write(toFile: topicsPath, atomically: true, encoding: .utf8)
        let parts = pipeline.replacingOccurrences(of: "MODEL", with: Self.defaultModel)
            .replacingOccurrences(of: "ENDLESS", with: Self.endlessModel).components(separatedBy: " | ")
        let command = "set -o pipefail; \"$0\" \(parts[0]) <\"$1\" 2>\"$3\" | \(parts[1]) >\"$2\""
        let child = try ChildProcess("/bin/bash", ["-c", command, Self.copygen, topicsPath, work + "/out", work + "/err"])
        let ending = try #require(child.wait(atMost: 120), "\(pipeline) did not end")
        #expect(ending.exitStatus == 0, "\(pipeline): \(ending)")
        // A model directory without words.txt gets the word list counted from the corpus, with a
        // one-line warning (the shipped model may have none); nothing else may be printed.
        let errors = Scratch.text(work + "/err").split(separator: "\n").filter { !$0.contains("words.txt is missing") }
        #expect(errors.isEmpty, "\(pipeline): \(Scratch.text(work + "/err"))")
        let output = Scratch.text(work + "/out")
        #expect(!output.isEmpty, "\(pipeline): no output")
        if pipeline.contains("jsonl") {
            #expect((try? JSONSerialization.jsonObject(with: Data(output.utf8))) != nil, "not one whole JSON line: \(output)")
        }
    }

    // MARK: Ctrl-C

    /// Starts `arguments` with standard output on a pipe, waits for its first output, sends SIGINT,
    /// and returns how it ended, everything it printed, and its standard error.
    static func interrupt(_ arguments: [String], input: String) throws -> (ChildProcess.Ending, Data, String) {
        let work = Scratch.directory("sigint")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try input.write(toFile: work + "/in.txt", atomically: true, encoding: .utf8)
        let inputFD = open(work + "/in.txt", O_RDONLY | O_CLOEXEC), errorFD = Scratch.create(work + "/err")
        let pipe = try Scratch.pipe()
        let child = try ChildProcess(copygen, arguments, stdin: inputFD, stdout: pipe[1], stderr: errorFD)
        close(inputFD); close(errorFD); close(pipe[1])
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        // Interrupt once output has begun (the command is then mid-run).
        let n = read(pipe[0], &buffer, buffer.count)
        if n > 0 { output.append(contentsOf: buffer[0..<n]) }
        child.send(SIGINT)
        while true {
            let n = read(pipe[0], &buffer, buffer.count)
            if n <= 0 { break }
            output.append(contentsOf: buffer[0..<n])
        }
        close(pipe[0])
        let ending = try #require(child.wait(atMost: 60), "\(arguments) ignored SIGINT")
        return (ending, output, Scratch.text(work + "/err"))
    }

    @Test func ctrlCDuringGenerateStopsBetweenWholeRecords() throws {
        let (ending, output, stderr) = try Self.interrupt(["generate", "--model", Self.defaultModel, "--seed", "2", "-n", "2", "--format", "jsonl"],
                                                          input: Self.topics)
        #expect(ending.exitStatus == 130, "\(ending): \(stderr)")
        // (Besides the warning of a model directory without words.txt.)
        #expect(stderr.split(separator: "\n").filter { !$0.contains("words.txt is missing") }.count <= 1, "\(stderr)")
        let text = try #require(String(validating: output, as: UTF8.self), "output is not UTF-8")
        #expect(text.hasSuffix("\n"), "a record was cut: \(text.suffix(80))")
        let lines = text.split(separator: "\n")
        #expect(lines.count < 120, "SIGINT did not stop the run")
        for line in lines { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "partial record: \(line)") }
    }

    @Test func ctrlCDuringCompleteStopsQuietly() throws {
        let (ending, output, stderr) = try Self.interrupt(["complete", "--model", Self.endlessModel, "--slide", "--max-tokens", "10000000",
                                                           "--seed", "4"], input: "hello")
        #expect(ending.exitStatus == 130, "\(ending): \(stderr)")
        #expect(stderr.split(separator: "\n").count <= 1, "\(stderr)")
        #expect(String(validating: output, as: UTF8.self) != nil, "streamed text cut inside a character")
        #expect(!output.isEmpty)
    }

    // MARK: standard input larger than memory should hold

    /// Feeds `bytes` of generated caption-like lines to `arguments` and returns the child's peak
    /// resident memory in KiB (VmHWM, read just before its input ends).
    static func peakMemory(_ arguments: [String], feeding bytes: Int) throws -> Int {
        let pipe = try Scratch.pipe()
        let child = try ChildProcess(copygen, arguments, stdin: pipe[0])
        close(pipe[0])
        let phrases = ["Cold brew season is here ☕", "linen shirts for long days", "trail shoes, tested on wet rock", "café crème & croissant",
                       "free shipping this weekend 🎉", "new colours in store", "résumé of the week: naïve joy"]
        var written = 0, line = 0
        var block = ""
        while written < bytes {
            block.removeAll(keepingCapacity: true)
            while block.utf8.count < 1 << 16 {
                line += 1
                block += "\(phrases[line % phrases.count]) #\(line) \(phrases[(line * 7) % phrases.count])\n"
            }
            guard DescriptorOutput.writeAll(block, to: pipe[1]) else { break }
            written += block.utf8.count
        }
        // Still alive, waiting for the end of its input: everything but the last pipe-full is behind it.
        let peak = child.residentHighWaterKiB()
        close(pipe[1])
        let ending = try #require(child.wait(atMost: 300), "\(arguments) did not finish")
        #expect(ending.exitStatus == 0, "\(arguments): \(ending)")
        return try #require(peak, "no /proc/\(child.pid)/status")
    }

    /// Not under AddressSanitizer (`make test-asan` sets ASAN_OPTIONS): its quarantine keeps up to
    /// 256 MB of freed memory resident on purpose, so resident memory no longer measures streaming.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ASAN_OPTIONS"] == nil, "AddressSanitizer's quarantine holds freed memory"),
          arguments: [["tokenizer", "encode", "--tokenizer", tokenizerPath], ["filter"]])
    func largeStandardInputStreamsInBoundedMemory(arguments: [String]) throws {
        let small = try Self.peakMemory(arguments, feeding: 1 << 20)
        let large = try Self.peakMemory(arguments, feeding: 64 << 20)
        print("\(arguments.prefix(2).joined(separator: " ")): peak RSS \(small / 1024) MB for 1 MB of input, \(large / 1024) MB for 64 MB")
        // Streaming: 63 MB more input may not cost more than 16 MB more memory.
        #expect(large - small < 16 * 1024, "\(arguments): \(small) KiB for 1 MB, \(large) KiB for 64 MB of input")
    }
}
