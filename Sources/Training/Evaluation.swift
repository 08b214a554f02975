import Corpus
import Foundation
import Tokenizer
import Transformer

/// How well a model predicts a corpus: the loss `copygen eval` reports.
public struct EvaluationResult: Codable, Equatable, Sendable {
    /// Mean cross-entropy per predicted token, in nats (headers are not predicted; see `ConditioningFormat`).
    public var loss: Double
    public var perplexity: Double
    /// Total bits over the UTF-8 bytes of the predicted tokens: comparable across tokenizers.
    public var bitsPerByte: Double
    /// Tokens predicted (post tokens and end-of-text marks).
    public var tokens: Int
    public var captions: Int

    enum CodingKeys: String, CodingKey {
        case loss, perplexity, bitsPerByte = "bits_per_byte", tokens, captions
    }
}

public enum Evaluation {
    /// Evaluates `parameters` on `records`, packed exactly as training packs them: as captions
    /// (header, post, end), or as documents (one stream of full rows).
    public static func run(parameters: ParameterBuffer, tokenizer: Tokenizer, records: [CaptionRecord],
                           kind: TrainingSource.Kind = .captions, batchSize: Int = 16, threads: Int = 2) throws -> EvaluationResult {
        let config = parameters.layout.config
        guard config.vocabularySize == tokenizer.vocabularySize else {
            throw TrainingError.mismatch("the model's vocabulary (\(config.vocabularySize)) differs from the tokenizer's (\(tokenizer.vocabularySize))")
        }
        let controls = try ConditioningFormat.ControlTokens(tokenizer: tokenizer)
        let examples = TrainingSource(name: "", kind: kind, records: records).examples(tokenizer: tokenizer, controls: controls)
        let T = config.contextLength
        let rows = RowPacker(length: T, paddingToken: controls.endOfText).pack(examples, order: Array(examples.indices))
        let model = GPT(parameters: parameters, maxBatch: batchSize, threads: threads)
        var inputs = [Int32](repeating: 0, count: batchSize * T), targets = inputs
        var nats = 0.0, tokens = 0, bytes = 0
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(start + batchSize, rows.count)]
            for (b, row) in batch.enumerated() {
                for t in 0..<T {
                    inputs[b * T + t] = row.inputs[t]
                    targets[b * T + t] = row.targets[t]
                    if row.targets[t] >= 0 { bytes += tokenizer.bytes(of: row.targets[t]).count }
                }
            }
            let loss = model.forward(tokens: inputs, targets: targets, batch: batch.count, length: T, training: false)
            nats += Double(loss) * Double(model.countedTargets)
            tokens += model.countedTargets
            start += batchSize
        }
        guard tokens > 0 else { throw TrainingError.noTrainingData("the corpus has nothing to evaluate") }
        let loss = nats / Double(tokens)
        return EvaluationResult(loss: loss, perplexity: exp(loss), bitsPerByte: nats / log(2) / Double(max(1, bytes)),
                                tokens: tokens, captions: records.count)
    }
}
