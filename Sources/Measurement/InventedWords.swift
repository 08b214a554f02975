import Corpus

/// Counts a post's invented words against an independent dictionary (for `copygen bench quality`;
/// e.g. Debian's /usr/share/dict/american-english-large and british-english-large), so the
/// measure does not depend on the word list the guard itself uses.
///
/// - Words are `WordScanner`'s. Counted: words written without an upper-case letter, and every
///   part of a hashtag whatever its case ("#ColdBrew": cold, brew). Skipped: other capitalised
///   words (names, sentence starts, which no dictionary settles), units after digits, handles and
///   web addresses.
/// - A word is known when it, or a simple inflection of it, is in the dictionary: a possessive
///   'S or s' is dropped first; then the endings s, es, ed, d, ing, ly, er, est, r, st, ness, less,
///   ful are stripped, with y restored after i (tries → try, happily → happy), e restored after
///   ing/ed/er/est (baking → bake) and a doubled last consonant undone (running → run).
///   A one-case hashtag ("#behindthescenes") is also known when it splits into known words of at
///   least three letters or short common words ("behind", "the", "scenes"), as people write them.
///   Anything else counts as invented.
public enum InventedWords {
    /// Endings tried, longest first so that "es" is tried before "s".
    static let endings = ["ness", "less", "ing", "est", "ful", "es", "ed", "ly", "er", "st", "s", "d", "r"]

    /// The words of `text` that count (see the type), and those of them that are invented.
    public static func check(_ text: String, dictionary: WordList) -> (counted: Int, invented: [String]) {
        var counted = 0
        var invented: [String] = []
        for word in WordScanner.words(in: text) where !word.isUnit && (word.isInHashtag || !word.hasUppercase) {
            counted += 1
            let known = isKnown(word.text, dictionary: dictionary)
                || (word.isInHashtag && !word.hasUppercase && splitsIntoWords(word.text, dictionary: dictionary))
            if !known { invented.append(word.text) }
        }
        return (counted, invented)
    }

    /// Whether `word` (lower-case) or a simple inflection of it is in `dictionary`.
    public static func isKnown(_ word: String, dictionary: WordList) -> Bool {
        if dictionary.contains(word) { return true }
        var base = word
        if base.hasSuffix("'s") { base.removeLast(2) } else if base.hasSuffix("'") { base.removeLast() }
        if base != word && dictionary.contains(base) { return true }
        for ending in endings where base.count > ending.count + 1 && base.hasSuffix(ending) {
            let stem = String(base.dropLast(ending.count))
            if stem.count < 2 { continue }
            var candidates = [stem, stem + "e"]
            if stem.hasSuffix("i") { candidates.append(String(stem.dropLast()) + "y") }
            if let last = stem.last, let before = stem.dropLast().last, last == before, !"aeiou".contains(last) {
                candidates.append(String(stem.dropLast()))
            }
            if candidates.contains(where: dictionary.contains) { return true }
        }
        return false
    }

    /// Short words a run-together hashtag may hold; other parts need three letters, so that a
    /// large dictionary's two-letter abbreviations cannot cut an invented word into "known" pieces.
    static let shortWords: Set<Substring> = ["a", "i", "an", "as", "at", "be", "by", "do", "go", "in", "is", "it", "me",
                                              "my", "no", "of", "on", "or", "so", "to", "up", "us", "we"]

    /// Whether `word` is two or more known words written together (a word break by dynamic programming).
    public static func splitsIntoWords(_ word: String, dictionary: WordList) -> Bool {
        let letters = Array(word)
        guard letters.count >= 4, letters.count <= 64 else { return false }
        // parts[i]: the fewest known words that letters[0..<i] splits into (Int.max: none).
        var parts = [Int](repeating: Int.max, count: letters.count + 1)
        parts[0] = 0
        for end in 1...letters.count {
            for start in 0..<end where parts[start] != Int.max {
                let piece = String(letters[start..<end])
                let isWord = piece.count >= 3 ? isKnown(piece, dictionary: dictionary) : shortWords.contains(Substring(piece))
                if isWord { parts[end] = min(parts[end], parts[start] + 1) }
            }
        }
        return parts[letters.count] != Int.max && parts[letters.count] >= 2
    }
}
