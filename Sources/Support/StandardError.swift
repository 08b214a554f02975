#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered writes to a file descriptor, so that messages and records appear at once and nothing
/// waits in a buffer at exit.
public enum DescriptorOutput {
    /// Writes every byte of `text`, retrying short writes and interrupted calls.
    /// False when the write failed (EPIPE when the reader has gone away).
    @discardableResult
    public static func writeAll(_ text: String, to descriptor: Int32) -> Bool {
        var text = text
        return text.withUTF8 { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }

    /// Writes `text` to standard error (messages and progress, never results).
    public static func standardError(_ text: String) {
        writeAll(text, to: STDERR_FILENO)
    }
}
