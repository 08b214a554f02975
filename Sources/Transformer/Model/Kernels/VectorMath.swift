/// Vectorised `exp` and `tanh` over 16 floats at a time.
///
/// The standard library has no vector `exp`; a scalar `expf` per element dominated softmax and
/// GELU. These use the classic range reduction x = n·ln2 + r, |r| ≤ ln2/2, a degree-6 Taylor
/// polynomial for e^r (truncation error below 2e-7 relative) and 2^n built from the exponent bits.
/// `VectorMathTests` checks them against Double `exp`/`tanh`.
public enum VectorMath {
    public typealias Vector = SIMD16<Float>

    /// e^x for each lane; inputs are clamped to [-87.3, 88.3], so -∞ gives about 1e-38, not 0.
    @inline(__always)
    public static func exp(_ x: Vector) -> Vector {
        // Lane-wise selects: `clamped(lowerBound:upperBound:)` compiled to a loop over lanes.
        let high = x.replacing(with: 88.3, where: x .> 88.3)
        let clamped = high.replacing(with: -87.3, where: high .< -87.3)
        // Adding 1.5·2²³ rounds x·log2(e) to an integer n held in the low mantissa bits; this
        // avoids a float→int conversion, which the SIMD types do one lane at a time.
        let shifted = clamped * 1.442_695_04 + 12_582_912
        let n = shifted - 12_582_912
        // ln 2 split in two so that n·ln2 is subtracted without rounding error.
        let r = clamped - n * 0.693_145_75 - n * 1.428_606_8e-6
        var p = Vector(repeating: 1.0 / 720)
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        // 2^n: (n + 127) << 23 as float bits; n + 127 = bits(shifted) − 0x4B40_0000 + 127.
        let exponent = (unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B3F_FF81) &<< 23
        return p * unsafeBitCast(exponent, to: Vector.self)
    }

    /// tanh(x) = 1 − 2 / (e^{2x} + 1) for each lane (absolute error about 1e-7).
    @inline(__always)
    public static func tanh(_ x: Vector) -> Vector {
        1 - 2 / (exp(2 * x) + 1)
    }

    /// e^x for one float through the vector path (for tails of arrays).
    @inline(__always)
    public static func exp(_ x: Float) -> Float {
        exp(Vector(repeating: x))[0]
    }

    /// `values[i] = exp(values[i] - shift)` for `count` floats; returns their sum (lane order fixed).
    @inline(__always)
    public static func exponentiate(_ values: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Float {
        var sum = Vector()
        var i = 0
        while i + 16 <= count {
            let e = exp(load(values + i) - shift)
            store(e, values + i)
            sum += e
            i += 16
        }
        var total = sum.sum()
        while i < count {
            let e = exp(values[i] - shift)
            values[i] = e
            total += e
            i += 1
        }
        return total
    }

    /// The largest of `count` floats (−∞ for none).
    @inline(__always)
    public static func maximum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var best = Vector(repeating: -.infinity)
        var i = 0
        while i + 16 <= count {
            best = pointwiseMax(best, load(values + i))
            i += 16
        }
        var result = best.max()
        while i < count { result = Swift.max(result, values[i]); i += 1 }
        return result
    }

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func load(_ pointer: UnsafeMutablePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func store(_ value: Vector, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Vector.self)
    }
}
