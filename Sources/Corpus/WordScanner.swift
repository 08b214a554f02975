/// Where the words of a text are: the one set of rules that counting words for a model's word list
/// (`WordCounter`), guarding the decoder (`WordGuard`) and measuring invented words all follow, so
/// that a word the decoder is allowed to write is exactly a word the counter could have counted.
///
/// The rules, applied one Unicode scalar at a time:
/// - A word is a run of letters (and the combining marks that follow a letter), compared lower-cased.
/// - An apostrophe (' or ’) between two letters stays inside the word: "don't", "o'clock". Any
///   other apostrophe, a hyphen, digits, punctuation, emoji and white space end a word, so
///   "well-known" is two words.
/// - Hashtags: after `#`, the tag's letters are split in CamelCase parts, each a word of its own:
///   "#ColdBrewCoffee" is cold, brew, coffee. A new part starts at an upper-case letter that
///   follows a lower-case one, and at digits and underscores. A tag written in one case
///   ("#coldbrew", "#TBT") is a single word ("coldbrew", "tbt"): it must be a listed word itself.
///   The training text's own tags are counted the same way, so the tags a corpus uses are listed.
/// - Not words, never checked: numbers; everything from an `@` to the next white space (handles,
///   e-mail domains); everything from "http:", "https:" or "www." to the next white space (the
///   "http" or "www" itself is dropped, not checked).
/// - Letters right after digits ("5pm", "2nd", "100ml", "4K") start a word whose first
///   `unitLength` letters are free: a run of at most that many is a unit or an ordinal and is
///   not checked; a longer one ("3pack") is checked whole.
///
/// The scanner only classifies; the caller keeps the word itself (a string for counting, a
/// position in a `WordList` for the guard) and reacts to the `Action` each scalar produces.
public struct WordScanner: Sendable, Equatable {
    /// Letters after digits up to this many are a unit ("pm", "nd", "ml"), not a word to check.
    public static let unitLength = 3

    /// What the caller does with the scalar just fed.
    public enum Action: UInt8, Sendable {
        /// Nothing: the scalar is outside any word (or inside a skipped run).
        case none
        /// The scalar starts a new word.
        case begin
        /// The scalar starts a new word right after digits (see `unitLength`).
        case beginAfterDigits
        /// The scalar continues the current word.
        case append
        /// An apostrophe (held back until now) and then this scalar continue the current word.
        case appendAfterApostrophe
        /// The current word ended before this scalar; the scalar belongs to no word.
        case end
        /// The current word ended before this scalar, which starts the next (a hashtag's next part).
        case endAndBegin
        /// The current word was the start of a web address ("http", "www"): forget it, check nothing.
        case drop
    }

    /// The kinds of scalar the rules tell apart.
    public enum ScalarClass: UInt8, Sendable {
        case space, upper, lower, caseless, mark, digit, apostrophe, at, hash, colon, period, underscore, other

        /// Whether the scalar is a letter (of any case).
        public var isLetter: Bool { self == .upper || self == .lower || self == .caseless }
    }

    enum Mode: UInt8 { case outside, word, apostrophe, digits, skipped }

    var mode: Mode = .outside
    /// Inside a hashtag (after `#`, until a scalar that cannot be part of a tag).
    public private(set) var isInHashtag = false
    var lastLetterWasLower = false
    /// How far the current word spells a web address's start: 1 h, 2 ht, 3 htt, 4 http, 5 https,
    /// 6 w, 7 ww, 8 www; 0 for anything else.
    var addressProgress: UInt8 = 0

    public init() {}

    /// Whether a word is open (its last letter fed; possibly followed by a held-back apostrophe).
    public var isInWord: Bool { mode == .word || mode == .apostrophe }
    /// Whether the last scalar was an apostrophe right after a word's letter, not yet known to be inside the word.
    public var isHoldingApostrophe: Bool { mode == .apostrophe }
    /// Whether the scanner is inside a skipped run (a handle or a web address) until white space.
    public var isSkipping: Bool { mode == .skipped }
    /// Whether the scanner is where a text starts or white space leaves it: no word, tag or skipped run open.
    public var isAtStart: Bool { mode == .outside && !isInHashtag }

    /// Feeds one scalar.
    @inline(__always)
    public mutating func feed(_ scalar: Unicode.Scalar) -> Action {
        feed(scalar, as: Self.classify(scalar))
    }

