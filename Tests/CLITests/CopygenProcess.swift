import Foundation
import Testing

/// Runs the built `copygen` binary as a user would and collects what it printed.
struct CopygenRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CopygenProcess {
    /// The `copygen` executable built beside this test bundle.
    static var executable: URL {
        // The test runner lives in the same products directory as the executables it depends on.
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("copygen")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
            directory.deleteLastPathComponent()
        }
        fatalError("copygen executable not found next to \(runner.path)")
    }

    /// Runs `copygen arguments...` with `input` on standard input.
    static func run(_ arguments: [String], input: Data = Data(), currentDirectory: URL? = nil) throws -> CopygenRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Feed and drain concurrently so that neither side blocks on a full pipe buffer.
        let writer = Thread {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let errorData = LockedData()
        let errorReader = Thread { errorData.set(stderr.fileHandleForReading.readDataToEndOfFile()) }
        errorReader.start()
        let outData = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        let run = CopygenRun(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errorData.value, as: UTF8.self))
        // Under `make test-asan` / `make test-tsan` the binary is sanitized too. A test that only
        // expects "some failure" would accept a sanitizer's exit status, so a report fails it here.
        if let report = sanitizerReport(in: run.stderr) {
            Issue.record("copygen \(arguments.joined(separator: " ")) printed a sanitizer report: \(report)")
        }
        return run
    }

    /// The first line of an AddressSanitizer, LeakSanitizer or ThreadSanitizer report, if any.
    static func sanitizerReport(in stderr: String) -> String? {
        stderr.split(separator: "\n").first { line in
            line.contains("ERROR: AddressSanitizer") || line.contains("ERROR: LeakSanitizer")
                || line.contains("WARNING: ThreadSanitizer")
        }.map(String.init)
    }

    static func run(_ arguments: [String], input: String) throws -> CopygenRun {
        try run(arguments, input: Data(input.utf8))
    }
}

/// A value handed from a reader thread to the test.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var done = false
    func set(_ value: Data) { lock.lock(); data = value; done = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return done }
    var value: Data { lock.lock(); defer { lock.unlock() }; return data }
}
