import Corpus
import Tokenizer

/// Keeps a post from writing the same word twice in a row ("Summer summer camp", "Shears class
/// class class"). A small model does it often, above all with the topic's words, whose tokens
/// `CaptionGenerator` boosts; a reader sees a typo.
///
/// Words are compared lower-cased; a word is a run of letters and marks (an inner apostrophe
/// counts), and only white space may stand between the two. Before each draw the guard masks:
/// - right after a word, every token of a space and that word again (" Summer", " summer."), and
///   of the word again without a space ("walnut" + "walnut"); after the word and white space,
///   every token that starts with it, with a space of its own or without;
/// - while the next word is being written, every token that would finish it as that word: after
///   "summer sum", the tokens that read "mer" and then end or stop.
/// - inside a word, the piece just written, again ("show" + "leet" + "leet"): a stutter, not a word.
/// A token that ends with the word may still have been meant to go on ("summers"); banning it
/// only narrows the sampler's choice.
public struct RepeatedWordGuard: Sendable {
    /// Tokens of one leading space and then a word, by that word (lower-cased): the word either
    /// ends inside the token or at its end.
    let spacedWords: [String: [TokenID]]
    /// Tokens that start with letters (no space), by those leading letters (lower-cased): the
    /// letters either end inside the token or at its end.
    let continuations: [String: [TokenID]]
    /// Tokens of two or more letters and nothing else, without a leading space: pieces of a word.
    let wordPieces: Set<TokenID>

    public init(tokenizer: Tokenizer) {
        var spaced: [String: [TokenID]] = [:], continuing: [String: [TokenID]] = [:], pieces = Set<TokenID>()
        for id in 0..<tokenizer.vocabularySize where !tokenizer.isSpecialToken(TokenID(id)) {
            guard let text = String(validating: tokenizer.bytes(of: TokenID(id)), as: UTF8.self) else { continue }
            let scalars = Array(text.unicodeScalars)
            if scalars.first == " " {
                let word = Self.leadingWord(scalars.dropFirst())
                if !word.isEmpty { spaced[word, default: []].append(TokenID(id)) }
            } else {
                let word = Self.leadingWord(scalars[...])
                if !word.isEmpty { continuing[word, default: []].append(TokenID(id)) }
                if scalars.count >= 2, word.unicodeScalars.count == scalars.count { pieces.insert(TokenID(id)) }
            }
        }
        spacedWords = spaced
        continuations = continuing
        wordPieces = pieces
    }

    /// The tokens that may not come after `text` (the post so far), whose last token was `lastToken`.
    public func tokensToBan(after text: String, lastToken: TokenID? = nil) -> [TokenID] {
        let scalars = Array(text.unicodeScalars.suffix(128))
        var end = scalars.count
        let current = Self.trailingWord(scalars, end: &end)  // the word being written, maybe ""
        var gapEnd = end
        while gapEnd > 0, scalars[gapEnd - 1] == " " || scalars[gapEnd - 1] == "\t" || scalars[gapEnd - 1] == "\n" { gapEnd -= 1 }
        var banned: [TokenID] = []
        if !current.isEmpty {
            // The word being written may end now, and the next token repeat it after a space, or
            // glue it on ("walnutwalnut"; from three letters, so that "haha" stays possible).
            banned += spacedWords[current] ?? []
            if current.count >= 3 { banned += continuations[current] ?? [] }
            if let lastToken, wordPieces.contains(lastToken) { banned.append(lastToken) }
        }
        guard gapEnd < end else { return banned }  // no white space before the current word
        var previousEnd = gapEnd
        let previous = Self.trailingWord(scalars, end: &previousEnd)
        guard !previous.isEmpty, previousEnd > 0 || scalars.count < 128 else { return banned }
        if current.isEmpty {
            // After white space: the word again, with a space of its own or without.
            banned += (spacedWords[previous] ?? []) + (continuations[previous] ?? [])
        } else if previous.count > current.count, previous.hasPrefix(current) {
            banned += continuations[String(previous.dropFirst(current.count))] ?? []
        }
        return banned
    }

    /// The lower-cased word that ends at `end` in `scalars` (letters, marks, inner apostrophes);
    /// moves `end` to its start. Empty when `scalars` does not end with a letter there.
    static func trailingWord(_ scalars: [Unicode.Scalar], end: inout Int) -> String {
        var start = end
        while start > 0 {
            let kind = WordScanner.classify(scalars[start - 1])
            if kind.isLetter || kind == .mark { start -= 1; continue }
            if kind == .apostrophe, start >= 2, start < end, WordScanner.classify(scalars[start - 2]).isLetter { start -= 1; continue }
            break
        }
        if start < end, start > 0, WordScanner.classify(scalars[start - 1]) == .digit { return "" }  // "3pm": a unit, not a word
        let word = String(String.UnicodeScalarView(scalars[start..<end])).lowercased()
        end = start
        return word
    }

    /// The lower-cased letters (and marks, inner apostrophes) a token's text starts with.
    static func leadingWord(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var end = scalars.startIndex
        while end < scalars.endIndex {
            let kind = WordScanner.classify(scalars[end])
            if kind.isLetter || kind == .mark || (kind == .apostrophe && end > scalars.startIndex) { end += 1 } else { break }
        }
        return String(String.UnicodeScalarView(scalars[scalars.startIndex..<end])).lowercased()
    }
}
