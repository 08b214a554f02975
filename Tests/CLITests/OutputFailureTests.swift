#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// A full disk or an output directory the process may not write: a one-line error, exit status 2,
/// and every file that was there before left byte for byte as it was.
///
/// The tests run as root on CI, and root ignores file modes, so they use real mechanisms: a file
/// size limit (RLIMIT_FSIZE with SIGXFSZ ignored, so writes fail with EFBIG) and an unprivileged
/// user (setpriv) always; a full tmpfs and a read-only bind mount in a private mount namespace
/// when the sandbox allows them (otherwise skipped with the reason printed).
@Suite(.serialized) struct OutputFailureTests {
    static let tokenizerPath = CrashSafetyTests.tokenizerPath
    static let copygen = CopygenProcess.executable.path

    /// A trained tiny model directory to protect, and the corpus it came from.
    static let trained: (work: String, corpus: String, model: String) = {
        let work = Scratch.directory("outfail")
        let corpus = work + "/captions.jsonl", model = work + "/model"
        try! CrashSafetyTests.writeCorpus(to: corpus)
        let run = try! CopygenProcess.run(trainArguments(corpus: corpus, out: model) + ["--steps", "4"])
        precondition(run.status == 0, run.stderr)
        return (work, corpus, model)
    }()

    static func trainArguments(corpus: String, out: String, tokenizer: String = tokenizerPath) -> [String] {
        // Evaluation at step 1 improves on nothing, so the first big write is model.safetensors.
        ["train", "--corpus", corpus, "--out", out, "--tokenizer", tokenizer, "--preset", "tiny", "--batch", "2",
         "--steps", "4", "--eval-interval", "1", "--checkpoint-interval", "1", "--quiet"]
    }

