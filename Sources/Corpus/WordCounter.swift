import Tokenizer

/// Counts the words of a model's training text (`WordScanner`'s rules, lower-cased) so that the
/// words it uses often enough become its `WordList`.
///
///     var counter = WordCounter()
///     for record in records { counter.add(record.text) }
///     try counter.wordList(minimumCount: counter.suggestedMinimumCount).save(to: directory + "/" + WordList.fileName)
///
/// Units after digits ("pm" of "5pm") and web addresses are not counted; hashtags count as their
/// CamelCase parts ("#ColdBrew" → cold, brew) or, written in one case, as one word ("#coldbrew").
/// The word list keeps only words also seen outside a hashtag: "#oatmilklatte" is a tag, not a
/// word a sentence may use ("Try our oatmilklatte").
/// Text is brought to the tokenizer's normalization first (NFKC by default), because the model
/// writes what the tokenizer made of its training text.
///
/// It also tells names apart (`names`): words the text capitalizes inside its sentences, such as
/// brands, places and people ("Fernhollow", "Portland"). Only a word inside a sentence is looked
/// at (`continuesSentence`: after a letter, a digit or , ' ’ ) & / % +, not after . ! ? a line
/// break, a bullet or an emoji), not a hashtag's part, not one written all in capitals. A large
/// text also shows names by never writing them in lower case (see `names`).
public struct WordCounter {
    /// How often a word was seen; inside a sentence how often capitalized and how often not;
    /// anywhere, how often it started with a lower-case letter and how often it was written with
    /// only its first letter a capital ("Packwell", not "PACKWELL"), of those how often as a
    /// hashtag's part; and how often outside a hashtag.
    public struct Tally: Sendable, Equatable {
        public var count = 0
        public var capitalized = 0
        public var lowercase = 0
        public var lowercaseAnywhere = 0
        public var titleCaseAnywhere = 0
        public var titleCaseInHashtag = 0
        public var outsideHashtag = 0
    }

    /// Every word counted (one table, so that counting a word hashes it once).
    public private(set) var tallies: [String: Tally] = [:]
    /// Words to their counts.
    public var counts: [String: Int] { tallies.mapValues(\.count) }
    /// Words seen inside a sentence to how often they were capitalized there, and how often not.
    public var inSentence: [String: (capitalized: Int, lowercase: Int)] {
        tallies.filter { $0.value.capitalized + $0.value.lowercase > 0 }.mapValues { ($0.capitalized, $0.lowercase) }
    }
    /// Every counted occurrence.
    public private(set) var totalWords = 0
    /// Applied to each text before counting.
    public let normalization: Normalization

    public init(normalization: Normalization = .nfkc) {
        self.normalization = normalization
    }

    /// How many different words have been counted.
    public var distinctWords: Int { tallies.count }

    /// How often `word` (lower-case) was counted.
    public func count(of word: String) -> Int { tallies[word]?.count ?? 0 }

    /// Counts the words of `text`.
    public mutating func add(_ text: String) {
        var text = normalization.apply(text)
        text.withUTF8 { count(utf8: $0) }
    }

    /// Adds another counter's counts (e.g. one that counted another part of the text in parallel).
    public mutating func merge(_ other: WordCounter) {
        tallies.merge(other.tallies) {
            Tally(count: $0.count + $1.count, capitalized: $0.capitalized + $1.capitalized, lowercase: $0.lowercase + $1.lowercase,
                  lowercaseAnywhere: $0.lowercaseAnywhere + $1.lowercaseAnywhere,
                  titleCaseAnywhere: $0.titleCaseAnywhere + $1.titleCaseAnywhere,
                  titleCaseInHashtag: $0.titleCaseInHashtag + $1.titleCaseInHashtag,
                  outsideHashtag: $0.outsideHashtag + $1.outsideHashtag)
        }
        totalWords += other.totalWords
    }

