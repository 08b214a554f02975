import Corpus
import Foundation
@testable import Measurement
import Testing
import Tokenizer
@testable import Captions

/// Words capitalized inside a sentence only when the request gave them.
@Suite struct CapitalGuardTests {
    static let tokenizer = try! Tokenizer.load(from: Fixture.repositoryRoot + "/Tokenizers/english-8k.json")
    static let guardian = CapitalGuard(tokenizer: tokenizer, allowed: WordList(["meridian"])).allowing(wordsOf: "kayak tours at sunrise")

    static func banned(_ piece: String, after text: String) -> Bool {
        let ids = tokenizer.encode(piece)
        precondition(ids.count == 1, "\(piece.debugDescription) is not one token")
        return guardian.tokensToBan(after: text).contains(ids[0])
    }

    @Test func insideASentenceOnlyTheTopicsAndTheUsersWordsMayStartCapitalized() {
        for text in ["Join us at the", "Join us at the ", "Paddle out, then", "7am &", "Sunrise tours (with"] {
            for piece in [" Reserve", " River", " R", " L"] {
                #expect(Self.banned(piece, after: text), "\(piece.debugDescription) after \(text.debugDescription)")
            }
            for piece in [" K", " M", " S", " I", " reserve", " river"] {
                #expect(!Self.banned(piece, after: text), "\(piece.debugDescription) after \(text.debugDescription)")
            }
        }
        // A sentence's or an item's first word, a hashtag's or a handle's may be anything.
        for text in ["", "Sunrise tours.", "Sunrise tours! ", "Sunrise tours 🌅", "Ready?\n", "- ", "Tours: ", "#", "@"] {
            #expect(!Self.banned(" Reserve", after: text) && !Self.banned("R", after: text), "\(text.debugDescription)")
        }
        // Right after a word only a token with white space of its own starts the next one; one
        // without goes on with the word, where a capital is refused only after a lower-case letter.
        #expect(!Self.banned("R", after: "Join us at THE"))
        #expect(Self.banned("R", after: "Join us at the"))
    }

    @Test func aCapitalizedWordMustStayOnItsWayToAnAllowedWord() {
        let continuing = ["ayak", "ay", "ourney", "eridian"]
        // "K" may become Kayak, not Kourney.
        let afterK = Set(Self.guardian.tokensToBan(after: "Paddle with K"))
        let ids = continuing.map { Self.tokenizer.encode($0) }
        #expect(ids.allSatisfy { $0.count >= 1 })
        #expect(!afterK.contains(ids[0][0]) && !afterK.contains(ids[1][0]))
        #expect(afterK.contains(Self.tokenizer.encode(" and")[0]), "K alone is no allowed word: it may not end")
        // A whole allowed word may end, and the next word is checked again.
        let afterKayak = Set(Self.guardian.tokensToBan(after: "Paddle with Kayak"))
        #expect(!afterKayak.contains(Self.tokenizer.encode(" and")[0]) && afterKayak.contains(Self.tokenizer.encode(" Reserve")[0]))
        // The user's own words too; and "I" may end at once.
        #expect(!Set(Self.guardian.tokensToBan(after: "Book at M")).contains(Self.tokenizer.encode("eridian").first!))
        #expect(!Set(Self.guardian.tokensToBan(after: "Then I")).contains(Self.tokenizer.encode(" and")[0]))
    }

    @Test func anEmojisVariationSelectorIsNoWord() {
        // "🗓️" is U+1F5D3 and U+FE0F: after it, as after any emoji, an item may start with a capital.
        for text in ["Dates \u{1F5D3}\u{FE0F}", "Dates \u{1F5D3}\u{FE0F} ", "Hi 👋🏽 "] {
            #expect(!Self.banned(" Reserve", after: text) && !Self.banned("R", after: text), "\(text.debugDescription)")
        }
    }