    /// Feeds one scalar whose class the caller already knows (`classify`).
    public mutating func feed(_ scalar: Unicode.Scalar, as kind: ScalarClass) -> Action {
        switch kind {
        case .space:
            let action: Action = isInWord ? .end : .none
            self = WordScanner()
            return action
        case .upper, .lower, .caseless:
            let isLower = kind == .lower
            switch mode {
            case .skipped:
                return .none
            case .word:
                if isInHashtag && kind == .upper && lastLetterWasLower {
                    lastLetterWasLower = false
                    addressProgress = 0
                    return .endAndBegin
                }
                lastLetterWasLower = isLower
                addressProgress = Self.nextAddressProgress(addressProgress, scalar)
                return .append
            case .apostrophe:
                mode = .word
                lastLetterWasLower = isLower
                addressProgress = 0
                return .appendAfterApostrophe
            case .digits, .outside:
                let action: Action = mode == .digits ? .beginAfterDigits : .begin
                mode = .word
                lastLetterWasLower = isLower
                addressProgress = Self.nextAddressProgress(0, scalar)
                return action
            }
        case .mark:
            switch mode {
            case .word: return .append
            case .apostrophe:
                mode = .outside
                isInHashtag = false
                return .end
            default: return .none
            }
        case .digit:
            if mode == .skipped { return .none }
            let action: Action = isInWord ? .end : .none
            mode = .digits
            return action
        case .apostrophe:
            switch mode {
            case .skipped: return .none
            case .word:
                mode = .apostrophe
                return .none
            case .apostrophe:
                mode = .outside
                isInHashtag = false
                return .end
            default:
                mode = .outside
                isInHashtag = false
                return .none
            }
        case .at:
            if mode == .skipped { return .none }
            let action: Action = isInWord ? .end : .none
            mode = .skipped
            isInHashtag = false
            return action
        case .hash:
            if mode == .skipped { return .none }
            let action: Action = isInWord ? .end : .none
            mode = .outside
            isInHashtag = true
            return action
        case .colon, .period:
            if mode == .skipped { return .none }
            if mode == .word && (kind == .colon ? addressProgress == 4 || addressProgress == 5 : addressProgress == 8) {
                mode = .skipped
                isInHashtag = false
                return .drop
            }
            let action: Action = isInWord ? .end : .none
            mode = .outside
            isInHashtag = false
            return action
        case .underscore:
            if mode == .skipped { return .none }
            let action: Action = isInWord ? .end : .none
            mode = .outside  // a tag goes on after an underscore, with a new part
            return action
        case .other:
            if mode == .skipped { return .none }
            let action: Action = isInWord ? .end : .none
            mode = .outside
            isInHashtag = false
            return action
        }
    }

    /// The end of the text: `.end` when a word is open, else `.none`.
    public mutating func finish() -> Action {
        let action: Action = isInWord ? .end : .none
        self = WordScanner()
        return action
    }

    @inline(__always)
    static func nextAddressProgress(_ progress: UInt8, _ scalar: Unicode.Scalar) -> UInt8 {
        guard scalar.isASCII else { return 0 }
        switch (progress, UInt8(scalar.value) | 0x20) {
        case (0, UInt8(ascii: "h")): return 1
        case (1, UInt8(ascii: "t")): return 2
        case (2, UInt8(ascii: "t")): return 3
        case (3, UInt8(ascii: "p")): return 4
        case (4, UInt8(ascii: "s")): return 5
        case (0, UInt8(ascii: "w")): return 6
        case (6, UInt8(ascii: "w")): return 7
        case (7, UInt8(ascii: "w")): return 8
        default: return 0
        }
    }

    /// The class of a scalar: ASCII by table, the rest by its Unicode properties.
    @inline(__always)
    public static func classify(_ scalar: Unicode.Scalar) -> ScalarClass {
        if scalar.isASCII { return asciiClasses[Int(scalar.value)] }
        return classifyNonASCII(scalar)
    }

    static let asciiClasses: [ScalarClass] = (0..<128).map { value in
        switch UInt8(value) {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return .upper
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return .lower
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return .digit
        case UInt8(ascii: " "), 0x09...0x0D: return .space
        case UInt8(ascii: "'"): return .apostrophe
        case UInt8(ascii: "@"): return .at
        case UInt8(ascii: "#"): return .hash
        case UInt8(ascii: ":"): return .colon
        case UInt8(ascii: "."): return .period
        case UInt8(ascii: "_"): return .underscore
        default: return .other
        }
    }

