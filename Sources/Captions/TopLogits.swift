import Tokenizer

/// The tokens with the highest logits, as a set (not sorted), found in one pass: every token whose
/// logit lies in `floor..<upper`, where `floor` is the given lowest value, raised when needed so
/// that the set holds, ties aside, at most twice `wanted` tokens (and then at least `wanted`).
///
/// Why a set: the word guard checks every token of it, so their order does not matter, and a
/// sorted top-k would cost more than the checks it saves. How: the pass keeps the tokens at or
/// above the floor; whenever more than twice `wanted` are kept, the floor rises to the
/// `wanted`-th highest kept value and the rest are dropped. Blocks of 16 logits with none in range
/// are skipped with one vector compare; a lowest value close to the best logit keeps the pass
/// from taking in (and then dropping) the many tokens far below it.
struct TopLogits: ~Copyable {
    /// The most tokens `collect` may be asked for.
    static let largestWanted = 256

    private let tokenBuffer: UnsafeMutablePointer<TokenID>
    private let valueBuffer: UnsafeMutablePointer<Float>
    private let scratch: UnsafeMutablePointer<Float>
    private let capacity: Int
    /// How many tokens the set holds.
    private(set) var count = 0
    /// Every logit in `floor..<upper` is in the set, and only those.
    private(set) var floor = -Float.greatestFiniteMagnitude

    init() {
        // Twice the most wanted, plus a block of 16 added before the floor rises.
        capacity = 2 * Self.largestWanted + 16
        tokenBuffer = .allocate(capacity: capacity)
        valueBuffer = .allocate(capacity: capacity)
        scratch = .allocate(capacity: capacity)
    }

    deinit {
        tokenBuffer.deallocate()
        valueBuffer.deallocate()
        scratch.deallocate()
    }

    /// The set's tokens and their logits, in no particular order.
    var tokens: UnsafeBufferPointer<TokenID> { UnsafeBufferPointer(start: tokenBuffer, count: count) }
    var values: UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: valueBuffer, count: count) }

    /// Fills the set from `logits` (see the type): logits from `lowest` (at least, and finite)
    /// up to `upper`; `wanted` is at most `largestWanted`.
    mutating func collect(_ logits: UnsafeBufferPointer<Float>, wanted: Int, from lowest: Float, below upper: Float) {
        precondition(wanted > 0 && wanted <= Self.largestWanted)
        count = 0
        floor = max(lowest, -.greatestFiniteMagnitude)
        guard !logits.isEmpty else { return }
        let limit = 2 * wanted
        let base = UnsafeRawPointer(logits.baseAddress!)
        let high = SIMD16<Float>(repeating: upper)
        var low = SIMD16<Float>(repeating: floor)
        var i = 0
        while i + 16 <= logits.count {
            let block = base.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            let inRange = (block .>= low) .& (block .< high)
            if any(inRange) {
                for lane in 0..<16 where inRange[lane] {
                    tokenBuffer[count] = TokenID(i + lane)
                    valueBuffer[count] = block[lane]
                    count += 1
                }
                if count > limit {
                    raiseFloor(keeping: wanted)
                    low = SIMD16<Float>(repeating: floor)
                }
            }
            i += 16
        }
        while i < logits.count {
            let value = logits[i]
            if value >= floor && value < upper {
                tokenBuffer[count] = TokenID(i)
                valueBuffer[count] = value
                count += 1
            }
            i += 1
        }
        if count > limit { raiseFloor(keeping: wanted) }
    }

    /// Raises the floor to the `kept`-th highest value and drops what is now below it.
    private mutating func raiseFloor(keeping kept: Int) {
        scratch.update(from: valueBuffer, count: count)
        floor = Self.select(UnsafeMutableBufferPointer(start: scratch, count: count), rank: kept - 1)
        var remaining = 0
        for k in 0..<count where valueBuffer[k] >= floor {
            valueBuffer[remaining] = valueBuffer[k]
            tokenBuffer[remaining] = tokenBuffer[k]
            remaining += 1
        }
        count = remaining
    }

    /// The value that would be at `rank` (0 = highest) if `values` were sorted highest first
    /// (quickselect; reorders `values`).
    static func select(_ v: UnsafeMutableBufferPointer<Float>, rank: Int) -> Float {
        var low = 0, high = v.count - 1
        while low < high {
            let pivot = v[(low + high) / 2]
            var i = low, j = high
            while i <= j {
                while v[i] > pivot { i += 1 }
                while v[j] < pivot { j -= 1 }
                if i <= j {
                    v.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if rank <= j { high = j } else if rank >= i { low = i } else { break }
        }
        return v[rank]
    }
}

extension TopLogits {
    /// The largest logit (−∞ when there are none, or all are −∞ or NaN).
    static func maximum(_ logits: UnsafeBufferPointer<Float>) -> Float {
        guard !logits.isEmpty else { return -.infinity }
        let base = UnsafeRawPointer(logits.baseAddress!)
        var best = SIMD16<Float>(repeating: -.infinity)
        var i = 0
        while i + 16 <= logits.count {
            let block = base.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            best.replace(with: block, where: block .> best)
            i += 16
        }
        var result = best.max()
        while i < logits.count {
            if logits[i] > result { result = logits[i] }
            i += 1
        }
        return result
    }
}

