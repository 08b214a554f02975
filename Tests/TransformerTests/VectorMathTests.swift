import Foundation
import Testing
@testable import Transformer

@Suite struct VectorMathTests {
    @Test func expMatchesDoubleWithinTwoMillionths() {
        // Relative error bound 2e-6 over the range softmax meets (the polynomial alone is ~2e-7).
        var worst: Double = 0
        var x: Float = -80
        while x < 80 {
            let lanes = SIMD16<Float>((0..<16).map { x + Float($0) * 0.0061 })
            let got = VectorMath.exp(lanes)
            for i in 0..<16 {
                let exact = Foundation.exp(Double(lanes[i]))
                worst = max(worst, abs(Double(got[i]) - exact) / exact)
            }
            x += 0.0977
        }
        #expect(worst < 2e-6, "worst relative error \(worst)")
        #expect(VectorMath.exp(0) == 1)
        #expect(VectorMath.exp(-Float.infinity) < 1e-37)
        #expect(VectorMath.exp(Float(1000)).isFinite)
    }

    @Test func tanhMatchesDoubleWithinOneMillionth() {
        // Absolute error bound 1e-6 (GELU multiplies it by x/2, which stays small where it matters).
        var worst: Double = 0
        var x: Float = -12
        while x < 12 {
            let lanes = SIMD16<Float>((0..<16).map { x + Float($0) * 0.0013 })
            let got = VectorMath.tanh(lanes)
            for i in 0..<16 { worst = max(worst, abs(Double(got[i]) - Foundation.tanh(Double(lanes[i])))) }
            x += 0.0211
        }
        #expect(worst < 1e-6, "worst absolute error \(worst)")
        #expect(VectorMath.tanh(SIMD16(repeating: 100))[0] == 1)
        #expect(VectorMath.tanh(SIMD16(repeating: -100))[0] == -1)
    }

    @Test func geluMatchesTheTanhFormula() {
        let input = (0..<37).map { Float($0) * 0.37 - 6 }
        let out = TestBuffer(zeros: input.count)
        let x = TestBuffer(input)
        GELU.forward(out: out.pointer, input: x.pointer, count: input.count)
        for (i, v) in input.enumerated() {
            let d = Double(v)
            let exact = 0.5 * d * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (d + 0.044715 * d * d * d)))
            #expect(abs(Double(out.pointer[i]) - exact) < 5e-6, "gelu(\(v))")
        }
    }
}
