/// Applies BPE merges inside one piece: repeatedly merge the adjacent pair with the lowest merge
/// rank (the leftmost one on a tie) until no adjacent pair has a merge.
///
/// A merge's rank and result travel together in one packed value, `rank << 32 | result`, so the
/// smallest packed value is the pair to merge next. Short pieces (nearly all of them) use a flat
/// array and a linear scan for the minimum; long ones (a page of letters without a space) use a
/// linked list and a heap, so the cost stays O(n log n) instead of O(n²).
struct MergeApplier {
    static let noMerge = UInt64.max
    private static let longPiece = 48

    private var parts: [TokenID] = []
    private var values: [UInt64] = []
    // Long-piece state.
    private var next: [Int32] = []
    private var previous: [Int32] = []
    private var heap = MergeHeap()

    /// Merges the byte tokens of `piece` and appends the resulting ids to `output`.
    mutating func merge(
        piece: UnsafeBufferPointer<UInt8>, byteToID: UnsafePointer<TokenID>, merges: borrowing PairTable,
        into output: inout [TokenID]
    ) {
        if piece.count > Self.longPiece {
            mergeLong(piece: piece, byteToID: byteToID, merges: merges, into: &output)
            return
        }
        parts.removeAll(keepingCapacity: true)
        for byte in piece { parts.append(byteToID[Int(byte)]) }
        values.removeAll(keepingCapacity: true)
        for k in 0..<(parts.count - 1) {
            values.append(merges.value(for: PairTable.key(parts[k], parts[k + 1])) ?? Self.noMerge)
        }
        while !values.isEmpty {
            var best = 0
            var bestValue = values[0]
            for k in 1..<values.count where values[k] < bestValue {
                bestValue = values[k]
                best = k
            }
            if bestValue == Self.noMerge { break }
            parts[best] = TokenID(truncatingIfNeeded: bestValue & 0xFFFF_FFFF)
            parts.remove(at: best + 1)
            values.remove(at: best)
            if best > 0 {
                values[best - 1] = merges.value(for: PairTable.key(parts[best - 1], parts[best])) ?? Self.noMerge
            }
            if best < values.count {
                values[best] = merges.value(for: PairTable.key(parts[best], parts[best + 1])) ?? Self.noMerge
            }
        }
        output.append(contentsOf: parts)
    }

    private mutating func mergeLong(
        piece: UnsafeBufferPointer<UInt8>, byteToID: UnsafePointer<TokenID>, merges: borrowing PairTable,
        into output: inout [TokenID]
    ) {
        let n = piece.count
        parts.removeAll(keepingCapacity: true)
        next.removeAll(keepingCapacity: true)
        previous.removeAll(keepingCapacity: true)
        for (k, byte) in piece.enumerated() {
            parts.append(byteToID[Int(byte)])
            next.append(Int32(k + 1))
            previous.append(Int32(k - 1))
        }
        next[n - 1] = -1
        heap.removeAll()
        for k in 0..<(n - 1) {
            if let value = merges.value(for: PairTable.key(parts[k], parts[k + 1])) {
                heap.push(MergeHeap.Entry(value: value, left: Int32(k), right: Int32(k + 1)))
            }
        }
        let dead = TokenID(-1)
        while let entry = heap.pop() {
            let left = Int(entry.left), right = Int(entry.right)
            // Skip entries made stale by earlier merges: a side was absorbed or changed id.
            guard parts[left] != dead, Int(next[left]) == right, parts[right] != dead,
                merges.value(for: PairTable.key(parts[left], parts[right])) == entry.value
            else { continue }
            parts[left] = TokenID(truncatingIfNeeded: entry.value & 0xFFFF_FFFF)
            parts[right] = dead
            let after = Int(next[right])
            next[left] = Int32(after)
            if after >= 0 { previous[after] = Int32(left) }
            let before = Int(previous[left])
            if before >= 0, let value = merges.value(for: PairTable.key(parts[before], parts[left])) {
                heap.push(MergeHeap.Entry(value: value, left: Int32(before), right: Int32(left)))
            }
            if after >= 0, let value = merges.value(for: PairTable.key(parts[left], parts[after])) {
                heap.push(MergeHeap.Entry(value: value, left: Int32(left), right: Int32(after)))
            }
        }
        var k = 0
        while k >= 0 {
            output.append(parts[k])
            k = Int(next[k])
        }
    }
}

/// A binary min-heap of candidate merges ordered by packed rank, then by position (leftmost first).
struct MergeHeap {
    struct Entry {
        var value: UInt64
        var left: Int32
        var right: Int32

        @inline(__always)
        func precedes(_ other: Entry) -> Bool {
            value != other.value ? value < other.value : left < other.left
        }
    }

    private var entries: [Entry] = []

    mutating func removeAll() { entries.removeAll(keepingCapacity: true) }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if !entries[child].precedes(entries[parent]) { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard let last = entries.popLast() else { return nil }
        if entries.isEmpty { return last }
        let top = entries[0]
        entries[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < entries.count && entries[left].precedes(entries[smallest]) { smallest = left }
            if right < entries.count && entries[right].precedes(entries[smallest]) { smallest = right }
            if smallest == parent { break }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
