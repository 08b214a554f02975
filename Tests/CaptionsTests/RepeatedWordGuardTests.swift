import Corpus
import Foundation
import Generation
import Testing
import Tokenizer
@testable import Captions

/// No word twice in a row.
@Suite struct RepeatedWordGuardTests {
    static let tokenizer = try! Tokenizer.load(from: Fixture.repositoryRoot + "/Tokenizers/english-8k.json")
    static let guardian = RepeatedWordGuard(tokenizer: tokenizer)

    static func token(_ piece: String) -> TokenID {
        let ids = tokenizer.encode(piece)
        precondition(ids.count == 1, "\(piece.debugDescription) is not one token")
        return ids[0]
    }

    static func banned(after text: String) -> Set<TokenID> { Set(guardian.tokensToBan(after: text)) }

    @Test func theLastWordMayNotComeAgain() {
        // Right after the word: a space and the word again, in either case.
        let afterWord = Self.banned(after: "Join our Summer")
        #expect(afterWord.contains(Self.token(" summer")) && afterWord.contains(Self.token(" Summer")))
        #expect(!afterWord.contains(Self.token(" camp")) && !afterWord.contains(Self.token(" our")))
        // After white space: the word with or without a space of its own.
        let afterSpace = Self.banned(after: "Fresh coffee ")
        #expect(afterSpace.contains(Self.token("coffee")) && afterSpace.contains(Self.token(" coffee")))
        #expect(!afterSpace.contains(Self.token("shop")) && !afterSpace.contains(Self.token(" shop")))
        // The one before the last is free again: "coffee shop coffee" is not a doubled word.
        #expect(!Self.banned(after: "Fresh coffee shop ").contains(Self.token("coffee")))
    }

    @Test func aRepeatWrittenInPiecesIsStoppedAtItsLastPiece() {
        // "summer sum" + "mer" would repeat it; "sum" + "mit" would not.
        let inWord = Self.banned(after: "Join our summer sum")
        #expect(inWord.contains(Self.token("mer")))
        #expect(!inWord.contains(Self.token("o")))
    }

    @Test func aWordPieceMayNotFollowItself() {
        let mer = Self.token("mer")
        #expect(Self.guardian.tokensToBan(after: "Our summer", lastToken: mer).contains(mer))
        #expect(!Self.guardian.tokensToBan(after: "Our summer").contains(mer))
        #expect(!Self.guardian.tokensToBan(after: "Our summer ", lastToken: mer).contains(mer), "a new word may start with it")
    }

    @Test func numbersAndOtherSeparatorsAreLeftAlone() {
        #expect(!Self.banned(after: "Open 9day ").contains(Self.token("day")), "a unit after digits is no word")
        #expect(!Self.banned(after: "Summer, ").contains(Self.token(" summer")), "only white space between makes a double")
        #expect(Self.guardian.tokensToBan(after: "").isEmpty)
    }

    /// A random model pushed toward a word writes it twice in a row; the generator never does.
    /// Also a topic word, where the capital guard, which lets a capital inside a sentence start
    /// only the topic's words, may leave the word again as the only way on ("Mugs M" + "ugs"):
    /// there the capital gives way, not the doubled word.
    @Test(arguments: [("summer camp", "coffee"), ("stoneware mugs", "mugs")])
    func postsHoldNoDoubledWord(topic: String, word: String) throws {
        var bias: [TokenID: Float] = [:]
        let capitalized = word.prefix(1).uppercased() + word.dropFirst()
        for piece in [" " + word, " " + capitalized] { for token in Fixture.tokenizer.encode(piece) { bias[token] = 6 } }
        func doubled(_ text: String) -> Bool {
            let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\n" })
            return zip(words, words.dropFirst()).contains { $0 == $1 && $0.allSatisfy(\.isLetter) }
        }
        var settings = SamplingSettings()
        settings.logitBias = bias
        settings.seed = 5
        let header = ConditioningFormat.header(topic: topic, platform: "x", tone: "playful", tokenizer: Fixture.tokenizer,
                                               controls: try ConditioningFormat.ControlTokens(tokenizer: Fixture.tokenizer))
        let unguarded = try Generator(model: Fixture.model.parameters, tokenizer: Fixture.tokenizer, batchCapacity: 8, threads: 1)
            .generate(prompts: [header], settings: settings, count: 8)
        #expect(unguarded.contains { doubled($0.text) })

        var request = CaptionRequest(topic: topic, platform: "x", tone: "playful", count: 3, seed: 5)
        request.logitBias = bias
        for generator in [try Fixture.generator(), try Fixture.generator(allowedWords: Fixture.corpusWords)] {
            let result = try generator.generate(request)
            #expect(result.posts.count == 3)
            for post in result.posts { #expect(!doubled(post.draft), "\(post.draft.debugDescription)") }
        }
    }
}