    static func classifyNonASCII(_ scalar: Unicode.Scalar) -> ScalarClass {
        if scalar == "\u{2019}" { return .apostrophe }
        let properties = scalar.properties
        if properties.isWhitespace { return .space }
        switch properties.generalCategory {
        case .uppercaseLetter, .titlecaseLetter: return .upper
        case .lowercaseLetter: return .lower
        case .otherLetter, .modifierLetter: return .caseless
        case .nonspacingMark, .spacingMark, .enclosingMark: return .mark
        case .decimalNumber, .otherNumber, .letterNumber: return .digit
        default: return properties.isAlphabetic ? .caseless : .other
        }
    }

    /// Appends the lower-cased UTF-8 of a scalar that is part of a word (an apostrophe as ').
    @inline(__always)
    public static func appendLowercased(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
        if scalar.isASCII {
            let byte = UInt8(scalar.value)
            bytes.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        } else if scalar == "\u{2019}" {
            bytes.append(UInt8(ascii: "'"))
        } else {
            bytes.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
        }
    }
}

/// A word found in a text by `WordScanner.words(in:)`.
public struct ScannedWord: Sendable, Equatable {
    /// Lower-cased, apostrophes as '.
    public var text: String
    /// Part of a hashtag.
    public var isInHashtag: Bool
    /// Written with at least one upper-case letter.
    public var hasUppercase: Bool
    /// At most `WordScanner.unitLength` letters right after digits ("pm" of "5pm"): a unit, not a word to check.
    public var isUnit: Bool

    public init(text: String, isInHashtag: Bool = false, hasUppercase: Bool = false, isUnit: Bool = false) {
        self.text = text
        self.isInHashtag = isInHashtag
        self.hasUppercase = hasUppercase
        self.isUnit = isUnit
    }
}

extension WordScanner {
    /// Every word of `text`, in order (units included, marked; web addresses and handles left out).
    public static func words(in text: String) -> [ScannedWord] {
        var scanner = WordScanner()
        var result: [ScannedWord] = []
        var bytes: [UInt8] = []
        var length = 0, afterDigits = false, hasUppercase = false, inHashtag = false
        func close() {
            let isUnit = afterDigits && length <= unitLength
            result.append(ScannedWord(text: String(decoding: bytes, as: UTF8.self), isInHashtag: inHashtag,
                                      hasUppercase: hasUppercase, isUnit: isUnit))
        }
        func open(_ scalar: Unicode.Scalar, kind: ScalarClass, afterDigits after: Bool) {
            bytes.removeAll(keepingCapacity: true)
            length = 0
            afterDigits = after
            hasUppercase = false
            inHashtag = scanner.isInHashtag
            add(scalar, kind: kind)
        }
        func add(_ scalar: Unicode.Scalar, kind: ScalarClass) {
            appendLowercased(scalar, to: &bytes)
            length += 1
            if kind == .upper { hasUppercase = true }
        }
        for scalar in text.unicodeScalars {
            let kind = classify(scalar)
            switch scanner.feed(scalar, as: kind) {
            case .none: break
            case .begin: open(scalar, kind: kind, afterDigits: false)
            case .beginAfterDigits: open(scalar, kind: kind, afterDigits: true)
            case .append: add(scalar, kind: kind)
            case .appendAfterApostrophe:
                bytes.append(UInt8(ascii: "'"))
                length += 1
                add(scalar, kind: kind)
            case .end: close()
            case .endAndBegin:
                close()
                open(scalar, kind: kind, afterDigits: false)
            case .drop: break
            }
        }
        if scanner.finish() == .end { close() }
        return result
    }

    /// Whether `text` is exactly one word by these rules (any case; no units, no surrounding space).
    public static func isSingleWord(_ text: String) -> Bool {
        let found = words(in: text)
        guard found.count == 1, !found[0].isUnit, !found[0].isInHashtag else { return false }
        var expected: [UInt8] = []
        for scalar in text.unicodeScalars { appendLowercased(scalar, to: &expected) }
        return Array(found[0].text.utf8) == expected
    }
}
