import Testing
@testable import Transformer

/// Every kernel's backward against central finite differences of its forward
/// (tolerances in `GradientCheck`: 2% relative + 1e-4 absolute, ε = 1e-2 unless stated).
@Suite struct KernelGradientTests {
    @Test func encoder() {
        let B = 2, T = 3, C = 20, V = 7
        let tokens: [Int32] = [1, 6, 1, 0, 3, 6]
        let wte = TestBuffer(GradientCheck.randomArray(V * C, seed: 1)), wpe = TestBuffer(GradientCheck.randomArray(T * C, seed: 2))
        let r = GradientCheck.randomArray(B * T * C, seed: 3)
        let out = TestBuffer(zeros: B * T * C)
        func objective() -> Double {
            tokens.withUnsafeBufferPointer { Encoder.forward(out: out.pointer, tokens: $0.baseAddress!, wte: wte.pointer, wpe: wpe.pointer, B: B, T: T, C: C, threads: 2) }
            return GradientCheck.project(out.pointer, r)
        }
        let dwte = TestBuffer(zeros: V * C), dwpe = TestBuffer(zeros: T * C), dout = TestBuffer(r)
        tokens.withUnsafeBufferPointer { Encoder.backward(dwte: dwte.pointer, dwpe: dwpe.pointer, dout: dout.pointer, tokens: $0.baseAddress!, B: B, T: T, C: C, threads: 2) }
        GradientCheck.check("wte", values: wte.pointer, analytic: dwte.pointer, count: V * C, objective: objective)
        GradientCheck.check("wpe", values: wpe.pointer, analytic: dwpe.pointer, count: T * C, objective: objective)
    }

    @Test(arguments: [1, 2]) func layerNorm(threads: Int) {
        let rows = 40, C = 37  // 37: exercises the SIMD tails
        let x = TestBuffer(GradientCheck.randomArray(rows * C, scale: 2, seed: 4))
        let weight = TestBuffer(GradientCheck.randomArray(C, seed: 5)), bias = TestBuffer(GradientCheck.randomArray(C, seed: 6))
        let r = GradientCheck.randomArray(rows * C, seed: 7)
        let out = TestBuffer(zeros: rows * C), mean = TestBuffer(zeros: rows), rstd = TestBuffer(zeros: rows)
        func objective() -> Double {
            LayerNorm.forward(out: out.pointer, mean: mean.pointer, rstd: rstd.pointer, input: x.pointer, weight: weight.pointer, bias: bias.pointer, rows: rows, C: C, threads: threads)
            return GradientCheck.project(out.pointer, r)
        }
        _ = objective()
        let dx = TestBuffer(zeros: rows * C), dw = TestBuffer(zeros: C), db = TestBuffer(zeros: C), dout = TestBuffer(r)
        LayerNorm.backward(dinput: dx.pointer, dweight: dw.pointer, dbias: db.pointer, dout: dout.pointer, input: x.pointer, weight: weight.pointer,
                           mean: mean.pointer, rstd: rstd.pointer, rows: rows, C: C, threads: threads)
        GradientCheck.check("x", values: x.pointer, analytic: dx.pointer, count: rows * C, epsilon: 1e-3, objective: objective)
        GradientCheck.check("weight", values: weight.pointer, analytic: dw.pointer, count: C, objective: objective)
        GradientCheck.check("bias", values: bias.pointer, analytic: db.pointer, count: C, objective: objective)
    }

    @Test(arguments: [1, 2]) func matmul(threads: Int) {
        let rows = 70, IC = 19, OC = 23
        let x = TestBuffer(GradientCheck.randomArray(rows * IC, seed: 8))
        let weight = TestBuffer(GradientCheck.randomArray(IC * OC, seed: 9)), bias = TestBuffer(GradientCheck.randomArray(OC, seed: 10))
        let r = GradientCheck.randomArray(rows * OC, seed: 11)
        let out = TestBuffer(zeros: rows * OC)
        func objective() -> Double {
            Matmul.forward(out: out.pointer, input: x.pointer, weight: weight.pointer, bias: bias.pointer, rows: rows, inputSize: IC, outputSize: OC, threads: threads)
            return GradientCheck.project(out.pointer, r)
        }
        _ = objective()
        // Forward against a plain triple loop (tolerance 1e-4 absolute: float sums of 19 terms).
        for row in [0, 33, 69] {
            for o in [0, 11, 22] {
                var expected = bias.pointer[o]
                for i in 0..<IC { expected += x.pointer[row * IC + i] * weight.pointer[i * OC + o] }
                #expect(abs(out.pointer[row * OC + o] - expected) < 1e-4)
            }
        }
        let dx = TestBuffer(zeros: rows * IC), dw = TestBuffer(zeros: IC * OC), db = TestBuffer(zeros: OC), dout = TestBuffer(r)
        Matmul.backward(dinput: dx.pointer, dweight: dw.pointer, dbias: db.pointer, dout: dout.pointer, input: x.pointer, weight: weight.pointer,
                        rows: rows, inputSize: IC, outputSize: OC, threads: threads)
        GradientCheck.check("input", values: x.pointer, analytic: dx.pointer, count: rows * IC, objective: objective)
        GradientCheck.check("weight", values: weight.pointer, analytic: dw.pointer, count: IC * OC, objective: objective)
        GradientCheck.check("bias", values: bias.pointer, analytic: db.pointer, count: OC, objective: objective)
    }

