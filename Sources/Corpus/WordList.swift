import Support
import Tokenizer

/// The words a model may write: lower-case words (`WordScanner`'s rules), sorted, each once.
///
/// Built from a model's training text by `WordCounter` and saved beside the model as `words.txt`;
/// the decoding guard (`WordGuard`) asks it, letter by letter, whether the word being written can
/// still become a listed word (`Cursor`).
///
/// File format (`words.txt`): UTF-8, one word a line, each line ending in "\n"; every word
/// lower-case and a single word by `WordScanner` (letters, inner apostrophes written '); lines in
/// strictly ascending order of their UTF-8 bytes (code point order, which is what `sort` gives
/// with `LC_ALL=C`). `load` refuses anything else with a one-line error naming the file and line.
///
/// Held as one byte buffer and an offset per word (about 10 bytes a word in memory, no per-word
/// allocation), so that 100,000 words load in a few milliseconds.
public struct WordList: Sendable, Equatable {
    /// The file name beside a model's weights.
    public static let fileName = "words.txt"
    /// The names among them (`WordCounter.names`), in the same format, beside it.
    public static let namesFileName = "names.txt"

    /// Every word's bytes, in order, without separators.
    @usableFromInline let bytes: [UInt8]
    /// Word `i` is `bytes[starts[i]..<starts[i + 1]]`.
    @usableFromInline let starts: [Int32]
    /// For each first byte b: the index of the first word whose first byte is b or more (257 entries).
    @usableFromInline let firstByteIndex: [Int32]

    /// How many words the list holds.
    public var count: Int { starts.count - 1 }

    /// A list of `words`, each lower-cased (apostrophes as '); duplicates and empty strings are
    /// dropped. The words are taken as given: use `isSingleWord` or `loadUserWords` to check them.
    public init(_ words: some Sequence<String>) {
        var encoded: [[UInt8]] = []
        for word in words {
            var bytes: [UInt8] = []
            for scalar in word.unicodeScalars { WordScanner.appendLowercased(scalar, to: &bytes) }
            if !bytes.isEmpty { encoded.append(bytes) }
        }
        encoded.sort { $0.lexicographicallyPrecedes($1) }
        var bytes: [UInt8] = []
        var starts: [Int32] = [0]
        for (i, word) in encoded.enumerated() where i == 0 || word != encoded[i - 1] {
            bytes.append(contentsOf: word)
            starts.append(Int32(bytes.count))
        }
        self.init(sortedBytes: bytes, starts: starts)
    }

    /// From words already sorted, unique and lower-case.
    init(sortedBytes bytes: [UInt8], starts: [Int32]) {
        precondition(bytes.count < Int(Int32.max), "a word list over 2 GB")
        self.bytes = bytes
        self.starts = starts
        var index = [Int32](repeating: Int32(starts.count - 1), count: 257)
        var word = starts.count - 2
        // Walk backwards so each byte's entry ends at its first word.
        for byte in stride(from: 255, through: 0, by: -1) {
            while word >= 0 && bytes[Int(starts[word])] >= UInt8(byte) { word -= 1 }
            index[byte] = Int32(word + 1)
        }
        firstByteIndex = index
    }

    /// The words, in order.
    public var words: [String] {
        (0..<count).map { String(decoding: wordBytes($0), as: UTF8.self) }
    }

    func wordBytes(_ i: Int) -> ArraySlice<UInt8> { bytes[Int(starts[i])..<Int(starts[i + 1])] }

    /// Whether `word` (lower-cased here) is listed.
    public func contains(_ word: String) -> Bool {
        var cursor = Cursor.start(of: self)
        for byte in Self.lowercasedBytes(word) { advance(&cursor, by: byte) }
        return isWord(cursor)
    }

    /// Whether some listed word starts with `prefix` (lower-cased here); true for "".
    public func hasWord(startingWith prefix: String) -> Bool {
        var cursor = Cursor.start(of: self)
        for byte in Self.lowercasedBytes(prefix) { advance(&cursor, by: byte) }
        return cursor.isPrefix
    }

