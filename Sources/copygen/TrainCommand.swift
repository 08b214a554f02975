import ArgumentParser
import Captions
import Corpus
import Foundation
import Support
import Tokenizer
import Training
import Transformer

/// `copygen train`: trains a model on a caption corpus, resumably, with progress and a loss plot.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on a caption corpus.",
        discussion: """
            Writes into --out: model.safetensors + config.json (the best weights by validation loss, in Hugging \
            Face GPT-2 form), tokenizer.json, training_state.safetensors (for --resume), log.csv and loss.svg. \
            The validation split is about 10% of the corpus chosen by a hash of each caption, or --val FILE. \
            Ctrl-C saves a checkpoint and stops; --resume continues it exactly.
            Example: copygen train --corpus Corpora/captions.jsonl --out Models/ours --preset small --epochs 8
            """
    )

    @Option(help: "The caption corpus (JSON Lines, CSV or text).")
    var corpus: String

    @Option(help: "The model directory to write (created if missing).")
    var out: String

    @Option(help: "A validation corpus; without it the corpus's own hash split is used.")
    var val: String?

    @Option(help: "tokenizer.json or a GPT-2 directory (default: the shipped Tokenizers/captions-4k.json).")
    var tokenizer: String?

    @Option(help: "Model size: \(GPTConfig.presetNames.joined(separator: ", ")).")
    var preset: String = "small"

    @Option(help: "Override the preset's layers.") var layers: Int?
    @Option(help: "Override the preset's width (embedding size).") var dim: Int?
    @Option(help: "Override the preset's attention heads.") var heads: Int?
    @Option(help: "Override the preset's context length in tokens.") var context: Int?
    @Option(help: "Dropout probability during training.") var dropout: Float = 0

    @Option(help: "Optimizer steps (default: what --epochs gives).") var steps: Int?
    @Option(help: "Passes over the training split (used when --steps is not given).") var epochs: Double = 4
    @Option(help: "Rows per micro-batch.") var batch: Int = 16
    @Option(help: "Micro-batches per optimizer step.") var accumulation: Int = 1
    @Option(help: "Peak learning rate.") var lr: Float = 1e-3
    @Option(help: "Warm-up steps (default: a tenth of the run, at most 200).") var warmup: Int?
    @Option(name: .customLong("weight-decay"), help: "AdamW weight decay on matrices.") var weightDecay: Float = 0.1
    @Option(name: .customLong("eval-interval"), help: "Steps between validation evaluations.") var evalInterval: Int = 100
    @Option(name: .customLong("checkpoint-interval"), help: "Steps between checkpoints.") var checkpointInterval: Int = 200
    @Option(help: "Stop after this many evaluations without a better validation loss.") var patience: Int?
    @Option(help: "Seed for initialization, data order and dropout.") var seed: UInt64 = 1
    @Option(help: "Threads for the kernels.") var threads: Int = 2
    @Flag(help: "Continue the run saved in --out.") var resume = false
    @Flag(help: "Replace invalid UTF-8 in the corpus with U+FFFD instead of stopping.") var lossy = false
    @Flag(help: "No progress display.") var quiet = false

    func validate() throws {
        guard GPTConfig.presetNames.contains(preset) else {
            throw ValidationError("unknown preset '\(preset)' (known: \(GPTConfig.presetNames.joined(separator: ", ")))")
        }
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1") }
        if !(epochs > 0) { throw ValidationError("--epochs must be positive") }
        if !(0..<1).contains(dropout) { throw ValidationError("--dropout must be in [0, 1)") }
    }

    func run() throws {
        let tokenizerPath = try GenerateCommand.locate(tokenizer, default: "Tokenizers/captions-4k.json", what: "tokenizer")
        let tokenizer = try Tokenizer.load(from: tokenizerPath)

        // The corpus check runs first: a malformed corpus stops here, before any work.
        let report = try CorpusCheck.run(path: corpus, lossy: lossy)
        if let first = report.errors.first {
            throw ResourceError(description: first + (report.errors.count > 1 ? " (and \(report.errors.count - 1) more problems; see copygen corpus check)" : ""))
        }
        let records = try CorpusReader.readAll(path: corpus, lossy: lossy)
        let training: [CaptionRecord], validation: [CaptionRecord]
        if let val {
            training = records
            validation = try CorpusReader.readAll(path: val, lossy: lossy)
        } else {
            training = records.filter { !$0.isValidation }
            validation = records.filter(\.isValidation)
        }

        var config = GPTConfig.preset(preset, vocabularySize: tokenizer.vocabularySize)!
        if let layers { config.layers = layers }
        if let dim { config.embeddingSize = dim }
        if let heads { config.heads = heads }
        if let context { config.contextLength = context }
        config.dropout = dropout

        if resume {
            // The saved run fixes the shape; flags that disagree are an error, not a silent change.
            let saved = try Trainer.savedConfig(directory: out)
            var savedShape = saved
            savedShape.dropout = config.dropout
            if savedShape != config && (layers != nil || dim != nil || heads != nil || context != nil) {
                throw ResourceError(description: "\(out): the saved model's shape differs from the flags given; resume without shape flags")
            }
            config = saved
            config.dropout = dropout
        }

        var options = TrainingOptions(steps: steps ?? 1)
        options.batchSize = batch
        options.accumulation = accumulation
        options.learningRate = lr
        options.warmupSteps = warmup
        options.weightDecay = weightDecay
        options.evaluationInterval = evalInterval
        options.checkpointInterval = checkpointInterval
        options.patience = patience
        options.seed = seed
        options.threads = threads

        if steps == nil {
            // Epochs → steps needs the packed row count, which a throwaway trainer computes.
            let probe = try Trainer(config: config, tokenizer: tokenizer, training: training, validation: [],
                                    options: options, outputDirectory: out, resume: false)
            options.steps = max(1, Int((epochs * Double(probe.rowsPerEpoch) / Double(batch * accumulation)).rounded(.up)))
        }
        let trainer = try Trainer(config: config, tokenizer: tokenizer, training: training, validation: validation,
                                  options: options, outputDirectory: out, resume: resume)
        StandardStreams.message("training \(config.layers) layers × \(config.embeddingSize) wide, \(config.heads) heads, context \(config.contextLength), vocabulary \(config.vocabularySize): \(ParameterLayout(config: config).count) parameters")
        StandardStreams.message("\(training.count) training captions (\(trainer.rowsPerEpoch) rows an epoch), \(validation.count) validation captions; steps \(trainer.startStep + 1)...\(trainer.options.steps), batch \(batch)×\(accumulation), seed \(trainer.options.seed), \(trainer.options.threads) threads")

        InterruptFlag.install()
        let progress = ProgressReporter(title: "train", total: trainer.options.steps, silent: quiet)
        let summary = try trainer.run(progress: progress, message: { StandardStreams.message($0) },
                                      shouldStop: { InterruptFlag.isRaised })
        // The no-copy index `generate` checks candidates against: every caption of the corpus.
        try RegurgitationIndex.build(records: records, tokenizer: tokenizer).save(to: out + "/" + RegurgitationIndex.fileName)
        var line = "finished at step \(summary.steps): loss \(Trainer.format(summary.finalLoss))"
        if let best = summary.bestValidationLoss { line += ", best validation loss \(Trainer.format(best))" }
        line += ", \(Int(summary.tokensPerSecond)) tokens/s, \(ProgressReporter.formatDuration(summary.seconds)); model in \(out)"
        StandardStreams.message(line)
        if summary.ending == .interrupted { throw ExitCode(130) }
    }
}
