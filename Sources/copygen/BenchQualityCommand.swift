import ArgumentParser
import Captions
import Corpus
import Foundation
import Generation
import Measurement
import Support

/// `copygen bench quality`: the quality figures of a trained model (`QualityEvaluation`) on topics the corpus
/// does not contain; prints one JSON object.
struct BenchQualityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality",
        abstract: "Measure a model's posts on held-out topics: topic mention, distinct-2, limits, filter rejections.",
        discussion: """
            Writes -n posts for each topic of --topics (default Benchmarks/quality-topics.txt: 50 topics \
            that are not in the corpus), the platforms and tones taken in turn, and prints one JSON \
            object: topic_mention_share (posts whose own words mention the topic), distinct_2_mean \
            (distinct word bigrams over all, across a topic's posts), within_limit_share (must be 1), \
            topics_with_filter_rejection_share and candidate counts, plus the model's validation loss \
            when its config.json records one. decoding_seconds and word_guard_seconds are CPU \
            time of the main thread (with --threads 1, all decoding work), so \
            word_guard_share_of_decoding is the word list's cost. With --dictionary (repeatable; e.g. \
            /usr/share/dict/american-english-large from Debian's wamerican-large), also \
            invented_word_share (invented words over the lower-case words and hashtag parts of the \
            posts' drafts; a word is invented when neither it nor a simple inflection is in a \
            dictionary) and posts_without_invented_share. Posts keep to the model's words.txt (counted \
            from the default corpus when missing) unless --any-word. \
            Example: copygen bench quality --model Models/default
            """,
        shouldDisplay: false
    )

    @Option(help: "Model directory (default: Models/default).") var model: String?
    @Option(help: "Topics file, one a line, '#' comments (default: Benchmarks/quality-topics.txt).") var topics: String?
    @Option(help: "Prompts directory (default: Prompts).") var prompts: String?
    @Option(help: "Platforms taken in turn, comma-separated (default: all in Prompts).") var platforms: String?
    @Option(help: "Tones taken in turn, comma-separated (default: all in Prompts).") var tones: String?
    @Option(name: .customShort("n"), help: "Posts per topic.") var count: Int = 3
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Logit bonus for the tokens that start the topic's words, so the posts mention it (0 = off).")
    var topicBoost: Float = CaptionGenerator.defaultTopicBoost
    @Option(help: "Sampling temperature for every post (default: each tone's own, from Prompts/tones.yaml).")
    var temperature: Float?
    @Option(help: "A dictionary, one word a line, to count invented words against (repeatable).") var dictionary: [String] = []
    @Flag(help: "Allow any word, invented ones included (turns off the word list).") var anyWord = false
    @Flag(help: "Allow numbers the topic does not give, in digits or words (turns off the number guards).") var anyNumber = false
    @Flag(help: "Allow names the topic does not give (names.txt, and other words capitalized inside a sentence).") var anyName = false
    @Option(help: ArgumentHelp("Also write every post, one JSON object a line (generate --format jsonl's fields), to read them.", valueName: "FILE"))
    var posts: String?
    @OptionGroup var threading: ThreadsOption

    func validate() throws {
        if !(1...CaptionGenerator.maximumCount).contains(count) { throw ValidationError("-n must be between 1 and \(CaptionGenerator.maximumCount) (got \(count))") }
        if let problem = temperature.flatMap(SamplingSettings.temperatureProblem) { throw ValidationError("--" + problem) }
    }

    func run() throws {
        let library = try PromptLibrary.load(directory: try GenerateCommand.locate(prompts, default: "Prompts", what: "Prompts directory"))
        let platformNames = try platforms.map { try Self.names($0, check: library.platform) } ?? library.platforms.keys.sorted()
        let toneNames = try tones.map { try Self.names($0, check: library.tone) } ?? library.tones.keys.sorted()
        let topicList = try QualityEvaluation.loadTopics(path: try GenerateCommand.locate(topics, default: "Benchmarks/quality-topics.txt", what: "topics file"))
        if topicList.isEmpty { throw ValidationError("the topics file has no topics") }
        let modelDirectory = try GenerateCommand.locate(model, default: "Models/default", what: "model directory")
        var captionModel = try CaptionModel.load(directory: modelDirectory)
        var indexNote = "training_ngrams.bin"
        if captionModel.regurgitationIndex == nil {
            if let corpus = ResourceLocator.find("Corpora/captions.jsonl") {
                StandardStreams.message("copygen: warning: \(modelDirectory) has no \(RegurgitationIndex.fileName); building it from \(corpus)")
                captionModel.attach(RegurgitationIndex.build(records: try CorpusReader.readAll(path: corpus), tokenizer: captionModel.tokenizer))
                indexNote = "built from " + corpus
            } else {
                indexNote = "none"
            }
        }
        var wordsNote = anyWord ? "off" : WordList.fileName
        if !anyWord && captionModel.wordList == nil {
            if let corpus = ResourceLocator.find("Corpora/captions.jsonl") {
                StandardStreams.message("copygen: warning: \(modelDirectory) has no \(WordList.fileName); counting it from \(corpus)")
                let counted = GenerateCommand.countWords(try CorpusReader.readAll(path: corpus), normalization: captionModel.tokenizer.normalization)
                captionModel.attach(counted.list, names: counted.names)
                wordsNote = "counted from " + corpus
            } else {
                wordsNote = "none"
            }
        }
        let dictionaryWords = try dictionary.reduce(nil as WordList?) { list, path in
            let loaded = try WordList.loadDictionary(path: path)
            return list.map { $0.union(loaded) } ?? loaded
        }
        let generator = try CaptionGenerator(model: captionModel, prompts: library, allowedWords: anyWord ? nil : captionModel.postWords(allowingNames: anyName),
                                             anyNumber: anyNumber, anyName: anyName, batchCapacity: min(16, 2 * count), threads: threading.threads)
        generator.measuresTime = true
        let progress = ProgressReporter(title: "quality", total: topicList.count)
        var postLines: [String] = []
        let report = try QualityEvaluation.run(generator: generator, topics: topicList, platforms: platformNames, tones: toneNames,
                                               count: count, seed: seed, topicBoost: topicBoost, temperature: temperature, dictionary: dictionaryWords,
                                               progress: { progress.update($0) }, onPost: { topic, platform, tone, post in
                                                   postLines.append(GenerateCommand.jsonLine(post, topic: topic, platform: platform, tone: tone, seed: seed))
                                               })
        progress.finish(topicList.count)
        if let posts { try AtomicFile.write(postLines.map { $0 + "\n" }.joined(), to: posts) }
        var json = report.dictionary
        json["model"] = modelDirectory
        json["posts_per_topic"] = count
        json["seed"] = seed
        json["topic_boost"] = topicBoost
        json["temperature"] = temperature.map { Double($0) as Any } ?? "each tone's"
        json["regurgitation_index"] = indexNote
        json["word_list"] = wordsNote
        json["number_guard"] = anyNumber ? "off" : "topic numbers only, in digits and words"
        json["name_guard"] = anyName ? "off" : anyWord || captionModel.names == nil ? "no capitalized word the topic does not give"
            : "no capitalized word or names.txt name the topic does not give"
        if !dictionary.isEmpty { json["dictionaries"] = dictionary }
        json["platforms"] = platformNames
        json["tones"] = toneNames
        if let loss = Self.validationLoss(modelDirectory: modelDirectory) { json["validation_loss"] = loss }
        let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        StandardStreams.writeLine(String(decoding: data, as: UTF8.self))
    }

    static func names(_ list: String, check: (String) throws -> Any) throws -> [String] {
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        for name in names { _ = try check(name) }
        if names.isEmpty { throw ValidationError("an empty list of names") }
        return names
    }

    /// config.json's "copygen" section may record the training's validation loss.
    static func validationLoss(modelDirectory: String) -> Double? {
        guard let bytes = try? FileContents.read(modelDirectory + "/config.json"), case let data = Data(bytes),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let section = object["copygen"] as? [String: Any] else { return nil }
        for key in ["validation_loss", "val_loss", "validationLoss"] {
            if let value = section[key] as? Double { return value }
            if let text = section[key] as? String, let value = Double(text) { return value }
        }
        return nil
    }
}
