import Foundation

/// A safetensors file opened for reading: mapped into memory (not copied), with its header
/// checked before any tensor is read.
///
/// Format: an 8-byte little-endian header length n, n bytes of JSON mapping each tensor name to
/// `dtype`, `shape` and `data_offsets` [begin, end) (relative to the end of the header), an
/// optional `__metadata__` object of strings, then the raw little-endian data.
/// The checks: the file holds the 8 bytes and the whole header; the header is a JSON object of
/// well-formed entries; each shape's element count and byte size fit in an Int; each tensor's
/// byte range matches its shape and dtype, lies inside the file, and overlaps no other tensor.
public final class SafeTensorsFile {
    /// One tensor's header entry.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var dtype: String
        public var shape: [Int]
        /// Bytes relative to the start of the data section.
        public var dataOffsets: Range<Int>
        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// Bytes per element of the dtypes safetensors defines.
    public static let dtypeSizes: [String: Int] = [
        "F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "U64": 8, "I32": 4, "U32": 4,
        "I16": 2, "U16": 2, "I8": 1, "U8": 1, "BOOL": 1, "F8_E4M3": 1, "F8_E5M2": 1,
    ]

    /// Largest header accepted (the format's own readers use 100 MB).
    static let maximumHeaderLength = 100_000_000

    public let path: String
    /// Tensors in file order (by data offset).
    public let entries: [Entry]
    public let metadata: [String: String]
    private let byName: [String: Entry]
    private let mapping: UnsafeMutableRawPointer?
    private let fileSize: Int
    private let dataStart: Int

