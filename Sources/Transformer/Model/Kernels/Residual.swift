/// The residual connection: out = a + b.
///
/// In the model the backward of a residual is free: the block writes its branch's input gradient
/// into the same stream buffer (see `GPT.backward`). `backward` here is the explicit form.
public enum Residual {
    public static func forward(out: UnsafeMutablePointer<Float>, a: UnsafePointer<Float>, b: UnsafePointer<Float>, count: Int, threads: Int = 1) {
        Parallel.forEachRange(count, threads: threads, minimumPerRange: 16_384) { range in
            for i in range { out[i] = a[i] + b[i] }
        }
    }

    /// da += dout; db += dout.
    public static func backward(da: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, count: Int, threads: Int = 1) {
        Parallel.forEachRange(count, threads: threads, minimumPerRange: 16_384) { range in
            for i in range {
                da[i] += dout[i]
                db[i] += dout[i]
            }
        }
    }
}