    @Test func insideAWordNoCapitalFollowsALowerCaseLetter() {
        let capitalR = Self.tokenizer.encode("R")[0], lowerR = Self.tokenizer.encode("r")[0]
        for text in ["Our Mornin", "kayak tou", "Join the mornin"] {
            let bans = Set(Self.guardian.tokensToBan(after: text))
            #expect(bans.contains(capitalR) && !bans.contains(lowerR), "\(text.debugDescription)")
        }
        // Capitals after capitals, hashtags and handles, and a mixed-case word of the topic are fine.
        #expect(!Set(Self.guardian.tokensToBan(after: "Our NEW")).contains(capitalR))
        #expect(!Set(Self.guardian.tokensToBan(after: "#summer")).contains(capitalR))
        #expect(!Set(Self.guardian.tokensToBan(after: "@sunrise")).contains(capitalR))
        let phone = CapitalGuard(tokenizer: Self.tokenizer).allowing(wordsOf: "iPhone cases")
        let capitalP = Self.tokenizer.encode("P")[0]
        #expect(!Set(phone.tokensToBan(after: "New i")).contains(capitalP))
        #expect(Set(phone.tokensToBan(after: "New cas")).contains(capitalP))
    }

    /// Right after a topic word, a capital that could only write it again is masked ("Kayak K"
    /// would leave "Kayak Kayak" or a made-up capital); one that can go on to another topic word
    /// stays open ("Tours S" → "Sunrise").
    @Test func aCapitalThatCouldOnlyRepeatTheLastWordIsMasked() {
        for text in ["Book a Kayak", "Book a kayak", "Book a Kayak "] {
            #expect(Self.banned(" K", after: text), "\(text.debugDescription)")
            #expect(!Self.banned(" S", after: text) && !Self.banned(" T", after: text), "\(text.debugDescription)")
        }
        #expect(Self.banned("K", after: "Book a Kayak "))
        #expect(!Self.banned(" K", after: "Book our Tours") && !Self.banned(" K", after: "Book our Tours "))
        #expect(!Self.banned(" K", after: "#Kayak"))
        // A replacement character is dropped from the post, so it does not end the sentence.
        #expect(Self.banned(" River", after: "Book a Kayak\u{FFFD}") && Self.banned(" K", after: "Book a Kayak\u{FFFD}"))
    }

    @Test func nothingIsBannedWhereAnyWordMayBeCapitalized() {
        #expect(Self.guardian.tokensToBan(after: "Sunrise tours. ").isEmpty)
        #expect(Self.guardian.tokensToBan(after: "").isEmpty)
    }

    /// A random model pushed toward capitalized words writes them inside sentences; with the
    /// guard it capitalizes only the topic's words there, and keeps to the word list.
    @Test func postsCapitalizeOnlyTheTopicsWordsInsideSentences() throws {
        var request = CaptionRequest(topic: "kayak tours", platform: "x", tone: "playful", count: 3, seed: 5)
        for piece in [" Reserve", " River", " Summit", " Kayak", " Grove"] {
            for token in Fixture.tokenizer.encode(piece) { request.logitBias[token] = 5 }
        }
        let topicWords = Set(CaptionGenerator.topicWords(request.topic))
        func unasked(_ text: String) -> [String] { QualityEvaluation.unaskedNames(in: text, topicWords: topicWords) }
        let unguarded = try Fixture.generator(anyName: true).generate(request)
        #expect(unguarded.posts.contains { !unasked($0.draft).isEmpty })
        let words = Fixture.corpusWords.adding(Array(topicWords))
        for generator in [try Fixture.generator(), try Fixture.generator(allowedWords: Fixture.corpusWords)] {
            let result = try generator.generate(request)
            #expect(result.posts.count == 3)
            for post in result.posts {
                #expect(unasked(post.draft).isEmpty, "\(post.draft.debugDescription)")
                if generator.listedWordGuard != nil {
                    #expect(WordScanner.words(in: post.draft).filter { !$0.isUnit && !words.contains($0.text) }.isEmpty, "\(post.draft.debugDescription)")
                }
            }
        }
    }
}
