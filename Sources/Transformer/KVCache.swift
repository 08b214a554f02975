/// The keys and values of every position a sequence has seen, per layer: what lets a decoding
/// step cost one new position instead of the whole prefix.
///
/// Preallocated for `slots` sequences of up to `contextLength` positions each. Stored as
/// [layer][slot][head][position][headSize], so one head's keys for one sequence are contiguous and
/// attention streams them front to back.
public final class KVCache: @unchecked Sendable {
    public let config: GPTConfig
    /// Sequences the cache holds at once (the batch capacity).
    public let slots: Int
    /// Positions held by each slot.
    public internal(set) var lengths: [Int]

    let keys: UnsafeMutablePointer<Float>
    let values: UnsafeMutablePointer<Float>
    private let floatCount: Int

    public init(config: GPTConfig, slots: Int) {
        precondition(slots >= 1, "a cache needs at least one slot")
        self.config = config
        self.slots = slots
        lengths = Array(repeating: 0, count: slots)
        let count = config.layers * slots * config.contextLength * config.embeddingSize
        floatCount = count
        func allocate() -> UnsafeMutablePointer<Float> {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * 4, alignment: 64)
            let pointer = raw.bindMemory(to: Float.self, capacity: max(1, count))
            pointer.initialize(repeating: 0, count: count)
            return pointer
        }
        keys = allocate()
        values = allocate()
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Bytes held by keys and values together.
    public var byteCount: Int { 2 * floatCount * MemoryLayout<Float>.stride }

    /// Forgets what `slot` holds; its next position is 0.
    public func reset(slot: Int) { lengths[slot] = 0 }

    /// Forgets every slot.
    public func resetAll() { for slot in 0..<slots { lengths[slot] = 0 } }

    /// Offset of (layer, slot, head, position 0) in `keys` / `values`.
    @inline(__always)
    func offset(layer: Int, slot: Int, head: Int) -> Int {
        let T = config.contextLength, C = config.embeddingSize, d = config.headSize
        return ((layer * slots + slot) * T) * C + head * T * d
    }
}