    /// Every file of `directory` with its bytes.
    static func snapshot(_ directory: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
        }
        return files
    }

    /// A copy of the trained model directory, owned by root with mode 0755.
    static func copyOfModel() throws -> String {
        let copy = Scratch.directory("outfail-copy") + "/model"
        try FileManager.default.copyItem(atPath: trained.model, toPath: copy)
        chmod(copy, 0o755)
        return copy
    }

    /// Runs `arguments` (a whole command line), returning how it ended and its standard error.
    static func run(_ arguments: [String], stdout: Int32? = nil) throws -> (ChildProcess.Ending, String) {
        let errorDirectory = Scratch.directory("outfail-err")
        defer { try? FileManager.default.removeItem(atPath: errorDirectory) }
        let errorPath = errorDirectory + "/stderr.txt"
        let errorFD = Scratch.create(errorPath)
        let child = try ChildProcess(arguments[0], Array(arguments.dropFirst()), stdout: stdout, stderr: errorFD)
        close(errorFD)
        let ending = try #require(child.wait(atMost: 120), "\(arguments) did not finish")
        return (ending, Scratch.text(errorPath))
    }

    /// The contract: status 2, one line `copygen: error: …` naming `reason`, files unchanged.
    static func expectRefusal(_ ending: ChildProcess.Ending, _ stderr: String, reason: String, directory: String?,
                              before: [String: Data], _ what: String) throws {
        #expect(ending.exitStatus == 2, "\(what): \(ending): \(stderr)")
        #expect(isOneErrorLine(stderr, naming: reason), "\(what): \(stderr)")
        if let directory {
            let after = try snapshot(directory)
            #expect(after.keys.sorted() == before.keys.sorted(), "\(what): files added or removed: \(after.keys.sorted())")
            for (name, bytes) in before { #expect(after[name] == bytes, "\(what): \(name) changed") }
        }
    }

    /// Whether standard error ends with the one error line, naming `reason`, and has no other
    /// (train's opening lines about the model and data may come before it).
    static func isOneErrorLine(_ stderr: String, naming reason: String) -> Bool {
        let lines = stderr.split(separator: "\n")
        return lines.filter { $0.contains("error") }.count == 1 && lines.last!.hasPrefix("copygen: error: ") && lines.last!.contains(reason)
    }

    /// `sh` wrapper: SIGXFSZ ignored, file size limited to `bytes`, then exec the command.
    static func limited(_ bytes: Int, _ command: [String]) -> [String] {
        ["/bin/sh", "-c", "trap '' XFSZ; exec prlimit --fsize=\(bytes) \"$@\"", "sh"] + command
    }

    // MARK: full disk

    @Test func trainUnderAFileSizeLimitKeepsThePreviousModel() throws {
        let model = try Self.copyOfModel()
        defer { try? FileManager.default.removeItem(atPath: (model as NSString).deletingLastPathComponent) }
        let before = try Self.snapshot(model)
        // tokenizer.json (about 170 kB) fits; model.safetensors (about 1.5 MB) does not.
        let (ending, stderr) = try Self.run(Self.limited(1_000_000, [Self.copygen] + Self.trainArguments(corpus: Self.trained.corpus, out: model)))
        try Self.expectRefusal(ending, stderr, reason: "model.safetensors: cannot write: File too large", directory: model, before: before, "train, EFBIG")
    }

    /// Not under ThreadSanitizer (`make test-tsan` sets TSAN_OPTIONS): its runtime dies with SIGBUS
    /// at start-up under a 4 KB file-size limit, before any of copygen runs (`copygen --version` too).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TSAN_OPTIONS"] == nil,
                   "ThreadSanitizer's runtime faults at start-up under a 4 KB file-size limit"))
    func tokenizerTrainUnderAFileSizeLimitKeepsThePreviousFile() throws {
        let directory = Scratch.directory("outfail-tok")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = directory + "/tokenizer.json"
        try FileManager.default.copyItem(atPath: Self.tokenizerPath, toPath: output)
        let before = try Self.snapshot(directory)
        let (ending, stderr) = try Self.run(Self.limited(4_000, [Self.copygen, "tokenizer", "train", "--corpus", Self.trained.corpus,
                                                                  "--vocab-size", "600", "--out", output]))
        try Self.expectRefusal(ending, stderr, reason: "tokenizer.json: cannot write: File too large", directory: directory, before: before, "tokenizer train, EFBIG")
    }

    @Test(arguments: ["generate", "filter"])
    func writingToDevFullIsOneLineAndStatus2(command: String) throws {
        let full = open("/dev/full", O_WRONLY | O_CLOEXEC)
        try #require(full >= 0, "no /dev/full")
        defer { close(full) }
        let arguments = command == "generate"
            ? [Self.copygen, "generate", "--topic", "cold brew coffee", "-n", "1", "--seed", "3"]
            : [Self.copygen, "filter", Self.trained.corpus]
        let (ending, stderr) = try Self.run(arguments, stdout: full)
        try Self.expectRefusal(ending, stderr, reason: "cannot write to standard output: No space left on device", directory: nil, before: [:], command)
    }

    @Test func trainOnAFullTmpfsKeepsThePreviousModel() throws {
        if let reason = Self.privateMountsUnavailable() {
            print("skipped: full tmpfs: \(reason)")
            return
        }
        // In a private mount namespace: a 3 MB tmpfs holding a copy of the model's weights, config
        // and tokenizer (the training state would not fit), filled up to 500 kB free; the originals
        // stay outside it for the comparison.
        let work = Scratch.directory("outfail-tmpfs")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let mountPoint = work + "/disk", results = work + "/results.txt"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let check = """
            set -u
            disk="$1"; original="$2"; shift 2
            mount -t tmpfs -o size=3m copygen-test "$disk" || exit 90
            mkdir "$disk/model" || exit 91
            for f in model.safetensors config.json tokenizer.json; do cp "$original/$f" "$disk/model/" || exit 91; done
            dd if=/dev/zero of="$disk/filler" bs=64k 2>/dev/null
            truncate -s -500K "$disk/filler" || exit 92
            "$@" --out "$disk/model" 2>"$0.stderr"
            echo "status $?" >"$0"
            for f in model.safetensors config.json tokenizer.json; do
                if cmp -s "$original/$f" "$disk/model/$f"; then echo "same $f" >>"$0"; else echo "changed $f" >>"$0"; fi
            done
            ls -a "$disk/model" | tr '\\n' ' ' >>"$0"
            """
        var train = Self.trainArguments(corpus: Self.trained.corpus, out: "unused")
        train.removeSubrange(train.firstIndex(of: "--out")!...train.firstIndex(of: "--out")! + 1)
        let (ending, stderr) = try Self.run(["/usr/bin/unshare", "-m", "/bin/sh", "-c", check, results, mountPoint, Self.trained.model, Self.copygen] + train)
        #expect(ending.exitStatus == 0, "\(ending): \(stderr)")
        let report = Scratch.text(results), errors = Scratch.text(results + ".stderr")
        #expect(report.hasPrefix("status 2\n"), "\(report) \(errors)")
        for f in ["model.safetensors", "config.json", "tokenizer.json"] { #expect(report.contains("same \(f)"), "\(report)") }
        #expect(report.hasSuffix(". .. config.json model.safetensors tokenizer.json "), "files added: \(report)")
        #expect(Self.isOneErrorLine(errors, naming: "model.safetensors: cannot write: No space left on device"), "\(errors)")
    }

    // MARK: read-only output

    @Test func trainIntoADirectoryOfAnotherUserKeepsThePreviousModel() throws {
        let model = try Self.copyOfModel()
        defer { try? FileManager.default.removeItem(atPath: (model as NSString).deletingLastPathComponent) }
        let before = try Self.snapshot(model)
        let nobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        // The clone may sit in a directory only root can enter (mktemp -d makes 0700 ones): the
        // unprivileged run gets its own copies of the tokenizer, beside the corpus it already reads.
        let tokenizer = Self.trained.work + "/tokenizer-for-nobody.json"
        if !FileManager.default.fileExists(atPath: tokenizer) { try FileManager.default.copyItem(atPath: Self.tokenizerPath, toPath: tokenizer) }
        let (ending, stderr) = try Self.run(nobody + [Self.copygen] + Self.trainArguments(corpus: Self.trained.corpus, out: model, tokenizer: tokenizer))
        try Self.expectRefusal(ending, stderr, reason: "tokenizer.json: cannot write: Permission denied", directory: model, before: before, "train as nobody")
        let (tokenizerEnding, tokenizerError) = try Self.run(nobody + [Self.copygen, "tokenizer", "train", "--corpus", Self.trained.corpus,
                                                                      "--vocab-size", "600", "--out", model + "/tokenizer.json"])
        try Self.expectRefusal(tokenizerEnding, tokenizerError, reason: "tokenizer.json: cannot write: Permission denied", directory: model,
                               before: before, "tokenizer train as nobody")
    }

    @Test func trainIntoAReadOnlyMountKeepsThePreviousModel() throws {
        if let reason = Self.privateMountsUnavailable() {
            print("skipped: read-only bind mount: \(reason)")
            return
        }
        let model = try Self.copyOfModel()
        defer { try? FileManager.default.removeItem(atPath: (model as NSString).deletingLastPathComponent) }
        let before = try Self.snapshot(model)
        let script = #"dir="$1"; shift; mount --bind "$dir" "$dir" && mount -o remount,bind,ro "$dir" && exec "$@""#
        let (ending, stderr) = try Self.run(["/usr/bin/unshare", "-m", "/bin/sh", "-c", script, "sh", model, Self.copygen]
                                            + Self.trainArguments(corpus: Self.trained.corpus, out: model))
        try Self.expectRefusal(ending, stderr, reason: "tokenizer.json: cannot write: Read-only file system", directory: model, before: before, "train, read-only mount")
        let (tokenizerEnding, tokenizerError) = try Self.run(["/usr/bin/unshare", "-m", "/bin/sh", "-c", script, "sh", model, Self.copygen,
                                                              "tokenizer", "train", "--corpus", Self.trained.corpus, "--vocab-size", "600",
                                                              "--out", model + "/tokenizer.json"])
        try Self.expectRefusal(tokenizerEnding, tokenizerError, reason: "tokenizer.json: cannot write: Read-only file system", directory: model,
                               before: before, "tokenizer train, read-only mount")
    }

    /// Why a private mount namespace with its own mounts cannot be had here, or nil when it can.
    static func privateMountsUnavailable() -> String? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { return "no /usr/bin/unshare" }
        let probe = Scratch.directory("outfail-probe")
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard let child = try? ChildProcess("/usr/bin/unshare", ["-m", "/bin/sh", "-c", "mount -t tmpfs -o size=1m probe \"$0\"", probe]),
              let ending = child.wait(atMost: 30) else { return "unshare could not start" }
        return ending.exitStatus == 0 ? nil : "unshare -m / mount not permitted in this sandbox (\(ending))"
    }
}
