/// An owned, 64-byte aligned, zero-filled float array at a fixed address (activations, scratch).
final class FloatStorage: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(1, count))
        pointer.initialize(repeating: 0, count: count)
    }

    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }

    /// The `index`-th of equal slices of `size` floats.
    func slice(_ index: Int, size: Int) -> UnsafeMutablePointer<Float> { pointer + index * size }
}
