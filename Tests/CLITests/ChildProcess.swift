#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Support

/// A child process started with posix_spawn, for tests that must signal it mid-run, wire its
/// standard streams to pipes or devices, and read its peak memory (wait4's rusage), which
/// Foundation's Process does not offer.
final class ChildProcess {
    let pid: pid_t

    /// How a child ended.
    struct Ending: CustomStringConvertible {
        /// Exit status when it exited, nil when a signal ended it.
        var exitStatus: Int32?
        /// The signal that ended it, if any.
        var signal: Int32?
        /// Peak resident set size in KiB (ru_maxrss; includes the parent's memory at spawn, see
        /// `residentHighWaterKiB`).
        var peakResidentKiB: Int

        /// The status a shell reports: the exit status, or 128 + signal.
        var shellStatus: Int32 { exitStatus ?? (128 + (signal ?? 0)) }
        var description: String { exitStatus.map { "exit \($0)" } ?? "signal \(signal ?? 0)" }
    }

    /// Starts `executable arguments...` with the given descriptors as its standard streams
    /// (nil: /dev/null). Every signal starts at its default action and unblocked, whatever the
    /// test runner did with its own.
    init(_ executable: String, _ arguments: [String], stdin: Int32? = nil, stdout: Int32? = nil, stderr: Int32? = nil,
         closeInChild: [Int32] = []) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (descriptor, target) in [(stdin, STDIN_FILENO), (stdout, STDOUT_FILENO), (stderr, STDERR_FILENO)] {
            if let descriptor {
                posix_spawn_file_actions_adddup2(&actions, descriptor, target)
            } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0)
            }
        }
        for descriptor in closeInChild { posix_spawn_file_actions_addclose(&actions, descriptor) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child = pid_t()
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, environ)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        pid = child
    }

    func send(_ signal: Int32) { kill(pid, signal) }

    /// The running child's peak resident memory in KiB (VmHWM of /proc/PID/status), nil if unknown.
    /// More exact than wait4's ru_maxrss, which for a child started by posix_spawn (vfork) also
    /// counts the test runner's own memory at the moment of exec.
    func residentHighWaterKiB() -> Int? {
        guard let status = try? FileContents.readText("/proc/\(pid)/status"),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }

    /// Waits for the child to end.
    func wait() -> Ending {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return Ending(exitStatus: signal == 0 ? (status >> 8) & 0xff : nil, signal: signal == 0 ? nil : signal,
                      peakResidentKiB: usage.ru_maxrss)
    }

    /// Waits at most `seconds`; a child still running then is killed and nil returned (never hang the suite).
    func wait(atMost seconds: Double) -> Ending? {
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        var usage = rusage()
        while Date() < deadline {
            let done = wait4(pid, &status, WNOHANG, &usage)
            if done == pid {
                let signal = status & 0x7f
                return Ending(exitStatus: signal == 0 ? (status >> 8) & 0xff : nil, signal: signal == 0 ? nil : signal,
                              peakResidentKiB: usage.ru_maxrss)
            }
            usleep(5_000)
        }
        send(SIGKILL)
        _ = wait()
        return nil
    }
}

/// Temporary files and directories for CLI tests.
enum Scratch {
    static func directory(_ label: String) -> String {
        let path = NSTemporaryDirectory() + "copygen-\(label)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A descriptor open for writing on `path` (created or truncated).
    static func create(_ path: String) -> Int32 { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }

    /// A pipe (read end, write end), both closed on exec so that no child inherits them by accident.
    static func pipe() throws -> [Int32] {
        var ends: [Int32] = [0, 0]
        guard Glibc.pipe(&ends) == 0 else { throw POSIXError(.EMFILE) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return ends
    }

    /// The file's text ("" when unreadable). Read through Support's FileContents: Foundation's
    /// `String(contentsOfFile:)` leaks its buffer on an empty file (LeakSanitizer, `make test-asan`).
    static func text(_ path: String) -> String {
        (try? FileContents.readText(path)) ?? ""
    }
}
