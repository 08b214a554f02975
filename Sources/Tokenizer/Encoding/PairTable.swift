/// An open-addressing hash map from a pair of token ids to a 64-bit value.
///
/// BPE looks up a pair's merge rank for every adjacent pair it considers, so this lookup is the
/// inner loop of encoding. A pair packs into one `UInt64` key (`left << 32 | right`); the table is a
/// power of two in size, at most half full, probed linearly after a multiplicative (Fibonacci) hash.
struct PairTable {
    private static let emptyKey = UInt64.max
    private var keys: [UInt64]
    private var values: [UInt64]
    private var shift: UInt64
    private(set) var count = 0

    init(minimumCapacity: Int = 16) {
        var capacity = 16
        while capacity < minimumCapacity * 2 { capacity <<= 1 }
        keys = [UInt64](repeating: Self.emptyKey, count: capacity)
        values = [UInt64](repeating: 0, count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
    }

    @inline(__always)
    static func key(_ left: TokenID, _ right: TokenID) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    @inline(__always)
    private func slot(for key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The value stored for `key`, or nil.
    @inline(__always)
    func value(for key: UInt64) -> UInt64? {
        let mask = keys.count - 1
        var i = slot(for: key)
        return keys.withUnsafeBufferPointer { keys in
            while true {
                let k = keys[i]
                if k == key { return values[i] }
                if k == Self.emptyKey { return nil }
                i = (i + 1) & mask
            }
        }
    }

    /// Stores `value` for `key`, replacing any earlier value.
    mutating func set(_ value: UInt64, for key: UInt64) {
        precondition(key != Self.emptyKey)
        if (count + 1) * 2 > keys.count { grow() }
        let mask = keys.count - 1
        var i = slot(for: key)
        while true {
            if keys[i] == key { values[i] = value; return }
            if keys[i] == Self.emptyKey {
                keys[i] = key
                values[i] = value
                count += 1
                return
            }
            i = (i + 1) & mask
        }
    }

    /// Adds `delta` (two's complement) to the value for `key`, inserting zero first if absent.
    /// Returns the new value.
    @discardableResult
    mutating func add(_ delta: Int, to key: UInt64) -> Int {
        if (count + 1) * 2 > keys.count { grow() }
        let mask = keys.count - 1
        var i = slot(for: key)
        while true {
            if keys[i] == key {
                let updated = Int(bitPattern: UInt(values[i])) &+ delta
                values[i] = UInt64(UInt(bitPattern: updated))
                return updated
            }
            if keys[i] == Self.emptyKey {
                keys[i] = key
                values[i] = UInt64(UInt(bitPattern: delta))
                count += 1
                return delta
            }
            i = (i + 1) & mask
        }
    }

    /// Every (key, value), in slot order.
    var entries: [(key: UInt64, value: UInt64)] {
        keys.indices.compactMap { keys[$0] == Self.emptyKey ? nil : (keys[$0], values[$0]) }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        let capacity = keys.count * 2
        keys = [UInt64](repeating: Self.emptyKey, count: capacity)
        values = [UInt64](repeating: 0, count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        count = 0
        for (i, key) in oldKeys.enumerated() where key != Self.emptyKey { set(oldValues[i], for: key) }
    }
}
