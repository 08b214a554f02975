import Generation
import Testing
import Tokenizer
@testable import Captions

/// A word the topic boost began may only become one of the topic's words.
@Suite struct TopicWordGuardTests {
    static let tokenizer = Fixture.tokenizer
    static let table = WordPieces(tokenizer: tokenizer)

    static func guardFor(_ topic: String) throws -> TopicWordGuard {
        let boosted = try Fixture.generator().topicTokens(topic)
        return TopicWordGuard(table: table, boosted: boosted, topic: topic)
    }

    @Test func formsAreTheWordAndItsPlurals() {
        #expect(TopicWordGuard.forms(of: "Camp") == ["camp", "camps", "campes"])
        #expect(TopicWordGuard.forms(of: "bakery").contains("bakeries"))
    }

    @Test func aWordBegunByABoostedTokenOnlyBecomesATopicWord() throws {
        let guardian = try Self.guardFor("coding camp")
        let camp = try Fixture.token(" camp")
        try #require(guardian.boosted.contains(camp))
        let bans = Set(guardian.tokensToBan(after: Self.tokenizer.encode("Join our") + [camp]))
        let (ing, s, space, period, word) = (try Fixture.token("ing"), try Fixture.token("s"), try Fixture.token(" "),
                                              try Fixture.token("."), try Fixture.token(" the"))
        #expect(bans.contains(ing))
        #expect(!bans.contains(s) && !bans.contains(space) && !bans.contains(period) && !bans.contains(word))
        // The same letters begun without a boosted token are left alone.
        let unboosted = Self.tokenizer.encode("Join our c") + [try Fixture.token("amp")]
        #expect(guardian.tokensToBan(after: unboosted).isEmpty)
        // After the word has ended, nothing.
        #expect(guardian.tokensToBan(after: Self.tokenizer.encode("Join our") + [camp, period]).isEmpty)
    }

    /// A random model pushed toward " camp" and then toward "ing" writes "camping" without the
    /// guard (so the test can fail); with it, a post about a coding camp never does.
    @Test func postsAboutACampHoldNoCamping() throws {
        var request = CaptionRequest(topic: "coding camp", platform: "x", tone: "playful", count: 3, seed: 5)
        request.logitBias = [try Fixture.token("ing"): 7, try Fixture.token(" camp"): 3]
        request.topicBoost = 3
        func campings(_ posts: [CaptionPost]) -> Int {
            posts.map { $0.draft.lowercased().components(separatedBy: "camping").count - 1 }.reduce(0, +)
        }
        var unguarded = request
        unguarded.logitBias[try Fixture.token(" camp")] = 6  // the boost, without the guard that comes with it
        unguarded.topicBoost = 0
        #expect(campings(try Fixture.generator().generate(unguarded).posts) > 0)
        for generator in [try Fixture.generator(), try Fixture.generator(allowedWords: Fixture.corpusWords)] {
            let posts = try generator.generate(request).posts
            #expect(posts.count == 3)
            #expect(campings(posts) == 0, "\(posts.map(\.draft))")
        }
    }
}
