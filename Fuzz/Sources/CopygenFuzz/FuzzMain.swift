import Foundation

/// One fuzz target: a name for `COPYGEN_FUZZ_TARGET`, the function libFuzzer calls with each
/// input, and the seed inputs `make fuzz` writes before the first run.
struct FuzzTarget: Sendable {
    let name: String
    /// Runs one input. Returning normally (a result or a thrown error turned into a refusal) is a
    /// pass; a trap, an assertion, an out-of-bounds access, a hang or a leak is a finding.
    let run: @Sendable (UnsafeRawBufferPointer) -> Void
    /// Small inputs built from the repository's own files (and files the library writes).
    let seeds: @Sendable () throws -> [(name: String, bytes: [UInt8])]
}

/// Every target, in the order `make fuzz` runs them.
let allTargets: [FuzzTarget] = [
    SafeTensorsTarget.target,
    TokenizerFilesTarget.target,
    CorpusTarget.target,
    PromptsTarget.target,
    LexiconTarget.target,
    RoundTripTarget.target,
    SafetyFilterTarget.target,
]

/// The target picked by the environment in `LLVMFuzzerInitialize`; read-only afterwards.
nonisolated(unsafe) var selectedTarget: FuzzTarget?

/// Picks the target named by `COPYGEN_FUZZ_TARGET`. With `COPYGEN_FUZZ_WRITE_SEEDS=dir` it
/// writes that target's seeds into `dir` and exits instead of fuzzing.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> CInt {
    let environment = ProcessInfo.processInfo.environment
    let names = allTargets.map(\.name).joined(separator: ", ")
    guard let name = environment["COPYGEN_FUZZ_TARGET"], let target = allTargets.first(where: { $0.name == name }) else {
        FileHandle.standardError.write(Data("copygen-fuzz: set COPYGEN_FUZZ_TARGET to one of: \(names)\n".utf8))
        exit(2)
    }
    selectedTarget = target
    if let directory = environment["COPYGEN_FUZZ_WRITE_SEEDS"] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let seeds = try target.seeds()
            for seed in seeds {
                try Data(seed.bytes).write(to: URL(fileURLWithPath: directory + "/" + seed.name))
            }
            print("copygen-fuzz: wrote \(seeds.count) seeds for \(name) into \(directory)")
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("copygen-fuzz: cannot write seeds for \(name): \(error)\n".utf8))
            exit(2)
        }
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    selectedTarget!.run(input)
    return 0
}

/// A property every run must keep; breaking it is a finding, reported like a crash.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
             file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError("fuzz property broken: \(message())", file: file, line: line) }
}

/// Scratch files for readers that take a path: one directory per process, reused by every input.
enum Scratch {
    static let directory: String = {
        let path = NSTemporaryDirectory() + "copygen-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        // Removed when the process exits normally (a crash leaves it for inspection).
        atexit { try? FileManager.default.removeItem(atPath: Scratch.directory) }
        return path
    }()

    /// Writes `bytes` to `name` inside the scratch directory (replacing it) and returns the path.
    /// Plain open/write/close: Foundation's file writing is atomic and syncs, too slow per input.
    static func write(_ bytes: some Collection<UInt8>, to name: String) -> String {
        let path = directory + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        require(fd >= 0, "cannot open scratch file \(path)")
        defer { close(fd) }
        let contents = Array(bytes)
        var written = 0
        while written < contents.count {
            let n = contents.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, contents.count - written) }
            require(n > 0, "cannot write scratch file \(path)")
            written += n
        }
        return path
    }
}

/// The repository's root, found from this source file (Fuzz/Sources/CopygenFuzz/...).
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
}()

/// The first `count` lines of a repository file, as bytes (seeds stay small).
func repositoryLines(_ relativePath: String, count: Int) throws -> [UInt8] {
    let text = try String(contentsOfFile: repositoryRoot + "/" + relativePath, encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(count)
    return Array((lines.joined(separator: "\n") + "\n").utf8)
}

/// A repository file's bytes.
func repositoryFile(_ relativePath: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/" + relativePath)))
}

/// The first byte picks a mode among `count`; the rest is the payload.
func splitMode(_ input: UnsafeRawBufferPointer, count: Int) -> (mode: Int, payload: UnsafeRawBufferPointer) {
    guard let first = input.first else { return (0, input) }
    return (Int(first) % count, UnsafeRawBufferPointer(rebasing: input.dropFirst()))
}

/// Text from arbitrary bytes: valid UTF-8 as is, otherwise decoded with U+FFFD replacements.
func lossyText(_ bytes: UnsafeRawBufferPointer) -> String {
    String(decoding: bytes, as: UTF8.self)
}
