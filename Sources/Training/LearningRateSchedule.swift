/// Linear warm-up from near zero to `peak` over `warmupSteps`, then a cosine decay to `floor` at
/// `totalSteps`, then `floor`. Steps count from 0.
public struct LearningRateSchedule: Codable, Equatable, Sendable {
    public var peak: Float
    public var floor: Float
    public var warmupSteps: Int
    public var totalSteps: Int

    public init(peak: Float, floor: Float, warmupSteps: Int, totalSteps: Int) {
        self.peak = peak
        self.floor = floor
        self.warmupSteps = max(0, warmupSteps)
        self.totalSteps = max(0, totalSteps)
    }

    /// The learning rate for update number `step` (0-based).
    public func rate(at step: Int) -> Float {
        if step < warmupSteps {
            // (step + 1) so that the first update already moves the weights.
            return peak * Float(step + 1) / Float(warmupSteps)
        }
        let decaySteps = totalSteps - warmupSteps
        if decaySteps <= 0 || step >= totalSteps { return step >= totalSteps ? floor : peak }
        let progress = Double(step - warmupSteps) / Double(decaySteps)
        let cosine = 0.5 * (1 + cosine(Double.pi * progress))
        return floor + Float(cosine) * (peak - floor)
    }
}

#if canImport(Glibc)
import Glibc
private func cosine(_ x: Double) -> Double { Glibc.cos(x) }
#endif
