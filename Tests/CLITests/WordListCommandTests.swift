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

        // names.txt beside it: none in so little text; a word capitalized inside sentences 3 times or more is one.
        #expect(try String(contentsOfFile: directory + "/names.txt", encoding: .utf8) == "")
        let named = directory + "/named"
        try FileManager.default.createDirectory(atPath: named, withIntermediateDirectories: true)
        try String(repeating: "Fresh coffee at Ridgeback today\n", count: 5).write(toFile: named + "/c.txt", atomically: true, encoding: .utf8)
        let withNames = try CopygenProcess.run(["words", "build", "--corpus", named + "/c.txt", "--out", named + "/words.txt"])
        #expect(withNames.status == 0 && withNames.stderr.contains("\(named)/names.txt: 1 names"), "\(withNames.stderr)")
        #expect(try String(contentsOfFile: named + "/names.txt", encoding: .utf8) == "ridgeback\n")

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

    /// Posts leave out the names of names.txt unless the topic or --words give them; --any-name
    /// keeps them all.
    @Test func postsNameOnlyWhatTheTopicOrTheUserGives() throws {
        let directory = try Self.scratch("names")
        let model = directory + "/model"
        try FileManager.default.copyItem(atPath: GenerateCommandTests.modelDirectory, toPath: model)
        let write = try GenerateCommandTests.generate(["--write-index", "--corpus", Self.repositoryRoot + "/Corpora/captions.jsonl"], model: model)
        #expect(write.status == 0, "\(write.stderr)")
        #expect(write.stderr.contains("\(model)/names.txt: "))
        // The shipped captions' made-up brands are names.
        let shippedNames = try String(contentsOfFile: model + "/names.txt", encoding: .utf8).split(separator: "\n")
        #expect(shippedNames.contains("ridgeback") && !shippedNames.contains("coffee"))

        // Make names of the words this random model writes most (not ones a template adds).
        let prompts = try FileManager.default.subpathsOfDirectory(atPath: Self.repositoryRoot + "/Prompts")
            .compactMap { try? String(contentsOfFile: Self.repositoryRoot + "/Prompts/" + $0, encoding: .utf8) }.joined(separator: " ")
        let templateWords = Set(WordScanner.words(in: prompts).map(\.text))
        func words(_ run: CopygenRun) -> [String] { WordScanner.words(in: run.stdout).filter { !$0.isUnit }.map(\.text) }
        let common = ["--topic", "desk lamp", "-n", "6", "--seed", "2"]
        let before = try GenerateCommandTests.generate(common, model: model)
        #expect(before.status == 0, "\(before.stderr)")
        var counts: [String: Int] = [:]
        for word in words(before) where word.count >= 4 && !templateWords.contains(word) && word != "desk" && word != "lamp" { counts[word, default: 0] += 1 }
        let made = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5).map(\.key)
        #expect(made.count == 5)
        // Added to the names it had, so that a run given them back has every choice the first run had.
        try ((shippedNames.map(String.init) + made).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.joined(separator: "\n") + "\n")
            .write(toFile: model + "/names.txt", atomically: true, encoding: .utf8)

        let guarded = try GenerateCommandTests.generate(common, model: model)
        #expect(guarded.status == 0, "\(guarded.stderr)")
        #expect(Set(words(guarded)).isDisjoint(with: made), "\(made): \(guarded.stdout)")
        let free = try GenerateCommandTests.generate(common + ["--any-name"], model: model)
        #expect(free.status == 0 && !Set(words(free)).isDisjoint(with: made), "\(free.stdout)")
        // Given as the user's own words, or in the topic, they come back.
        try (made.joined(separator: "\n") + "\n").write(toFile: directory + "/ours.txt", atomically: true, encoding: .utf8)
        let given = try GenerateCommandTests.generate(common + ["--words", directory + "/ours.txt"], model: model)
        #expect(!Set(words(given)).isDisjoint(with: made), "\(given.stdout)")
        let inTopic = try GenerateCommandTests.generate(["--topic", "desk lamp " + made.joined(separator: " "), "-n", "6", "--seed", "2"], model: model)
        #expect(!Set(words(inTopic)).isDisjoint(with: made), "\(inTopic.stdout)")
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
