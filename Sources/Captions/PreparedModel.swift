import Corpus
import Support
import Tokenizer

/// A caption corpus named by the user (or the shipped one, found by `ResourceLocator`), read
/// once, when first needed: most model directories carry their index and word list, and then
/// the corpus is never read.
public final class CorpusOnDemand {
    public let path: String?
    private var cached: [CaptionRecord]?

    public init(path: String?) {
        self.path = path ?? ResourceLocator.find(ResourceLocator.defaultCorpus)
    }

    public func records() throws -> [CaptionRecord] {
        if let cached { return cached }
        let records = try path.map { try CorpusReader.readAll(path: $0) } ?? []
        cached = records
        return records
    }
}

extension CaptionModel {
    /// Loads a model directory for writing posts and fills in what an older directory lacks,
    /// from `corpus`: the no-copy index (always) and the word list (when `needsWords`). Each
    /// repair, or the lack of a corpus to repair from, is reported through `warn` as one line.
    public static func loadForPosts(directory: String, corpus: CorpusOnDemand, needsWords: Bool,
                                    warn: (String) -> Void) throws -> CaptionModel {
        var model = try load(directory: directory)
        if model.regurgitationIndex == nil {
            let path = directory + "/" + RegurgitationIndex.fileName
            if let corpusPath = corpus.path {
                warn("warning: \(path) is missing; building the no-copy index from \(corpusPath)")
                model.attach(RegurgitationIndex.build(records: try corpus.records(), tokenizer: model.tokenizer))
            } else {
                warn("warning: \(path) is missing and no corpus was found (--corpus); posts are not checked for copies of training captions")
            }
        }
        if needsWords && model.wordList == nil {
            let path = directory + "/" + WordList.fileName
            if let corpusPath = corpus.path {
                warn("warning: \(path) is missing; counting the allowed words from \(corpusPath)")
                let counted = countWords(try corpus.records(), normalization: model.tokenizer.normalization)
                model.attach(counted.list, names: counted.names)
            } else {
                warn("warning: \(path) is missing and no corpus was found (--corpus); posts may contain invented words")
            }
        }
        return model
    }

    /// The words of the captions, at the minimum count that suits their amount, and the names
    /// among them (`WordCounter`).
    public static func countWords(_ records: [CaptionRecord], normalization: Normalization)
        -> (list: WordList, names: WordList, minimumCount: Int) {
        var counter = WordCounter(normalization: normalization)
        for record in records { counter.add(record.text) }
        let minimumCount = counter.suggestedMinimumCount
        return (counter.wordList(minimumCount: minimumCount), counter.names(), minimumCount)
    }
}
