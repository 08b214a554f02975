import Foundation
import Testing
@testable import Transformer

@Suite struct InferenceVectorMathTests {
    @Test func vectorExpMatchesFoundationWithinTwoUlpsRelative() {
        var worst: Double = 0
        var x: Float = -87
        while x < 88 {
            var lanes = SIMD16<Float>()
            for i in 0..<16 { lanes[i] = x + Float(i) * 0.0137 }
            let result = InferenceVectorMath.exp(lanes)
            for i in 0..<16 {
                let exact = Foundation.exp(Double(lanes[i]))
                worst = max(worst, abs(Double(result[i]) - exact) / exact)
            }
            x += 0.25
        }
        // Tolerance: 2e-7 relative (float's epsilon is 1.19e-7).
        #expect(worst < 2e-7, "worst relative error \(worst)")
        #expect(InferenceVectorMath.exp(-1000) == 0 || InferenceVectorMath.exp(-1000) < 1e-37)
        #expect(InferenceVectorMath.exp(1000).isFinite)
    }

    @Test func geluMatchesTheTanhFormula() {
        var values = (0..<1000).map { Float($0 - 500) * 0.023 }
        let expected = values.map { x in 0.5 * Double(x) * (1 + tanh(0.7978845608028654 * (Double(x) + 0.044715 * pow(Double(x), 3)))) }
        values.withUnsafeMutableBufferPointer { InferenceVectorMath.gelu($0.baseAddress!, count: $0.count) }
        // Tolerance: 1e-6 absolute plus 1e-6 relative.
        let worst = zip(values, expected).map { abs(Double($0) - $1) / (1 + abs($1)) }.max()!
        #expect(worst < 1e-6, "worst difference \(worst)")
    }
}