    static func lowercasedBytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars { WordScanner.appendLowercased(scalar, to: &bytes) }
        return bytes
    }

    /// Every word of either list.
    public func union(_ other: WordList) -> WordList {
        if other.count == 0 { return self }
        if count == 0 { return other }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(self.bytes.count + other.bytes.count)
        var starts: [Int32] = [0]
        starts.reserveCapacity(count + other.count + 1)
        var i = 0, j = 0
        func take(_ word: ArraySlice<UInt8>) {
            bytes.append(contentsOf: word)
            starts.append(Int32(bytes.count))
        }
        while i < count || j < other.count {
            if j == other.count { take(wordBytes(i)); i += 1; continue }
            if i == count { take(other.wordBytes(j)); j += 1; continue }
            let a = wordBytes(i), b = other.wordBytes(j)
            if a == b {
                take(a); i += 1; j += 1
            } else if a.lexicographicallyPrecedes(b) {
                take(a); i += 1
            } else {
                take(b); j += 1
            }
        }
        return WordList(sortedBytes: bytes, starts: starts)
    }

    /// The words of this list that `other` does not hold.
    public func subtracting(_ other: WordList) -> WordList {
        if other.count == 0 { return self }
        var bytes: [UInt8] = []
        var starts: [Int32] = [0]
        var j = 0
        for i in 0..<count {
            let word = wordBytes(i)
            while j < other.count && other.wordBytes(j).lexicographicallyPrecedes(word) { j += 1 }
            if j < other.count && other.wordBytes(j) == word { continue }
            bytes.append(contentsOf: word)
            starts.append(Int32(bytes.count))
        }
        return WordList(sortedBytes: bytes, starts: starts)
    }

    /// This list without `names` (a model's names.txt) nor their possessives ("meridian's"): the
    /// words a post or a guarded completion may use unless the request gives a name.
    public func withoutNames(_ names: WordList) -> WordList {
        subtracting(names.adding(names.words.map { $0 + "'s" }))
    }

    /// This list with `words` added (lower-cased).
    public func adding(_ words: some Sequence<String>) -> WordList { union(WordList(words)) }

    // MARK: Prefixes

    /// A prefix being spelled out, byte by byte: the range of listed words that start with it.
    ///
    /// A cursor holds no reference to its list (it is three integers, cheap to copy); pass it to
    /// the list it came from.
    public struct Cursor: Sendable, Equatable {
        /// The listed words starting with the prefix are `low..<high`.
        public internal(set) var low: Int32
        public internal(set) var high: Int32
        /// The prefix's length in bytes.
        public internal(set) var depth: Int32

        @usableFromInline
        init(low: Int32, high: Int32, depth: Int32) {
            self.low = low
            self.high = high
            self.depth = depth
        }

        /// The empty prefix: every word of `list`.
        @inlinable
        public static func start(of list: WordList) -> Cursor { Cursor(low: 0, high: Int32(list.starts.count - 1), depth: 0) }

        /// Whether some listed word starts with the prefix.
        @inlinable
        public var isPrefix: Bool { low < high }
    }

    /// Extends the cursor's prefix by one byte (of the lower-cased word's UTF-8). Inlinable: the
    /// decoding guard calls it for every letter of every token it checks.
    @inlinable
    public func advance(_ cursor: inout Cursor, by byte: UInt8) {
        guard cursor.low < cursor.high else {
            cursor = Cursor(low: cursor.low, high: cursor.high, depth: cursor.depth + 1)
            return
        }
        if cursor.depth == 0 {
            cursor = Cursor(low: firstByteIndex[Int(byte)], high: firstByteIndex[Int(byte) + 1], depth: 1)
            return
        }
        let depth = Int(cursor.depth)
        bytes.withUnsafeBufferPointer { text in
            starts.withUnsafeBufferPointer { starts in
                // The byte at `depth` of word i, or -1 when the word ends there (it sorts first).
                @inline(__always) func key(_ i: Int32) -> Int {
                    let start = Int(starts[Int(i)]), end = Int(starts[Int(i) + 1])
                    return start + depth < end ? Int(text[start + depth]) : -1
                }
                let target = Int(byte)
                var low = cursor.low, high = cursor.high
                while low < high {  // first word whose key is >= target
                    let middle = low + (high - low) / 2
                    if key(middle) < target { low = middle + 1 } else { high = middle }
                }
                var end = low, limit = cursor.high
                while end < limit {  // first word whose key is > target
                    let middle = end + (limit - end) / 2
                    if key(middle) <= target { end = middle + 1 } else { limit = middle }
                }
                cursor = Cursor(low: low, high: end, depth: cursor.depth + 1)
            }
        }
    }

    /// Extends the cursor's prefix by several bytes.
    public func advance(_ cursor: inout Cursor, by bytes: some Sequence<UInt8>) {
        for byte in bytes { advance(&cursor, by: byte) }
    }

    /// Whether the cursor's prefix is itself a listed word.
    @inlinable
    public func isWord(_ cursor: Cursor) -> Bool {
        cursor.low < cursor.high && starts[Int(cursor.low) + 1] - starts[Int(cursor.low)] == cursor.depth
    }

    /// The bytes that can come next after the cursor's prefix in some listed word.
    public func nextBytes(after cursor: Cursor) -> ByteSet {
        var set = ByteSet()
        var i = cursor.low
        let depth = Int(cursor.depth)
        while i < cursor.high {
            let start = Int(starts[Int(i)])
            guard start + depth < Int(starts[Int(i) + 1]) else { i += 1; continue }  // the prefix itself
            let byte = bytes[start + depth]
            set.insert(byte)
            // Jump past every word with this byte here: they are contiguous.
            var after = cursor
            advance(&after, by: byte)
            i = after.high
        }
        return set
    }

    // MARK: Files

    /// Writes the list (see the type's file format) atomically: temporary file, fsync, rename.
    public func save(to path: String) throws {
        try AtomicFile.write(to: path) { sink in
            var chunk: [UInt8] = []
            chunk.reserveCapacity(1 << 16)
            for i in 0..<count {
                chunk.append(contentsOf: wordBytes(i))
                chunk.append(UInt8(ascii: "\n"))
                if chunk.count >= 1 << 16 {
                    try sink.append(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            try sink.append(chunk)
        }
    }

    /// Reads a `words.txt` (the type's file format). A line that is empty, not one word, not
    /// lower-case, out of order or repeated throws `InputError` naming the file and the line.
    public static func load(path: String) throws -> WordList {
        let file = try FileContents.read(path)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(file.count)
        var starts: [Int32] = [0]
        var lineStart = 0, line = 0
        while lineStart < file.count {
            line += 1
            let lineEnd = file[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? file.count
            let word = file[lineStart..<lineEnd]
            func fail(_ what: String) -> InputError { InputError.malformed(source: path, line: line, what: what) }
            if word.isEmpty { throw fail("empty line (one lower-case word a line)") }
            if !isLowerCaseASCIIWord(word) {
                guard let text = String(validating: word, as: UTF8.self) else {
                    let bad = UTF8Validation.firstInvalidOffset(Array(word)) ?? 0
                    throw InputError.invalidUTF8(source: path, line: line, byte: bad, fileOffset: lineStart + bad)
                }
                guard WordScanner.isSingleWord(text) else { throw fail("\(JSONString.quoted(text)) is not one word (letters, with ' only between letters)") }
                guard Array(lowercasedBytes(text)) == Array(word) else { throw fail("\(JSONString.quoted(text)) is not lower-case") }
            }
            if starts.count > 1 {
                let previous = bytes[Int(starts[starts.count - 2])...]
                if !previous.lexicographicallyPrecedes(word) {
                    throw fail(previous.elementsEqual(word) ? "\(JSONString.quoted(String(decoding: word, as: UTF8.self))) is listed twice"
                               : "\(JSONString.quoted(String(decoding: word, as: UTF8.self))) is out of order (the lines must be sorted by their bytes, as LC_ALL=C sort does)")
                }
            }
            bytes.append(contentsOf: word)
            guard bytes.count < Int(Int32.max) else { throw fail("the list is over 2 GB") }
            starts.append(Int32(bytes.count))
            lineStart = lineEnd + 1
        }
        return WordList(sortedBytes: bytes, starts: starts)
    }

    /// A-z with apostrophes only between letters: the common case, checked without decoding.
    static func isLowerCaseASCIIWord(_ word: ArraySlice<UInt8>) -> Bool {
        var previousWasLetter = false
        for byte in word {
            if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") {
                previousWasLetter = true
            } else if byte == UInt8(ascii: "'") && previousWasLetter {
                previousWasLetter = false
            } else {
                return false
            }
        }
        return previousWasLetter
    }

    /// Reads a user's own words (brand and product names): one word a line in any case, blank
    /// lines skipped, surrounding spaces ignored. A line that is not one word ("50% off",
    /// "cold brew", "@brand") throws `InputError` naming the file and line.
    public static func loadUserWords(path: String) throws -> WordList {
        let reader = try LineReader(path: path)
        var words: [String] = []
        while let line = try reader.nextLine() {
            let word = line.trimmingSpaces()
            if word.isEmpty { continue }
            guard WordScanner.isSingleWord(word) else {
                let hint = word.unicodeScalars.contains(where: { WordScanner.classify($0) == .space })
                    ? "; give each word on its own line" : " (letters, with ' only between letters)"
                throw InputError.malformed(source: reader.sourceName, line: reader.lineNumber,
                                           what: "\(JSONString.quoted(word)) is not one word\(hint)")
            }
            words.append(word)
        }
        return WordList(words)
    }

    /// Every word of a dictionary file in any layout (`/usr/share/dict/words`: one a line, any
    /// case), found by `WordScanner`; anything that is not a word is skipped.
    public static func loadDictionary(path: String) throws -> WordList {
        let text = try FileContents.readText(path)
        return WordList(WordScanner.words(in: text).lazy.filter { !$0.isUnit }.map(\.text))
    }
}

/// A set of byte values, as 256 bits.
public struct ByteSet: Sendable, Equatable {
    @usableFromInline var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    public init() {}

    public mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: bits.0 |= bit
        case 1: bits.1 |= bit
        case 2: bits.2 |= bit
        default: bits.3 |= bit
        }
    }

    @inlinable
    public func contains(_ byte: UInt8) -> Bool {
        let word: UInt64
        switch byte >> 6 {
        case 0: word = bits.0
        case 1: word = bits.1
        case 2: word = bits.2
        default: word = bits.3
        }
        return word & (UInt64(1) << UInt64(byte & 63)) != 0
    }

    public static func == (a: ByteSet, b: ByteSet) -> Bool { a.bits == b.bits }
}

extension String {
    /// Without leading and trailing white space.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
