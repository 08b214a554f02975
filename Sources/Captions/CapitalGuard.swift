import Corpus
import Tokenizer

/// Keeps a post from capitalizing a word inside a sentence unless the request gave that word.
/// A small model turns ordinary words into names of its own ("our Pine Valley Acres Reserve",
/// "at Riverbus"): each is a brand, place or event nobody gave it, a claim a marketer would have
/// to check and delete. `names.txt` keeps out the names the training text used; this keeps out
/// the ones the model makes up from ordinary words.
///
/// Inside a sentence means after a letter, a digit or one of , ' ’ ) & / % + (white space
/// between; `WordCounter.continuesSentence`, the rule that finds names); a post's first word,
/// and a word after . ! ? : ; a quote mark, a line break, a bullet, an emoji or any other
/// symbol, may be capitalized. There the guard masks every token that starts
/// a word with an upper-case letter (" Summit", or " S" as the start of one) unless the word can
/// still become one of the allowed words (the topic's and the user's own, compared lower-cased)
/// or is "I" ("I'm"); and while such a word is being written, every token that would take it
/// off the way to an allowed word, or end it before it is one. Inside any word it also masks a
/// capital after a lower-case letter ("MorningS", "CoDIng"), unless the word is on its way to a
/// mixed-case word of the topic ("iPhone"). Hashtags and handles are left alone.
///
/// Right after one of the topic's words it also masks the capitalized starts that can only
/// become that word again: "Mugs M" could go on only to "Mugs Mugs", a doubled word, or to a
/// made-up capital, when one of the two rules gives way.
///
/// The masks for a word's start depend only on the allowed words, so they are built once per
/// request (`allowing(wordsOf:)`); a step looks at the end of the text, and reads the tokens
/// only in the middle of a capitalized word.
public struct CapitalGuard: Sendable {
    let table: WordPieces
    /// The topic's words with a capital after a lower-case letter ("iPhone"), as written.
    private(set) var mixedCaseWords: [String] = []
    /// The words allowed capitalized: the user's own (`base`) and the topic's.
    public private(set) var allowed: WordList
    let base: WordList
    /// By a topic word (lower-cased): the capitalized starts that can become that word (or a
    /// longer topic word it starts) and no other allowed one, masked right after it; and of
    /// those, the ones with a space of their own.
    private(set) var startsOnlyOf: [String: [TokenID]] = [:]
    private(set) var spacedStartsOnlyOf: [String: [TokenID]] = [:]
    /// What to mask at a word's start inside a sentence: after white space, every capitalized
    /// start that is not allowed; right after a word, only those with white space of their own.
    private(set) var afterSpace: [TokenID] = []
    private(set) var afterWord: [TokenID] = []

    /// A guard that allows only `allowed` (a user's own words) and "I" capitalized.
    public init(tokenizer: Tokenizer, allowed: WordList = WordList([String]())) {
        self.init(table: WordPieces(tokenizer: tokenizer), allowed: allowed)
    }

    init(table: WordPieces, allowed: WordList) {
        self.table = table
        self.allowed = allowed
        base = allowed
        findRefusedStarts()
    }

    /// This guard with the words of `text` (a request's topic) allowed too. Only the masks that
    /// depend on the allowed words are rebuilt; the token tables are shared.
    public func allowing(wordsOf text: String) -> CapitalGuard {
        let words = CaptionGenerator.topicWords(text)
        guard !words.isEmpty else { return self }
        var wider = self
        wider.allowed = allowed.adding(words)
        let topicWords = Set(words.map { $0.lowercased() })
        for word in topicWords {
            // Not the words it starts ("kayaktours", for one-case hashtags): "Kayak Kayaktours" repeats too.
            let others = base.adding(topicWords.filter { !$0.hasPrefix(word) })
            let lone = WordList([word])
            let starts = table.pieces.filter { piece in
                piece.startsUpper && Self.passes(piece.letters, endsInToken: piece.endsInToken, allowed: lone)
                    && !Self.passes(piece.letters, endsInToken: piece.endsInToken, allowed: others)
            }
            wider.startsOnlyOf[word] = starts.map(\.token)
            wider.spacedStartsOnlyOf[word] = starts.filter(\.leadingSpace).map(\.token)
        }
        wider.mixedCaseWords += text.split(whereSeparator: { !$0.isLetter }).map(String.init).filter { word in
            let scalars = Array(word.unicodeScalars)
            return zip(scalars, scalars.dropFirst()).contains { WordScanner.classify($0) == .lower && WordScanner.classify($1) == .upper }
        }
        wider.findRefusedStarts()
        return wider
    }

