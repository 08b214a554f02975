import ArgumentParser
import Corpus
import Foundation
import Tokenizer
import Training
import Transformer

/// `copygen eval`: a model's loss on a corpus, as one JSON object.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure a model's loss on a corpus (JSON: loss, perplexity, bits_per_byte, tokens).",
        discussion: """
            --corpus is read as captions (each post after its header, as training packs them); --documents \
            as pre-training text, one stream of full rows. bits_per_byte counts the UTF-8 bytes of the \
            predicted tokens, so models with different tokenizers compare. Examples:
              copygen eval --model Models/default --corpus Corpora/captions.jsonl --split validation
              copygen eval --model Models/base --documents listings.txt --split validation
            """
    )

    enum Split: String, ExpressibleByArgument, CaseIterable { case all, train, validation }

    @Option(help: "The model directory (model.safetensors, config.json, tokenizer.json).")
    var model: String

    @Option(help: "A caption corpus to evaluate on (standard input when '-').")
    var corpus: String?

    @Option(help: "Pre-training text to evaluate on instead, a document a line (text or JSON Lines).")
    var documents: String?

    @Option(help: "Which captions: all, train or validation (the hash split training uses).")
    var split: Split = .all

    @Option(help: "Rows per forward pass.") var batch: Int = 16
    @OptionGroup var threading: ThreadsOption
    @OptionGroup var input: LossyOption

    func validate() throws {
        if (corpus == nil) == (documents == nil) { throw ValidationError("give one of --corpus and --documents") }
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
    }

    func run() throws {
        let (_, parameters) = try ModelCheckpoint.load(directory: model)
        let tokenizer = try Tokenizer.load(from: model + "/tokenizer.json")
        let kind: TrainingSource.Kind = documents == nil ? .captions : .documents
        var records = try CorpusReader.readAll(path: corpus ?? documents!, format: documents.map(TrainCommand.documentFormat), lossy: input.lossy)
        switch split {
        case .all: break
        case .train: records = records.filter { !$0.isValidation }
        case .validation: records = records.filter(\.isValidation)
        }
        let result = try Evaluation.run(parameters: parameters, tokenizer: tokenizer, records: records, kind: kind, batchSize: batch, threads: threading.threads)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        StandardStreams.writeLine(String(decoding: try encoder.encode(result), as: UTF8.self))
    }
}
