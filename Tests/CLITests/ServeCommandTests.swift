#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport
import Testing

/// `copygen serve` as a user starts and stops it: the address on standard output, then Ctrl-C or
/// SIGTERM ends it with status 0 after the requests in flight.
@Suite(.serialized) struct ServeCommandTests {
    /// Starts the server on a free port and returns it with the port it printed.
    func startServer(_ scratch: String, extra: [String] = []) throws -> (ChildProcess, port: Int, stdoutPath: String, stderrPath: String) {
        let stdoutPath = scratch + "/stdout", stderrPath = scratch + "/stderr"
        let out = Scratch.create(stdoutPath), err = Scratch.create(stderrPath)
        defer { close(out); close(err) }
        let child = try ChildProcess(CopygenProcess.executable.path,
                                     ["serve", "--model", GenerateCommandTests.modelDirectory, "--prompts", GenerateCommandTests.repositoryRoot + "/Prompts",
                                      "--port", "0", "--threads", "1"] + extra,
                                     stdout: out, stderr: err)
        // The address line comes once the model is loaded and the port bound (a generous limit
        // only guards against a hang).
        for _ in 0..<12_000 {
            let printed = Scratch.text(stdoutPath)
            if let range = printed.range(of: "http://127.0.0.1:") {
                let digits = printed[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits), printed[range.upperBound...].dropFirst(digits.count).hasPrefix("/") { return (child, port, stdoutPath, stderrPath) }
            }
            usleep(10_000)
        }
        child.send(SIGKILL)
        _ = child.wait()
        throw POSIXError(.ETIMEDOUT)
    }

    /// One request as given, on a connection of its own; the whole response text.
    func exchange(port: Int, _ request: String) throws -> String {
        let connection = try LoopbackConnection(port: port)
        defer { connection.close() }
        try connection.send(Array(request.utf8))
        return String(decoding: try connection.readToEnd(), as: UTF8.self)
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalStopsTheServerWithStatusZero(_ signal: Int32) throws {
        let scratch = Scratch.directory("serve-signal-\(signal)")
        let (child, port, _, stderrPath) = try startServer(scratch)
        let health = try exchange(port: port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(health.hasPrefix("HTTP/1.1 200"))
        child.send(signal)
        let ending = try #require(child.wait(atMost: 60))
        #expect(ending.exitStatus == 0, "\(ending)")
        #expect(Scratch.text(stderrPath).contains("copygen: stopped"))
    }

    @Test func aRequestInFlightFinishesBeforeTheExit() throws {
        let scratch = Scratch.directory("serve-drain")
        let (child, port, _, _) = try startServer(scratch)
        let body = #"{"prompt": "Hello", "max_tokens": 1500, "slide": true, "seed": 5, "stream": true}"#
        let request = "POST /v1/complete HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        let answer = LockedText()
        let client = Thread { answer.set((try? self.exchange(port: port, request)) ?? "") }
        client.start()
        // Wait until the stream has started, then ask the server to stop.
        var started = false
        for _ in 0..<6000 where !started {
            started = (try? exchange(port: port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))?.contains("\"requests\":1") == true
            if !started { usleep(5_000) }
        }
        #expect(started, "the stream never showed in /health")
        child.send(SIGTERM)
        let ending = try #require(child.wait(atMost: 60))
        #expect(ending.exitStatus == 0, "\(ending)")
        while answer.isEmpty { usleep(10_000) }
        // The stream in flight was finished, not cut: it ends with its `done` event.
        #expect(answer.value.hasPrefix("HTTP/1.1 200"))
        #expect(answer.value.contains("event: done"))
    }
}

/// Text set once by another thread.
final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var text: String?
    func set(_ value: String) { lock.withLock { text = value } }
    var isEmpty: Bool { lock.withLock { text == nil } }
    var value: String { lock.withLock { text ?? "" } }
}
