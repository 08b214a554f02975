#if canImport(Glibc)
import Glibc
#endif
import Support

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

    /// Writes `text` to standard output as is; exits quietly if the reader has gone away, and with
    /// a one-line error (status 2) if the output cannot take it (a full disk, /dev/full, EIO).
    static func write(_ text: String) {
        if !DescriptorOutput.writeAll(text, to: STDOUT_FILENO) {
            let failure = errno  // read at once: nothing has run since the failed write
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
