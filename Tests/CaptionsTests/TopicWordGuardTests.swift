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

    static func bans(_ guardian: TopicWordGuard, after tokens: [TokenID]) throws -> Set<TokenID> {
        Set(guardian.tokensToBan(after: tokens, text: try tokenizer.decode(tokens)))
    }

    @Test func formsAreTheWordAndItsPlurals() {
        #expect(TopicWordGuard.forms(of: "Camp") == ["camp", "camps", "campes"])
        #expect(TopicWordGuard.forms(of: "bakery").contains("bakeries"))
    }

    @Test func aWordBegunByABoostedTokenOnlyBecomesATopicWord() throws {
        let guardian = try Self.guardFor("coding camp")
        let camp = try Fixture.token(" camp")
        try #require(guardian.boosted.contains(camp))
        let bans = try Self.bans(guardian, after: Self.tokenizer.encode("Join our") + [camp])
        let (ing, s, space, period, word) = (try Fixture.token("ing"), try Fixture.token("s"), try Fixture.token(" "),
                                              try Fixture.token("."), try Fixture.token(" the"))
        #expect(bans.contains(ing))
        #expect(!bans.contains(s) && !bans.contains(space) && !bans.contains(period) && !bans.contains(word))
        // The same letters begun without a boosted token are left alone.
        let unboosted = Self.tokenizer.encode("Join our c") + [try Fixture.token("amp")]
        #expect(try Self.bans(guardian, after: unboosted).isEmpty)
        // After the word has ended, nothing.
        #expect(try Self.bans(guardian, after: Self.tokenizer.encode("Join our") + [camp, period]).isEmpty)
    }

    /// The topic's words run together are for one-case hashtags; in a sentence, a topic word may
    /// not run on into the next ("camping" + "l…" for a solar camping lantern).
    @Test func outsideAHashtagTopicWordsDoNotRunTogether() throws {
        let guardian = TopicWordGuard(table: Self.table, boosted: [], topic: "solar camping lantern")
        func banned(_ piece: String, after text: String) throws -> Bool {
            try Self.bans(guardian, after: Self.tokenizer.encode(text)).contains(try Fixture.token(piece))
        }
        #expect(try banned("l", after: "Light the camping") && banned("c", after: "A solar"))
        #expect(try !banned("s", after: "Light the camping") && !banned(" l", after: "Light the camping"))
        #expect(try !banned("l", after: "#camping") && !banned("l", after: "Light the camp"))
        #expect(try Self.bans(guardian, after: Self.tokenizer.encode("A lantern")).isEmpty)
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
