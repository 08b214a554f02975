import Corpus
import Tokenizer

/// Keeps a word that the topic boost began from becoming another word. The boost raises the
/// first token of each of the topic's words (`CaptionGenerator.topicTokens`: " camp", " class",
/// " pott"), and that token starts other words too: a small model then writes "Coding campaign"
/// for a coding camp, "classroom classes" for a pottery class, "shampoo barista" for shampoo bars.
///
/// Once a word begins with a boosted token, it may only go on to one of the topic's words or its
/// plural (+s, +es, y → ies), and may not end before it is one; a possessive ("camp's") ends it
/// fine. A word begun otherwise is left alone: the model may write "campaign" on its own.
///
///     let guard = TopicWordGuard(table: table, boosted: generator.topicTokens("coding camp"), topic: "coding camp")
///     guard.tokensToBan(after: tokenizer.encode(" Coding camp"))   // "aign", "ing", …; not "s", " ", "."
public struct TopicWordGuard: Sendable {
    let table: WordPieces
    let boosted: Set<TokenID>
    /// The topic's content words and their plurals.
    let forms: WordList

    init(table: WordPieces, boosted: Set<TokenID>, topic: String) {
        self.table = table
        self.boosted = boosted
        forms = WordList(TopicMention.contentWords(of: topic).flatMap(Self.forms))
    }

    /// A word and its plurals, lower-cased.
    static func forms(of word: String) -> [String] {
        let word = word.lowercased()
        var forms = [word, word + "s", word + "es"]
        if word.hasSuffix("y") { forms.append(word.dropLast() + "ies") }
        return forms
    }

    /// The tokens that may not follow `generated` (a post's tokens so far).
    public func tokensToBan(after generated: [TokenID]) -> [TokenID] {
        guard let word = wordFromBoostedToken(generated) else { return [] }
        return table.bans(continuing: word, toward: forms)
    }

    /// The letters of the word the tokens end in, lower-cased, when a boosted token began it; nil
    /// otherwise. A word's later tokens are letters only, without a space.
    func wordFromBoostedToken(_ generated: [TokenID]) -> [UInt8]? {
        var letters: [UInt8] = []
        for token in generated.reversed().prefix(8) {
            guard let piece = table.piece(token), !piece.letters.isEmpty, !piece.endsInToken else { return nil }
            letters.insert(contentsOf: piece.letters, at: 0)
            if boosted.contains(token) { return letters }
            if piece.leadingSpace { return nil }
        }
        return nil
    }
}
