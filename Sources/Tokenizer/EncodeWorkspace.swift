/// The mutable side of encoding: a cache from piece bytes to their ids, and the merger's scratch
/// arrays. Text repeats its words, so most pieces are found in the cache and never merged again.
final class EncodeWorkspace {
    /// Past this many cached pieces (or arena bytes) the cache starts over, bounding memory.
    static let cacheLimit = 1 << 17

    private var cache = ByteStringIndex(minimumCapacity: 1 << 14)
    private var cachedStarts: [Int32] = [0]
    private var cachedIDs: [TokenID] = []
    private var merger = BytePairMerger()

    /// Splits valid UTF-8 `text` into pieces and appends the ids of each.
    func encode(
        _ text: UnsafeBufferPointer<UInt8>, split: PreTokenizer, byteToID: UnsafePointer<TokenID>,
        merges: PairTable, into output: inout [TokenID]
    ) {
        var scanner = PieceScanner(text, split: split)
        while let range = scanner.next() {
            if range.count == 1 {
                output.append(byteToID[Int(text[range.lowerBound])])
                continue
            }
            let piece = UnsafeBufferPointer(rebasing: text[range])
            if let entry = cache.find(piece) {
                output.append(contentsOf: cachedIDs[Int(cachedStarts[entry])..<Int(cachedStarts[entry + 1])])
                continue
            }
            let before = output.count
            merger.merge(piece: piece, byteToID: byteToID, merges: merges, into: &output)
            if cache.count >= Self.cacheLimit || cache.byteCount >= Self.cacheLimit * 16 {
                cache.removeAll()
                cachedStarts.removeAll(keepingCapacity: true)
                cachedStarts.append(0)
                cachedIDs.removeAll(keepingCapacity: true)
            }
            _ = cache.index(of: piece)
            cachedIDs.append(contentsOf: output[before...])
            cachedStarts.append(Int32(cachedIDs.count))
        }
    }
}
