/// Bad input from a file or a stream: every case names where (file, line, byte) and what.
///
/// The CLI prints the description as its one-line error and exits with status 2.
public enum InputError: Error, CustomStringConvertible, Equatable {
    /// Bytes that are not UTF-8. `line` counts from 1; `byte` is the offset within the line,
    /// counted from 0; `fileOffset` is the offset from the start of the input.
    case invalidUTF8(source: String, line: Int, byte: Int, fileOffset: Int)
    case cannotOpen(path: String, reason: String)
    case readFailed(source: String, reason: String)
    case lineTooLong(source: String, line: Int, limit: Int)
    /// A well-formed input whose content is wrong: `what` says why.
    case malformed(source: String, line: Int?, what: String)

    public var description: String {
        switch self {
        case let .invalidUTF8(source, line, byte, fileOffset):
            return "\(source):\(line): invalid UTF-8 at byte \(byte) of the line (byte \(fileOffset) of the input); use --lossy to replace bad bytes with U+FFFD"
        case let .cannotOpen(path, reason):
            return "\(path): cannot open: \(reason)"
        case let .readFailed(source, reason):
            return "\(source): read failed: \(reason)"
        case let .lineTooLong(source, line, limit):
            return "\(source):\(line): line longer than \(limit) bytes"
        case let .malformed(source, line, what):
            if let line { return "\(source):\(line): \(what)" }
            return "\(source): \(what)"
        }
    }
}
