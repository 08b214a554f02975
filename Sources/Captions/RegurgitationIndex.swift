import Corpus
import Support
import Tokenizer

/// Every run of `gramLength` (12) consecutive tokens in the training captions, as 64-bit hashes, so
/// that a generated post that copies a training caption can be recognised and rejected.
///
/// Built once with the model's tokenizer from the captions' post text (not the header), saved
/// beside the model as `training_ngrams.bin`, loaded by the caption generator.
///
/// File format (all integers little-endian):
///
///     offset  size  field
///     0       8     magic "CGNGRAM1"
///     8       4     gram length n (UInt32; 12)
///     12      4     reserved, 0
///     16      8     tokenizer fingerprint (UInt64, FNV-1a over every token's bytes; see `fingerprint`)
///     24      8     count of hashes (UInt64)
///     32      8·count  the hashes (UInt64), sorted ascending, no duplicates
///
/// A file whose size is not exactly 32 + 8·count, whose magic differs, or whose hashes are not
/// strictly ascending is refused with a one-line error.
public struct RegurgitationIndex: Sendable, Equatable {
    /// The file name beside the model's weights.
    public static let fileName = "training_ngrams.bin"
    /// A candidate that repeats this many consecutive tokens of a training caption is a copy.
    public static let defaultGramLength = 12
    static let magic: [UInt8] = Array("CGNGRAM1".utf8)
    static let headerSize = 32

    public let gramLength: Int
    /// Identifies the tokenizer the hashes were made with; a different tokenizer's ids mean nothing.
    public let tokenizerFingerprint: UInt64
    /// Sorted, unique.
    private let hashes: [UInt64]

    /// How many distinct n-grams the index holds.
    public var count: Int { hashes.count }

    init(gramLength: Int, tokenizerFingerprint: UInt64, sortedUniqueHashes: [UInt64]) {
        self.gramLength = gramLength
        self.tokenizerFingerprint = tokenizerFingerprint
        self.hashes = sortedUniqueHashes
    }

    /// Indexes the post text of every record (validation captions included: a post must not copy
    /// any caption the corpus holds).
    public static func build(records: [CaptionRecord], tokenizer: Tokenizer, gramLength: Int = defaultGramLength) -> RegurgitationIndex {
        precondition(gramLength >= 1, "gram length must be positive")
        var all: [UInt64] = []
        for tokens in tokenizer.encode(lines: records.map(\.text)) where tokens.count >= gramLength {
            for start in 0...(tokens.count - gramLength) {
                all.append(hash(tokens[start..<(start + gramLength)]))
            }
        }
        all.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(all.count)
        for value in all where unique.last != value { unique.append(value) }
        return RegurgitationIndex(gramLength: gramLength, tokenizerFingerprint: fingerprint(of: tokenizer), sortedUniqueHashes: unique)
    }

    /// Whether `tokens` contains a run of `gramLength` tokens that a training caption contains.
    public func containsCopy(_ tokens: [TokenID]) -> Bool {
        firstCopiedRun(tokens) != nil
    }

    /// The start of the first copied run in `tokens`, or nil.
    public func firstCopiedRun(_ tokens: [TokenID]) -> Int? {
        guard tokens.count >= gramLength, !hashes.isEmpty else { return nil }
        for start in 0...(tokens.count - gramLength) where contains(hash: Self.hash(tokens[start..<(start + gramLength)])) {
            return start
        }
        return nil
    }

    private func contains(hash value: UInt64) -> Bool {
        var low = 0, high = hashes.count
        while low < high {
            let middle = (low + high) / 2
            if hashes[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < hashes.count && hashes[low] == value
    }

    /// FNV-1a (64-bit) over the tokens' ids as 4 little-endian bytes each.
    static func hash(_ tokens: ArraySlice<TokenID>) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for token in tokens {
            var bits = UInt32(bitPattern: token)
            for _ in 0..<4 {
                value = (value ^ UInt64(bits & 0xFF)) &* 0x0000_0100_0000_01B3
                bits >>= 8
            }
        }
        return value
    }

    /// FNV-1a (64-bit) over each token's length and bytes, in id order: two tokenizers that give
    /// any id different bytes have different fingerprints.
    public static func fingerprint(of tokenizer: Tokenizer) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        for id in 0..<tokenizer.vocabularySize {
            let bytes = tokenizer.bytes(of: TokenID(id))
            mix(UInt8(truncatingIfNeeded: bytes.count))
            bytes.forEach(mix)
        }
        return value
    }

    // MARK: File

    /// Writes the index atomically (temporary file, fsync, rename).
    public func save(to path: String) throws {
        var header: [UInt8] = Self.magic
        append(UInt32(gramLength), to: &header)
        append(UInt32(0), to: &header)
        append(tokenizerFingerprint, to: &header)
        append(UInt64(hashes.count), to: &header)
        try AtomicFile.write(to: path) { sink in
            try sink.append(header)
            var chunk: [UInt8] = []
            chunk.reserveCapacity(8 * 8192)
            for (i, value) in hashes.enumerated() {
                append(value, to: &chunk)
                if chunk.count == 8 * 8192 || i == hashes.count - 1 {
                    try sink.append(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
        }
    }

    /// Reads an index written by `save`. A missing, truncated or foreign file throws a
    /// `RegurgitationIndexError` naming the file.
    public static func load(from path: String) throws -> RegurgitationIndex {
        let bytes = try FileContents.read(path)
        func fail(_ reason: String) -> RegurgitationIndexError { RegurgitationIndexError(path: path, reason: reason) }
        guard bytes.count >= headerSize else { throw fail("too short (\(bytes.count) bytes) for the \(headerSize)-byte header; truncated?") }
        guard Array(bytes[0..<8]) == magic else { throw fail("not a copygen n-gram index (it does not start with \"CGNGRAM1\")") }
        let gramLength = Int(readUInt32(bytes, at: 8))
        guard gramLength >= 1 && gramLength <= 1024 else { throw fail("gram length \(gramLength) is out of range") }
        let fingerprint = readUInt64(bytes, at: 16)
        let count = readUInt64(bytes, at: 24)
        let expected = UInt64(headerSize) &+ 8 &* count
        guard count <= UInt64(Int.max / 16), UInt64(bytes.count) == expected else {
            throw fail("holds \(bytes.count) bytes but its header promises \(count) hashes (\(expected) bytes); truncated or damaged")
        }
        var hashes = [UInt64](repeating: 0, count: Int(count))
        for i in 0..<Int(count) {
            hashes[i] = readUInt64(bytes, at: headerSize + 8 * i)
            if i > 0 && hashes[i] <= hashes[i - 1] { throw fail("hash \(i) is out of order; damaged") }
        }
        return RegurgitationIndex(gramLength: gramLength, tokenizerFingerprint: fingerprint, sortedUniqueHashes: hashes)
    }

    /// Throws unless this index was built with `tokenizer`.
    public func checkMatches(_ tokenizer: Tokenizer, path: String) throws {
        if Self.fingerprint(of: tokenizer) != tokenizerFingerprint {
            throw RegurgitationIndexError(path: path, reason: "was built with a different tokenizer than the model's tokenizer.json; rebuild it")
        }
    }

    private static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }

    private static func readUInt64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }
}

private func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    var little = value.littleEndian
    withUnsafeBytes(of: &little) { bytes.append(contentsOf: $0) }
}

/// A regurgitation index file that cannot be used.
public struct RegurgitationIndexError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}
