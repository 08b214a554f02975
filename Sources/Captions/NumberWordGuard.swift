import Tokenizer

/// Keeps the sampler from writing a number as a word ("three hours", "twenty guests", "a dozen
/// rooms") unless the request gave it: the `NumberGuard`'s claim, spelled out. A model held off
/// digits writes the same invented count in letters.
///
/// The words are those of `values`, two to twelve, the tens, hundred, thousand, million, billion
/// and dozen, with their plurals. "one" is not among them (it is mostly a pronoun: "the one
/// you love"), nor ordinals, nor "half". A request allows a word by giving it or its value in
/// digits ("3-day retreat" allows "three"; `allowing(numbersIn:)`).
///
/// Unlike a banned word of the lexicon, which may still grow into an innocent one ("hell" →
/// "hello"), a number word is cut before it is whole: a token that would make the word so far
/// exactly a number word is masked, whether or not the word could go on. Otherwise a model that
/// has written " three" and is then refused the space goes on to "threesome" or "threefold".
/// Words that merely start with one stay open when a token carries them past it (" tennis").
/// A hashtag's CamelCase part counts as a word ("#ThreeDays").
public struct NumberWordGuard: Sendable {
    /// The number words and their values.
    public static let values: [String: Int] = {
        var values: [String: Int] = [:]
        let small = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                     "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
        for (offset, word) in small.enumerated() { values[word] = offset + 2 }
        let tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
        for (offset, word) in tens.enumerated() { values[word] = (offset + 2) * 10 }
        for (word, value) in [("hundred", 100), ("thousand", 1000), ("million", 1_000_000), ("billion", 1_000_000_000), ("dozen", 12)] {
            values[word] = value
            values[word + "s"] = value
        }
        return values
    }()

    /// Per token, the words it writes after a break of its own (" three" writes "three"; the last
    /// may go on in the next token, and is masked all the same).
    let wordsAfterBreak: [[String]]
    /// Tokens keyed by their letters up to their first break (lower-cased): the tokens that would
    /// bring the word being written to exactly those letters.
    let byLeading: [String: [TokenID]]
    /// Of those, the ones that start with a capital: after a lower-case letter they start a part.
    let capitalByLeading: [String: [TokenID]]
    /// The words still masked.
    public private(set) var words: Set<String>
    /// Masked whatever the text: the tokens that write one of `words` after a break of their own.
    private(set) var alwaysBanned: [TokenID] = []

    public init(tokenizer: Tokenizer) {
        var wordsAfterBreak: [[String]] = []
        var byLeading: [String: [TokenID]] = [:], capitalByLeading: [String: [TokenID]] = [:]
        for id in 0..<tokenizer.vocabularySize {
            let token = TokenID(id)
            guard !tokenizer.isSpecialToken(token), let text = String(validating: tokenizer.bytes(of: token), as: UTF8.self) else {
                wordsAfterBreak.append([])
                continue
            }
            let parts = text.lowercased().split(omittingEmptySubsequences: false, whereSeparator: { !BannedWordGuard.isWordCharacter($0) })
            wordsAfterBreak.append(parts.dropFirst().filter { !$0.isEmpty }.map(String.init))
            let leading = String(parts[0])
            guard !leading.isEmpty else { continue }
            byLeading[leading, default: []].append(token)
            if text.unicodeScalars.first?.properties.isUppercase == true { capitalByLeading[leading, default: []].append(token) }
        }
        self.wordsAfterBreak = wordsAfterBreak
        self.byLeading = byLeading
        self.capitalByLeading = capitalByLeading
        words = Set(Self.values.keys)
        alwaysBanned = Self.tokens(writingAnyOf: words, afterBreak: wordsAfterBreak)
    }

    static func tokens(writingAnyOf words: Set<String>, afterBreak: [[String]]) -> [TokenID] {
        afterBreak.indices.filter { afterBreak[$0].contains(where: words.contains) }.map { TokenID($0) }
    }

    /// The number words a request's `text` gives: its own number words, and the words for its
    /// digit runs ("3" gives "three", "12" "twelve" and "dozen", "100" "hundred").
    public static func givenWords(in text: String) -> Set<String> {
        let lowered = text.lowercased()
        var given = Set<String>()
        for piece in lowered.split(whereSeparator: { !BannedWordGuard.isWordCharacter($0) }) where values[String(piece)] != nil {
            given.insert(String(piece))
        }
        let numbers = Set(NumberGuard.numbers(in: text).compactMap { Int($0) })
        for (word, value) in values where numbers.contains(value) { given.insert(word) }
        return given
    }

    /// This guard with the number words of `text` (a request's topic) allowed.
    public func allowing(numbersIn text: String) -> NumberWordGuard {
        let given = Self.givenWords(in: text)
        guard !given.isDisjoint(with: words) else { return self }
        var copy = self
        copy.words.subtract(given)
        copy.alwaysBanned = Self.tokens(writingAnyOf: copy.words, afterBreak: wordsAfterBreak)
        return copy
    }

    /// The tokens that may not come after `text` (the post so far).
    public func tokensToBan(after text: String) -> [TokenID] {
        guard !words.isEmpty else { return [] }
        var banned = alwaysBanned
        let (word, part) = BannedWordGuard.trailingWordAndPart(of: text)
        for start in part == word ? [word] : [word, part] {
            for form in words where form.count > start.count && form.hasPrefix(start) {
                banned += byLeading[String(form.dropFirst(start.count))] ?? []
            }
        }
        // After a lower-case letter a capital starts a new part ("#BookThree").
        if !word.isEmpty, let last = text.unicodeScalars.last, last.properties.isLowercase {
            for form in words { banned += capitalByLeading[form] ?? [] }
        }
        return banned
    }
}
