/// An owned, zero-filled float array (`AlignedAllocation`) at a fixed address (activations, scratch).
final class FloatStorage: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = AlignedAllocation.zeroedFloats(count)
    }

    deinit { AlignedAllocation.free(pointer) }

    /// The `index`-th of equal slices of `size` floats.
    func slice(_ index: Int, size: Int) -> UnsafeMutablePointer<Float> { pointer + index * size }
}