    @Test(arguments: [1, 2]) func attention(threads: Int) {
        let B = 2, T = 70, C = 8, H = 2  // T > 64: several query blocks
        let qkv = TestBuffer(GradientCheck.randomArray(B * T * 3 * C, seed: 12))
        let r = GradientCheck.randomArray(B * T * C, seed: 13)
        let out = TestBuffer(zeros: B * T * C), probabilities = TestBuffer(zeros: B * H * T * T)
        func objective() -> Double {
            Attention.forward(out: out.pointer, probabilities: probabilities.pointer, qkv: qkv.pointer, B: B, T: T, C: C, heads: H, threads: threads)
            return GradientCheck.project(out.pointer, r)
        }
        _ = objective()
        let dqkv = TestBuffer(zeros: B * T * 3 * C), dout = TestBuffer(r), scratch = TestBuffer(zeros: threads * Attention.blockRows * T)
        Attention.backward(dqkv: dqkv.pointer, dout: dout.pointer, qkv: qkv.pointer, probabilities: probabilities.pointer, scratch: scratch.pointer,
                           B: B, T: T, C: C, heads: H, threads: threads)
        GradientCheck.check("qkv", values: qkv.pointer, analytic: dqkv.pointer, count: B * T * 3 * C, coordinates: 60, epsilon: 1e-3, objective: objective)
    }

    @Test func attentionMatchesNaiveCausalSoftmax() {
        let B = 1, T = 67, C = 6, H = 3, hs = 2
        let qkv = TestBuffer(GradientCheck.randomArray(B * T * 3 * C, seed: 14))
        let out = TestBuffer(zeros: B * T * C), probabilities = TestBuffer(zeros: B * H * T * T)
        Attention.forward(out: out.pointer, probabilities: probabilities.pointer, qkv: qkv.pointer, B: B, T: T, C: C, heads: H, threads: 2)
        let q = qkv.pointer
        for h in 0..<H {
            for t in [0, 1, 40, 66] {
                var scores = [Double]()
                for s in 0...t {
                    var dot = 0.0
                    for i in 0..<hs { dot += Double(q[t * 3 * C + h * hs + i]) * Double(q[s * 3 * C + C + h * hs + i]) }
                    scores.append(dot / Double(hs).squareRoot())
                }
                let top = scores.max()!
                let weights = scores.map { Foundation.exp($0 - top) }
                let total = weights.reduce(0, +)
                for i in 0..<hs {
                    var expected = 0.0
                    for s in 0...t { expected += weights[s] / total * Double(q[s * 3 * C + 2 * C + h * hs + i]) }
                    // 1e-5: float softmax and sums of up to 67 terms.
                    #expect(abs(Double(out.pointer[t * C + h * hs + i]) - expected) < 1e-5, "head \(h) position \(t)")
                }
            }
        }
    }

    @Test func gelu() {
        let count = 45
        let x = TestBuffer(GradientCheck.randomArray(count, scale: 2, seed: 15))
        let r = GradientCheck.randomArray(count, seed: 16)
        let out = TestBuffer(zeros: count)
        func objective() -> Double {
            GELU.forward(out: out.pointer, input: x.pointer, count: count)
            return GradientCheck.project(out.pointer, r)
        }
        let dx = TestBuffer(zeros: count), dout = TestBuffer(r)
        GELU.backward(dinput: dx.pointer, dout: dout.pointer, input: x.pointer, count: count)
        GradientCheck.check("x", values: x.pointer, analytic: dx.pointer, count: count, coordinates: count, epsilon: 1e-3, objective: objective)
    }

    @Test func residual() {
        let count = 50
        let a = TestBuffer(GradientCheck.randomArray(count, seed: 17)), b = TestBuffer(GradientCheck.randomArray(count, seed: 18))
        let r = GradientCheck.randomArray(count, seed: 19)
        let out = TestBuffer(zeros: count)
        func objective() -> Double {
            Residual.forward(out: out.pointer, a: a.pointer, b: b.pointer, count: count)
            return GradientCheck.project(out.pointer, r)
        }
        let da = TestBuffer(zeros: count), db = TestBuffer(zeros: count), dout = TestBuffer(r)
        Residual.backward(da: da.pointer, db: db.pointer, dout: dout.pointer, count: count)
        GradientCheck.check("a", values: a.pointer, analytic: da.pointer, count: count, objective: objective)
        GradientCheck.check("b", values: b.pointer, analytic: db.pointer, count: count, objective: objective)
    }

