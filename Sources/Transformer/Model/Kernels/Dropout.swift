import Support

/// Inverted dropout: during training each value is zeroed with probability p and the survivors
/// scaled by 1/(1−p), so inference needs no rescaling.
///
/// The mask is a float per value (0 or 1/(1−p)), kept for backward. Randomness comes from a
/// `seed` drawn by the caller from its seeded generator: row r uses its own generator seeded from
/// (seed, r), so rows can be filled in parallel and the mask is the same for any thread count.
public enum Dropout {
    /// out = input · mask, with a fresh mask (out may equal input).
    public static func forward(
        out: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
        rows: Int, width: Int, probability: Float, seed: UInt64, threads: Int = 1
    ) {
        let keep = 1 / (1 - probability)
        Parallel.forEachRange(rows, threads: threads, minimumPerRange: 16) { range in
            for row in range {
                var random = SeededRandom(seed: seed &+ UInt64(row) &* 0x9E37_79B9_7F4A_7C15)
                for c in 0..<width {
                    let i = row * width + c
                    let m: Float = random.nextUniform() < probability ? 0 : keep
                    mask[i] = m
                    out[i] = input[i] * m
                }
            }
        }
    }

    /// dinput = dout · mask (overwritten; dinput may equal dout).
    public static func backward(dinput: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, mask: UnsafePointer<Float>, count: Int, threads: Int = 1) {
        Parallel.forEachRange(count, threads: threads, minimumPerRange: 16_384) { range in
            for i in range { dinput[i] = dout[i] * mask[i] }
        }
    }
}
