/// The mutable side of encoding: a cache from piece bytes to their ids, and the merger's scratch
/// arrays. Text repeats its words, so most pieces are found in the cache and never merged again.
final class EncodeWorkspace {
    /// Past this many cached pieces (or arena bytes) the cache starts over, bounding memory.
    static let cacheLimit = 1 << 17

    /// Swapped in while `encode` holds the real cache in a local variable.
    private static let placeholder = ByteStringIndex(minimumCapacity: 0)

    private var cache = ByteStringIndex(minimumCapacity: 1 << 14)
    private var cachedStarts: [Int32] = [0]
    private var cachedIDs: [TokenID] = []
    private var merger = MergeApplier()

    /// Splits valid UTF-8 `text` into pieces and appends the ids of each.
    func encode(
        _ text: UnsafeBufferPointer<UInt8>, split: PreTokenizer, byteToID: UnsafePointer<TokenID>,
        merges: PairTable, into output: inout [TokenID]
    ) {
        // Work on local copies (moved out, not copied) so the loop pays no class-property access costs.
        var cache = Self.placeholder, starts: [Int32] = [], ids: [TokenID] = [], merger = MergeApplier()
        swap(&cache, &self.cache)
        swap(&starts, &cachedStarts)
        swap(&ids, &cachedIDs)
        swap(&merger, &self.merger)
        defer {
            swap(&cache, &self.cache)
            swap(&starts, &cachedStarts)
            swap(&ids, &cachedIDs)
            swap(&merger, &self.merger)
        }
        var scanner = PieceScanner(text, split: split)
        while let range = scanner.next() {
            if range.count == 1 {
                output.append(byteToID[Int(text[range.lowerBound])])
                continue
            }
            let piece = UnsafeBufferPointer(rebasing: text[range])
            if let entry = cache.find(piece) {
                let start = Int(starts[entry]), end = Int(starts[entry + 1])
                if end - start == 1 {
                    output.append(ids[start])
                } else {
                    ids.withUnsafeBufferPointer { output.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<end])) }
                }
                continue
            }
            let before = output.count
            merger.merge(piece: piece, byteToID: byteToID, merges: merges, into: &output)
            if cache.count >= Self.cacheLimit || cache.byteCount >= Self.cacheLimit * 16 {
                cache.removeAll()
                starts.removeAll(keepingCapacity: true)
                starts.append(0)
                ids.removeAll(keepingCapacity: true)
            }
            _ = cache.index(of: piece)
            ids.append(contentsOf: output[before...])
            starts.append(Int32(ids.count))
        }
    }
}
