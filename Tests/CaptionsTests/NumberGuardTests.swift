import Foundation
import Generation
import Testing
import Tokenizer
@testable import Captions

/// Posts state only the numbers their topic gives.
@Suite struct NumberGuardTests {
    static let tokenizer = Fixture.tokenizer
    static let plain = NumberGuard(tokenizer: tokenizer)

    static func writesDigitOrCurrency(_ token: TokenID) -> Bool {
        let bytes = tokenizer.bytes(of: token)
        return bytes.contains(where: NumberGuard.isDigit) || NumberGuard.hasCurrencySign(bytes)
    }

    @Test func numbersAreDigitRuns() {
        #expect(NumberGuard.numbers(in: "Spring sale: $19.99, 20% off until 2026") == ["19", "99", "20", "2026"])
        #expect(NumberGuard.numbers(in: "24/7 café") == ["24", "7"])
        #expect(NumberGuard.numbers(in: "no numbers here").isEmpty)
    }

    static func isBareSpace(_ token: TokenID) -> Bool {
        !tokenizer.isSpecialToken(token) && tokenizer.bytes(of: token).allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    @Test func withoutNumbersEveryDigitCurrencyAndBareSpaceTokenIsBannedAndNothingElse() {
        let banned = Set(Self.plain.tokensToBan(after: "Fresh bread every morning for "))
        let expected = Set((0..<Self.tokenizer.vocabularySize).map { TokenID($0) }.filter {
            !Self.tokenizer.isSpecialToken($0) && (Self.writesDigitOrCurrency($0) || Self.isBareSpace($0))
        })
        #expect(banned == expected)
        #expect(banned.count > 10)
        // A topic without digits changes nothing.
        #expect(Set(Self.plain.allowing(numbersIn: "desk lamp").tokensToBan(after: "Only ")) == expected)
    }

    @Test func aTopicsNumberMayBeWrittenWholeAndNoOther() throws {
        let numbers = Self.plain.allowing(numbersIn: "2026 spring launch")
        let (two, five, space) = (try Fixture.token("2"), try Fixture.token("5"), try Fixture.token(" "))

        // Before a number: its first digit may start, another may not; words go on as usual.
        let fresh = Set(numbers.tokensToBan(after: "See you in "))
        #expect(!fresh.contains(two) && fresh.contains(five) && !fresh.contains(space))

        // Partway through it: only tokens that go on with its digits.
        let partway = Set(numbers.tokensToBan(after: "See you in 20"))
        #expect(partway.contains(space) && partway.contains(five) && !partway.contains(two))
        for id in 0..<Self.tokenizer.vocabularySize where !partway.contains(TokenID(id)) {
            let bytes = Self.tokenizer.bytes(of: TokenID(id))
            #expect(NumberGuard.isDigit(bytes[0]), "\(String(decoding: bytes, as: UTF8.self).debugDescription) ends 20 early")
        }

        // After the whole number: it may end, not grow, also across a character the post will drop.
        let whole = Set(numbers.tokensToBan(after: "See you in 2026"))
        #expect(!whole.contains(space) && whole.contains(five) && whole.contains(two))
        #expect(Set(numbers.tokensToBan(after: "See you in 2026\u{FFFD}")) == whole)
    }

    @Test func theShippedTokenizerWritesANumbersSpaceApart() throws {
        #expect(NumberGuard.writesNumbersSpaceApart(Self.tokenizer))
        #expect(Self.plain.bareSpaces.contains(try Fixture.token(" ")))
        #expect(Self.tokenizer.encode("Only 20 left").contains(try Fixture.token(" ")))
    }

    @Test func afterABareSpaceOnlyADigitOrWhiteSpaceMayFollow() throws {
        let numbers = Self.plain.allowing(numbersIn: "2026 spring launch")
        let banned = Set(numbers.tokensToBan(after: "See you in "))
        let (two, space, word, newline) = (try Fixture.token("2"), try Fixture.token(" "), try Fixture.token("in"), try Fixture.token("\n"))
        #expect(!banned.contains(two) && !banned.contains(space) && !banned.contains(newline) && banned.contains(word))
        // After a word the same tokens go on as usual.
        #expect(!numbers.tokensToBan(after: "See you in").contains(word))
    }

    /// A model pushed toward the bare space that stands before a number: with only the digits
    /// masked it glues words to the space (so the test can fail); with the guard it never writes
    /// the space when no number is allowed, and follows it only with a digit or white space when
    /// one is.
    @Test func aModelPushedTowardABareSpaceGluesNoWordToIt() throws {
        let generator = try Generator(model: Fixture.model.parameters, tokenizer: Self.tokenizer, batchCapacity: 8, threads: 1)
        let bareSpaces = Set(Self.plain.bareSpaces)
        var settings = SamplingSettings()
        settings.logitBias = Dictionary(uniqueKeysWithValues: bareSpaces.map { ($0, Float(6)) })
        settings.maxNewTokens = 48
        settings.seed = 3
        let prompt = Self.tokenizer.encode("Fresh bread")
        // Never two bare spaces in a row, so that what follows one is a choice between a digit, a
        // word with its own space and a glued word.
        func wordsAfterBareSpaces(masking bans: @escaping (String) -> [TokenID]) throws -> (spaces: Int, glued: Int) {
            let sequences = try generator.generate(prompts: [prompt], settings: settings, count: 8, control: { step in
                step.ban(bans(step.text))
                if step.text.hasSuffix(" ") { step.ban(bareSpaces) }
            })
            var spaces = 0, glued = 0
            for tokens in sequences.map(\.tokens) {
                for (token, next) in zip(tokens, tokens.dropFirst()) where bareSpaces.contains(token) {
                    spaces += 1
                    let first = Self.tokenizer.bytes(of: next).first ?? 0
                    if !NumberGuard.isDigit(first) && !NumberGuard.isWhiteSpace(first) { glued += 1 }
                }
            }
            return (spaces, glued)
        }
        #expect(try wordsAfterBareSpaces(masking: { _ in Self.plain.tokens }).glued > 0)
        #expect(try wordsAfterBareSpaces(masking: Self.plain.tokensToBan).spaces == 0)
        let withNumber = Self.plain.allowing(numbersIn: "bread 2026")
        let allowed = try wordsAfterBareSpaces(masking: withNumber.tokensToBan)
        #expect(allowed.spaces > 0 && allowed.glued == 0)
    }

    /// A model pushed toward digits (the random test model's logits are nearly flat, so a small
    /// push is a large one) writes them without the guard, so the test can fail, and only the
    /// topic's number with it.
    @Test func aModelPushedTowardDigitsWritesOnlyTheTopicsNumber() throws {
        let pushed = (0..<Self.tokenizer.vocabularySize).map { TokenID($0) }.filter {
            !Self.tokenizer.isSpecialToken($0) && Self.tokenizer.bytes(of: $0).contains(where: NumberGuard.isDigit)
        }
        var bias = Dictionary(uniqueKeysWithValues: pushed.map { ($0, Float(0.3)) })
        // And toward the bare space this tokenizer writes before a number.
        for space in Self.plain.bareSpaces { bias[space] = 2 }
        func drafts(topic: String, anyNumber: Bool) throws -> [String] {
            let generator = try CaptionGenerator(model: Fixture.model, prompts: Fixture.prompts, anyNumber: anyNumber, batchCapacity: 8, threads: 1)
            var request = CaptionRequest(topic: topic, platform: "instagram", tone: "playful", count: 3, seed: 5)
            request.logitBias = bias
            request.topicBoost = 0
            let result = try generator.generate(request)
            let posts = result.posts
            #expect(!posts.isEmpty)
            return posts.map(\.draft)
        }
        #expect(try drafts(topic: "desk lamp", anyNumber: true).contains { !NumberGuard.numbers(in: $0).isEmpty })
        for draft in try drafts(topic: "desk lamp", anyNumber: false) {
            #expect(NumberGuard.numbers(in: draft).isEmpty, "\(draft.debugDescription)")
        }
        let withNumber = try drafts(topic: "desk lamp 2026", anyNumber: false)
        for draft in withNumber {
            #expect(NumberGuard.numbers(in: draft).allSatisfy { $0 == "2026" }, "\(draft.debugDescription)")
        }
        #expect(withNumber.contains { NumberGuard.numbers(in: $0).contains("2026") })
    }
}
