import Corpus
import Foundation
import SafetyFilter
import Support
import Testing
import Tokenizer
import Transformer
@testable import Captions

/// The repository's files and a tiny random model written once to a temporary directory: random
/// weights write gibberish, so the tests check properties (counts, limits, determinism, bans),
/// never wording.
enum Fixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let tokenizerPath = repositoryRoot + "/Tokenizers/captions-4k.json"
    static let corpusPath = repositoryRoot + "/Corpora/captions.jsonl"

    static let tokenizer: Tokenizer = try! Tokenizer.load(from: tokenizerPath)
    static let prompts: PromptLibrary = try! PromptLibrary.load(directory: shippedPrompts)

    /// A `tiny` model (context 64) with GPT-2's random start, the shipped tokenizer beside it, and
    /// no training_ngrams.bin.
    static let modelDirectory: String = {
        let directory = NSTemporaryDirectory() + "copygen-captions-model-\(getpid())"
        let config = GPTConfig.preset("tiny", vocabularySize: tokenizer.vocabularySize)!
        let weights = ParameterBuffer(layout: ParameterLayout(config: config))
        var random = SeededRandom(seed: 11)
        weights.initializeGPT2(random: &random)
        try! ModelCheckpoint.save(parameters: weights, config: config, to: directory,
                                  endOfTextToken: Int(tokenizer.id(ofSpecial: SpecialToken.endOfText)!))
        try! FileManager.default.copyItem(atPath: tokenizerPath, toPath: directory + "/" + CaptionModel.tokenizerFileName)
        return directory
    }()

    static let model: CaptionModel = try! CaptionModel.load(directory: modelDirectory)

    /// The one token of the shipped tokenizer that spells `text`; the test fails when it takes more.
    static func token(_ text: String) throws -> TokenID {
        let ids = tokenizer.encode(text)
        try #require(ids.count == 1, "\(text.debugDescription) is one token")
        return ids[0]
    }

    static func generator(model: CaptionModel = model, extraLexicon: [LexiconEntry] = [], allowedWords: WordList? = nil,
                          anyName: Bool = false) throws -> CaptionGenerator {
        try CaptionGenerator(model: model, prompts: prompts, extraLexicon: extraLexicon, allowedWords: allowedWords, anyName: anyName,
                             batchCapacity: 8, threads: 1)
    }

    /// Every word of the shipped corpus (what `generate` counts for a model without words.txt).
    static let corpusWords: WordList = {
        var counter = WordCounter()
        for record in try! CorpusReader.readAll(path: corpusPath) { counter.add(record.text) }
        return counter.wordList()
    }()
}
