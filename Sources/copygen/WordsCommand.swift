import ArgumentParser
import Corpus
import Support
import Tokenizer

/// `copygen words ...`: the word lists that keep posts free of invented words.
struct WordsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "words",
        abstract: "Build the word list (words.txt) that generate and complete --words-only keep posts to.",
        subcommands: [WordsBuildCommand.self]
    )
}

/// `copygen words build`: counts the words of training text and writes a words.txt.
struct WordsBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Count the words of one or more corpora and write those seen often enough, one a line.",
        discussion: """
            Words are letters with inner apostrophes, lower-cased; numbers, @handles and web \
            addresses are not words; a hashtag counts as its CamelCase parts ("#ColdBrew": cold, \
            brew) or, written in one case, as one word ("#coldbrew"); a word seen only inside \
            hashtags is left out, a tag rather than a word a sentence may use. Give the text the model was \
            trained on and write the list into its directory, where generate finds it. \
            Example: copygen words build --corpus our_captions.jsonl --out Models/ours/words.txt

            Beside it goes names.txt: the words the text capitalizes inside its sentences (at \
            least 95% of 3 or more times), such as brands, places and people; in a text of a \
            million words or more, also those it never writes in lower case (seen capitalized at \
            least 3 times, once inside a sentence or a hashtag). Posts use them only when the \
            topic or --words give them (generate --any-name allows them all).
            """
    )

    @Option(help: "A corpus (JSON Lines, CSV with a text column, or plain text); repeat for several.") var corpus: [String] = []
    @Option(help: "Keep words seen at least this often (default: 1 below a million words of text; above, once per 3 million words and at least 2).") var minCount: Int?
    @Option(help: "The file to write (e.g. MODEL_DIRECTORY/words.txt).") var out: String
    @Option(help: "Normalization applied before counting, as the model's tokenizer does (nfkc, nfc, none).")
    var normalization: String = Normalization.nfkc.rawValue

    func validate() throws {
        if corpus.isEmpty { throw ValidationError("give at least one --corpus") }
        if let minCount, minCount < 1 { throw ValidationError("--min-count must be at least 1 (got \(minCount))") }
        if Normalization(rawValue: normalization) == nil {
            throw ValidationError("--normalization must be one of \(Normalization.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(normalization)')")
        }
    }

    func run() throws {
        var counter = WordCounter(normalization: Normalization(rawValue: normalization)!)
        for path in corpus {
            let reader = try CorpusReader(path: path)
            while let record = try reader.next() { counter.add(record.text) }
        }
        let minimumCount = minCount ?? counter.suggestedMinimumCount
        let list = counter.wordList(minimumCount: minimumCount)
        let names = counter.names()
        let namesPath = Self.namesPath(besides: out)
        try list.save(to: out)
        try names.save(to: namesPath)
        StandardStreams.message("copygen: wrote \(out): \(list.count) words seen at least \(minimumCount) time\(minimumCount == 1 ? "" : "s") (of \(counter.distinctWords) distinct, \(counter.totalWords) in all)")
        StandardStreams.message("copygen: wrote \(namesPath): \(names.count) names")
    }

    /// names.txt in the directory of `wordsPath`.
    static func namesPath(besides wordsPath: String) -> String {
        guard let slash = wordsPath.lastIndex(of: "/") else { return WordList.namesFileName }
        return wordsPath[...slash] + WordList.namesFileName
    }
}
