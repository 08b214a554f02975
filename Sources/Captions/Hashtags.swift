import Corpus

/// Hashtags in and around a post: finding the model's own, deriving more from the topic, and
/// sizing the block to the platform's range.
public enum Hashtags {
    /// Whether `word` is one hashtag: "#" then letters, digits or underscores, at least one letter.
    public static func isHashtag(_ word: some StringProtocol) -> Bool {
        guard word.first == "#", word.count > 1 else { return false }
        let rest = word.dropFirst()
        return rest.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && rest.contains(where: \.isLetter)
    }

    /// Splits the run of hashtags that ends `text` ("... at home. #ColdBrew #IcedCoffee") from the
    /// text before it. Hashtags inside sentences stay in the body.
    public static func splitTrailing(_ text: String) -> (body: String, tags: [String]) {
        var end = text.endIndex
        var tags: [String] = []
        while true {
            let head = text[..<end]
            guard let last = head.lastIndex(where: { !$0.isWhitespace }) else { break }
            let wordStart = head[...last].lastIndex(where: \.isWhitespace).map { head.index(after: $0) } ?? head.startIndex
            let word = head[wordStart...last]
            guard isHashtag(word) else { break }
            tags.insert(String(word), at: 0)
            end = wordStart
        }
        return (TextBoundaries.trimmingTrailingWhitespace(String(text[..<end])), tags)
    }

    /// Every hashtag anywhere in `text`, in order.
    public static func all(in text: String) -> [String] {
        text.split(whereSeparator: \.isWhitespace).map { word -> Substring in
            // A hashtag may be followed by sentence punctuation ("#tbt.").
            var end = word.endIndex
            while end > word.startIndex, let last = word[..<end].last, !(last.isLetter || last.isNumber || last == "_") {
                end = word.index(before: end)
            }
            return word[..<end]
        }.filter(isHashtag).map(String.init)
    }

    /// Hashtags made from the topic: the whole topic in CamelCase ("cold brew coffee" →
    /// #ColdBrewCoffee), then each pair of neighbouring words without a stop word (#ColdBrew, #BrewCoffee), then each
    /// content word on its own (#Coffee, #Brew, #Cold), longest first. Tags over 30 characters are skipped.
    public static func fromTopic(_ topic: String) -> [String] {
        let words = TopicMention.words(of: topic)
        guard !words.isEmpty else { return [] }
        var candidates: [String] = []
        if words.count <= 4 { candidates.append(camel(words)) }
        if words.count >= 3 {
            // Pairs with a stop word make no tag a person would write ("#AuditFor", "#ForSmall").
            for i in 0..<(words.count - 1) where !TopicMention.stopWords.contains(words[i]) && !TopicMention.stopWords.contains(words[i + 1]) {
                candidates.append(camel(Array(words[i...(i + 1)])))
            }
        }
        let content = TopicMention.contentWords(of: topic).sorted { $0.count > $1.count }
        candidates += content.map { camel([$0]) }
        return deduplicated(candidates.filter { $0.count <= 31 && isHashtag($0) })
    }

    /// Whether `tag` is about `topic`: one of its CamelCase parts (`WordScanner`'s) starts with the
    /// stem of one of the topic's content words (`TopicMention.stem`), or a tag of one part holds
    /// it anywhere ("#coldbrewtips"). A topic word of three letters must be a whole part, plural
    /// or not, so that "car" claims "#CarCare" but not "#CareerGoals".
    ///
    ///     Hashtags.isAbout("#ColdBrewLife", topic: "cold brew coffee")   // true
    ///     Hashtags.isAbout("#coldbrewtips", topic: "cold brew coffee")   // true
    ///     Hashtags.isAbout("#Headphones", topic: "lavender farm open weekend")   // false
    public static func isAbout(_ tag: String, topic: String) -> Bool {
        let parts = WordScanner.words(in: tag.hasPrefix("#") ? tag : "#" + tag).map(\.text)
        for word in TopicMention.contentWords(of: topic) {
            if word.count <= 3 {
                if parts.contains(where: { $0 == word || $0 == word + "s" }) { return true }
                continue
            }
            let stem = TopicMention.stem(word)
            if parts.contains(where: { $0.hasPrefix(stem) || (parts.count == 1 && $0.contains(stem)) }) { return true }
        }
        return false
    }

