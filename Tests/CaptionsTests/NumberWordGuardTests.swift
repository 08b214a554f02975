import Foundation
import Generation
import Testing
import Tokenizer
@testable import Captions
@testable import Measurement

/// Posts write no number as a word ("three hours") unless the topic gives it.
@Suite struct NumberWordGuardTests {
    static let tokenizer = Fixture.tokenizer
    static let plain = NumberWordGuard(tokenizer: tokenizer)

    /// The number words of a draft, CamelCase parts included, in order.
    static func numberWords(in text: String) -> [String] {
        var words: [String] = [], current = ""
        var previous: Character = " "
        for character in text + " " {
            let startsPart = character.isUppercase && previous.isLowercase
            if !character.isLetter || startsPart {
                if NumberWordGuard.values[current.lowercased()] != nil { words.append(current.lowercased()) }
                current = ""
            }
            if character.isLetter { current.append(character) }
            previous = character
        }
        return words
    }

    @Test func aTopicGivesWordsAndDigits() {
        #expect(NumberWordGuard.givenWords(in: "3-day yoga retreat") == ["three"])
        #expect(NumberWordGuard.givenWords(in: "Two-for-one tacos") == ["two"])
        #expect(NumberWordGuard.givenWords(in: "a dozen roses") == ["dozen"])
        #expect(NumberWordGuard.givenWords(in: "12 roses for 100 guests") == ["twelve", "dozen", "dozens", "hundred", "hundreds"])
        #expect(NumberWordGuard.givenWords(in: "one desk lamp, tenth birthday").isEmpty)
        #expect(Self.numberWords(in: "Stay three nights #TwoForTuesday, tennis at ten.") == ["three", "two", "ten"])
        // `bench quality` counts the same words, less the topic's.
        #expect(QualityEvaluation.unaskedNumberWords(in: "Stay three nights #TwoForTuesday, tennis at ten.", topic: "2 nights")
                == ["three", "ten"])
    }

    @Test func aNumberWordIsCutBeforeItIsWhole() throws {
        let (three, two, capitalTwo, tenPiece) = (try Fixture.token(" three"), try Fixture.token(" two"), try Fixture.token(" Two"), try Fixture.token("ten"))
        let (enty, o, ree) = (try Fixture.token("enty"), try Fixture.token("o"), try Fixture.token("ree"))

        // A token that writes the whole word after its own space, whatever came before.
        for text in ["Stay for", "Stay for ", ""] {
            let banned = Set(Self.plain.tokensToBan(after: text))
            #expect(banned.contains(three) && banned.contains(two) && banned.contains(capitalTwo), "\(text.debugDescription)")
        }
        // At a word's start, a token that is the whole word ("ten"); not inside another word ("of" + "ten").
        #expect(Set(Self.plain.tokensToBan(after: "at ")).contains(tenPiece))
        #expect(!Set(Self.plain.tokensToBan(after: "at of")).contains(tenPiece))
        // Partway: the token that would complete it, not others.
        let afterTw = Set(Self.plain.tokensToBan(after: "for tw"))
        #expect(afterTw.contains(enty) && afterTw.contains(o))
        #expect(!afterTw.contains(ree))
        #expect(Set(Self.plain.tokensToBan(after: "for th")).contains(ree))
        // A CamelCase part: "#Book" + "Two".
        let capitalTwoPiece = Self.tokenizer.encode("#BookTwo").last!
        if String(decoding: Self.tokenizer.bytes(of: capitalTwoPiece), as: UTF8.self) == "Two" {
            #expect(Set(Self.plain.tokensToBan(after: "#Book")).contains(capitalTwoPiece))
        }
    }

    @Test func aTopicsNumberWordIsAllowed() throws {
        let (three, four) = (try Fixture.token(" three"), try Fixture.token(" four"))
        for topic in ["3-day yoga retreat", "three-day yoga retreat"] {
            let banned = Set(Self.plain.allowing(numbersIn: topic).tokensToBan(after: "Join us for"))
            #expect(!banned.contains(three) && banned.contains(four), "\(topic)")
        }
        #expect(Self.plain.allowing(numbersIn: "desk lamp").words == Self.plain.words)
    }

    /// A model pushed toward number words writes them without the guard, so the test can fail,
    /// and none the topic does not give with it.
    @Test func aModelPushedTowardNumberWordsWritesOnlyTheTopics() throws {
        let pushed = (0..<Self.tokenizer.vocabularySize).map { TokenID($0) }.filter { token in
            guard !Self.tokenizer.isSpecialToken(token) else { return false }
            let text = String(decoding: Self.tokenizer.bytes(of: token), as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased()
            return NumberWordGuard.values[text] != nil
        }
        let bias = Dictionary(uniqueKeysWithValues: pushed.map { ($0, Float(2)) })
        func drafts(topic: String, anyNumber: Bool) throws -> [String] {
            let generator = try CaptionGenerator(model: Fixture.model, prompts: Fixture.prompts, anyNumber: anyNumber, batchCapacity: 8, threads: 1)
            var request = CaptionRequest(topic: topic, platform: "instagram", tone: "playful", count: 3, seed: 5)
            request.logitBias = bias
            request.topicBoost = 0
            let posts = try generator.generate(request).posts
            #expect(!posts.isEmpty)
            return posts.map(\.draft)
        }
        #expect(try drafts(topic: "desk lamp", anyNumber: true).contains { !Self.numberWords(in: $0).isEmpty })
        for draft in try drafts(topic: "desk lamp", anyNumber: false) {
            #expect(Self.numberWords(in: draft).isEmpty, "\(draft.debugDescription)")
        }
        for draft in try drafts(topic: "desk lamp for two", anyNumber: false) {
            #expect(Self.numberWords(in: draft).allSatisfy { $0 == "two" }, "\(draft.debugDescription)")
        }
    }
}
