#if canImport(Glibc)
import Glibc
#endif

/// A failed write of an output file. The previous file, if any, is untouched.
public struct FileWriteError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
    public var description: String { "\(path): cannot write: \(reason)" }
}

/// Whole-file writes that never leave a partly written file: write a temporary file in the same
/// directory, fsync it, rename it over the target, then fsync the directory so the rename is durable.
/// A reader (or a crash) sees either the old file or the new one, never a mixture.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(to: path) { sink in try sink.append(bytes) }
    }

    /// Writes `text` (UTF-8) to `path` atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    /// Streams content into a temporary file through `fill`, then moves it to `path`.
    /// If `fill` throws, the temporary file is removed and `path` keeps its old content.
    public static func write(to path: String, _ fill: (Sink) throws -> Void) throws {
        let directory = parentDirectory(of: path)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let temporary = (directory == "." && !path.hasPrefix("./") ? "" : directory + "/") + ".\(name).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
        let sink = Sink(descriptor: fd, path: path)
        do {
            try fill(sink)
            try sink.flush()
            if fsync(fd) != 0 { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
            close(fd)
            if rename(temporary, path) != 0 { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 { fsync(directoryFD); close(directoryFD) }
    }

    /// Creates `path` and its parents if missing; an existing directory is fine.
    public static func createDirectory(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw FileWriteError(path: path, reason: String(cString: strerror(errno)))
            }
            prefix += "/"
        }
        var info = stat()
        if stat(path, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR {
            throw FileWriteError(path: path, reason: "not a directory")
        }
    }

    /// Removes temporary files that `write` left in `directory` when its process died mid-write
    /// (`.NAME.tmp-PID` whose PID no longer runs). They never replace a real file, but each holds a
    /// whole file's worth of disk. Best effort: files it cannot remove are left alone.
    public static func removeStaleTemporaries(in directory: String) {
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        var stale: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = temporaryOwner(name), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            stale.append(name)
        }
        for name in stale { unlink(directory + "/" + name) }
    }

    /// The process id in a temporary name `.NAME.tmp-PID`, or nil for any other name.
    static func temporaryOwner(_ name: String) -> pid_t? {
        guard name.hasPrefix("."), let dash = name.lastIndex(of: "-"), name[..<dash].hasSuffix(".tmp") else { return nil }
        let digits = name[name.index(after: dash)...]
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return pid_t(digits)
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// A buffered writer into the temporary file.
    public final class Sink {
        private let descriptor: Int32
        private let path: String
        private var pending: [UInt8] = []

        init(descriptor: Int32, path: String) {
            self.descriptor = descriptor
            self.path = path
            pending.reserveCapacity(1 << 20)
        }

        public func append(_ bytes: some Collection<UInt8>) throws {
            pending.append(contentsOf: bytes)
            if pending.count >= 1 << 20 { try flush() }
        }

        public func append(_ text: String) throws { try append(text.utf8) }

        /// Appends raw memory (e.g. a float tensor) without an intermediate copy.
        public func append(_ raw: UnsafeRawBufferPointer) throws {
            try flush()
            try writeAll(raw)
        }

        func flush() throws {
            if pending.isEmpty { return }
            try pending.withUnsafeBytes { try writeAll($0) }
            pending.removeAll(keepingCapacity: true)
        }

        private func writeAll(_ raw: UnsafeRawBufferPointer) throws {
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw FileWriteError(path: path, reason: String(cString: strerror(errno)))
                }
                offset += n
            }
        }
    }
}
