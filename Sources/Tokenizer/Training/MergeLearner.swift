/// The merge loop of BPE training: pair counts, the pair → words index and the heap, updated
/// incrementally as each merge rewrites the words that contain its pair.
struct MergeLearner {
    /// Every word's symbols, one after another; word `w` occupies `wordStart[w] ..< wordStart[w] + wordLength[w]`.
    /// Merging only shortens a word, so it is rewritten in place.
    private var symbols: [TokenID] = []
    private var wordStart: [Int] = []
    private var wordLength: [Int32] = []
    private var wordCount: [Int] = []

    /// Pair → its number of occurrences (weighted by word counts).
    private var pairCounts = PairTable(minimumCapacity: 1 << 16)
    /// Pair → index into `pairWords`.
    private var pairList = PairTable(minimumCapacity: 1 << 16)
    /// Words that held the pair when it was listed (some may no longer hold it).
    private var pairWords: [[Int32]] = []
    private var heap = PairCountHeap()
    /// The merge number at which each word was last rewritten, to skip repeats in a pair's list.
    private var lastVisit: [Int] = []

    private var nextID: TokenID
    private var mergesDone = 0
    private let minimumPairCount: Int

    init(words: WordCounts, firstNewID: TokenID, minimumPairCount: Int) {
        self.nextID = firstNewID
        self.minimumPairCount = minimumPairCount
        let count = words.words.count
        wordStart.reserveCapacity(count)
        wordLength.reserveCapacity(count)
        symbols.reserveCapacity(words.words.byteCount)
        for w in 0..<count {
            wordStart.append(symbols.count)
            let bytes = words.words.bytes(of: w)
            wordLength.append(Int32(bytes.count))
            for byte in bytes { symbols.append(TokenID(byte)) }
        }
        wordCount = words.counts
        lastVisit = [Int](repeating: -1, count: count)
        for w in 0..<count {
            let start = wordStart[w], length = Int(wordLength[w])
            if length < 2 { continue }
            for k in start..<(start + length - 1) {
                let key = PairTable.key(symbols[k], symbols[k + 1])
                pairCounts.add(wordCount[w], to: key)
                listWord(w, under: key)
            }
        }
        // Heap order does not depend on insertion order (ties break on the pair), so any walk works.
        for (key, value) in pairCounts.entries {
            let count = Int(bitPattern: UInt(value))
            if count >= minimumPairCount { heap.push(count: count, key: key) }
        }
    }

    private mutating func listWord(_ w: Int, under key: UInt64) {
        if let list = pairList.value(for: key) {
            let index = Int(list)
            if pairWords[index].last != Int32(w) { pairWords[index].append(Int32(w)) }
        } else {
            pairList.set(UInt64(pairWords.count), for: key)
            pairWords.append([Int32(w)])
        }
    }

    /// Finds the most frequent pair, merges it everywhere, and returns it; nil when no pair
    /// occurs at least `minimumPairCount` times.
    mutating func mergeMostFrequentPair() -> (TokenID, TokenID)? {
        while let top = heap.pop() {
            let current = Int(bitPattern: UInt(pairCounts.value(for: top.key) ?? 0))
            if current != top.count {
                // Stale: the count fell since this entry was pushed. Put it back at its true count.
                if current >= minimumPairCount { heap.push(count: current, key: top.key) }
                continue
            }
            if current < minimumPairCount { return nil }
            let left = TokenID(truncatingIfNeeded: top.key >> 32), right = TokenID(truncatingIfNeeded: top.key)
            apply(left: left, right: right, key: top.key)
            return (left, right)
        }
        return nil
    }

    private mutating func apply(left: TokenID, right: TokenID, key: UInt64) {
        let merged = nextID
        nextID += 1
        let listIndex = Int(pairList.value(for: key)!)
        let words = pairWords[listIndex]
        pairWords[listIndex] = []
        var touched: [UInt64] = []
        for w32 in words {
            let w = Int(w32)
            if lastVisit[w] == mergesDone { continue }
            lastVisit[w] = mergesDone
            let start = wordStart[w], length = Int(wordLength[w])
            let count = wordCount[w]
            var holdsPair = false
            for k in start..<(start + length - 1) where symbols[k] == left && symbols[k + 1] == right {
                holdsPair = true
                break
            }
            if !holdsPair { continue }
            for k in start..<(start + length - 1) {
                pairCounts.add(-count, to: PairTable.key(symbols[k], symbols[k + 1]))
            }
            // Rewrite left to right, merging non-overlapping occurrences.
            var read = start, write = start
            let end = start + length
            while read < end {
                if read + 1 < end && symbols[read] == left && symbols[read + 1] == right {
                    symbols[write] = merged
                    read += 2
                } else {
                    symbols[write] = symbols[read]
                    read += 1
                }
                write += 1
            }
            let newLength = write - start
            wordLength[w] = Int32(newLength)
            if newLength < 2 { continue }
            for k in start..<(start + newLength - 1) {
                let pair = PairTable.key(symbols[k], symbols[k + 1])
                pairCounts.add(count, to: pair)
                if symbols[k] == merged || symbols[k + 1] == merged {
                    listWord(w, under: pair)
                    touched.append(pair)
                }
            }
        }
        touched.sort()
        var previous: UInt64?
        for pair in touched where pair != previous {
            previous = pair
            let count = Int(bitPattern: UInt(pairCounts.value(for: pair) ?? 0))
            if count >= minimumPairCount { heap.push(count: count, key: pair) }
        }
        mergesDone += 1
    }
}

/// A binary max-heap of (count, pair): the highest count first, the smaller pair key on a tie.
struct PairCountHeap {
    private var counts: [Int] = []
    private var keys: [UInt64] = []

    @inline(__always)
    private func before(_ i: Int, _ j: Int) -> Bool {
        counts[i] != counts[j] ? counts[i] > counts[j] : keys[i] < keys[j]
    }

    private mutating func swapEntries(_ i: Int, _ j: Int) {
        counts.swapAt(i, j)
        keys.swapAt(i, j)
    }

    mutating func push(count: Int, key: UInt64) {
        counts.append(count)
        keys.append(key)
        var child = counts.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if !before(child, parent) { break }
            swapEntries(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (count: Int, key: UInt64)? {
        guard !counts.isEmpty else { return nil }
        let top = (count: counts[0], key: keys[0])
        let last = counts.count - 1
        swapEntries(0, last)
        counts.removeLast()
        keys.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < counts.count && before(left, best) { best = left }
            if right < counts.count && before(right, best) { best = right }
            if best == parent { break }
            swapEntries(parent, best)
            parent = best
        }
        return top
    }
}
