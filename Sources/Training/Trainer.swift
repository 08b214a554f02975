import Corpus
import Foundation
import Support
import Tokenizer
import Transformer

/// What a finished (or stopped) run reports.
public struct TrainingSummary: Sendable {
    public enum Ending: Sendable, Equatable {
        case completed, interrupted, earlyStopped
    }
    public var ending: Ending
    public var steps: Int
    public var finalLoss: Float
    public var bestValidationLoss: Float?
    public var tokensPerSecond: Double
    public var seconds: Double
}

/// Training went wrong in a way the user must hear about.
public enum TrainingError: Error, CustomStringConvertible {
    case nonFiniteLoss(step: Int, lastCheckpointStep: Int?)
    case noTrainingData(String)
    case mismatch(String)

    public var description: String {
        switch self {
        case let .nonFiniteLoss(step, last):
            let kept = last.map { "the last good checkpoint (step \($0)) is kept" } ?? "no checkpoint was written"
            return "the loss became NaN or infinite at step \(step); training stopped and \(kept). Try a lower --lr."
        case .noTrainingData(let why): return "no training data: \(why)"
        case .mismatch(let why): return why
        }
    }
}

/// The training loop: batches → forward → backward → clip → AdamW, with evaluation, checkpoints,
/// the log and the plot, in the output directory:
///
///     model.safetensors, config.json   the best weights by validation loss (the latest without a validation split)
///     tokenizer.json                   the tokenizer the model was trained with
///     training_state.safetensors       latest weights, AdamW moments, step, data position, RNG: for --resume
///     log.csv, loss.svg                the log and its plot
///
/// Determinism: the same seed, data, options and thread count give the same losses bit for bit,
/// and an interrupted run resumed from its state ends with the same weights as one that was not.
public final class Trainer {
    public let config: GPTConfig
    public let options: TrainingOptions
    public let outputDirectory: String
    private let tokenizer: Tokenizer
    private let loader: BatchLoader
    private let validationRows: [RowPacker.Row]
    private let model: GPT
    private let optimizer: AdamW
    private var log: TrainingLog
    private var state: TrainingState
    private let endOfText: TokenID

    /// Prepares a run on captions alone (each caption once an epoch).
    public convenience init(config: GPTConfig, tokenizer: Tokenizer, training: [CaptionRecord], validation: [CaptionRecord],
                            options: TrainingOptions, outputDirectory: String, resume: Bool) throws {
        try self.init(config: config, tokenizer: tokenizer,
                      training: [TrainingSource(name: "training", kind: .captions, records: training)],
                      validation: [TrainingSource(name: "validation", kind: .captions, records: validation)],
                      options: options, outputDirectory: outputDirectory, resume: resume)
    }

    /// Prepares a run. With `resume`, the weights, optimizer, data position and log come from
    /// `outputDirectory`'s training state, and the options saved there win over `options` except
    /// for `steps`, which may grow. Otherwise the weights start from `initialWeights` when given
    /// (fine-tuning a pre-trained model: the optimizer and the warm-up start afresh), or from
    /// GPT-2's random initialization.
    public init(config: GPTConfig, tokenizer: Tokenizer, training: [TrainingSource], validation: [TrainingSource],
                options: TrainingOptions, outputDirectory: String, resume: Bool,
                initialWeights: ParameterBuffer? = nil) throws {
        if let problem = (config.problems + options.problems).first { throw TrainingError.mismatch(problem) }
        guard config.vocabularySize == tokenizer.vocabularySize else {
            throw TrainingError.mismatch("the model's vocabulary (\(config.vocabularySize)) differs from the tokenizer's (\(tokenizer.vocabularySize))")
        }
        if let initialWeights, initialWeights.layout.config.shapeDifference(from: config) != nil {
            throw TrainingError.mismatch("the initial weights have a different shape from the run's model")
        }
        let controls = try ConditioningFormat.ControlTokens(tokenizer: tokenizer)
        let (trainingExamples, weights) = try Self.examples(of: training, tokenizer: tokenizer, controls: controls)
        let packer = RowPacker(length: config.contextLength, paddingToken: controls.endOfText)
        self.config = config
        self.tokenizer = tokenizer
        self.outputDirectory = outputDirectory
        self.endOfText = controls.endOfText
        let validationExamples = TrainingSource.interleavedExamples(validation, tokenizer: tokenizer, controls: controls)
        self.validationRows = packer.pack(validationExamples, order: Array(validationExamples.indices))
        var options = options
        // One plain caption corpus is the long-standing run: its saved state names no sources.
        let described = training.count == 1 && training[0].kind == .captions && training[0].weight == 1
        options.sources = described ? nil : training.map(\.summary)

        let parameters = ParameterBuffer(layout: ParameterLayout(config: config))
        let optimizerBuffers: AdamW
        var runOptions = options
        var state: TrainingState
        if resume {
            let saved = try TrainingState.savedConfig(directory: outputDirectory)
            var shape = config
            shape.dropout = saved.dropout
            guard saved == shape else {
                throw TrainingError.mismatch("\(outputDirectory): the saved run trains a different model shape; resume it with the same settings")
            }
            optimizerBuffers = AdamW(layout: parameters.layout, weightDecay: options.weightDecay)
            state = try TrainingState.load(directory: outputDirectory, weights: parameters, optimizer: optimizerBuffers)
            if state.options.sources != options.sources {
                throw TrainingError.mismatch("\(outputDirectory): the saved run trained on other data (\((state.options.sources ?? ["one caption corpus"]).joined(separator: "; "))); resume it with the same corpora and weights")
            }
            let requestedSteps = options.steps
            runOptions = state.options
            runOptions.steps = max(requestedSteps, state.step)
            state.options = runOptions
            optimizerBuffers.weightDecay = runOptions.weightDecay
            log = try TrainingLog.load(path: outputDirectory + "/log.csv")
            log.truncate(after: state.step)
        } else {
            if let initialWeights {
                parameters.pointer.update(from: initialWeights.pointer, count: parameters.layout.count)
            } else {
                var random = SeededRandom(seed: options.seed)
                parameters.initializeGPT2(random: &random)
            }
            optimizerBuffers = AdamW(layout: parameters.layout, weightDecay: options.weightDecay)
            state = TrainingState(step: 0, optimizerStep: 0, position: DataPosition(),
                                  dropoutState: SeededRandom(seed: options.seed &+ 1).state, bestValidationLoss: nil,
                                  evaluationsWithoutImprovement: 0, options: options, config: config)
            log = TrainingLog()
        }
        self.options = runOptions
        self.state = state
        self.optimizer = optimizerBuffers
        self.model = GPT(parameters: parameters, maxBatch: runOptions.batchSize, threads: runOptions.threads)
        model.dropoutRandom = SeededRandom(state: state.dropoutState)
        self.loader = BatchLoader(examples: trainingExamples, packer: packer, batchSize: runOptions.batchSize,
                                  seed: runOptions.seed, position: state.position,
                                  weights: weights)
    }

