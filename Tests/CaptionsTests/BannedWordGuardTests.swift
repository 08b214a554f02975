import SafetyFilter
import Testing
import Tokenizer
@testable import Captions

@Suite struct BannedWordGuardTests {
    static let tokenizer = Fixture.tokenizer
    static let endOfText = tokenizer.id(ofSpecial: SpecialToken.endOfText)!

    static func text(_ id: TokenID) -> String? { String(validating: tokenizer.bytes(of: id), as: UTF8.self) }

    @Test func aFinishedBannedWordCannotEndButCanGoOn() {
        let guardian = BannedWordGuard(entries: [LexiconEntry(forms: ["zorblax"])], tokenizer: Self.tokenizer)
        let banned = Set(guardian.tokensToBan(after: "Meet the new Zorblax"))
        #expect(banned.contains(Self.endOfText))
        for id in 0..<Self.tokenizer.vocabularySize {
            let token = TokenID(id)
            guard !Self.tokenizer.isSpecialToken(token), let text = Self.text(token), let first = text.first else { continue }
            // Tokens that end the word are banned (a capital would end it as a CamelCase part);
            // tokens that continue it with lower-case letters are not.
            if first == " " || first == "." || first == "!" || first.isUppercase { #expect(banned.contains(token), "\(text.debugDescription)") }
            if first.isLowercase { #expect(!banned.contains(token), "\(text.debugDescription)") }
        }
        // Nothing is banned in the middle of an innocent word.
        #expect(guardian.tokensToBan(after: "Meet the new Zorbla").allSatisfy { Self.text($0)?.lowercased().hasPrefix("x") == true })
        #expect(guardian.tokensToBan(after: "Meet the new lamp").isEmpty)
    }

    /// Like the filter, the guard reads a CamelCase word's parts as words ("DeskLamp", "lampShade").
    @Test func camelCasePartsAreWordsToo() {
        let guardian = BannedWordGuard(entries: [LexiconEntry(forms: ["lamp"])], tokenizer: Self.tokenizer)
        func byte(_ character: Character) -> TokenID { TokenID(character.asciiValue!) }
        // The part "Lamp" is finished: a break, the end of the text or a capital would end it there.
        let afterPart = Set(guardian.tokensToBan(after: "our DeskLamp"))
        #expect(afterPart.contains(Self.endOfText) && afterPart.contains(byte(".")) && afterPart.contains(byte(" ")))
        #expect(afterPart.contains(byte("S")) && !afterPart.contains(byte("s")))
        // The whole word "lamp" is a part too: a capital after it would make it one.
        let afterWord = Set(guardian.tokensToBan(after: "a lamp"))
        #expect(afterWord.contains(byte("S")) && !afterWord.contains(byte("s")))
        // A part being written: the tokens that would finish it and then end it are banned.
        let partial = Set(guardian.tokensToBan(after: "our DeskLam"))
        #expect(partial.contains(byte("p")) == false)
        for id in 0..<Self.tokenizer.vocabularySize {
            let token = TokenID(id)
            guard !Self.tokenizer.isSpecialToken(token), let text = Self.text(token) else { continue }
            if text.count > 1, text.first == "p", let second = text.dropFirst().first, !second.isLetter, !second.isNumber {
                #expect(partial.contains(token), "\(text.debugDescription)")
            }
        }
        // Inside a part that is not the form, nothing of it is banned.
        #expect(guardian.tokensToBan(after: "our Desklam").isEmpty)
    }

    @Test func aPartialWordIsNotCompletedByATokenThatEndsIt() {
        // "hel" + "l." would finish the word "hell": every token that starts with "l" and then
        // breaks the word is banned after "hel".
        let guardian = BannedWordGuard(entries: [LexiconEntry(forms: ["hell"])], tokenizer: Self.tokenizer)
        let banned = Set(guardian.tokensToBan(after: "What the hel"))
        for id in 0..<Self.tokenizer.vocabularySize {
            let token = TokenID(id)
            guard !Self.tokenizer.isSpecialToken(token), let text = Self.text(token)?.lowercased() else { continue }
            let letters = text.prefix { $0.isLetter }
            if letters == "l" && text.count > 1 { #expect(banned.contains(token), "\(text.debugDescription)") }
            if text.hasPrefix("lo") { #expect(!banned.contains(token), "\(text.debugDescription)") }  // "hello" stays possible
        }
    }

    @Test func insideFormsAreBlockedAcrossTokens() {
        let guardian = BannedWordGuard(entries: [LexiconEntry(forms: ["zorb"], matchesInsideWords: true)], tokenizer: Self.tokenizer)
        let banned = Set(guardian.tokensToBan(after: "super zo"))
        for id in 0..<Self.tokenizer.vocabularySize {
            let token = TokenID(id)
            guard !Self.tokenizer.isSpecialToken(token), let text = Self.text(token)?.lowercased() else { continue }
            if text.hasPrefix("rb") { #expect(banned.contains(token), "\(text.debugDescription)") }
        }
        // A token that holds the whole form is banned at every step.
        for id in 0..<Self.tokenizer.vocabularySize where Self.text(TokenID(id))?.lowercased().contains("zorb") == true {
            #expect(guardian.alwaysBanned.contains(TokenID(id)))
        }
    }

    @Test func theBuiltInLexiconBansWholeWordTokens() throws {
        let guardian = BannedWordGuard(entries: try SafetyFilter.builtInLexicon(), tokenizer: Self.tokenizer)
        let filter = try SafetyFilter()
        // Every token the guard bans outright is something the filter would flag on its own.
        for token in guardian.alwaysBanned {
            guard let text = Self.text(token) else { continue }
            #expect(!filter.isClean(text + " ") || !filter.isClean(" " + text + " "), "\(text.debugDescription)")
        }
    }
}