    /// Sets `afterSpace` and `afterWord` for the allowed words.
    private mutating func findRefusedStarts() {
        let refused = table.pieces.filter { $0.startsUpper && !Self.passes($0.letters, endsInToken: $0.endsInToken, allowed: allowed) }
        afterSpace = refused.map(\.token)
        afterWord = refused.filter(\.leadingSpace).map(\.token)
    }

    /// Whether a capitalized word's letters so far can still be an allowed word, or are one when
    /// the word ends there; "I" always can.
    static func passes(_ letters: [UInt8], endsInToken: Bool, allowed: WordList) -> Bool {
        letters == [UInt8(ascii: "i")] || WordPieces.passes(letters, endsInToken: endsInToken, allowed: allowed)
    }

    /// The tokens that may not come after `text` (the post so far).
    public func tokensToBan(after text: String) -> [TokenID] {
        // Without replacement characters: a post drops them, which joins what stands on either side.
        let scalars = Array(text.unicodeScalars.suffix(64)).filter { $0 != "\u{FFFD}" }
        // The letters the text ends with: a word being written.
        var start = scalars.count
        while start > 0, WordScanner.classify(scalars[start - 1]).isLetter || WordScanner.classify(scalars[start - 1]) == .mark { start -= 1 }
        // A mark cannot start a word: one after an emoji (its variation selector) belongs to it.
        while start < scalars.count, WordScanner.classify(scalars[start]) == .mark { start += 1 }
        if start < scalars.count {
            let inHashtagOrHandle = start > 0 && (scalars[start - 1] == "#" || scalars[start - 1] == "@")
            // Inside a word, no capital after a lower-case letter ("MorningS", "CoDIng"), unless
            // on the way to a mixed-case word of the topic ("iPhone").
            var casing: [TokenID] = []
            if !inHashtagOrHandle, WordScanner.classify(scalars[scalars.count - 1]) == .lower {
                let written = String(String.UnicodeScalarView(scalars[start...]))
                if !mixedCaseWords.contains(where: { $0.count > written.count && $0.hasPrefix(written) }) { casing = table.capitalContinuing }
            }
            var word: [UInt8] = []
            for scalar in scalars[start...] { WordScanner.appendLowercased(scalar, to: &word) }
            // A word that starts with white space of its own comes next inside the sentence.
            let next = afterWord + (inHashtagOrHandle ? [] : spacedStartsOnlyOf[String(decoding: word, as: UTF8.self)] ?? [])
            guard WordScanner.classify(scalars[start]) == .upper, start > 0, Self.isInsideSentence(before: scalars[..<start]) else {
                return next + casing
            }
            return wordBans(word) + next + casing
        }
        guard Self.isInsideSentence(before: scalars[...]) else { return [] }
        guard scalars.last == " " || scalars.last == "\t" else { return afterWord }
        var end = scalars.count
        while end > 0, scalars[end - 1] == " " || scalars[end - 1] == "\t" { end -= 1 }
        let previous = RepeatedWordGuard.trailingWord(scalars, end: &end)
        return afterSpace + (startsOnlyOf[previous] ?? [])
    }

    /// In the middle of the capitalized word `word` (lower-cased): the tokens that would take it
    /// off the way to an allowed word, or end it before it is one. A word that got here another
    /// way (after "I") is let go rather than left with no way on.
    func wordBans(_ word: [UInt8]) -> [TokenID] {
        table.bans(continuing: word, toward: allowed, mayEnd: word == [UInt8(ascii: "i")])
    }

    /// Whether a word after `text` starts inside a sentence: the last character before it, white
    /// space aside, is a letter, a digit or one of , ' ’ ) & / % +.
    static func isInsideSentence(before text: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let last = text.last(where: { $0 != " " && $0 != "\t" }) else { return false }
        return WordCounter.continuesSentence(last)
    }
}
