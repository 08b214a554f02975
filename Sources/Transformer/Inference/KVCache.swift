/// The keys and values of every position a sequence has seen, per layer: what lets a decoding
/// step cost one new position instead of the whole prefix.
///
/// Preallocated for `slots` sequences of up to `contextLength` positions each (rounded up to a
/// multiple of 16, `paddedLength`). Values are stored [layer][slot][head][position][headSize], so
/// one position's value vector is contiguous. Keys are stored in blocks of 16 positions,
/// [layer][slot][head][position / 16][headSize][position % 16]: attention then scores 16
/// positions with one vector multiply-add per key dimension, with no sum across lanes, reading
/// the blocks front to back.
public final class KVCache: @unchecked Sendable {
    public let config: GPTConfig
    /// Sequences the cache holds at once (the batch capacity).
    public let slots: Int
    /// Positions held by each slot.
    public internal(set) var lengths: [Int]

    let keys: UnsafeMutablePointer<Float>
    let values: UnsafeMutablePointer<Float>
    /// The context length rounded up to a multiple of 16 (whole key blocks).
    let paddedLength: Int
    private let floatCount: Int

    public init(config: GPTConfig, slots: Int) {
        precondition(slots >= 1, "a cache needs at least one slot")
        self.config = config
        self.slots = slots
        lengths = Array(repeating: 0, count: slots)
        paddedLength = (config.contextLength + 15) / 16 * 16
        let count = config.layers * slots * paddedLength * config.embeddingSize
        floatCount = count
        // Every step reads the whole cache of every live sequence: 2 MB pages where possible.
        keys = AlignedAllocation.zeroedFloats(count)
        values = AlignedAllocation.zeroedFloats(count)
    }

    deinit {
        AlignedAllocation.free(keys)
        AlignedAllocation.free(values)
    }

    /// Bytes held by keys and values together.
    public var byteCount: Int { 2 * floatCount * MemoryLayout<Float>.stride }

    /// Forgets what `slot` holds; its next position is 0.
    public func reset(slot: Int) { lengths[slot] = 0 }

    /// Forgets every slot.
    public func resetAll() { for slot in 0..<slots { lengths[slot] = 0 } }

    /// Makes `destination` hold the first `length` positions of `source`, as if the same tokens
    /// had been fed to it: several samples of one prompt then share one prefill. The copy is
    /// exact, so what follows does not depend on whether the prompt was fed or copied.
    public func copy(slot source: Int, to destination: Int, length: Int) {
        precondition(length >= 0 && length <= lengths[source], "slot \(source) holds \(lengths[source]) positions, not \(length)")
        guard source != destination else { lengths[destination] = length; return }
        let d = config.headSize
        let keyFloats = (length + 15) / 16 * 16 * d  // whole blocks of 16 positions
        let valueFloats = length * d
        for layer in 0..<config.layers {
            for head in 0..<config.heads {
                let from = offset(layer: layer, slot: source, head: head), to = offset(layer: layer, slot: destination, head: head)
                (keys + to).update(from: keys + from, count: keyFloats)
                (values + to).update(from: values + from, count: valueFloats)
            }
        }
        lengths[destination] = length
    }

    /// Offset of the (layer, slot, head) region in `keys` and in `values`: paddedLength × headSize
    /// floats either way.
    @inline(__always)
    func offset(layer: Int, slot: Int, head: Int) -> Int {
        let T = paddedLength, C = config.embeddingSize, d = config.headSize
        return ((layer * slots + slot) * T) * C + head * T * d
    }

    /// Offset of key dimension 0 of `position` within a (layer, slot, head) key region; dimension
    /// c is 16·c floats further.
    @inline(__always)
    func keyOffset(position: Int) -> Int { (position / 16) * 16 * config.headSize + position % 16 }
}
