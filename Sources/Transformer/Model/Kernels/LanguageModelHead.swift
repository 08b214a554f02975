/// The LM head, tied to the token embedding: logits[N×V] = input[N×C] · wteᵀ.
public enum LanguageModelHead {
    public static func forward(
        logits: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, wte: UnsafePointer<Float>,
        rows: Int, C: Int, V: Int, threads: Int = 1
    ) {
        Gemm.multiply(transposeA: false, transposeB: true, m: rows, n: V, k: C,
                      a: input, lda: C, b: wte, ldb: C, beta: 0, c: logits, ldc: V, threads: threads)
    }

    /// dinput = dlogits · wte (overwritten); dwte += dlogitsᵀ · input — the second of wte's two
    /// gradient contributions (the encoder adds the other).
    public static func backward(
        dinput: UnsafeMutablePointer<Float>, dwte: UnsafeMutablePointer<Float>, dlogits: UnsafePointer<Float>,
        input: UnsafePointer<Float>, wte: UnsafePointer<Float>, rows: Int, C: Int, V: Int, threads: Int = 1
    ) {
        Gemm.multiply(transposeA: false, transposeB: false, m: rows, n: C, k: V,
                      a: dlogits, lda: V, b: wte, ldb: C, beta: 0, c: dinput, ldc: C, threads: threads)
        Gemm.multiply(transposeA: true, transposeB: false, m: V, n: C, k: rows,
                      a: dlogits, lda: V, b: input, ldb: C, beta: 1, c: dwte, ldc: C, threads: threads)
    }
}
