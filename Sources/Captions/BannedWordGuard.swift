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
/// Like the filter, the guard reads a made-up CamelCase word as words of its own: a lower-case
/// letter followed by an upper-case one starts a part, and a whole-word form may be a part
/// ("fooVelvet", "VelvetLamp"). So a form the word or part so far equals is also ended by a token
/// that starts with a capital, and after a lower-case letter a capitalized token that is a form
/// and then ends ("Velvet.") is banned too.
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
    /// Tokens whose first character is a capital: after a lower-case letter they start a part.
    let capitalStarters: [TokenID]
    /// After a lower-case letter: capitalized tokens whose leading word characters are a whole
    /// banned form and that then end the word ("Velvet.").
    let startOfPartBans: [TokenID]

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
        var capitals: [TokenID] = [], capitalByLeading: [String: [TokenID]] = [:]
        let endOfText = tokenizer.id(ofSpecial: SpecialToken.endOfText)
        for id in 0..<tokenizer.vocabularySize {
            let token = TokenID(id)
            if tokenizer.isSpecialToken(token) {
                shapes.append(TokenShape(leading: "", hasBreak: true))
                if token == endOfText { enders.append(token) }
                continue
            }
            // A token that is not whole UTF-8 (part of an emoji) counts as a break: over-banning is safe.
            let original = String(validating: tokenizer.bytes(of: token), as: UTF8.self) ?? " "
            let text = original.lowercased()
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
            if let first = original.unicodeScalars.first, first.properties.isUppercase {
                capitals.append(token)
                if shape.hasBreak { capitalByLeading[shape.leading, default: []].append(token) }
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
        capitalStarters = capitals
        startOfPartBans = words.sorted().flatMap { capitalByLeading[$0] ?? [] }
    }

    /// The tokens to ban now, given the text written so far (always-banned tokens excluded: put
    /// those in the sampling settings once).
    public func tokensToBan(after text: String) -> [TokenID] {
        let (word, part) = Self.trailingWordAndPart(of: text)
        guard !word.isEmpty else { return startOfWordBans }
        var banned: [TokenID] = []
        for start in part == word ? [word] : [word, part] {
            for form in wordForms where form.count >= start.count && form.hasPrefix(start) {
                let rest = String(form.dropFirst(start.count))
                if rest.isEmpty { banned += wordEnders + capitalStarters }
                banned += enderByLeading[rest] ?? []
            }
        }
        if let last = text.unicodeScalars.last, last.properties.isLowercase { banned += startOfPartBans }
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

    /// The word being written at the end of `text` (its trailing word characters) and its last
    /// CamelCase part (from its last capital after a lower-case letter), both lower-cased.
    static func trailingWordAndPart(of text: String) -> (word: String, part: String) {
        let scalars = text.unicodeScalars
        var start = scalars.endIndex, partStart = scalars.endIndex
        var after: Unicode.Scalar? = nil
        while start > scalars.startIndex {
            let before = scalars.index(before: start)
            guard isWordScalar(scalars[before]) else { break }
            if partStart == scalars.endIndex, let after, after.properties.isUppercase, scalars[before].properties.isLowercase {
                partStart = start
            }
            after = scalars[before]
            start = before
        }
        if partStart == scalars.endIndex { partStart = start }
        return (String(scalars[start...]).lowercased(), String(scalars[partStart...]).lowercased())
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
