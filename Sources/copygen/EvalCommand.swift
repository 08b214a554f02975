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
        discussion: "Example: copygen eval --model Models/default --corpus Corpora/captions.jsonl --split validation"
    )

    enum Split: String, ExpressibleByArgument, CaseIterable { case all, train, validation }

    @Option(help: "The model directory (model.safetensors, config.json, tokenizer.json).")
    var model: String

    @Option(help: "The corpus to evaluate on (standard input when '-').")
    var corpus: String

    @Option(help: "Which captions: all, train or validation (the hash split training uses).")
    var split: Split = .all

    @Option(help: "Rows per forward pass.") var batch: Int = 16
    @Option(help: "Threads for the kernels.") var threads: Int = 2
    @Flag(help: "Replace invalid UTF-8 with U+FFFD instead of stopping.") var lossy = false

    func validate() throws {
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let (_, parameters) = try ModelCheckpoint.load(directory: model)
        let tokenizer = try Tokenizer.load(from: model + "/tokenizer.json")
        var records = try CorpusReader.readAll(path: corpus, lossy: lossy)
        switch split {
        case .all: break
        case .train: records = records.filter { !$0.isValidation }
        case .validation: records = records.filter(\.isValidation)
        }
        let result = try Evaluation.run(parameters: parameters, tokenizer: tokenizer, records: records, batchSize: batch, threads: threads)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        StandardStreams.writeLine(String(decoding: try encoder.encode(result), as: UTF8.self))
    }
}
