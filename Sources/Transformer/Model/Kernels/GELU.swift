/// GELU in GPT-2's tanh form ("gelu_new"): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
public enum GELU {
    static let scale: Float = 0.797_884_56  // √(2/π)
    static let cubic: Float = 0.044_715

    /// out = gelu(input) for `count` floats (out may equal input).
    public static func forward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, count: Int, threads: Int = 1) {
        Parallel.forEachRange(count / 16, threads: threads, minimumPerRange: 1024) { blocks in
            for block in blocks {
                let x = VectorMath.load(input + block * 16)
                let t = VectorMath.tanh(scale * (x + cubic * x * x * x))
                VectorMath.store(0.5 * x * (1 + t), out + block * 16)
            }
        }
        for i in (count / 16 * 16)..<count { out[i] = scalar(input[i]) }
    }

    /// dinput = gelu'(input) · dout (overwritten; dinput may equal dout).
    public static func backward(dinput: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, input: UnsafePointer<Float>, count: Int, threads: Int = 1) {
        Parallel.forEachRange(count / 16, threads: threads, minimumPerRange: 1024) { blocks in
            for block in blocks {
                let i = block * 16
                VectorMath.store(derivative(VectorMath.load(input + i)) * VectorMath.load(dout + i), dinput + i)
            }
        }
        for i in (count / 16 * 16)..<count {
            dinput[i] = derivative(SIMD16(repeating: input[i]))[0] * dout[i]
        }
    }

    @inline(__always)
    static func derivative(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let x2 = x * x
        let t = VectorMath.tanh(scale * (x + cubic * x2 * x))
        let sech2 = 1 - t * t
        return 0.5 * (1 + t) + 0.5 * x * sech2 * scale * (1 + 3 * cubic * x2)
    }

    @inline(__always)
    static func scalar(_ x: Float) -> Float {
        let t = VectorMath.tanh(SIMD16(repeating: scale * (x + cubic * x * x * x)))[0]
        return 0.5 * x * (1 + t)
    }
}
