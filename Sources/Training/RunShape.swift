import Corpus
import Tokenizer
import Transformer

/// What a run needs settled before it starts: the shape a resumed run trains, and how many steps
/// a number of epochs is.
extension Trainer {
    /// The shape to resume the run saved in `directory` with: the saved one, with `dropout`.
    /// Shape flags (`shapeFlagsGiven`) that ask for another shape are an error, not a silent change.
    ///
    ///     let config = try Trainer.resumedShape(directory: "Models/ours", requested: config, shapeFlagsGiven: false, dropout: 0.1)
    public static func resumedShape(directory: String, requested: GPTConfig, shapeFlagsGiven: Bool, dropout: Float) throws -> GPTConfig {
        var saved = try savedConfig(directory: directory)
        saved.dropout = requested.dropout
        if saved != requested && shapeFlagsGiven {
            throw TrainingError.mismatch("\(directory): the saved model's shape differs from the flags given; resume without shape flags")
        }
        saved.dropout = dropout
        return saved
    }

    /// Optimizer steps for `epochs` passes over `training` (rounded up, at least 1). Captions are
    /// packed whole, so the row count depends on the tokenizer and the context: the first epoch
    /// is packed as the run will pack it, and its rows counted.
    public static func steps(forEpochs epochs: Double, config: GPTConfig, tokenizer: Tokenizer, training: [TrainingSource],
                             options: TrainingOptions) throws -> Int {
        if let problem = (config.problems + options.problems).first { throw TrainingError.mismatch(problem) }
        let controls = try ConditioningFormat.ControlTokens(tokenizer: tokenizer)
        let (examples, weights) = try Self.examples(of: training, tokenizer: tokenizer, controls: controls)
        let loader = BatchLoader(examples: examples, packer: RowPacker(length: config.contextLength, paddingToken: controls.endOfText),
                                 batchSize: options.batchSize, seed: options.seed,
                                 weights: weights)
        return max(1, Int((epochs * Double(loader.rowsPerEpoch) / Double(options.batchSize * options.accumulation)).rounded(.up)))
    }
}
