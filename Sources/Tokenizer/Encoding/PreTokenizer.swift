/// How text is cut into pieces ("pre-tokens") before BPE runs inside each piece.
///
/// Both splits are hand-written scanners over the UTF-8 bytes that follow the regular expressions
/// below alternative by alternative (first alternative that matches wins, as in a backtracking
/// regex engine); the regex text itself only goes into `tokenizer.json` for other libraries.
public enum PreTokenizer: String, Sendable, CustomStringConvertible {
    /// The GPT-4-style split: contractions, an optional non-letter before a letter run, 1–3 digit
    /// groups, punctuation runs with their trailing line breaks, line-break runs, and white space
    /// that leaves its last character to the next word.
    case gpt4
    /// GPT-2's split: contractions, letter / number / other runs each with an optional leading
    /// space, and white space that leaves its last character to the next word.
    case gpt2

    /// The split as a regular expression in Oniguruma syntax (Hugging Face `tokenizers`).
    ///
    /// `\p{N}{1,3}` is deliberately not possessive: Oniguruma reads `{1,3}+` as "repeat the group".
    /// The other quantifiers need no possessive form because their backtracking cannot succeed.
    public var pattern: String {
        switch self {
        case .gpt4:
            return #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
        case .gpt2:
            return #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
        }
    }

    public var description: String { rawValue }

    /// The pieces of `text`, in order (for tests and tools; the encoder walks byte ranges with `PieceScanner`).
    public func pieces(of text: String) -> [String] {
        var copy = text
        return copy.withUTF8 { buffer in
            var scanner = PieceScanner(buffer, split: self)
            var result: [String] = []
            while let piece = scanner.next() {
                result.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[piece]), as: UTF8.self))
            }
            return result
        }
    }
}

