import Corpus
import Foundation
import Support
import Testing
import Tokenizer
import Transformer

/// The word list from the command line: `generate --words / --any-word / --write-index`,
/// `complete --words-only` and `words build`, run as a user would.
@Suite struct WordListCommandTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let texts = ["fresh coffee every morning", "coffee and cake", "morning light on the bay"]
    static let listedWords = ["and", "bay", "cake", "coffee", "every", "fresh", "light", "morning", "on", "the"]

    /// A directory of its own under the temporary directory.
    static func scratch(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("copygen-words-\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A tiny random model over a tokenizer trained on `texts`, with words.txt listing their words.
    static let completionModel: String = {
        let directory = try! scratch("complete")
        let tokenizer = try! TokenizerTrainer(minimumPairCount: 1).train(texts: texts, vocabularySize: 280)
        let config = GPTConfig(vocabularySize: tokenizer.vocabularySize, contextLength: 48, layers: 1, heads: 2, embeddingSize: 16)
        let weights = ParameterBuffer(layout: ParameterLayout(config: config))
        var random = SeededRandom(seed: 3)
        weights.initializeGPT2(random: &random)
        try! ModelCheckpoint.save(parameters: weights, config: config, to: directory, endOfTextToken: Int(tokenizer.id(ofSpecial: SpecialToken.endOfText)!))
        try! tokenizer.save(to: directory + "/tokenizer.json")
        try! (listedWords.joined(separator: "\n") + "\n").write(toFile: directory + "/words.txt", atomically: true, encoding: .utf8)
        return directory
    }()

    /// The words of `text` (the word rules the guard follows) that are not listed; a possessive
    /// 's of a listed word passes. With `finishedOnly`, a word at the very end (perhaps cut off
    /// by the token limit) is left out.
    static func unlisted(_ text: String, finishedOnly: Bool = false) -> [String] {
        var words = WordScanner.words(in: text).filter { !$0.isUnit }.map(\.text)
        if finishedOnly, let last = text.unicodeScalars.last, WordScanner.classify(last).isLetter, !words.isEmpty { words.removeLast() }
        // The guard also lets web addresses start (http, https, www).
        let allowed = listedWords + ["http", "https", "www"]
        return words.filter { word in !allowed.contains(word) && !(word.hasSuffix("'s") && allowed.contains(String(word.dropLast(2)))) }
    }

    @Test func completeWordsOnlyWritesListedWordsOnly() throws {
        let common = ["complete", "--model", Self.completionModel, "--prompt", "fresh", "--max-tokens", "30", "-n", "4"]
        let free = try CopygenProcess.run(common + ["--seed", "1"])
        #expect(free.status == 0, "\(free.stderr)")
        // The random model writes unlisted words unguarded: the test can fail.
        #expect(!Self.unlisted(free.stdout).isEmpty, "\(free.stdout)")
        for extra in [["--seed", "1"], ["--seed", "2", "--top-k", "0"], ["--temperature", "0"]] {
            let run = try CopygenProcess.run(common + extra + ["--words-only"])
            #expect(run.status == 0, "\(run.stderr)")
            let completions = run.stdout.components(separatedBy: "\n---\n")
            #expect(completions.count == 4)
            for completion in completions {
                #expect(Self.unlisted(completion, finishedOnly: true).isEmpty, "\(extra): \(completion.debugDescription)")
            }
        }
    }

    @Test func completeWordsOnlyNeedsTheModelsWordList() throws {
        let directory = try Self.scratch("nowords")
        for name in ["config.json", "model.safetensors", "tokenizer.json"] {
            try FileManager.default.copyItem(atPath: Self.completionModel + "/" + name, toPath: directory + "/" + name)
        }
        let run = try CopygenProcess.run(["complete", "--model", directory, "--prompt", "fresh", "--words-only"])
        #expect(run.status == 2 && run.stdout.isEmpty)
        #expect(run.stderr == "copygen: error: \(directory)/words.txt: missing; --words-only needs the model's word list (build it with: copygen words build --corpus TRAINING_TEXT --out \(directory)/words.txt)\n")
        // Without the flag the list is not needed.
        #expect(try CopygenProcess.run(["complete", "--model", directory, "--prompt", "fresh", "--max-tokens", "3"]).status == 0)
    }

    @Test func wordsBuildCountsCorporaAndKeepsFrequentWords() throws {
        let directory = try Self.scratch("build")
        let corpus = directory + "/captions.txt"
        try "Fresh coffee every morning at 7am\nCoffee and cake #CoffeeAndCake\n".write(toFile: corpus, atomically: true, encoding: .utf8)
        let other = directory + "/more.jsonl"
        try "{\"text\": \"More coffee, visit www.example.com or @cafe\"}\n".write(toFile: other, atomically: true, encoding: .utf8)

        let all = try CopygenProcess.run(["words", "build", "--corpus", corpus, "--corpus", other, "--out", directory + "/words.txt"])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(try String(contentsOfFile: directory + "/words.txt", encoding: .utf8) == "and\nat\ncake\ncoffee\nevery\nfresh\nmore\nmorning\nor\nvisit\n")
        #expect(all.stderr.contains("10 words seen at least 1 time"))

        let frequent = try CopygenProcess.run(["words", "build", "--corpus", corpus, "--corpus", other, "--min-count", "2", "--out", directory + "/frequent.txt"])
        #expect(frequent.status == 0)
        #expect(try String(contentsOfFile: directory + "/frequent.txt", encoding: .utf8) == "and\ncake\ncoffee\n")

        for arguments in [["words", "build", "--out", directory + "/x.txt"], ["words", "build", "--corpus", corpus, "--min-count", "0", "--out", directory + "/x.txt"],
                          ["words", "build", "--corpus", directory + "/missing.jsonl", "--out", directory + "/x.txt"]] {
            let run = try CopygenProcess.run(arguments)
            #expect(run.status == 2 && run.stderr.hasPrefix("copygen: error: ") && run.stderr.split(separator: "\n").count == 1, "\(arguments): \(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/x.txt"))
    }

    @Test func generateWordsFileWithABadLineIsOneLineExitTwo() throws {
        let directory = try Self.scratch("user")
        let path = directory + "/brand.txt"
        try "Jewoodle\nPlotimalist\nJewoodle Bakery\n".write(toFile: path, atomically: true, encoding: .utf8)
        let run = try GenerateCommandTests.generate(["--topic", "desk lamp", "--words", path])
        #expect(run.status == 2 && run.stdout.isEmpty)
        #expect(run.stderr == "copygen: error: \(path):3: \"Jewoodle Bakery\" is not one word; give each word on its own line\n")

        try "Jewoodle\nPlotimalist\n".write(toFile: path, atomically: true, encoding: .utf8)
        let good = try GenerateCommandTests.generate(["--topic", "desk lamp", "--words", path, "-n", "1", "--seed", "1"])
        #expect(good.status == 0, "\(good.stderr)")
        // Without words.txt the list is counted from the corpus, with a warning; --any-word skips it.
        #expect(good.stderr.contains("warning:") && good.stderr.contains("words.txt is missing; counting the allowed words from"))
        let any = try GenerateCommandTests.generate(["--topic", "desk lamp", "--any-word", "-n", "1", "--seed", "1"])
        #expect(any.status == 0 && !any.stderr.contains("words.txt"))
    }

    @Test func writeIndexAlsoWritesTheWordListWhichGenerateThenUses() throws {
        let model = try Self.scratch("index") + "/model"
        try FileManager.default.copyItem(atPath: GenerateCommandTests.modelDirectory, toPath: model)
        let corpus = Self.repositoryRoot + "/Corpora/captions.jsonl"
        let write = try GenerateCommandTests.generate(["--write-index", "--corpus", corpus], model: model)
        #expect(write.status == 0, "\(write.stderr)")
        #expect(write.stderr.contains("\(model)/words.txt: "))
        let words = try String(contentsOfFile: model + "/words.txt", encoding: .utf8).split(separator: "\n")
        #expect(words.count > 10_000 && words.contains("coffee") && words == words.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(FileManager.default.fileExists(atPath: model + "/training_ngrams.bin"))

        let run = try GenerateCommandTests.generate(["--topic", "desk lamp", "-n", "2", "--seed", "4"], model: model)
        #expect(run.status == 0 && !run.stderr.contains("words.txt"), "\(run.stderr)")

        // A damaged words.txt is named with its line.
        try "brew\nCoffee\n".write(toFile: model + "/words.txt", atomically: true, encoding: .utf8)
        let broken = try GenerateCommandTests.generate(["--topic", "desk lamp"], model: model)
        #expect(broken.status == 2 && broken.stderr == "copygen: error: \(model)/words.txt:2: \"Coffee\" is not lower-case\n")
    }
}