    @Test func dropout() {
        let rows = 30, width = 40, p: Float = 0.25
        let x = TestBuffer(GradientCheck.randomArray(rows * width, seed: 20))
        let r = GradientCheck.randomArray(rows * width, seed: 21)
        let out = TestBuffer(zeros: rows * width), mask = TestBuffer(zeros: rows * width)
        func objective() -> Double {
            Dropout.forward(out: out.pointer, mask: mask.pointer, input: x.pointer, rows: rows, width: width, probability: p, seed: 99, threads: 2)
            return GradientCheck.project(out.pointer, r)
        }
        _ = objective()
        let dropped = mask.array.filter { $0 == 0 }.count
        // 1,200 draws at p = 0.25: 300 expected, standard deviation 15; ±75 is five of them.
        #expect(abs(dropped - 300) < 75)
        #expect(mask.array.allSatisfy { $0 == 0 || $0 == 1 / (1 - p) })
        let dx = TestBuffer(zeros: rows * width), dout = TestBuffer(r)
        Dropout.backward(dinput: dx.pointer, dout: dout.pointer, mask: mask.pointer, count: rows * width)
        GradientCheck.check("x", values: x.pointer, analytic: dx.pointer, count: rows * width, objective: objective)
    }

    @Test func languageModelHeadAndCrossEntropy() {
        let rows = 6, C = 16, V = 21
        let x = TestBuffer(GradientCheck.randomArray(rows * C, seed: 22)), wte = TestBuffer(GradientCheck.randomArray(V * C, scale: 0.5, seed: 23))
        let targets: [Int32] = [3, -1, 20, 0, -100, 7]
        let logits = TestBuffer(zeros: rows * V), losses = TestBuffer(zeros: rows), lse = TestBuffer(zeros: rows)
        func objective() -> Double {
            LanguageModelHead.forward(logits: logits.pointer, input: x.pointer, wte: wte.pointer, rows: rows, C: C, V: V)
            _ = targets.withUnsafeBufferPointer {
                CrossEntropy.forward(losses: losses.pointer, logSumExp: lse.pointer, logits: logits.pointer, targets: $0.baseAddress!, rows: rows, V: V)
            }
            // The mean of the per-row losses, summed in Double for the difference quotient.
            return (0..<rows).reduce(0.0) { $0 + Double(losses.pointer[$1]) } / 4
        }
        let loss = objective()
        // The mean over the four counted rows, each checked against a Double log-softmax.
        var expected = 0.0
        for row in [0, 2, 3, 5] {
            let z = (0..<V).map { Double(logits.pointer[row * V + $0]) }
            let top = z.max()!
            expected += top + Foundation.log(z.map { Foundation.exp($0 - top) }.reduce(0, +)) - z[Int(targets[row])]
        }
        #expect(abs(loss - expected / 4) < 1e-5)
        #expect(losses.pointer[1] == 0 && losses.pointer[4] == 0)

        let dx = TestBuffer(zeros: rows * C), dwte = TestBuffer(zeros: V * C)
        targets.withUnsafeBufferPointer {
            CrossEntropy.backward(dlogits: logits.pointer, logits: logits.pointer, logSumExp: lse.pointer, targets: $0.baseAddress!, rows: rows, V: V, lossScale: 0.25)
        }
        for j in 0..<V { #expect(logits.pointer[1 * V + j] == 0, "ignored row has no gradient") }
        LanguageModelHead.backward(dinput: dx.pointer, dwte: dwte.pointer, dlogits: logits.pointer, input: x.pointer, wte: wte.pointer, rows: rows, C: C, V: V)
        GradientCheck.check("input", values: x.pointer, analytic: dx.pointer, count: rows * C, objective: objective)
        GradientCheck.check("wte", values: wte.pointer, analytic: dwte.pointer, count: V * C, objective: objective)
    }

    @Test func splitProductsEqualOneThreadedProducts() {
        // Bands of rows (m ≥ n) and of columns (n > m), with and without transposes.
        for (m, n, k) in [(130, 40, 33), (40, 130, 33)] {
            for (ta, tb) in [(false, false), (true, false), (false, true)] {
                let a = TestBuffer(GradientCheck.randomArray(m * k, seed: 30)), b = TestBuffer(GradientCheck.randomArray(k * n, seed: 31))
                let one = TestBuffer(zeros: m * n), two = TestBuffer(zeros: m * n)
                for (c, threads) in [(one, 1), (two, 2)] {
                    Gemm.multiply(transposeA: ta, transposeB: tb, m: m, n: n, k: k, a: a.pointer, lda: ta ? m : k, b: b.pointer, ldb: tb ? k : n,
                                  beta: 0, c: c.pointer, ldc: n, threads: threads)
                }
                let largest = zip(one.array, two.array).map { abs($0 - $1) }.max()!
                #expect(largest < 1e-4, "m \(m) n \(n) transposes \(ta) \(tb)")
            }
        }
    }
}

import Foundation
