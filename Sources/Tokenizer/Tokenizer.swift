import Foundation

/// A byte-level BPE tokenizer: normalization, a pre-tokenizer split, and ranked merges over the
/// 256 byte tokens, plus special tokens that only a caller can insert.
///
/// Immutable after it is made, so one instance can be shared by many threads. The only mutable
/// state, per-piece result caches, lives in workspaces that each call takes from a small pool.
public final class Tokenizer: @unchecked Sendable {
    /// The normalization applied to ordinary text before it is split.
    public let normalization: Normalization
    /// How ordinary text is cut into pieces before merging.
    public let preTokenizer: PreTokenizer

    /// Token bytes, all ids concatenated: token `i` is `tokenBytes[tokenStarts[i]..<tokenStarts[i+1]]`.
    let tokenBytes: [UInt8]
    let tokenStarts: [Int32]
    /// The id of each single-byte token.
    let byteToID: [TokenID]
    /// The merges in rank order: `merges[rank] = (left, right, result)`.
    let merges: [(left: TokenID, right: TokenID, result: TokenID)]
    /// `key(left, right)` → `rank << 32 | result`.
    let mergeTable: PairTable
    /// Special tokens by name, and their ids.
    let specialIDs: [String: TokenID]
    let isSpecial: [Bool]

    private let workspaces = WorkspacePool()

    /// Builds a tokenizer from its parts; `load`, the GPT-2 reader and the trainer call this.
    init(
        tokens: [[UInt8]], merges: [(left: TokenID, right: TokenID, result: TokenID)],
        specialTokens: [String: TokenID], normalization: Normalization, preTokenizer: PreTokenizer
    ) {
        var bytes: [UInt8] = []
        var starts: [Int32] = [0]
        starts.reserveCapacity(tokens.count + 1)
        var byteToID = [TokenID](repeating: -1, count: 256)
        var isSpecial = [Bool](repeating: false, count: tokens.count)
        for id in specialTokens.values { isSpecial[Int(id)] = true }
        for (id, token) in tokens.enumerated() {
            bytes.append(contentsOf: token)
            starts.append(Int32(bytes.count))
            if token.count == 1 && !isSpecial[id] && byteToID[Int(token[0])] < 0 { byteToID[Int(token[0])] = TokenID(id) }
        }
        var table = PairTable(minimumCapacity: merges.count)
        for (rank, merge) in merges.enumerated() {
            let key = PairTable.key(merge.left, merge.right)
            // The first (lowest-rank) merge of a pair wins, as in every BPE implementation.
            if table.value(for: key) == nil {
                table.set(UInt64(rank) << 32 | UInt64(UInt32(bitPattern: merge.result)), for: key)
            }
        }
        self.tokenBytes = bytes
        self.tokenStarts = starts
        self.byteToID = byteToID
        self.merges = merges
        self.mergeTable = table
        self.specialIDs = specialTokens
        self.isSpecial = isSpecial
        self.normalization = normalization
        self.preTokenizer = preTokenizer
    }

    // MARK: Vocabulary

    /// The number of ids (byte tokens, merged tokens and special tokens): ids are `0..<vocabularySize`.
    public var vocabularySize: Int { tokenStarts.count - 1 }

    /// The number of merges.
    public var mergeCount: Int { merges.count }

    /// The id of a special token, or nil when this tokenizer has no such special token.
    public func id(ofSpecial name: String) -> TokenID? { specialIDs[name] }

    /// The special tokens and their ids, in id order.
    public var specialTokens: [(name: String, id: TokenID)] {
        specialIDs.map { (name: $0.key, id: $0.value) }.sorted { $0.id < $1.id }
    }

    /// Whether `id` is a special token.
    public func isSpecialToken(_ id: TokenID) -> Bool {
        id >= 0 && Int(id) < isSpecial.count && isSpecial[Int(id)]
    }

    /// The raw bytes of one token (a special token's are its name in UTF-8); empty for an id out of range.
    public func bytes(of id: TokenID) -> [UInt8] {
        guard id >= 0, Int(id) < vocabularySize else { return [] }
        return Array(tokenBytes[Int(tokenStarts[Int(id)])..<Int(tokenStarts[Int(id) + 1])])
    }

    // MARK: Encoding

    /// The ids of ordinary text. A special token's spelling in `text` ("<|endoftext|>") is encoded
    /// as plain text, so input can never inject a control token.
    public func encode(_ text: String) -> [TokenID] {
        var output: [TokenID] = []
        output.reserveCapacity(text.utf8.count / 3 + 1)
        workspaces.with { encodeOrdinary(text, into: &output, workspace: $0) }
        return output
    }