    /// Every training source's examples, one after another, with each example's weight (its
    /// source's). Throws when there are none.
    static func examples(of training: [TrainingSource], tokenizer: Tokenizer,
                         controls: ConditioningFormat.ControlTokens) throws -> (examples: [TrainingExample], weights: [Double]) {
        var all: [TrainingExample] = [], weights: [Double] = []
        for source in training {
            let examples = source.examples(tokenizer: tokenizer, controls: controls)
            all += examples
            weights += Array(repeating: source.weight, count: examples.count)
        }
        if all.isEmpty { throw TrainingError.noTrainingData("the corpus has no training captions") }
        return (all, weights)
    }

    /// The model shape of the run saved in `directory` (to resume it).
    public static func savedConfig(directory: String) throws -> GPTConfig {
        try TrainingState.savedConfig(directory: directory)
    }

    /// The step the run will start from (0, or the resumed step).
    public var startStep: Int { state.step }
    /// Training rows per epoch (for turning epochs into steps).
    public var rowsPerEpoch: Int { loader.rowsPerEpoch }
    /// Validation rows (0 when there is no validation split).
    public var validationRowCount: Int { validationRows.count }
    /// The live weights (for tests and callers that continue in memory).
    public var parameters: ParameterBuffer { model.parameters }

    /// Runs until `options.steps`, an early stop, or `shouldStop()` turns true (checked after every
    /// step: Ctrl-C). Progress goes to `progress`; every line of news to `message`.
    public func run(progress: ProgressReporter? = nil, message: (String) -> Void = { _ in },
                    shouldStop: () -> Bool = { false }) throws -> TrainingSummary {
        try AtomicFile.createDirectory(outputDirectory)
        // Temporary files of an earlier run that was killed mid-write (SIGKILL, power loss).
        AtomicFile.removeStaleTemporaries(in: outputDirectory)
        try tokenizer.save(to: outputDirectory + "/tokenizer.json")
        let B = options.batchSize, T = config.contextLength
        var inputs = [Int32](repeating: 0, count: B * T), targets = inputs
        let schedule = options.schedule
        let started = ProgressReporter.now()
        var tokensSeen = 0
        var lastLoss: Float = .nan
        var lastCheckpointStep: Int? = state.step > 0 ? state.step : nil
        var ending = TrainingSummary.Ending.completed

        while state.step < options.steps {
            let stepStart = ProgressReporter.now()
            let learningRate = schedule.rate(at: state.step)
            model.zeroGradients()
            var loss: Float = 0
            for _ in 0..<options.accumulation {
                loader.next(inputs: &inputs, targets: &targets)
                loss += model.forward(tokens: inputs, targets: targets, batch: B, length: T, training: config.dropout > 0)
                model.backward()
            }
            loss /= Float(options.accumulation)
            let norm = GradientClipping.globalNorm(model.gradients, threads: options.threads) / Float(options.accumulation)
            if !loss.isFinite || !norm.isFinite {
                throw TrainingError.nonFiniteLoss(step: state.step + 1, lastCheckpointStep: lastCheckpointStep)
            }
            let clip = GradientClipping.scale(norm: norm, maxNorm: options.gradientClip)
            optimizer.update(parameters: model.parameters, gradients: model.gradients, learningRate: learningRate,
                             gradientScale: clip / Float(options.accumulation), threads: options.threads)
            state.step += 1
            lastLoss = loss
            let stepTokens = B * T * options.accumulation
            tokensSeen += stepTokens
            let tokensPerSecond = Double(stepTokens) / max(1e-9, ProgressReporter.now() - stepStart)

            var validationLoss: Float? = nil
            let atEnd = state.step == options.steps
            if !validationRows.isEmpty && (state.step % options.evaluationInterval == 0 || atEnd) {
                let value = evaluate()
                validationLoss = value
                if value < (state.bestValidationLoss ?? .infinity) {
                    state.bestValidationLoss = value
                    state.evaluationsWithoutImprovement = 0
                    try saveModel()
                } else {
                    state.evaluationsWithoutImprovement += 1
                }
            }
            log.append(TrainingLogEntry(step: state.step, learningRate: learningRate, loss: loss, validationLoss: validationLoss,
                                        tokensPerSecond: tokensPerSecond, gradientNorm: norm))
            var detail = "loss \(Self.format(loss))"
            if let best = state.bestValidationLoss { detail += " val \(Self.format(best))" }
            detail += " \(Int(Double(tokensSeen) / max(1e-9, ProgressReporter.now() - started))) tok/s"
            progress?.update(state.step, detail: detail)

            let patienceRanOut = options.patience.map { state.evaluationsWithoutImprovement >= $0 } ?? false
            let interrupted = shouldStop()
            if state.step % options.checkpointInterval == 0 || atEnd || patienceRanOut || interrupted {
                try saveCheckpoint()
                lastCheckpointStep = state.step
            }
            if patienceRanOut {
                message("validation loss has not improved for \(options.patience!) evaluations: stopping early at step \(state.step)")
                ending = .earlyStopped
                break
            }
            if interrupted {
                message("interrupted: checkpoint saved at step \(state.step); continue with --resume")
                ending = .interrupted
                break
            }
        }
        if state.step >= options.steps && lastCheckpointStep != state.step {
            try saveCheckpoint()  // a resumed run that had already finished
        }
        let seconds = ProgressReporter.now() - started
        progress?.finish(state.step, detail: "loss \(Self.format(lastLoss))" + (state.bestValidationLoss.map { " best val \(Self.format($0))" } ?? ""))
        return TrainingSummary(ending: ending, steps: state.step, finalLoss: lastLoss, bestValidationLoss: state.bestValidationLoss,
                               tokensPerSecond: Double(tokensSeen) / max(1e-9, seconds), seconds: seconds)
    }

