/// Float reductions with SIMD accumulators: Swift does not reassociate float sums, so a plain
/// loop runs one add at a time, while 16 independent lanes keep the adder busy. The lane order is fixed,
/// so results are reproducible.
enum Reduce {
    typealias Accumulator = SIMD16<Float>

    @inline(__always)
    static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var acc = Accumulator()
        var i = 0
        while i + 16 <= count { acc += VectorMath.load(x + i); i += 16 }
        var total = acc.sum()
        while i < count { total += x[i]; i += 1 }
        return total
    }

    @inline(__always)
    static func sumOfSquaredDeviations(_ x: UnsafePointer<Float>, count: Int, from center: Float) -> Float {
        var acc = Accumulator()
        var i = 0
        while i + 16 <= count {
            let d = VectorMath.load(x + i) - center
            acc += d * d
            i += 16
        }
        var total = acc.sum()
        while i < count { let d = x[i] - center; total += d * d; i += 1 }
        return total
    }

    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        var acc = Accumulator()
        var i = 0
        while i + 16 <= count { acc += VectorMath.load(x + i) * VectorMath.load(y + i); i += 16 }
        var total = acc.sum()
        while i < count { total += x[i] * y[i]; i += 1 }
        return total
    }
}
