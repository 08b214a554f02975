import Support

/// Turns ids that arrive one at a time (a model generating text) into text that is always whole
/// characters: bytes of a UTF-8 sequence cut between two tokens are held back until the sequence's
/// last byte arrives, so an emoji split across tokens never shows as U+FFFD.
public final class StreamingDecoder {
    private let tokenizer: Tokenizer
    private var pending: [UInt8] = []

    init(tokenizer: Tokenizer) { self.tokenizer = tokenizer }

    /// Adds one id and returns the text that is now complete (possibly empty).
    /// Throws `TokenizerError.idOutOfRange` on a bad id, leaving the decoder as it was.
    public func feed(_ id: TokenID) throws -> String {
        try tokenizer.appendBytes(of: id, to: &pending)
        return takeCompleteText()
    }

    /// Adds several ids and returns the text that is now complete.
    public func feed(_ ids: [TokenID]) throws -> String {
        for id in ids where id < 0 || Int(id) >= tokenizer.vocabularySize {
            throw TokenizerError.idOutOfRange(id: Int(id), vocabularySize: tokenizer.vocabularySize)
        }
        for id in ids { try tokenizer.appendBytes(of: id, to: &pending) }
        return takeCompleteText()
    }

    /// Ends the stream: any held-back bytes (an unfinished sequence) come out as U+FFFD.
    public func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// The bytes held back so far (at most three: an unfinished UTF-8 sequence).
    public var heldBackByteCount: Int { pending.count }

    private func takeCompleteText() -> String {
        let keep = Self.unfinishedSuffixLength(pending)
        let text = String(decoding: pending[..<(pending.count - keep)], as: UTF8.self)
        pending.removeFirst(pending.count - keep)
        return text
    }

    /// The length of a trailing UTF-8 sequence that has begun validly but lacks its last bytes.
    static func unfinishedSuffixLength(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        for back in 1...min(3, max(n, 1)) where n >= back {
            let lead = bytes[n - back]
            if lead & 0xC0 == 0x80 { continue }  // a continuation byte: keep looking for the lead
            // ASCII or a byte that never starts a sequence: nothing to wait for.
            guard let (length, second) = UTF8Validation.leadByteShape(lead) else { return 0 }
            if back >= length { return 0 }  // complete (or overlong garbage): nothing to wait for
            if back >= 2 && !second.contains(bytes[n - back + 1]) { return 0 }
            return back
        }
        return 0
    }
}
