#if canImport(Glibc)
import Glibc
#endif
import Support
import Synchronization

/// Standard output and error for a tool that sits in a pipe.
///
/// Writes go straight to the file descriptors (one `write` per record), so output appears as soon
/// as a record is finished and nothing is left in a buffer at exit. SIGPIPE is ignored so that a
/// closed reader (`copygen generate | head -1`) shows up as EPIPE, which ends the program quietly
/// with status 0 instead of a signal death or error spew.
enum StandardStreams {
    static func prepare() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Writes `text` and a newline to standard output; exits quietly if the reader has gone away.
    static func writeLine(_ text: String) {
        write(text + "\n")
    }

    /// A `write` in progress, and a Ctrl-C that arrived during it: see `exitOnInterrupt`.
    private static let writing = Atomic<Bool>(false)
    private static let pendingSignal = Atomic<Int32>(0)

    /// Ctrl-C (SIGINT) or SIGTERM ends the program at once with the conventional status (130 or
    /// 143), quietly, but never in the middle of a `write`: a record (a post, a JSON line, a piece
    /// of streamed text) is either out whole or not at all. For commands with nothing to save.
    /// A second signal during a write that does not finish ends the program at once.
    static func exitOnInterrupt() {
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        let handler: @convention(c) (Int32) -> Void = { signal in
            // Atomics and _exit are safe in a signal handler. The writer exits after its write; a
            // second signal while that write is still blocked (a reader that stopped reading) ends it.
            if StandardStreams.writing.load(ordering: .sequentiallyConsistent) {
                if StandardStreams.pendingSignal.exchange(signal, ordering: .sequentiallyConsistent) != 0 { _exit(128 + signal) }
            } else {
                _exit(128 + signal)
            }
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
    }

    /// Writes `text` to standard output as is; exits quietly if the reader has gone away, and with
    /// a one-line error (status 2) if the output cannot take it (a full disk, /dev/full, EIO).
    static func write(_ text: String) {
        writing.store(true, ordering: .sequentiallyConsistent)
        let written = DescriptorOutput.writeAll(text, to: STDOUT_FILENO)
        let failure = errno
        writing.store(false, ordering: .sequentiallyConsistent)
        let signal = pendingSignal.load(ordering: .sequentiallyConsistent)
        if signal != 0 { _exit(128 + signal) }
        if !written {
            // EPIPE: the downstream reader closed the pipe. That is the reader's choice, not an error.
            if failure == EPIPE { exit(0) }
            fail("cannot write to standard output: \(String(cString: strerror(failure)))")
        }
    }

    /// Writes a message line to standard error.
    static func message(_ text: String) {
        DescriptorOutput.standardError(text + "\n")
    }

    /// One line on standard error, exit status 2: the contract for bad usage and bad input.
    static func fail(_ text: String) -> Never {
        message("copygen: error: \(text)")
        exit(2)
    }
}
