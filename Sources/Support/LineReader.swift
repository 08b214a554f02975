#if canImport(Glibc)
import Glibc
#endif

/// Reads a file or standard input line by line in bounded memory, checking that every line is UTF-8.
///
/// Memory holds one read buffer and the current line, never the whole input, so a gigabyte on
/// standard input streams. A line ends at "\n"; a "\r" before it is dropped. Invalid UTF-8 throws
/// `InputError.invalidUTF8` naming the line and byte, unless `lossy` is set, in which case bad
/// bytes become U+FFFD.
public final class LineReader {
    /// "<stdin>" or the path, as errors name it.
    public let sourceName: String
    /// The number of the line most recently returned, counting from 1.
    public private(set) var lineNumber = 0
    /// Whether invalid UTF-8 is replaced (true) or refused (false).
    public let lossy: Bool
    /// The longest line accepted, in bytes; a longer one is refused rather than filling memory.
    public let maximumLineBytes: Int

    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8]
    private var bufferStart = 0
    private var bufferEnd = 0
    private var reachedEnd = false
    private var bytesBeforeBuffer = 0

    /// Opens `path` for reading, or standard input when `path` is nil or "-".
    public init(path: String?, lossy: Bool = false, maximumLineBytes: Int = 64 << 20) throws {
        self.lossy = lossy
        self.maximumLineBytes = maximumLineBytes
        self.buffer = [UInt8](repeating: 0, count: 1 << 16)
        if let path, path != "-" {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw InputError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
            var info = stat()
            if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw InputError.cannotOpen(path: path, reason: "is a directory")
            }
            descriptor = fd
            ownsDescriptor = true
            sourceName = path
        } else {
            descriptor = STDIN_FILENO
            ownsDescriptor = false
            sourceName = "<stdin>"
        }
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// The next line without its terminator, or nil at the end of the input.
    public func nextLine() throws -> String? {
        guard let bytes = try nextLineBytes() else { return nil }
        return try decode(bytes)
    }

    /// The next line's raw bytes (terminator removed), or nil at the end of the input.
    public func nextLineBytes() throws -> [UInt8]? {
        var line: [UInt8] = []
        var lineStartOffset = bytesBeforeBuffer + bufferStart
        while true {
            if bufferStart < bufferEnd {
                let found = buffer[bufferStart..<bufferEnd].firstIndex(of: UInt8(ascii: "\n"))
                let end = found ?? bufferEnd
                line.append(contentsOf: buffer[bufferStart..<end])
                if line.count > maximumLineBytes {
                    throw InputError.lineTooLong(source: sourceName, line: lineNumber + 1, limit: maximumLineBytes)
                }
                if let found {
                    bufferStart = found + 1
                    return finishLine(&line, startingAt: lineStartOffset)
                }
                bufferStart = bufferEnd
            }
            if reachedEnd {
                if line.isEmpty { return nil }
                return finishLine(&line, startingAt: lineStartOffset)
            }
            if line.isEmpty { lineStartOffset = bytesBeforeBuffer + bufferEnd }
            try refill()
        }
    }

    private var currentLineStart = 0

    private func finishLine(_ line: inout [UInt8], startingAt offset: Int) -> [UInt8] {
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        lineNumber += 1
        currentLineStart = offset
        return line
    }

    private func refill() throws {
        bytesBeforeBuffer += bufferEnd
        bufferStart = 0
        bufferEnd = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError.readFailed(source: sourceName, reason: String(cString: strerror(errno)))
            }
            if n == 0 { reachedEnd = true }
            bufferEnd = n
            return
        }
    }

    private func decode(_ bytes: [UInt8]) throws -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        if lossy { return String(decoding: bytes, as: UTF8.self) }
        let bad = UTF8Validation.firstInvalidOffset(bytes) ?? 0
        throw InputError.invalidUTF8(
            source: sourceName, line: lineNumber, byte: bad, fileOffset: currentLineStart + bad)
    }
}

/// UTF-8 checks that say where the input goes wrong.
public enum UTF8Validation {
    /// For a byte that starts a multi-byte UTF-8 sequence: the sequence's length and the range its
    /// second byte must fall in (which excludes overlong forms, surrogates and values past
    /// U+10FFFF); nil for ASCII, continuation bytes and bytes that never start a sequence.
    public static func leadByteShape(_ lead: UInt8) -> (length: Int, secondByte: ClosedRange<UInt8>)? {
        switch lead {
        case 0xC2...0xDF: return (2, 0x80...0xBF)
        case 0xE0: return (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: return (3, 0x80...0xBF)
        case 0xED: return (3, 0x80...0x9F)
        case 0xF0: return (4, 0x90...0xBF)
        case 0xF1...0xF3: return (4, 0x80...0xBF)
        case 0xF4: return (4, 0x80...0x8F)
        default: return nil
        }
    }

    /// The offset of the first byte that does not begin or continue a valid UTF-8 sequence, or nil
    /// when all of `bytes` is valid UTF-8 (overlong forms, surrogates and values past U+10FFFF are invalid).
    public static func firstInvalidOffset<C: Collection>(_ bytes: C) -> Int? where C.Element == UInt8, C.Index == Int {
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            guard let (length, second) = leadByteShape(b0) else { return i - bytes.startIndex }
            if i + length > end { return i - bytes.startIndex }
            let b1 = bytes[i + 1]
            if !second.contains(b1) { return i - bytes.startIndex }
            for k in 2..<length where bytes[i + k] & 0xC0 != 0x80 { return i - bytes.startIndex }
            i += length
        }
        return nil
    }
}