    /// Mean loss per counted target over (at most `evaluationBatches` batches of) the validation rows.
    public func evaluate() -> Float {
        let B = options.batchSize, T = config.contextLength
        var totalLoss = 0.0, totalTargets = 0
        var inputs = [Int32](repeating: endOfText, count: B * T)
        var targets = [Int32](repeating: -1, count: B * T)
        let rows = validationRows.prefix(options.evaluationBatches * B)
        var start = rows.startIndex
        while start < rows.endIndex {
            let batch = rows[start..<min(start + B, rows.endIndex)]
            for (b, row) in batch.enumerated() {
                for t in 0..<T { inputs[b * T + t] = row.inputs[t]; targets[b * T + t] = row.targets[t] }
            }
            let loss = model.forward(tokens: inputs, targets: targets, batch: batch.count, length: T, training: false)
            totalLoss += Double(loss) * Double(model.countedTargets)
            totalTargets += model.countedTargets
            start += B
        }
        return totalTargets == 0 ? .nan : Float(totalLoss / Double(totalTargets))
    }

    /// model.safetensors + config.json: the weights users load.
    private func saveModel() throws {
        try ModelCheckpoint.save(parameters: model.parameters, config: config, to: outputDirectory,
                                 endOfTextToken: Int(endOfText),
                                 extra: ["trained_steps": String(state.step), "seed": String(options.seed),
                                         "validation_loss": state.bestValidationLoss.map { "\($0)" } ?? "",
                                         "dropout": "\(config.dropout)"])
    }

    /// The resumable state, the log, and (without a validation split) the latest weights.
    private func saveCheckpoint() throws {
        state.position = loader.position
        state.optimizerStep = optimizer.step
        state.dropoutState = model.dropoutRandom.state
        if validationRows.isEmpty { try saveModel() }
        // The log goes first: a crash between the two writes then leaves a log that runs ahead of
        // the state (resume cuts it back to the state's step) rather than one missing steps.
        try log.write(directory: outputDirectory)
        try state.save(directory: outputDirectory, weights: model.parameters, optimizer: optimizer)
    }

    public static func format(_ value: Float) -> String {
        guard value.isFinite else { return "\(value)" }
        return String(format: "%.4f", Double(value))
    }
}
