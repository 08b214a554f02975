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
/// Outside a hashtag, it also keeps a word from running on into the topic's words written
/// together ("camping" + "lantern"): those are allowed for one-case hashtags ("#campinglantern";
/// `CaptionGenerator.topicWords`), and in a sentence they are an invented word.
///
///     let topicWords = TopicWordGuard(table: table, boosted: generator.topicTokens("coding camp"), topic: "coding camp")
///     topicWords.tokensToBan(after: tokenizer.encode(" Coding camp"), text: " Coding camp")   // "aign", "ing", …; not "s", " ", "."
public struct TopicWordGuard: Sendable {
    let table: WordPieces
    let boosted: Set<TokenID>
    /// The topic's content words and their plurals.
    let forms: WordList
    /// The topic's words and their plurals, and its runs of words written together; the shortest
    /// first word of a run.
    let singles: WordList
    let runs: WordList
    let shortestRunStart: Int

    init(table: WordPieces, boosted: Set<TokenID>, topic: String) {
        self.table = table
        self.boosted = boosted
        forms = WordList(TopicMention.contentWords(of: topic).flatMap(Self.forms))
        let words = WordScanner.words(in: topic).filter { !$0.isUnit }.map(\.text)
        singles = WordList(words.flatMap(Self.forms))
        let all = Set(CaptionGenerator.topicWords(topic))
        let joined = all.subtracting(words)
        runs = WordList(joined)
        shortestRunStart = words.filter { word in joined.contains { $0.hasPrefix(word) } }.map(\.utf8.count).min() ?? Int.max
    }

    /// A word and its plurals, lower-cased.
    static func forms(of word: String) -> [String] {
        let word = word.lowercased()
        var forms = [word, word + "s", word + "es"]
        if word.hasSuffix("y") { forms.append(word.dropLast() + "ies") }
        return forms
    }

    /// The tokens that may not follow `generated` (a post's tokens so far), whose text is `text`.
    public func tokensToBan(after generated: [TokenID], text: String) -> [TokenID] {
        if let word = wordFromBoostedToken(generated) { return table.bans(continuing: word, toward: forms) }
        return runOnBans(after: text)
    }

    /// Outside a hashtag, the tokens that would take the word being written past one of the
    /// topic's words into one of its runs.
    func runOnBans(after text: String) -> [TokenID] {
        guard shortestRunStart != Int.max else { return [] }
        let scalars = Array(text.unicodeScalars.suffix(64))
        var start = scalars.count
        let word = Array(RepeatedWordGuard.trailingWord(scalars, end: &start).utf8)
        guard word.count >= shortestRunStart, start == 0 || scalars[start - 1] != "#" else { return [] }
        var cursor = WordList.Cursor.start(of: runs)
        runs.advance(&cursor, by: word)
        guard cursor.isPrefix else { return [] }
        var wordSoFar = WordList.Cursor.start(of: singles)
        singles.advance(&wordSoFar, by: word)
        var bans: [TokenID] = []
        for index in table.continuing {
            let piece = table.pieces[index]
            var run = cursor
            runs.advance(&run, by: piece.letters)
            guard piece.endsInToken ? runs.isWord(run) : run.isPrefix else { continue }
            var single = wordSoFar
            singles.advance(&single, by: piece.letters)
            if !(piece.endsInToken ? singles.isWord(single) : single.isPrefix) { bans.append(piece.token) }
        }
        return bans
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
