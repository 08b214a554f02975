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
/// Text is brought to the tokenizer's normalization first (NFKC by default), because the model
/// writes what the tokenizer made of its training text.
public struct WordCounter {
    /// Words to their counts.
    public private(set) var counts: [String: Int] = [:]
    /// Every counted occurrence.
    public private(set) var totalWords = 0
    /// Applied to each text before counting.
    public let normalization: Normalization

    public init(normalization: Normalization = .nfkc) {
        self.normalization = normalization
    }

    /// How many different words have been counted.
    public var distinctWords: Int { counts.count }

    /// How often `word` (lower-case) was counted.
    public func count(of word: String) -> Int { counts[word] ?? 0 }

    /// Counts the words of `text`.
    public mutating func add(_ text: String) {
        var text = normalization.apply(text)
        text.withUTF8 { count(utf8: $0) }
    }

    /// Adds another counter's counts (e.g. one that counted another part of the text in parallel).
    public mutating func merge(_ other: WordCounter) {
        counts.merge(other.counts, uniquingKeysWith: +)
        totalWords += other.totalWords
    }

    /// The words counted at least `minimumCount` times.
    public func wordList(minimumCount: Int = 1) -> WordList {
        WordList(counts.lazy.filter { $0.value >= minimumCount }.map(\.key))
    }

    /// A minimum count that fits the amount of text: 1 below a million words (a small corpus is
    /// usually written with care, and a word it holds once is a real word the model learned),
    /// 2 from there (in a large, scraped text most words seen only once are typos).
    public var suggestedMinimumCount: Int { totalWords < 1_000_000 ? 1 : 2 }

    /// Walks UTF-8 bytes (valid, as a String's are), decoding only non-ASCII scalars.
    private mutating func count(utf8 text: UnsafeBufferPointer<UInt8>) {
        var scanner = WordScanner()
        var word: [UInt8] = []
        word.reserveCapacity(64)
        var length = 0, afterDigits = false
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
            case .append:
                WordScanner.appendLowercased(scalar, to: &word)
                length += 1
            case .appendAfterApostrophe:
                word.append(UInt8(ascii: "'"))
                WordScanner.appendLowercased(scalar, to: &word)
                length += 2
            case .end, .endAndBegin:
                if !(afterDigits && length <= WordScanner.unitLength) {
                    counts[String(decoding: word, as: UTF8.self), default: 0] += 1
                    totalWords += 1
                }
                if action == .endAndBegin {
                    word.removeAll(keepingCapacity: true)
                    WordScanner.appendLowercased(scalar, to: &word)
                    length = 1
                    afterDigits = false
                }
            }
        }
    }
}
