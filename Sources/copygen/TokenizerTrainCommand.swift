import ArgumentParser
import Corpus
import Support
import Tokenizer

/// `copygen tokenizer train`: learn a BPE vocabulary from caption corpora and write tokenizer.json.
struct TokenizerTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a byte-level BPE tokenizer on corpus files and write it as tokenizer.json.",
        discussion: """
            Corpus files are JSON Lines (field "text"), CSV with a header row naming a "text" column, \
            or plain text (a caption a line); with no --corpus, standard input is read. The special \
            tokens <|endoftext|>, <|topic|>, <|platform|>, <|tone|>, <|post|> get ids 256-260. \
            FILE@N counts a file's texts N times, so a small caption corpus is not drowned by a large \
            pre-training text. --split train leaves out the texts `copygen train` holds back for \
            validation, so validation figures are not flattered by a vocabulary fitted to them. \
            Nothing is written unless training finishes. Examples:
              copygen tokenizer train --corpus Corpora/captions.jsonl --vocab-size 4096 --out Tokenizers/captions.json
              copygen tokenizer train --corpus listings.txt Corpora/captions.jsonl@5 --split train --vocab-size 8192 --out ours.json
            """
    )

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Corpus files (standard input when omitted or '-'); FILE@N counts one N times.", valueName: "FILE[@N]"), transform: WeightedPath.init)
    var corpus: [WeightedPath] = []

    enum Split: String, ExpressibleByArgument, CaseIterable { case all, train }

    @Option(help: "Which texts: all, or train (without the validation split `copygen train` holds back).")
    var split: Split = .all

    @Option(help: "Ids in the vocabulary: 256 bytes + 5 special tokens + merges (at least 261).")
    var vocabSize: Int

    @Option(help: "Unicode normalization before splitting: nfkc, nfc or none.")
    var normalization: Normalization = .nfkc

    @Option(help: "The corpus format (jsonl, csv, text); guessed from each file when omitted.")
    var format: CorpusFormat?

    @Option(help: "Where to write tokenizer.json.")
    var out: String

    @OptionGroup var input: LossyOption

    func validate() throws {
        for source in corpus where source.weight != source.weight.rounded() {
            throw ValidationError("\(source.argument): a tokenizer corpus's weight is a whole count")
        }
        do {
            try TokenizerTrainer.check(vocabularySize: vocabSize)
        } catch {
            throw ValidationError(String(describing: error))
        }
    }

    func run() throws {
        let reading = ProgressReporter(title: "reading corpus", total: nil)
        var merging: ProgressReporter?
        let trainer = TokenizerTrainer(progress: { state in
            switch state {
            case .counting(let texts):
                reading.update(texts, detail: "texts")
            case .merging(let done, let total):
                if merging == nil { merging = ProgressReporter(title: "learning merges", total: total) }
                merging?.update(done)
            }
        })
        var words = trainer.makeWordCounts(normalization: normalization)
        for source in corpus.isEmpty ? [WeightedPath(path: "-")] : corpus {
            let reader = try CorpusReader(path: source.path, format: format, lossy: input.lossy)
            while let record = try reader.next() {
                if split == .train && record.isValidation { continue }
                for _ in 0..<Int(source.weight) { words.add(record.text) }
            }
        }
        reading.finish(words.textCount, detail: "texts")
        let tokenizer = try trainer.train(words: words, vocabularySize: vocabSize)
        merging?.finish(tokenizer.mergeCount)
        try tokenizer.save(to: out)
        var summary = "wrote \(out): \(tokenizer.vocabularySize) ids (\(tokenizer.mergeCount) merges) from \(words.textCount) texts"
        if tokenizer.vocabularySize < vocabSize {
            summary += "; the corpus has no more pairs seen twice, so the vocabulary is smaller than \(vocabSize)"
        }
        StandardStreams.message(summary)
    }
}