    /// The hashtag block for a post whose body already holds `inlineCount` hashtags: the model's
    /// own tags first, then `fallback` ones, without repeats (case-insensitive, also against the
    /// body's), so that inline + block lies in `range` where enough tags exist. The model's tags
    /// beyond the range are dropped.
    public static func block(modelTags: [String], fallback: [String], inline: [String], range: ClosedRange<Int>) -> [String] {
        let wanted = min(max(modelTags.count + inline.count, range.lowerBound), range.upperBound) - inline.count
        guard wanted > 0 else { return [] }
        let taken = Set(inline.map { $0.lowercased() })
        return Array(deduplicated(modelTags + fallback).filter { !taken.contains($0.lowercased()) }.prefix(wanted))
    }

    /// `tags` without case-insensitive repeats, first spelling kept.
    static func deduplicated(_ tags: [String]) -> [String] {
        var seen = Set<String>()
        return tags.filter { seen.insert($0.lowercased()).inserted }
    }

    static func camel(_ words: [String]) -> String {
        "#" + words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// `body` with the `#` removed from hashtags past the first `maximum` (the words stay).
    static func limitingInline(_ body: String, maximum: Int) -> String {
        var kept = 0
        var result = ""
        var word = ""
        func flush() {
            if word.first == "#", isHashtag(word.trimmingTrailingPunctuation()) {
                kept += 1
                if kept > maximum { word.removeFirst() }
            }
            result += word
            word = ""
        }
        for character in body {
            if character.isWhitespace { flush(); result.append(character) } else { word.append(character) }
        }
        flush()
        return result
    }
}

extension String {
    func trimmingTrailingPunctuation() -> Substring {
        var end = endIndex
        while end > startIndex, let last = self[..<end].last, !(last.isLetter || last.isNumber || last == "_") {
            end = index(before: end)
        }
        return self[..<end]
    }
}

/// Whether a post mentions its topic: used by the score and by the quality figures.
public enum TopicMention {
    /// Words too common to show a post is about a topic.
    static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "of", "for", "to", "in", "on", "at", "by", "with", "from", "our", "your",
        "new", "best", "top", "all", "any", "this", "that", "its", "it", "is", "are", "be", "as", "into", "via",
        "plus", "more", "less", "day", "days", "week", "free", "sale", "set", "kit", "pack", "one", "two",
    ]

    /// The topic's words (letters and digits), lower-cased, in order.
    public static func words(of text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }

    /// The words that carry the topic: three or more characters, not stop words, no repeats.
    public static func contentWords(of topic: String) -> [String] {
        var seen = Set<String>()
        return words(of: topic).filter { $0.count >= 3 && !stopWords.contains($0) && seen.insert($0).inserted }
    }

    /// A word's stem for matching: its first `max(4, length − 2)` characters, so that "bottle",
    /// "bottles" and "bottled" match each other.
    static func stem(_ word: String) -> String {
        String(word.prefix(max(4, word.count - 2)))
    }

    /// The share (0...1) of the topic's content words whose stem begins a word of `text`.
    public static func coverage(topic: String, in text: String) -> Double {
        let content = contentWords(of: topic)
        guard !content.isEmpty else { return 1 }
        let textWords = words(of: text)
        let found = content.filter { word in
            let stem = stem(word)
            return textWords.contains { $0.hasPrefix(stem) }
        }
        return Double(found.count) / Double(content.count)
    }

    /// Whether `text` mentions the topic: at least one of its content words (by stem) appears.
    public static func mentions(topic: String, in text: String) -> Bool {
        coverage(topic: topic, in: text) > 0
    }
}
