import Support
import Testing
@testable import Transformer

/// Central finite differences against an analytic gradient.
///
/// The checked scalar is a random projection of a kernel's output, Σ r·out, summed in Double so
/// that the difference quotient is not drowned by float rounding. A coordinate passes when
/// |analytic − numeric| ≤ absolute + relative · max(|analytic|, |numeric|).
enum GradientCheck {
    static func check(
        _ name: String, values: UnsafeMutablePointer<Float>, analytic: UnsafePointer<Float>, count: Int,
        coordinates: Int = 24, epsilon: Float = 1e-2, relative: Double = 2e-2, absolute: Double = 1e-4,
        seed: UInt64 = 1, objective: () -> Double
    ) {
        var random = SeededRandom(seed: seed)
        var picks = (0..<min(coordinates, count)).map { _ in Int(random.next() % UInt64(count)) }
        // Always include the largest gradient, where a wrong formula shows most clearly.
        if let largest = (0..<count).max(by: { abs(analytic[$0]) < abs(analytic[$1]) }) { picks.append(largest) }
        for i in picks {
            let saved = values[i]
            values[i] = saved + epsilon
            let plus = objective()
            values[i] = saved - epsilon
            let minus = objective()
            values[i] = saved
            let numeric = (plus - minus) / (2 * Double(epsilon))
            let exact = Double(analytic[i])
            let allowed = absolute + relative * max(abs(numeric), abs(exact))
            #expect(abs(numeric - exact) <= allowed, "\(name)[\(i)]: analytic \(exact), numeric \(numeric)")
        }
    }

    /// Random floats, N(0, scale²).
    static func randomArray(_ count: Int, scale: Float = 1, seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in scale * random.nextGaussian() }
    }

    /// Σ r[i]·x[i] in Double.
    static func project(_ x: UnsafePointer<Float>, _ r: [Float]) -> Double {
        var total: Double = 0
        for i in r.indices { total += Double(r[i]) * Double(x[i]) }
        return total
    }
}

/// A float array at a fixed address, for tests that hand pointers to kernels.
final class TestBuffer {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int
    init(_ values: [Float]) {
        count = values.count
        pointer = .allocate(capacity: max(1, count))
        pointer.initialize(from: values, count: count)
    }
    convenience init(zeros count: Int) { self.init([Float](repeating: 0, count: count)) }
    deinit { pointer.deallocate() }
    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
    func zero() { pointer.update(repeating: 0, count: count) }
}