    public init(path: String) throws {
        self.path = path
        func fail(_ reason: String) -> CheckpointError { CheckpointError(path: path, reason: reason) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw fail("cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw fail("cannot read: \(String(cString: strerror(errno)))") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw fail("is a directory, not a safetensors file") }
        fileSize = Int(info.st_size)
        if fileSize < 8 { throw fail("truncated: \(fileSize) bytes, shorter than the 8-byte header length at byte 0") }
        let mapped = mmap(nil, fileSize, PROT_READ, MAP_PRIVATE, fd, 0)
        if mapped == MAP_FAILED || mapped == nil { throw fail("cannot map: \(String(cString: strerror(errno)))") }
        mapping = mapped
        let base = UnsafeRawPointer(mapped!)
        // From here on the mapping is released by deinit, even if a check below throws.

        let headerLength = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
        guard headerLength <= UInt64(Self.maximumHeaderLength) else {
            throw fail("header length \(headerLength) at byte 0 is larger than the 100 MB limit (foreign or corrupt file)")
        }
        guard 8 + Int(headerLength) <= fileSize else {
            throw fail("header length \(headerLength) at byte 0 runs past the end of the file (\(fileSize) bytes): truncated or not safetensors")
        }
        dataStart = 8 + Int(headerLength)
        let headerBytes = Data(bytes: base + 8, count: Int(headerLength))
        guard let json = try? JSONSerialization.jsonObject(with: headerBytes, options: []), let header = json as? [String: Any] else {
            throw fail("header (bytes 8..<\(dataStart)) is not a JSON object")
        }

        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let object = value as? [String: Any] else { throw fail("__metadata__ is not an object of strings") }
                for (key, item) in object {
                    guard let text = item as? String else { throw fail("__metadata__ value for \"\(key)\" is not a string") }
                    metadata[key] = text
                }
                continue
            }
            guard let object = value as? [String: Any] else { throw fail("tensor \(name): header entry is not an object") }
            guard let dtype = object["dtype"] as? String else { throw fail("tensor \(name): missing or non-string dtype") }
            guard let elementSize = Self.dtypeSizes[dtype] else { throw fail("tensor \(name): unknown dtype \"\(dtype)\"") }
            guard let shapeValues = object["shape"] as? [Any] else { throw fail("tensor \(name): missing or malformed shape") }
            var shape: [Int] = []
            for dimension in shapeValues {
                guard let d = Self.nonNegativeInteger(dimension) else { throw fail("tensor \(name): shape \(shapeValues) has a dimension that is not a non-negative integer") }
                shape.append(d)
            }
            guard let offsetValues = object["data_offsets"] as? [Any], offsetValues.count == 2,
                  let begin = Self.nonNegativeInteger(offsetValues[0]), let end = Self.nonNegativeInteger(offsetValues[1]) else {
                throw fail("tensor \(name): data_offsets must be two non-negative integers")
            }
            var elements = 1
            for d in shape {
                let (product, overflow) = elements.multipliedReportingOverflow(by: d)
                if overflow { throw fail("tensor \(name): shape \(shape) has more elements than an integer holds") }
                elements = product
            }
            let (bytes, overflow) = elements.multipliedReportingOverflow(by: elementSize)
            if overflow { throw fail("tensor \(name): shape \(shape) of \(dtype) needs more bytes than an integer holds") }
            guard begin <= end else { throw fail("tensor \(name): data_offsets [\(begin), \(end)] end before they begin") }
            guard end - begin == bytes else {
                throw fail("tensor \(name): data_offsets [\(begin), \(end)] hold \(end - begin) bytes but shape \(shape) of \(dtype) needs \(bytes)")
            }
            guard end <= fileSize - dataStart else {
                throw fail("tensor \(name): data_offsets [\(begin), \(end)] end at byte \(dataStart + end), past the end of the file (\(fileSize) bytes): truncated")
            }
            entries.append(Entry(name: name, dtype: dtype, shape: shape, dataOffsets: begin..<end))
        }
        entries.sort { ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound, $0.name) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound, $1.name) }
        for (previous, next) in zip(entries, entries.dropFirst()) where next.dataOffsets.lowerBound < previous.dataOffsets.upperBound && !next.dataOffsets.isEmpty {
            throw fail("tensors \(previous.name) and \(next.name) overlap at byte \(dataStart + next.dataOffsets.lowerBound)")
        }
        self.entries = entries
        self.metadata = metadata
        self.byName = Dictionary(entries.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    deinit {
        if let mapping { munmap(mapping, fileSize) }
    }

    /// The entry called `name`, if present.
    public func entry(_ name: String) -> Entry? { byName[name] }

    /// The tensor's raw bytes, inside the mapping (valid while this object lives).
    public func bytes(of entry: Entry) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: UnsafeRawPointer(mapping!) + dataStart + entry.dataOffsets.lowerBound, count: entry.dataOffsets.count)
    }

    /// Converts a floating-point tensor (F32, F16 or BF16) to float32 into `destination`, which
    /// holds `entry.elementCount` floats.
    public func readFloats(_ entry: Entry, into destination: UnsafeMutablePointer<Float>) throws {
        let raw = bytes(of: entry)
        let count = entry.elementCount
        switch entry.dtype {
        case "F32" where UInt32(1).littleEndian == 1:
            // Same bytes as the host's floats: one copy straight from the mapping.
            UnsafeMutableRawPointer(destination).copyMemory(from: raw.baseAddress!, byteCount: raw.count)
        case "F32":
            for i in 0..<count { destination[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
        case "F16":
            for i in 0..<count { destination[i] = Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))) }
        case "BF16":
            // bfloat16 is the top half of a float32.
            for i in 0..<count { destination[i] = Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16) }
        default:
            throw CheckpointError(path: path, reason: "tensor \(entry.name): dtype \(entry.dtype) is not a float type (F32, F16 or BF16)")
        }
    }

    /// A JSON number that is a whole number in 0...2⁵³ (no file has larger offsets or sizes).
    static func nonNegativeInteger(_ value: Any) -> Int? {
        if let i = value as? Int { return i >= 0 ? i : nil }
        guard let number = value as? NSNumber else { return nil }
        let d = number.doubleValue
        guard d >= 0, d <= 9_007_199_254_740_992, d.rounded() == d else { return nil }
        return Int(d)
    }
}
