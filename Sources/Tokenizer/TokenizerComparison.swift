extension Tokenizer {
    /// What makes `other` give different ids from this tokenizer, as one phrase, or nil when the
    /// two encode and decode every text alike (same tokens, merges, special tokens, normalization
    /// and split). Fine-tuning needs this: a model's embedding rows mean the tokens it was trained with.
    public func difference(from other: Tokenizer) -> String? {
        if vocabularySize != other.vocabularySize {
            return "vocabulary size \(vocabularySize) against \(other.vocabularySize)"
        }
        if normalization != other.normalization { return "normalization \(normalization) against \(other.normalization)" }
        if preTokenizer != other.preTokenizer { return "a different pre-tokenizer split" }
        if specialIDs != other.specialIDs { return "different special tokens" }
        if tokenStarts != other.tokenStarts || tokenBytes != other.tokenBytes {
            let first = (0..<vocabularySize).first { bytes(of: TokenID($0)) != other.bytes(of: TokenID($0)) } ?? 0
            return "token \(first) differs"
        }
        if merges.count != other.merges.count
            || !zip(merges, other.merges).allSatisfy({ $0.left == $1.left && $0.right == $1.right && $0.result == $1.result }) {
            return "different merges"
        }
        return nil
    }
}
