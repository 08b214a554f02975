import ArgumentParser
import Captions
import Corpus
import Foundation
import Generation
import SafetyFilter
import Support
import Tokenizer

/// `copygen generate`: finished posts for a topic (or each stdin line), fitted to a platform.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write finished social-media posts about a topic for a platform, in a tone.",
        discussion: """
            Without --topic, each non-empty line of standard input is a topic. Every post is within \
            the platform's character limit (counted its way), passes the safety filter and does not \
            repeat 12 or more consecutive tokens of a training caption. Several candidates are \
            decoded together and the best -n are kept (mean log-probability plus fitness: length, \
            hashtags, topic mention). The same --seed gives the same posts.

            Text output prints each post followed by a line '---' (with topics from standard \
            input, a line '=== TOPIC ===' before each topic's posts). --format jsonl prints one object per post: \
            topic, platform, tone, text, characters, score, seed, and findings (bias fixed) if any.

            The model (default Models/default/), Prompts/ and the corpus are looked for in \
            $COPYGEN_HOME, the current directory, then beside the executable and the directories \
            above it. A model directory without training_ngrams.bin gets the index built from \
            --corpus (or the default corpus) with a warning; --write-index saves it there.

            Posts use only words of the model's words.txt, the topic's words and --words (numbers, \
            @handles and web addresses are not words; hashtags count as their CamelCase parts). A \
            model directory without words.txt gets the list counted from --corpus (or the default \
            corpus) with a warning; --write-index saves it there too. --any-word turns this off.

            Posts state only the numbers the topic gives, in digits or in words: a price, date, \
            count or discount the model made up would be a false claim, so put the ones you want \
            in the topic ("spring sale, 20% off"; "3-day retreat" allows "three"). Currency signs \
            need a number from the topic too. --any-number turns this off.

            Posts name only the brands, places and people that the topic or --words give: the \
            words of the model's names.txt (those its training text capitalizes inside sentences, \
            such as "Fernhollow" or "Portland", or, in a large text, never writes in lower case) are left out of the word list, and no other word is \
            capitalized inside a sentence (the model's own "Pine Valley Acres"). --any-name allows both. \
            No post writes a word twice in a row, or turns a word the topic boost began into \
            another ("coding camp": "camp", never "campaign").
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, jsonl }

    @Option(help: "Model directory (config.json, model.safetensors, tokenizer.json; training_ngrams.bin). Default: Models/default.")
    var model: String?
    @Option(help: "What the posts are about (default: one topic per line of standard input).") var topic: String?
    @Option(help: "Platform: a file name in Prompts/platforms (instagram, x, linkedin, facebook, tiktok, threads).")
    var platform: String = "instagram"
    @Option(help: "Tone: a name in Prompts/tones.yaml (playful, professional, urgent, inspirational, friendly, luxury).")
    var tone: String = "friendly"
    @Option(name: .customShort("n"), help: "Posts per topic (1-\(CaptionGenerator.maximumCount)).") var count: Int = 3
    @Option(help: "Random seed (default: a fresh one each run; printed in jsonl).") var seed: UInt64?
    @Option(help: "Sampling temperature (default: the tone's); 0 always takes the most likely token.") var temperature: Float?
    @Option(help: "Nucleus sampling threshold in (0, 1] (default 0.95).") var topP: Float?
    @Option(help: "Output: text or jsonl.") var format: Format = .text
    @Option(help: "Template: a YAML file (Prompts/README.md) or the name of one in Prompts/templates (default: the platform's).")
    var template: String?
    @Option(help: "Prompts directory (default: Prompts).") var prompts: String?
    @Option(help: "Extra banned words in the filter's lexicon format (docs/safety-filter.md).") var lexicon: String?
    @Option(help: "Corpus to build the no-copy index from when the model directory has none (default: Corpora/captions.jsonl).")
    var corpus: String?
    @Option(help: "Logit bonus for the tokens that start the topic's words, so the posts mention it (0 = off).")
    var topicBoost: Float = CaptionGenerator.defaultTopicBoost
    @Option(help: "Your own words (brand and product names), one a line: allowed in posts besides the model's words.txt.")
    var words: String?
    @Flag(help: "Allow any word, invented ones included (turns off the word list).") var anyWord = false
    @Flag(help: "Allow numbers the topic does not give, in digits or words (prices, dates, counts the model makes up).") var anyNumber = false
    @Flag(help: "Allow names the topic and --words do not give: the words of the model's names.txt, and other words capitalized inside a sentence.")
    var anyName = false
    @OptionGroup var lossyOption: LossyOption
    @Flag(help: "Build training_ngrams.bin and words.txt from --corpus (or the default corpus), write them into the model directory, and exit.")
    var writeIndex = false
    @OptionGroup var threadsOption: ThreadsOption

    func validate() throws {
        if !(1...CaptionGenerator.maximumCount).contains(count) {
            throw ValidationError("-n must be between 1 and \(CaptionGenerator.maximumCount) (got \(count))")
        }
        if let problem = temperature.flatMap(SamplingSettings.temperatureProblem) ?? topP.flatMap(SamplingSettings.topPProblem) {
            throw ValidationError("--" + problem)
        }
        if let topic, topic.allSatisfy({ $0.isWhitespace || $0.isNewline }) { throw ValidationError("--topic is empty") }
        if !(topicBoost.isFinite && abs(topicBoost) <= 20) { throw ValidationError("--topic-boost must be a number in -20...20 (got \(topicBoost))") }
    }

    func run() throws {
        StandardStreams.exitOnInterrupt()
        if writeIndex { return try writeIndexFile() }
        let library = try PromptLibrary.load(directory: try Self.locate(prompts, default: ResourceLocator.defaultPrompts, what: "Prompts directory"))
        // Names first: a typo should not wait for the model to load.
        let rules = try library.platform(platform)
        let toneDefinition = try library.tone(tone)
        let chosenTemplate = try template.map { try Self.loadTemplate($0, library: library) }

        // The first topic before the model: no topic at all is a usage error, reported alone.
        let topics = try TopicSource(topic: topic, lossy: lossyOption.lossy)
        guard var next = try topics.next() else {
            throw ValidationError("no topic: give --topic or topics on standard input, one a line")
        }

        let userWords = try words.map { try WordList.loadUserWords(path: $0) }
        let captionModel = try CaptionModel.loadForPosts(
            directory: try Self.locate(model, default: ResourceLocator.defaultModel, what: "model directory"),
            corpus: CorpusOnDemand(path: corpus), needsWords: !anyWord, warn: { StandardStreams.message("copygen: " + $0) })
        let allowedWords = anyWord ? nil : captionModel.postWords(allowingNames: anyName).map { $0.union(userWords ?? WordList([String]())) }
        let extraLexicon = try lexicon.map { try SafetyFilter.loadUserLexicon(path: $0) } ?? []
        let generator = try CaptionGenerator(model: captionModel, prompts: library, extraLexicon: extraLexicon, allowedWords: allowedWords,
                                             anyNumber: anyNumber, anyName: anyName, ownWords: userWords, batchCapacity: min(16, 2 * count), threads: threadsOption.threads)
        let seed = seed ?? UInt64.random(in: .min ... .max)

        while true {
            var request = CaptionRequest(topic: next.text, platform: rules.name, tone: toneDefinition.name, count: count, seed: seed)
            request.temperature = temperature
            request.topP = topP
            request.topicBoost = topicBoost
            request.template = chosenTemplate
            let result = try generator.generate(request)
            let place = topics.fromStandardInput ? " on line \(next.line)" : ""
            if result.topicWasTruncated {
                StandardStreams.message("copygen: warning: topic\(place) is longer than the model allows (\(generator.maximumTopicTokens) tokens); using \"\(result.topic)\"")
            }
            if result.posts.count < count {
                let s = result.statistics
                StandardStreams.message("copygen: warning: only \(result.posts.count) of \(count) posts for \"\(result.topic)\" passed after \(s.drawn) candidates (filtered \(s.filtered), copies \(s.copies), empty \(s.empty), duplicates \(s.duplicates))")
            }
            if format == .text && topics.fromStandardInput { StandardStreams.writeLine("=== \(result.topic) ===") }
            for post in result.posts {
                switch format {
                case .text:
                    StandardStreams.write(post.text + "\n---\n")  // one write: a Ctrl-C never splits a post from its rule
                case .jsonl:
                    StandardStreams.writeLine(Self.jsonLine(post, topic: result.topic, platform: rules.name, tone: toneDefinition.name, seed: seed))
                }
            }
            guard let following = try topics.next() else { break }
            next = following
        }
    }

    /// --topic, or each non-empty line of standard input as it arrives (with its line number).
    final class TopicSource {
        let fromStandardInput: Bool
        private var single: String?
        private let reader: LineReader?

        init(topic: String?, lossy: Bool) throws {
            single = topic
            fromStandardInput = topic == nil
            reader = topic == nil ? try LineReader(path: nil, lossy: lossy) : nil
        }

        func next() throws -> (text: String, line: Int)? {
            if let topic = single {
                single = nil
                return (topic, 0)
            }
            guard let reader else { return nil }
            while let line = try reader.nextLine() {
                if !line.allSatisfy(\.isWhitespace) { return (line, reader.lineNumber) }
            }
            return nil
        }
    }

    /// --write-index: builds the index for the model's tokenizer and the word list, and saves them beside the model.
    private func writeIndexFile() throws {
        let directory = try Self.locate(model, default: ResourceLocator.defaultModel, what: "model directory")
        let model = try CaptionModel.load(directory: directory)
        let corpus = CorpusOnDemand(path: self.corpus)
        guard let corpusPath = corpus.path else {
            throw ValidationError("--write-index needs a corpus: give --corpus")
        }
        let records = try corpus.records()
        let index = RegurgitationIndex.build(records: records, tokenizer: model.tokenizer)
        let path = directory + "/" + RegurgitationIndex.fileName
        try index.save(to: path)
        StandardStreams.message("copygen: wrote \(path): \(index.count) distinct \(index.gramLength)-grams of \(corpusPath)")
        let (words, names, minimumCount) = Self.countWords(records, normalization: model.tokenizer.normalization)
        let wordsPath = directory + "/" + WordList.fileName, namesPath = directory + "/" + WordList.namesFileName
        try words.save(to: wordsPath)
        try names.save(to: namesPath)
        StandardStreams.message("copygen: wrote \(wordsPath): \(words.count) words seen at least \(minimumCount) time\(minimumCount == 1 ? "" : "s") in \(corpusPath)")
        StandardStreams.message("copygen: wrote \(namesPath): \(names.count) names among them")
    }

    /// The words of the captions and the names among them (see `CaptionModel.countWords`).
    static func countWords(_ records: [CaptionRecord], normalization: Normalization) -> (list: WordList, names: WordList, minimumCount: Int) {
        CaptionModel.countWords(records, normalization: normalization)
    }

    /// `value` if given, else `defaultPath` found by `ResourceLocator`; a usage error when neither.
    static func locate(_ value: String?, default defaultPath: String, what: String) throws -> String {
        do {
            return try ResourceLocator.locate(value, default: defaultPath, what: what)
        } catch let missing as ResourceLocator.NotFound {
            throw ValidationError(missing.description)
        }
    }

    /// A template file, or a template of the library by name.
    static func loadTemplate(_ value: String, library: PromptLibrary) throws -> PostTemplate {
        if FileContents.exists(value) { return try PromptLibrary.loadTemplate(path: value) }
        if !value.contains("/"), let named = library.templates[value] { return named }
        throw ValidationError("--template: no file '\(value)' and no template of that name (known: \(library.templates.keys.sorted().joined(separator: ", ")))")
    }

    static func jsonLine(_ post: CaptionPost, topic: String, platform: String, tone: String, seed: UInt64) -> String {
        var json = "{\"topic\":\(JSONString.quoted(topic)),\"platform\":\(JSONString.quoted(platform)),\"tone\":\(JSONString.quoted(tone)),"
            + "\"text\":\(JSONString.quoted(post.text)),\"characters\":\(post.characters),"
            + "\"score\":\(String(format: "%.4f", post.score)),\"seed\":\(seed)"
        if !post.findings.isEmpty {
            json += ",\"findings\":[" + post.findings.map { finding in
                "{\"kind\":\(JSONString.quoted(finding.kind.rawValue)),\"category\":\(JSONString.quoted(finding.category)),"
                    + "\"match\":\(JSONString.quoted(finding.match)),\"fixed\":\(JSONString.quoted(finding.suggestions.first ?? ""))}"
            }.joined(separator: ",") + "]"
        }
        return json + "}"
    }
}