    /// The words counted at least `minimumCount` times, at least once outside a hashtag.
    public func wordList(minimumCount: Int = 1) -> WordList {
        WordList(tallies.lazy.filter { $0.value.count >= minimumCount && $0.value.outsideHashtag > 0 }.map(\.key))
    }

    /// The names among the words: seen inside sentences at least `minimumCount` times and
    /// capitalized in at least `share` of them. One-letter words ("I", "I'm") are never names.
    ///
    /// In a text of `largeText` words or more, also the words it never once starts with a
    /// lower-case letter, writes with only a first capital at least `minimumCount` times, and at
    /// least once not at a sentence's start (inside a sentence or in a hashtag). A brand the text
    /// names only at a line's start or in a tag ("Packwell Fulfilment handles…", "#Packwell") is
    /// then a name too, while an ordinary word is written in lower case somewhere in a million
    /// words. A small text proves nothing by what it does not hold, so there the first rule alone
    /// decides.
    ///
    /// A post that names a brand, place or person its topic did not give makes a claim nobody
    /// asked for, so the caption generator leaves these out of the words a post may use.
    public func names(minimumCount: Int = 3, share: Double = 0.95) -> WordList {
        let readsWholeText = totalWords >= Self.largeText
        return WordList(tallies.lazy.filter { word, seen in
            if Self.isOneLetterWord(word) { return false }
            let total = seen.capitalized + seen.lowercase
            if total >= minimumCount && Double(seen.capitalized) >= share * Double(total) { return true }
            return readsWholeText && seen.lowercaseAnywhere == 0 && seen.titleCaseAnywhere >= minimumCount
                && seen.capitalized + seen.titleCaseInHashtag >= 1
        }.map(\.key))
    }

    /// From this many words on, a text is large: it keeps only words seen several times
    /// (`suggestedMinimumCount`) and shows names by their case alone (`names`).
    public static let largeText = 1_000_000

    /// Whether `word` (lower-cased) is one letter, alone or with a contraction's ending: "i",
    /// "i'm", "i've", "a's"; not "o'brien". Such words are capitalized for grammar, not as names.
    public static func isOneLetterWord(_ word: String) -> Bool {
        let scalars = Array(word.unicodeScalars)
        guard scalars.count > 1 else { return true }
        guard scalars[1] == "'" || scalars[1] == "\u{2019}" else { return false }
        return ["s", "m", "d", "t", "l", "ll", "ve", "re"].contains(String(String.UnicodeScalarView(scalars[2...])))
    }

    /// A minimum count that fits the amount of text: 1 below a million words (a small corpus is
    /// usually written with care, and a word it holds once is a real word the model learned);
    /// from there, once in every 3 million words and at least twice. In a large, scraped text
    /// the rare words are mostly typos, fragments and one host's coinages ("shopp", "umb",
    /// "lasswade"), which a post should not write: 8 for the 21.7 million words of the
    /// pre-training mix (Benchmarks/results/README.md has the measurement).
    public var suggestedMinimumCount: Int { Self.suggestedMinimumCount(totalWords: totalWords) }

    /// `suggestedMinimumCount` for a text of `totalWords` words.
    public static func suggestedMinimumCount(totalWords: Int) -> Int {
        totalWords < largeText ? 1 : max(2, (totalWords + 2_999_999) / 3_000_000)
    }

