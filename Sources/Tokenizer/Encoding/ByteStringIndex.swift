/// Gives each distinct byte string a dense index 0, 1, 2, ... (an interning table).
///
/// Training counts words with it and the encoder's per-piece cache finds earlier results with it,
/// both without allocating a key per lookup: the bytes are hashed in place and copied into one
/// arena only when new.
struct ByteStringIndex {
    /// Open-addressing slots: 0 when empty, else `fingerprint << 32 | (entry + 1)`, where the
    /// fingerprint is the hash's high half. Probing compares fingerprints inside the slot array, so
    /// a miss or a hit costs one random memory access before the bytes are compared.
    private var slots: [UInt64]
    private var hashes: [UInt64] = []
    private var starts: [Int32] = []
    private(set) var arena: [UInt8] = []
    private var mask: Int

    init(minimumCapacity: Int = 1024) {
        var capacity = 1024
        while capacity < minimumCapacity * 2 { capacity <<= 1 }
        slots = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
        starts.append(0)
    }

    /// The number of distinct strings.
    var count: Int { hashes.count }
    /// Bytes held in the arena.
    var byteCount: Int { arena.count }

    /// The bytes of the string with index `index`.
    func bytes(of index: Int) -> ArraySlice<UInt8> {
        arena[Int(starts[index])..<Int(starts[index + 1])]
    }

    /// The index of `bytes`, adding it when new; `isNew` says which.
    @inline(__always)
    mutating func index(of bytes: UnsafeBufferPointer<UInt8>) -> (index: Int, isNew: Bool) {
        let hash = Self.hash(bytes)
        let fingerprint = hash >> 32
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let content = slots[slot]
            if content == 0 { break }
            let entry = Int(truncatingIfNeeded: content & 0xFFFF_FFFF) - 1
            if content >> 32 == fingerprint && equals(entry, bytes) { return (entry, false) }
            slot = (slot + 1) & mask
        }
        let entry = hashes.count
        hashes.append(hash)
        arena.append(contentsOf: bytes)
        starts.append(Int32(arena.count))
        slots[slot] = fingerprint << 32 | UInt64(entry + 1)
        if hashes.count * 2 > slots.count { grow() }
        return (entry, true)
    }

    /// The index of `bytes`, or nil.
    @inline(__always)
    func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = Self.hash(bytes)
        let fingerprint = hash >> 32
        var slot = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let content = slots[slot]
                if content == 0 { return nil }
                if content >> 32 == fingerprint {
                    let entry = Int(truncatingIfNeeded: content & 0xFFFF_FFFF) - 1
                    if equals(entry, bytes) { return entry }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Forgets every string, keeping the allocated capacity.
    mutating func removeAll() {
        for i in slots.indices { slots[i] = 0 }
        hashes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        starts.append(0)
        arena.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private func equals(_ entry: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(starts[entry]), end = Int(starts[entry + 1])
        if end - start != bytes.count { return false }
        return arena.withUnsafeBufferPointer { stored in
            memcmpEqual(stored.baseAddress! + start, bytes.baseAddress!, bytes.count)
        }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
        for (entry, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = (hash >> 32) << 32 | UInt64(entry + 1)
        }
    }

    /// A fast 64-bit hash of a short byte string: eight bytes per multiply, then a final mix.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(base[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 31
        h = h &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 32)
    }
}

@inline(__always)
private func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var i = 0
    while i < count {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
