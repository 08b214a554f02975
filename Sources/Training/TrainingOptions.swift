/// How a training run goes: length, batch, optimizer and evaluation settings.
///
/// Saved in the training state, so that `--resume` continues with exactly the settings the run
/// started with (the schedule depends on the total step count, the data order on the seed).
public struct TrainingOptions: Codable, Equatable, Sendable {
    /// Optimizer steps in the whole run.
    public var steps: Int
    /// Rows (sequences of the context length) per micro-batch.
    public var batchSize: Int = 16
    /// Micro-batches whose gradients are summed into one step (the effective batch is their product).
    public var accumulation: Int = 1
    /// Peak learning rate, reached after the warm-up.
    public var learningRate: Float = 1e-3
    /// The rate cosine decay ends at, as a fraction of the peak.
    public var floorFraction: Float = 0.1
    /// Steps of linear warm-up; nil means a tenth of the run, at most 200.
    public var warmupSteps: Int? = nil
    /// Decoupled weight decay on matrices.
    public var weightDecay: Float = 0.1
    /// Global gradient-norm limit.
    public var gradientClip: Float = 1.0
    /// Steps between validation evaluations (and best-model checks).
    public var evaluationInterval: Int = 100
    /// The most validation batches one evaluation reads (bounds its cost on a large split).
    public var evaluationBatches: Int = 50
    /// Steps between saved checkpoints (the state is also saved at the end and on Ctrl-C).
    public var checkpointInterval: Int = 200
    /// Stop after this many evaluations in a row without a better validation loss (nil: never).
    public var patience: Int? = nil
    /// Seeds initialization, data order and dropout.
    public var seed: UInt64 = 1
    /// Threads for the kernels (and the thread count determinism is promised for).
    public var threads: Int = 2
    /// The corpora of a mixed run, one line each (kind, name, weight, records), so that resuming
    /// with other data is refused; nil for a run on one caption corpus.
    public var sources: [String]? = nil

    public init(steps: Int) { self.steps = steps }

    /// The schedule these options give.
    public var schedule: LearningRateSchedule {
        LearningRateSchedule(peak: learningRate, floor: learningRate * floorFraction,
                             warmupSteps: warmupSteps ?? min(200, max(1, steps / 10)), totalSteps: steps)
    }

    /// Problems with these settings, one line each; empty when training can start.
    public var problems: [String] {
        var found: [String] = []
        if steps < 1 { found.append("steps must be at least 1 (got \(steps))") }
        if batchSize < 1 { found.append("batch must be at least 1 (got \(batchSize))") }
        if accumulation < 1 { found.append("accumulation must be at least 1 (got \(accumulation))") }
        if !(learningRate > 0 && learningRate < 1) { found.append("learning rate must be in (0, 1) (got \(learningRate))") }
        if !(0...1).contains(floorFraction) { found.append("floor fraction must be in [0, 1]") }
        if let warmupSteps, warmupSteps < 0 { found.append("warm-up steps must not be negative") }
        if weightDecay < 0 { found.append("weight decay must not be negative") }
        if !(gradientClip > 0) { found.append("gradient clip must be positive") }
        if evaluationInterval < 1 || checkpointInterval < 1 || evaluationBatches < 1 {
            found.append("evaluation and checkpoint intervals must be at least 1")
        }
        if let patience, patience < 1 { found.append("patience must be at least 1") }
        if threads < 1 { found.append("threads must be at least 1") }
        return found
    }
}
