import ArgumentParser
import Captions
import Corpus
import Foundation
import Support
import Tokenizer
import Training
import Transformer

/// `copygen train`: trains a model on caption corpora and pre-training documents, resumably, with
/// progress and a loss plot; `--init` fine-tunes a trained model instead of starting from noise.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on captions (and pre-training documents), or fine-tune one with --init.",
        discussion: """
            Writes into --out: model.safetensors + config.json (the best weights by validation loss, in Hugging \
            Face GPT-2 form), tokenizer.json, training_state.safetensors (for --resume), log.csv and loss.svg. \
            The validation split is about 10% of each corpus chosen by a hash of each text, or --val FILE. \
            Ctrl-C saves a checkpoint and stops; --resume continues it exactly.

            --corpus files are captions: each is learned whole, after its topic, platform and tone. \
            --documents files are pre-training text, a document a line (plain text, or JSON Lines with \
            "text"): packed end to end into full rows, no header. Either may be given several times; \
            FILE@W weights a file, so that each of its texts appears W times an epoch on average \
            (0.5: about half of them each epoch; 3: three times).

            --init DIR starts from DIR's trained weights with a fresh optimizer and warm-up: the way \
            to train on your own captions. The model shape and the tokenizer come from DIR (shape flags \
            and --tokenizer must agree with it). Examples:
              copygen train --init Models/base --corpus ours.jsonl --out Models/ours --epochs 3 --lr 3e-4
              copygen train --corpus Corpora/captions.jsonl --out Models/ours --preset small --epochs 8
              copygen train --documents pretrain.txt@0.5 --corpus Corpora/captions.jsonl@3 --out Models/mybase --steps 20000
            """
    )

    @Option(help: ArgumentHelp("A caption corpus (JSON Lines, CSV or text); repeat for several, FILE@W to weight one.", valueName: "FILE[@W]"), transform: WeightedPath.init)
    var corpus: [WeightedPath] = []

    @Option(help: ArgumentHelp("Pre-training text, a document a line (text or JSON Lines); repeat for several, FILE@W to weight one.", valueName: "FILE[@W]"), transform: WeightedPath.init)
    var documents: [WeightedPath] = []

    @Option(name: .customLong("init"), help: ArgumentHelp("Start from this model directory's weights (fine-tuning).", valueName: "DIR"))
    var initFrom: String?

    @Option(help: "The model directory to write (created if missing).")
    var out: String

    @Option(help: "A validation corpus; without it the corpus's own hash split is used.")
    var val: String?

    @Option(help: "tokenizer.json or a GPT-2 directory (default: --init's, else the shipped Tokenizers/\(Self.defaultTokenizer)).")
    var tokenizer: String?

    @Option(help: "Model size: \(GPTConfig.presetNames.joined(separator: ", ")) (default: small, or --init's shape).")
    var preset: String?

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
    @OptionGroup var threading: ThreadsOption
    @Option(name: .customLong("min-word-count"), help: "Times a word must occur in the training text to enter words.txt (default: 1 below a million words; above, once per 3 million words and at least 2).")
    var minimumWordCount: Int?
    @Flag(help: "Continue the run saved in --out.") var resume = false
    @OptionGroup var input: LossyOption
    @Flag(help: "No progress display.") var quiet = false

    /// The tokenizer a new model gets when no --tokenizer or --init names one.
    static let defaultTokenizer = "english-8k.json"

    func validate() throws {
        if let preset, !GPTConfig.presetNames.contains(preset) {
            throw ValidationError("unknown preset '\(preset)' (known: \(GPTConfig.presetNames.joined(separator: ", ")))")
        }
        if corpus.isEmpty && documents.isEmpty { throw ValidationError("nothing to train on: give --corpus or --documents") }
        if initFrom != nil && preset != nil { throw ValidationError("--init takes its model's shape; drop --preset") }
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1") }
        if let minimumWordCount, minimumWordCount < 1 { throw ValidationError("--min-word-count must be at least 1") }
        if !(epochs > 0) { throw ValidationError("--epochs must be positive") }
        if !(0..<1).contains(dropout) { throw ValidationError("--dropout must be in [0, 1)") }
    }

    func run() throws {
        // The model to fine-tune, if any: its weights, its shape and its tokenizer.
        let initial = try initFrom.map { try InitialModel.load(directory: $0) }
        let tokenizerPath: String
        if let tokenizer { tokenizerPath = tokenizer }
        else if let initial { tokenizerPath = initial.tokenizerPath }
        else { tokenizerPath = try GenerateCommand.locate(nil, default: "Tokenizers/" + Self.defaultTokenizer, what: "tokenizer") }
        let tokenizer = try Tokenizer.load(from: tokenizerPath)
        if let initial, let difference = initial.tokenizer.difference(from: tokenizer) {
            throw ResourceError(description: "--init \(initial.directory): its tokenizer differs from \(tokenizerPath) (\(difference)); fine-tune with the model's own tokenizer")
        }

        let (training, validation) = try readSources()
        var config = GPTConfig.preset(preset ?? "small", vocabularySize: tokenizer.vocabularySize)!
        if let initial { config = initial.config }
        if let layers { config.layers = layers }
        if let dim { config.embeddingSize = dim }
        if let heads { config.heads = heads }
        if let context { config.contextLength = context }
        config.dropout = dropout
        if let initial, let difference = config.shapeDifference(from: initial.config, here: "asked", there: "in --init") {
            throw ResourceError(description: "--init \(initial.directory): the model's shape differs from the flags given (\(difference))")
        }

        if resume {
            config = try Trainer.resumedShape(directory: out, requested: config,
                                              shapeFlagsGiven: layers != nil || dim != nil || heads != nil || context != nil, dropout: dropout)
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
        options.threads = threading.threads

        if steps == nil {
            options.steps = try Trainer.steps(forEpochs: epochs, config: config, tokenizer: tokenizer, training: training, options: options)
        }
        let trainer = try Trainer(config: config, tokenizer: tokenizer, training: training, validation: validation,
                                  options: options, outputDirectory: out, resume: resume, initialWeights: initial?.parameters)
        StandardStreams.message("training \(config.layers) layers × \(config.embeddingSize) wide, \(config.heads) heads, context \(config.contextLength), vocabulary \(config.vocabularySize): \(ParameterLayout(config: config).count) parameters")
        if let initial, !resume { StandardStreams.message("starting from the weights of \(initial.directory)") }
        let trainingCount = training.reduce(0) { $0 + $1.records.count }, validationCount = validation.reduce(0) { $0 + $1.records.count }
        StandardStreams.message("\(trainingCount) training texts (\(trainer.rowsPerEpoch) rows an epoch), \(validationCount) validation texts; steps \(trainer.startStep + 1)...\(trainer.options.steps), batch \(batch)×\(accumulation), seed \(trainer.options.seed), \(trainer.options.threads) threads")

        InterruptFlag.install()
        let progress = ProgressReporter(title: "train", total: trainer.options.steps, silent: quiet)
        let summary = try trainer.run(progress: progress, message: { StandardStreams.message($0) },
                                      shouldStop: { InterruptFlag.isRaised })
        // The no-copy index `generate` checks candidates against: every caption of the caption
        // corpora (pre-training documents are not posts a user could be accused of copying).
        let captions = (training + validation).filter { $0.kind == .captions }.flatMap(\.records)
        if !captions.isEmpty {
            try RegurgitationIndex.build(records: captions, tokenizer: tokenizer).save(to: out + "/" + RegurgitationIndex.fileName)
        }
        try writeWordList(training: training, tokenizer: tokenizer, initial: initial)
        var line = "finished at step \(summary.steps): loss \(Trainer.format(summary.finalLoss))"
        if let best = summary.bestValidationLoss { line += ", best validation loss \(Trainer.format(best))" }
        line += ", \(Int(summary.tokensPerSecond)) tokens/s, \(ProgressReporter.formatDuration(summary.seconds)); model in \(out)"
        StandardStreams.message(line)
        if summary.ending == .interrupted { throw ExitCode(130) }
    }

    /// words.txt, the words the decoding guard lets the model write: those of its training text
    /// (and of the model it was fine-tuned from, whose text it learned too). Written after the run
    /// stops (finished or interrupted), beside the model it belongs to.
    private func writeWordList(training: [TrainingSource], tokenizer: Tokenizer, initial: InitialModel?) throws {
        var counter = WordCounter(normalization: tokenizer.normalization)
        for source in training {
            for record in source.records { counter.add(record.text) }
        }
        var words = counter.wordList(minimumCount: minimumWordCount ?? counter.suggestedMinimumCount)
        var names = counter.names()
        if let initial, FileContents.exists(initial.directory + "/" + WordList.fileName) {
            words = words.union(try WordList.load(path: initial.directory + "/" + WordList.fileName))
            if FileContents.exists(initial.directory + "/" + WordList.namesFileName) {
                names = names.union(try WordList.load(path: initial.directory + "/" + WordList.namesFileName))
            }
        }
        try words.save(to: out + "/" + WordList.fileName)
        try names.save(to: out + "/" + WordList.namesFileName)
        StandardStreams.message("\(words.count) words in \(out)/\(WordList.fileName), \(names.count) of them names (\(WordList.namesFileName))")
    }

    /// The training and validation sources of --corpus, --documents and --val. Each caption corpus
    /// is checked first, so a malformed one stops the run before any work.
    private func readSources() throws -> (training: [TrainingSource], validation: [TrainingSource]) {
        var training: [TrainingSource] = [], validation: [TrainingSource] = []
        for (values, kind) in [(corpus, TrainingSource.Kind.captions), (documents, .documents)] {
            for source in values {
                if kind == .captions {
                    let report = try CorpusCheck.run(path: source.path, lossy: input.lossy)
                    if let first = report.errors.first {
                        throw ResourceError(description: first + (report.errors.count > 1 ? " (and \(report.errors.count - 1) more problems; see copygen corpus check)" : ""))
                    }
                }
                let records = try CorpusReader.readAll(path: source.path, format: kind == .documents ? Self.documentFormat(source.path) : nil, lossy: input.lossy)
                let held = val == nil ? records.filter(\.isValidation) : []
                let kept = val == nil ? records.filter { !$0.isValidation } : records
                training.append(TrainingSource(name: source.path, kind: kind, weight: source.weight, records: kept))
                if !held.isEmpty { validation.append(TrainingSource(name: source.path, kind: kind, records: held)) }
            }
        }
        if let val {
            let kind: TrainingSource.Kind = corpus.isEmpty ? .documents : .captions
            let records = try CorpusReader.readAll(path: val, format: kind == .documents ? Self.documentFormat(val) : nil, lossy: input.lossy)
            validation = [TrainingSource(name: val, kind: kind, records: records)]
        }
        return (training, validation)
    }

    /// Documents are JSON Lines when the file says so and plain text otherwise: a pre-training
    /// text that starts with '{' or has commas is still one document a line.
    static func documentFormat(_ path: String) -> CorpusFormat {
        path.hasSuffix(".jsonl") || path.hasSuffix(".json") ? .jsonl : .text
    }
}

/// `FILE` or `FILE@WEIGHT`, as --corpus and --documents take them. A path that itself contains
/// '@' works when the part after the last '@' is not a number.
struct WeightedPath {
    var path: String
    var weight: Double
    /// As written on the command line, for messages.
    var argument: String

    init(path: String, weight: Double = 1) {
        self.path = path
        self.weight = weight
        argument = path
    }

    init(_ value: String) throws {
        argument = value
        if let at = value.lastIndex(of: "@"), let weight = Double(value[value.index(after: at)...]) {
            guard weight > 0 && weight.isFinite && weight <= 1000 else {
                throw ValidationError("\(value): the weight after '@' must be a number in (0, 1000]")
            }
            path = String(value[..<at])
            self.weight = weight
        } else {
            path = value
            weight = 1
        }
        if path.isEmpty { throw ValidationError("\(value): no file name before '@'") }
    }
}