    /// The ids of `text`, where the special tokens named in `allowedSpecial` become their ids and
    /// everything else is ordinary text. Special tokens are matched in the raw text, before
    /// normalization, so a look-alike spelling (fullwidth "＜|endoftext|＞") stays ordinary text.
    public func encode(_ text: String, allowedSpecial: Set<String>) -> [TokenID] {
        let allowed = allowedSpecial.compactMap { name in specialIDs[name].map { (Array(name.utf8), $0) } }
        if allowed.isEmpty { return encode(text) }
        var output: [TokenID] = []
        workspaces.with { workspace in
            var remaining = Substring(text)
            while let (range, id) = Self.firstSpecial(in: remaining, among: allowed) {
                encodeOrdinary(String(remaining[..<range.lowerBound]), into: &output, workspace: workspace)
                output.append(id)
                remaining = remaining[range.upperBound...]
            }
            encodeOrdinary(String(remaining), into: &output, workspace: workspace)
        }
        return output
    }

    /// Encodes many texts with one workspace (one cache), e.g. the lines of a file.
    public func encode(lines: some Sequence<String>) -> [[TokenID]] {
        workspaces.with { workspace in
            lines.map { line in
                var output: [TokenID] = []
                encodeOrdinary(line, into: &output, workspace: workspace)
                return output
            }
        }
    }

    /// The leftmost occurrence of any of `specials` in `text` (the longest one at that position).
    private static func firstSpecial(
        in text: Substring, among specials: [([UInt8], TokenID)]
    ) -> (Range<Substring.Index>, TokenID)? {
        let utf8 = text.utf8
        var index = utf8.startIndex
        while index < utf8.endIndex {
            var best: ([UInt8], TokenID)?
            for special in specials where utf8[index] == special.0[0] {
                if utf8[index...].starts(with: special.0), special.0.count > (best?.0.count ?? 0) { best = special }
            }
            if let best {
                let end = utf8.index(index, offsetBy: best.0.count)
                return (index..<end, best.1)
            }
            index = utf8.index(after: index)
        }
        return nil
    }

    func encodeOrdinary(_ text: String, into output: inout [TokenID], workspace: EncodeWorkspace) {
        if text.isEmpty { return }
        var normalized = normalization.apply(text)
        normalized.withUTF8 { buffer in
            byteToID.withUnsafeBufferPointer { byteToID in
                workspace.encode(buffer, split: preTokenizer, byteToID: byteToID.baseAddress!, merges: mergeTable, into: &output)
            }
        }
    }

    // MARK: Decoding

    /// The bytes of `ids` concatenated; throws `TokenizerError.idOutOfRange` on a bad id.
    public func decodeBytes(_ ids: some Sequence<TokenID>) throws -> [UInt8] {
        var output: [UInt8] = []
        for id in ids { try appendBytes(of: id, to: &output) }
        return output
    }

    /// The text of `ids`. Throws on an id out of range; bytes that are not valid UTF-8 (a sequence
    /// cut off mid-character) become U+FFFD.
    public func decode(_ ids: some Sequence<TokenID>) throws -> String {
        String(decoding: try decodeBytes(ids), as: UTF8.self)
    }

    /// A decoder for ids that arrive one at a time, which only ever returns whole characters.
    public func makeStreamingDecoder() -> StreamingDecoder { StreamingDecoder(tokenizer: self) }

    @inline(__always)
    func appendBytes(of id: TokenID, to output: inout [UInt8]) throws {
        guard id >= 0, Int(id) < vocabularySize else {
            throw TokenizerError.idOutOfRange(id: Int(id), vocabularySize: vocabularySize)
        }
        output.append(contentsOf: tokenBytes[Int(tokenStarts[Int(id)])..<Int(tokenStarts[Int(id) + 1])])
    }
}

/// Encoding workspaces for concurrent callers: each call borrows one, so caches are never shared
/// between threads, and returns it, so later calls reuse its warm cache.
final class WorkspacePool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [EncodeWorkspace] = []

    func with<Result>(_ body: (EncodeWorkspace) throws -> Result) rethrows -> Result {
        lock.lock()
        let workspace = idle.popLast() ?? EncodeWorkspace()
        lock.unlock()
        defer {
            lock.lock()
            if idle.count < 16 { idle.append(workspace) }
            lock.unlock()
        }
        return try body(workspace)
    }
}
