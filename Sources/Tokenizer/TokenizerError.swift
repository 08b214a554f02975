/// What can go wrong loading, training or using a tokenizer. Each description is one line that
/// names the file, id or setting at fault, so the CLI can print it as is.
public enum TokenizerError: Error, CustomStringConvertible, Equatable {
    /// A file that is not a tokenizer (not JSON, truncated, fields missing or of the wrong type).
    case malformedFile(path: String, what: String)
    /// A well-formed tokenizer of a kind copygen does not implement (WordPiece, another split, ...).
    case unsupportedFile(path: String, what: String)
    /// A token id outside `0..<vocabularySize`.
    case idOutOfRange(id: Int, vocabularySize: Int)
    /// A requested vocabulary too small to hold the 256 byte tokens and the special tokens.
    case vocabularyTooSmall(requested: Int, minimum: Int)
    /// A special token spelled wrongly for training (empty, or repeated).
    case invalidSpecialToken(String)

    public var description: String {
        switch self {
        case let .malformedFile(path, what):
            return "\(path): not a valid tokenizer file: \(what)"
        case let .unsupportedFile(path, what):
            return "\(path): unsupported tokenizer: \(what)"
        case let .idOutOfRange(id, size):
            return "token id \(id) is out of range (the vocabulary has ids 0...\(size - 1))"
        case let .vocabularyTooSmall(requested, minimum):
            return "vocabulary size \(requested) is too small: the 256 byte tokens and the special tokens need at least \(minimum)"
        case let .invalidSpecialToken(name):
            return "invalid special token \"\(name)\": special tokens must be non-empty and distinct"
        }
    }
}