/// Walks valid UTF-8 and returns one piece (a byte range) per call to `next()`.
struct PieceScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let split: PreTokenizer
    private let classes: UnsafePointer<UInt8>
    private var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, split: PreTokenizer) {
        self.bytes = bytes
        self.split = split
        self.classes = ScalarClass.basicPlaneTable
    }

    /// The next piece, or nil at the end.
    @inline(__always)
    mutating func next() -> Range<Int>? {
        let start = position
        if start >= bytes.count { return nil }
        position = split == .gpt4 ? endOfGPT4Piece(from: start) : endOfGPT2Piece(from: start)
        return start..<position
    }

    // MARK: Reading scalars

    /// The class and byte length of the scalar that starts at `i` (the input is valid UTF-8).
    @inline(__always)
    private func scalar(at i: Int) -> (ScalarClass, Int) {
        let b0 = bytes[i]
        if b0 < 0x80 { return (ScalarClass(rawValue: classes[Int(b0)])!, 1) }
        if b0 < 0xE0 {
            let value = UInt32(b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
            return (ScalarClass.of(value, table: classes), 2)
        }
        if b0 < 0xF0 {
            let value = UInt32(b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
            return (ScalarClass.of(value, table: classes), 3)
        }
        let value = UInt32(b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12
            | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F)
        return (ScalarClass.of(value, table: classes), 4)
    }

    @inline(__always)
    private func classAt(_ i: Int) -> ScalarClass? {
        i < bytes.count ? scalar(at: i).0 : nil
    }

    /// The end of the run of scalars of class `kind` that starts at `i`.
    @inline(__always)
    private func endOfRun(of kind: ScalarClass, from i: Int) -> Int {
        var j = i
        while j < bytes.count {
            let (c, length) = scalar(at: j)
            if c != kind { break }
            j += length
        }
        return j
    }

    /// The byte length of a contraction suffix ("s", "ll", ...) right after an apostrophe at `i - 1`.
    @inline(__always)
    private func contractionLength(at i: Int, ignoringCase: Bool) -> Int {
        @inline(__always) func byte(_ k: Int, is letter: UInt8) -> Bool {
            // OR-ing 0x20 maps exactly the two cases of an ASCII letter onto the lowercase one.
            k < bytes.count && (ignoringCase ? bytes[k] | 0x20 : bytes[k]) == letter
        }
        if byte(i, is: UInt8(ascii: "s")) || byte(i, is: UInt8(ascii: "t")) || byte(i, is: UInt8(ascii: "m"))
            || byte(i, is: UInt8(ascii: "d")) {
            return 1
        }
        // Case-insensitive matching (Oniguruma's, like Unicode case folding) also takes the long s
        // "ſ" (U+017F, bytes C5 BF) for "s". NFKC turns it into "s" before this point anyway.
        if ignoringCase && i + 1 < bytes.count && bytes[i] == 0xC5 && bytes[i + 1] == 0xBF { return 2 }
        if (byte(i, is: UInt8(ascii: "l")) && byte(i + 1, is: UInt8(ascii: "l")))
            || (byte(i, is: UInt8(ascii: "v")) && byte(i + 1, is: UInt8(ascii: "e")))
            || (byte(i, is: UInt8(ascii: "r")) && byte(i + 1, is: UInt8(ascii: "e"))) {
            return 2
        }
        return 0
    }

    // MARK: GPT-4 style

    // '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
    private func endOfGPT4Piece(from i: Int) -> Int {
        let first = bytes[i]
        if first == UInt8(ascii: "'") {
            let length = contractionLength(at: i + 1, ignoringCase: true)
            if length > 0 { return i + 1 + length }
        }
        let (kind, length) = scalar(at: i)
        switch kind {
        case .letter:
            return endOfRun(of: .letter, from: i)
        case .number:
            var j = i + length, count = 1
            while count < 3, j < bytes.count {
                let (c, l) = scalar(at: j)
                if c != .number { break }
                j += l
                count += 1
            }
            return j
        case .other:
            // One non-letter glued to the letters after it ("\"Hello", "#tag"), else a symbol run.
            if classAt(i + length) == .letter { return endOfRun(of: .letter, from: i + length) }
            return endOfSymbolRunWithLineBreaks(from: i)
        case .space:
            if classAt(i + length) == .letter { return endOfRun(of: .letter, from: i + length) }
            if first == UInt8(ascii: " "), classAt(i + 1) == .other { return endOfSymbolRunWithLineBreaks(from: i + 1) }
            return endOfWhiteSpacePiece(from: i, lineBreaksEndPiece: true)
        case .newline:
            return endOfWhiteSpacePiece(from: i, lineBreaksEndPiece: true)
        }
    }

    /// `[^\s\p{L}\p{N}]+[\r\n]*` from `i`.
    private func endOfSymbolRunWithLineBreaks(from i: Int) -> Int {
        var j = endOfRun(of: .other, from: i)
        while j < bytes.count, bytes[j] == 0x0A || bytes[j] == 0x0D { j += 1 }
        return j
    }

    /// White space from `i`: with `lineBreaksEndPiece`, a run that holds line breaks ends after the
    /// last one (`\s*[\r\n]+`); otherwise the run keeps its last character for the next piece
    /// unless it ends the text (`\s+(?!\S)`), and a single character stands alone (`\s+`).
    private func endOfWhiteSpacePiece(from i: Int, lineBreaksEndPiece: Bool) -> Int {
        var j = i, lastStart = i, scalars = 0, afterLastLineBreak = -1
        while j < bytes.count {
            let (c, length) = scalar(at: j)
            if c != .space && c != .newline { break }
            lastStart = j
            j += length
            scalars += 1
            if c == .newline { afterLastLineBreak = j }
        }
        if lineBreaksEndPiece && afterLastLineBreak > 0 { return afterLastLineBreak }
        if j == bytes.count || scalars == 1 { return j }
        return lastStart
    }

    // MARK: GPT-2

    // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
    private func endOfGPT2Piece(from i: Int) -> Int {
        let first = bytes[i]
        if first == UInt8(ascii: "'") {
            let length = contractionLength(at: i + 1, ignoringCase: false)
            if length > 0 { return i + 1 + length }
        }
        let runStart = first == UInt8(ascii: " ") ? i + 1 : i
        if let kind = classAt(runStart), kind == .letter || kind == .number || kind == .other {
            return endOfRun(of: kind, from: runStart)
        }
        return endOfWhiteSpacePiece(from: i, lineBreaksEndPiece: false)
    }
}
