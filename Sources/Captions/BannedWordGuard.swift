import Generation
import SafetyFilter
import Tokenizer

/// Keeps the sampler from spelling a banned word, token by token.
///
/// Tokens are pieces of words (" hell", "o"), so whether a word is banned is known only when it
/// ends. The guard follows the word being written (the letters and digits at the end of the text
/// so far, lower-cased) and, before each draw, bans exactly the tokens that would complete a
/// banned form:
///
/// - a whole-word form ("hell"): when the word so far plus a token's leading letters would equal
///   the form and the token then ends the word (a space, punctuation), or when the word so far
///   already equals the form and the token or `<|endoftext|>` would end it there. Tokens that go on
///   with letters stay allowed: "hell" may still become "hello".
/// - a form matched inside words ("fuck"): any token whose letters would complete the form,
///   across token boundaries.
/// - tokens that spell a complete banned word by themselves are banned at every step.
///
/// Forms with spaces ("son of a bitch") and evasive spellings are left to the filter that checks
/// every finished candidate; the guard only makes such a rejection rarer. Over-banning is possible
/// where an innocent word shares a form's letters; it only narrows the sampler's choice.
public struct BannedWordGuard: Sendable {
    /// Per token: the word characters before its first break, whether it has a break, and the word
    /// characters after its last break (where the next token continues).
    struct TokenShape: Sendable {
        var leading: String
        var hasBreak: Bool
    }

    let shapes: [TokenShape]
    let wordForms: Set<String>
    let insideForms: [String]
    /// Banned at every step: tokens that spell a banned word on their own.
    public let alwaysBanned: Set<TokenID>
    /// Tokens that end a word at once (their first character is a break), plus end-of-text.
    let wordEnders: [TokenID]
    /// Tokens with a break, keyed by their leading word characters: the tokens that would finish a
    /// word with exactly those letters.
    let enderByLeading: [String: [TokenID]]
    /// Tokens keyed by every prefix of their leading word characters (up to the longest inside
    /// form's length): the tokens that would continue a word with those letters.
    let continuersByPrefix: [String: [TokenID]]
    /// At the start of a word: tokens whose leading word characters are a whole banned form and
    /// that then end the word ("hell.").
    let startOfWordBans: [TokenID]

    /// - Parameters:
    ///   - entries: the lexicon (built-in plus a user's); every form of every entry is guarded.
    ///   - tokenizer: the model's tokenizer.
    public init(entries: [LexiconEntry], tokenizer: Tokenizer) {
        var words = Set<String>(), inside = Set<String>()
        for entry in entries {
            for form in entry.forms {
                let folded = form.lowercased()
                guard !folded.isEmpty, folded.allSatisfy(Self.isWordCharacter) else { continue }  // multi-word: the filter's job
                if entry.matchesInsideWords { inside.insert(folded) } else { words.insert(folded) }
            }
        }
        wordForms = words
        insideForms = inside.sorted()
        let longestInside = insideForms.map(\.count).max() ?? 0

        var shapes: [TokenShape] = []
        var always = Set<TokenID>(), enders: [TokenID] = []
        var byLeading: [String: [TokenID]] = [:], byPrefix: [String: [TokenID]] = [:]
        let endOfText = tokenizer.id(ofSpecial: SpecialToken.endOfText)
        for id in 0..<tokenizer.vocabularySize {
            let token = TokenID(id)
            if tokenizer.isSpecialToken(token) {
                shapes.append(TokenShape(leading: "", hasBreak: true))
                if token == endOfText { enders.append(token) }
                continue
            }
            // A token that is not whole UTF-8 (part of an emoji) counts as a break: over-banning is safe.
            let text = String(validating: tokenizer.bytes(of: token), as: UTF8.self)?.lowercased() ?? " "
            let pieces = Self.wordPieces(text)
            let shape = TokenShape(leading: pieces.leading, hasBreak: pieces.hasBreak)
            shapes.append(shape)
            if pieces.completeWords.contains(where: words.contains)
                || insideForms.contains(where: { form in pieces.allWords.contains { $0.contains(form) } }) {
                always.insert(token)
            }
            if shape.hasBreak {
                if shape.leading.isEmpty { enders.append(token) }
                byLeading[shape.leading, default: []].append(token)
            }
            if !shape.leading.isEmpty && longestInside > 0 {
                var prefix = ""
                for character in shape.leading.prefix(longestInside) {
                    prefix.append(character)
                    byPrefix[prefix, default: []].append(token)
                }
            }
        }
        self.shapes = shapes
        alwaysBanned = always
        wordEnders = enders
        enderByLeading = byLeading
        continuersByPrefix = byPrefix
        startOfWordBans = words.sorted().flatMap { byLeading[$0] ?? [] }
    }

    /// The tokens to ban now, given the text written so far (always-banned tokens excluded: put
    /// those in the sampling settings once).
    public func tokensToBan(after text: String) -> [TokenID] {
        let word = Self.trailingWord(of: text)
        guard !word.isEmpty else { return startOfWordBans }
        var banned: [TokenID] = []
        for form in wordForms where form.count >= word.count && form.hasPrefix(word) {
            let rest = String(form.dropFirst(word.count))
            if rest.isEmpty { banned += wordEnders }
            banned += enderByLeading[rest] ?? []
        }
        for form in insideForms {
            // Every split of the form whose first part ends the word so far: ban tokens that begin
            // with the second part.
            let characters = Array(form)
            for split in 1..<characters.count where word.hasSuffix(String(characters[..<split])) {
                banned += continuersByPrefix[String(characters[split...])] ?? []
            }
        }
        return banned
    }

    /// The word being written at the end of `text`: its trailing word characters, lower-cased.
    static func trailingWord(of text: String) -> String {
        var scalars = text.unicodeScalars[...]
        var start = scalars.endIndex
        while start > scalars.startIndex {
            let before = scalars.index(before: start)
            guard isWordScalar(scalars[before]) else { break }
            start = before
        }
        scalars = scalars[start...]
        return String(String.UnicodeScalarView(scalars)).lowercased()
    }

    /// A token's text split at its breaks (anything but letters, digits and marks).
    static func wordPieces(_ text: String) -> (leading: String, hasBreak: Bool, completeWords: [String], allWords: [String]) {
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { !isWordCharacter($0) }).map(String.init)
        let hasBreak = parts.count > 1
        // Words with a break on both sides inside the token are complete on their own.
        let complete = parts.count > 2 ? Array(parts[1..<(parts.count - 1)]).filter { !$0.isEmpty } : []
        return (parts[0], hasBreak, complete, parts.filter { !$0.isEmpty })
    }

    static func isWordCharacter(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy(isWordScalar)
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic { return true }
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }
}