    /// Walks UTF-8 bytes (valid, as a String's are), decoding only non-ASCII scalars.
    private mutating func count(utf8 text: UnsafeBufferPointer<UInt8>) {
        var scanner = WordScanner()
        var word: [UInt8] = []
        word.reserveCapacity(64)
        var length = 0, afterDigits = false
        // Where the current word stands, for telling names apart.
        var sentenceStart = true, startsSentence = false, inHashtag = false
        var firstIsUpper = false, firstIsLower = false, allUpper = false
        func begin(_ scalar: Unicode.Scalar) {
            startsSentence = sentenceStart
            sentenceStart = false
            inHashtag = scanner.isInHashtag
            let kind = WordScanner.classify(scalar)
            firstIsUpper = kind == .upper
            firstIsLower = kind == .lower
            allUpper = firstIsUpper
        }
        var i = 0
        let n = text.count
        while i <= n {
            let action: WordScanner.Action
            var scalar = Unicode.Scalar(UInt8(0))
            if i == n {
                action = scanner.finish()
                i += 1
            } else {
                let lead = text[i]
                if lead < 0x80 {
                    scalar = Unicode.Scalar(lead)
                    i += 1
                } else {
                    let width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                    var value = UInt32(lead) & (0xFF >> (width + 1))
                    for k in 1..<width { value = value << 6 | UInt32(text[i + k] & 0x3F) }
                    scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
                    i += width
                }
                action = scanner.feed(scalar)
            }
            switch action {
            case .none, .drop:
                if action == .drop { word.removeAll(keepingCapacity: true) }
            case .begin, .beginAfterDigits:
                word.removeAll(keepingCapacity: true)
                WordScanner.appendLowercased(scalar, to: &word)
                length = 1
                afterDigits = action == .beginAfterDigits
                begin(scalar)
            case .append:
                WordScanner.appendLowercased(scalar, to: &word)
                length += 1
                if allUpper && WordScanner.classify(scalar) != .upper { allUpper = false }
            case .appendAfterApostrophe:
                word.append(UInt8(ascii: "'"))
                WordScanner.appendLowercased(scalar, to: &word)
                length += 2
                if allUpper && WordScanner.classify(scalar) != .upper { allUpper = false }
            case .end, .endAndBegin:
                if !(afterDigits && length <= WordScanner.unitLength) {
                    let inCapitals = allUpper && length > 1
                    let inside = !startsSentence && !inHashtag && !afterDigits && !inCapitals
                    tallies[String(decoding: word, as: UTF8.self), default: Tally()]
                        .add(inSentence: inside, capitalized: firstIsUpper, lowercase: firstIsLower,
                             titleCase: firstIsUpper && !inCapitals, inHashtag: inHashtag)
                    totalWords += 1
                }
                if action == .endAndBegin {
                    word.removeAll(keepingCapacity: true)
                    WordScanner.appendLowercased(scalar, to: &word)
                    length = 1
                    afterDigits = false
                    begin(scalar)
                }
            }
            if action == .none || action == .end, scalar != " ", scalar != "\t" { sentenceStart = !Self.continuesSentence(scalar) }
        }
    }

    /// Whether a word after `scalar` (white space between) is inside the same sentence: after a
    /// letter, a digit or one of , ' ’ ) & / % +. After anything else (. ! ? : ; a quote mark, a
    /// line break, a bullet, a dash, an emoji) a capital letter may just start a sentence or an item.
    public static func continuesSentence(_ scalar: Unicode.Scalar) -> Bool {
        // The pieces an emoji is built of (variation selectors, the zero-width joiner, the keycap
        // mark, skin tones, tags) belong to the emoji, not to a word before it.
        switch scalar.value {
        case 0xFE00...0xFE0F, 0x200D, 0x20E3, 0x1F3FB...0x1F3FF, 0xE0020...0xE007F: return false
        default: break
        }
        switch WordScanner.classify(scalar) {
        case .upper, .lower, .caseless, .mark, .digit: return true
        default:
            switch scalar {
            case ",", "'", "\u{2019}", ")", "&", "/", "%", "+": return true
            default: return false
            }
        }
    }
}

extension WordCounter.Tally {
    @inline(__always)
    mutating func add(inSentence: Bool, capitalized isCapitalized: Bool, lowercase isLowercase: Bool, titleCase: Bool, inHashtag: Bool) {
        count += 1
        if !inHashtag { outsideHashtag += 1 }
        if isLowercase { lowercaseAnywhere += 1 }
        if titleCase {
            titleCaseAnywhere += 1
            if inHashtag { titleCaseInHashtag += 1 }
        }
        guard inSentence else { return }
        if isCapitalized { capitalized += 1 } else { lowercase += 1 }
    }
}
