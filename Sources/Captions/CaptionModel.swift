import Corpus
import Support
import Tokenizer
import Transformer

/// A model directory as the caption generator uses it:
///
///     config.json, model.safetensors   the weights (ModelCheckpoint)
///     tokenizer.json                   the tokenizer it was trained with
///     training_ngrams.bin              optional: the training captions' 12-gram index (RegurgitationIndex)
///     words.txt                        optional: the words of the training text (WordList)
///     names.txt                        optional: the names among them (WordCounter.names)
public struct CaptionModel: @unchecked Sendable {
    public static let tokenizerFileName = "tokenizer.json"
    public static let requiredFiles = [ModelCheckpoint.configFileName, ModelCheckpoint.weightsFileName, tokenizerFileName]

    public let directory: String
    public let config: GPTConfig
    public let parameters: ParameterBuffer
    public let tokenizer: Tokenizer
    /// nil when the directory has no `training_ngrams.bin` (see `attach(_:)`).
    public private(set) var regurgitationIndex: RegurgitationIndex?
    /// nil when the directory has no `words.txt` (see `attach(_:names:)`).
    public private(set) var wordList: WordList?
    /// The brands, places and people's names among the words; nil without `names.txt`.
    public private(set) var names: WordList?

    public init(directory: String, config: GPTConfig, parameters: ParameterBuffer, tokenizer: Tokenizer,
                regurgitationIndex: RegurgitationIndex?, wordList: WordList? = nil, names: WordList? = nil) {
        self.directory = directory
        self.config = config
        self.parameters = parameters
        self.tokenizer = tokenizer
        self.regurgitationIndex = regurgitationIndex
        self.wordList = wordList
        self.names = names
    }

    /// The words a post or a guarded completion may use: the word list without its names (nor
    /// their possessives, "Meridian's"), which only the topic, the prompt or the user's own words
    /// bring back (`allowingNames` keeps them). nil without a word list.
    public func postWords(allowingNames: Bool = false) -> WordList? {
        guard let wordList else { return nil }
        guard !allowingNames, let names else { return wordList }
        return wordList.withoutNames(names)
    }

    /// Loads a model directory. A missing directory or file, a broken file, a tokenizer without the
    /// control tokens or an index made with another tokenizer throws a one-line error naming it.
    public static func load(directory: String) throws -> CaptionModel {
        guard FileContents.isDirectory(directory) else { throw CaptionModelError(directory: directory, problem: "no such model directory") }
        for name in requiredFiles where !FileContents.exists(directory + "/" + name) {
            throw CaptionModelError(directory: directory, problem: "missing \(name) (a model directory holds \(requiredFiles.joined(separator: ", ")))")
        }
        let (config, parameters) = try ModelCheckpoint.load(directory: directory)
        let tokenizer = try Tokenizer.load(from: directory + "/" + tokenizerFileName)
        _ = try ConditioningFormat.ControlTokens(tokenizer: tokenizer)
        if tokenizer.vocabularySize > config.vocabularySize {
            throw CaptionModelError(directory: directory, problem: "tokenizer.json has \(tokenizer.vocabularySize) tokens but the model only \(config.vocabularySize)")
        }
        var index: RegurgitationIndex?
        let indexPath = directory + "/" + RegurgitationIndex.fileName
        if FileContents.exists(indexPath) {
            let loaded = try RegurgitationIndex.load(from: indexPath)
            try loaded.checkMatches(tokenizer, path: indexPath)
            index = loaded
        }
        let wordsPath = directory + "/" + WordList.fileName, namesPath = directory + "/" + WordList.namesFileName
        let words = FileContents.exists(wordsPath) ? try WordList.load(path: wordsPath) : nil
        let names = words != nil && FileContents.exists(namesPath) ? try WordList.load(path: namesPath) : nil
        return CaptionModel(directory: directory, config: config, parameters: parameters, tokenizer: tokenizer,
                            regurgitationIndex: index, wordList: words, names: names)
    }

    /// Uses `index` (e.g. built from the corpus when the directory had none).
    public mutating func attach(_ index: RegurgitationIndex) {
        regurgitationIndex = index
    }

    /// Uses `words` and `names` (e.g. counted from the corpus when the directory had none).
    public mutating func attach(_ words: WordList, names: WordList?) {
        wordList = words
        self.names = names
    }
}

/// A model directory that cannot be used.
public struct CaptionModelError: Error, CustomStringConvertible, Equatable {
    public var directory: String
    public var problem: String
    public var description: String { "\(directory): \(problem)" }
}
