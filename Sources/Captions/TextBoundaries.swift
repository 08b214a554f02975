/// Cutting text short at a sentence or word boundary, never inside a word or a character.
///
/// Works on `Character`s (extended grapheme clusters), so an emoji made of several scalars
/// (👩‍👩‍👧, a flag, a skin-tone modifier) is kept or dropped whole.
public enum TextBoundaries {
    /// Characters that end a sentence when followed by whitespace or the end of the text.
    static let sentenceEnders: Set<Character> = [".", "!", "?", "…", "。", "！", "？"]
    /// Left dangling at the end of a cut, these read as a mistake; they are trimmed.
    static let danglingPunctuation: Set<Character> = [",", ";", ":", "-", "–", "—", "(", "[", "{", "\"", "“", "‘", "/", "&", "#", "@"]

    /// The text without its last word when generation stopped before the model ended the post:
    /// the last whitespace-separated piece may be unfinished (a word, a hashtag or an emoji
    /// sequence cut by the budget) unless it ends a sentence.
    public static func droppingUnfinishedWord(_ text: String) -> String {
        let trimmed = trimmingTrailingWhitespace(text)
        guard let last = trimmed.last else { return "" }
        if sentenceEnders.contains(last) { return trimmed }
        guard let space = trimmed.lastIndex(where: \.isWhitespace) else { return "" }
        return cleanEnd(String(trimmed[..<space]))
    }

    /// The longest start of `text` whose `count` is at most `limit`, ending at the last sentence end
    /// that fits if that keeps at least half of what fits at a word end, else at the last word end
    /// that fits. `count` must not decrease as text grows (true of every platform count). Returns
    /// "" when not even the first word fits.
    public static func cut(_ text: String, toFit limit: Int, count: (String) -> Int) -> String {
        let whole = trimmingTrailingWhitespace(text)
        if count(whole) <= limit { return whole }
        let characters = Array(whole)
        guard characters.count > 1, limit > 0 else { return "" }
        // Word ends: positions just before whitespace. Sentence ends: after a sentence ender
        // (and any closing quotes or emoji run up to the whitespace).
        var wordEnds: [Int] = []
        var sentenceEnds = Set<Int>()
        for i in 1..<characters.count where characters[i].isWhitespace && !characters[i - 1].isWhitespace {
            wordEnds.append(i)
            var j = i - 1
            while j > 0, isClosing(characters[j]) { j -= 1 }
            if sentenceEnders.contains(characters[j]) { sentenceEnds.insert(i) }
        }
        // The fitting prefixes form a run from the start (count is monotonic): binary search.
        var low = 0, high = wordEnds.count  // wordEnds[0..<low] fit
        while low < high {
            let middle = (low + high) / 2
            if count(String(characters[..<wordEnds[middle]])) <= limit { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return "" }
        let bestWordEnd = wordEnds[low - 1]
        if let sentenceEnd = wordEnds[..<low].last(where: sentenceEnds.contains), sentenceEnd * 2 >= bestWordEnd {
            return String(characters[..<sentenceEnd])
        }
        return cleanEnd(String(characters[..<bestWordEnd]))
    }

    /// Quotes and brackets that may close a sentence after its full stop.
    static func isClosing(_ character: Character) -> Bool {
        ["\"", "'", "”", "’", ")", "]", "»"].contains(character)
    }

    static func trimmingTrailingWhitespace(_ text: String) -> String {
        guard let last = text.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(text[...last])
    }

    /// Trims trailing whitespace and punctuation that would dangle ("and,", "so -").
    static func cleanEnd(_ text: String) -> String {
        var result = trimmingTrailingWhitespace(text)
        while let last = result.last, danglingPunctuation.contains(last) {
            result.removeLast()
            result = trimmingTrailingWhitespace(result)
        }
        return result
    }
}
