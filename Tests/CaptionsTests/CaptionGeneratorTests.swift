import Corpus
import Foundation
import Generation
import SafetyFilter
import Testing
import Tokenizer
@testable import Captions
@testable import Measurement

/// End to end on a tiny random model: properties only (random weights write gibberish).
@Suite struct CaptionGeneratorTests {
    @Test func givesTheAskedNumberOfPostsWithinTheLimitForEveryPlatformAndTemplate() throws {
        let generator = try Fixture.generator()
        for platform in Fixture.prompts.platforms.keys.sorted() {
            for template in Fixture.prompts.templates.values.sorted(by: { $0.name < $1.name }) {
                var request = CaptionRequest(topic: "cold brew coffee", platform: platform, tone: "urgent", count: 3, seed: 4)
                request.template = template
                let result = try generator.generate(request)
                #expect(result.posts.count == 3, "\(platform)/\(template.name): \(result.statistics)")
                let rules = try Fixture.prompts.platform(platform)
                for post in result.posts {
                    #expect(post.characters == rules.characterCount(post.text))
                    #expect(post.characters <= rules.maxCharacters, "\(platform)/\(template.name)")
                    #expect(!post.text.isEmpty && post.score.isFinite)
                }
                #expect(result.posts.map(\.score) == result.posts.map(\.score).sorted(by: >))
            }
        }
    }

    @Test func theSameSeedGivesTheSamePostsAndAnotherSeedOthers() throws {
        let generator = try Fixture.generator()
        let request = CaptionRequest(topic: "linen bed sheets", platform: "instagram", tone: "luxury", count: 2, seed: 21)
        let first = try generator.generate(request)
        let again = try Fixture.generator().generate(request)
        #expect(first == again)
        var other = request
        other.seed = 22
        let different = try generator.generate(other)
        #expect(Set(first.posts.map(\.text)).isDisjoint(with: different.posts.map(\.text)))
    }

    @Test func aBannedWordTheModelIsPushedTowardNeverAppears() throws {
        let tokenizer = Fixture.tokenizer
        // A user's banned brand word that is one token of the shipped tokenizer, pushed hard.
        let pushed = tokenizer.encode(" velvet")
        try #require(pushed.count == 1)
        let bias = [pushed[0]: Float(9)]
        let wholeWord = try NSRegularExpression(pattern: "(?<![\\p{L}\\p{N}])velvet(?![\\p{L}\\p{N}])", options: .caseInsensitive)
        func hasWord(_ text: String) -> Bool { wholeWord.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil }

        // Without the guard the bias does spell the word: the test can fail.
        var settings = SamplingSettings()
        settings.logitBias = bias
        settings.seed = 5
        let header = ConditioningFormat.header(topic: "desk lamp", platform: "x", tone: "playful", tokenizer: tokenizer,
                                               controls: try ConditioningFormat.ControlTokens(tokenizer: tokenizer))
        let unguarded = try Generator(model: Fixture.model.parameters, tokenizer: tokenizer, batchCapacity: 8, threads: 1)
            .generate(prompts: [header], settings: settings, count: 8)
        #expect(unguarded.contains { hasWord($0.text) })

        for insideWords in [false, true] {
            let entry = LexiconEntry(forms: ["velvet"], category: "brand", matchesInsideWords: insideWords)
            let generator = try Fixture.generator(extraLexicon: [entry])
            var request = CaptionRequest(topic: "desk lamp", platform: "x", tone: "playful", count: 3, seed: 5)
            request.logitBias = bias
            let result = try generator.generate(request)
            #expect(!result.posts.isEmpty)
            let filter = try SafetyFilter(extraLexicon: [entry])
            for post in result.posts {
                #expect(!hasWord(post.text), "\(post.text.debugDescription)")
                #expect(filter.isClean(post.text))
                if insideWords { #expect(!post.text.lowercased().contains("velvet")) }
            }
        }
    }

    @Test func biasWithAReplacementIsFixedAndProfanityIsDropped() throws {
        let generator = try Fixture.generator()
        // The template puts the wording around the model's text, so every candidate carries it.
        var request = CaptionRequest(topic: "desk lamp", platform: "linkedin", tone: "friendly", count: 2, seed: 8)
        request.template = PostTemplate(name: "greeting", description: "", layout: "Hey guys, {post}")
        let fixed = try generator.generate(request)
        #expect(fixed.posts.count == 2)
        for post in fixed.posts {
            #expect(post.text.hasPrefix("Hey everyone, ") || post.text.hasPrefix("Hi all, ") || post.text.hasPrefix("Hey Everyone, "), "\(post.text)")
            #expect(post.findings.map(\.kind) == [.bias] && post.findings.first?.match == "Hey guys")
            #expect(try SafetyFilter().isClean(post.text))
        }
        #expect(fixed.statistics.fixed >= 2 && fixed.statistics.filtered == 0)

        request.template = PostTemplate(name: "rude", description: "", layout: "What the hell: {post}")
        let dropped = try generator.generate(request)
        #expect(dropped.posts.isEmpty)
        #expect(dropped.statistics.filtered == dropped.statistics.drawn && dropped.statistics.drawn == CaptionGenerator.drawLimit(count: 2))
    }

    @Test func theTopicBoostBringsTheTopicInButNotOverAndOver() throws {
        let generator = try Fixture.generator()
        var request = CaptionRequest(topic: "desk lamp", platform: "linkedin", tone: "friendly", count: 4, seed: 2)
        request.topicBoost = 15
        let boosted = try generator.generate(request)
        #expect(boosted.posts.count == 4)
        for post in boosted.posts {
            #expect(post.mentionsTopic)
            let words = TopicMention.words(of: post.draft)
            #expect(words.filter { $0 == "desk" || $0 == "lamp" }.count <= 3, "\(post.draft.debugDescription)")
        }
        request.topicBoost = 0
        #expect(try generator.generate(request).posts.filter(\.mentionsTopic).count < 4)
    }

    @Test func postsHoldNoReplacementCharacters() throws {
        let result = try Fixture.generator().generate(CaptionRequest(topic: "cold brew coffee", platform: "tiktok", tone: "playful", count: 6, seed: 1))
        #expect(result.posts.count == 6)
        #expect(result.posts.allSatisfy { !$0.text.contains("\u{FFFD}") })
    }

    @Test func aCandidateThatCopiesATrainingCaptionIsRejected() throws {
        var request = CaptionRequest(topic: "desk lamp", platform: "facebook", tone: "professional", count: 1, seed: 3)
        request.temperature = 0  // greedy: every candidate is the same text
        request.topicBoost = 0
        request.template = Fixture.prompts.templates["plain"]
        let free = try Fixture.generator().generate(request)
        let draft = try #require(free.posts.first?.draft)
        try #require(Fixture.tokenizer.encode(draft).count >= 12)
        #expect(free.statistics.copies == 0)

        // Now that text is a "training caption": every candidate copies it.
        var model = Fixture.model
        model.attach(RegurgitationIndex.build(records: [CaptionRecord(text: "Intro. " + draft + " Outro.")], tokenizer: Fixture.tokenizer))
        let result = try Fixture.generator(model: model).generate(request)
        #expect(result.posts.isEmpty)
        #expect(result.statistics.copies == result.statistics.drawn)
        #expect(result.statistics.drawn == CaptionGenerator.drawLimit(count: 1))
    }

    @Test func aLongTopicIsShortenedAndBadRequestsAreRefused() throws {
        let generator = try Fixture.generator()
        let long = String(repeating: "handmade ceramic coffee mug ", count: 30)
        let (topic, truncated) = try generator.prepareTopic(long)
        #expect(truncated && Fixture.tokenizer.encode(topic).count <= generator.maximumTopicTokens)
        #expect(long.hasPrefix(topic) && !topic.hasSuffix(" "))
        #expect(try generator.prepareTopic("  cold\n brew ") == ("cold brew", false))

        #expect(throws: CaptionError.emptyTopic) { try generator.generate(CaptionRequest(topic: " \n ", platform: "x", tone: "urgent")) }
        #expect(throws: CaptionError.invalidCount(0)) { try generator.generate(CaptionRequest(topic: "mug", platform: "x", tone: "urgent", count: 0)) }
        #expect {
            try generator.generate(CaptionRequest(topic: "mug", platform: "myspace", tone: "urgent"))
        } throws: { String(describing: $0) == "unknown platform 'myspace' (known: facebook, instagram, linkedin, threads, tiktok, x)" }
        #expect {
            try generator.generate(CaptionRequest(topic: "mug", platform: "x", tone: "grumpy"))
        } throws: { String(describing: $0).hasPrefix("unknown tone 'grumpy' (known: friendly, inspirational, luxury,") }
    }
}

@Suite struct QualityTopicsTests {
    @Test func fiftyTopicsNoneInTheCorpus() throws {
        let topics = try QualityEvaluation.loadTopics(path: Fixture.repositoryRoot + "/Benchmarks/quality-topics.txt")
        #expect(topics.count == 50 && Set(topics).count == 50)
        let corpusTopics = Set(try CorpusReader.readAll(path: Fixture.corpusPath).compactMap { $0.topic?.lowercased() })
        let seen = topics.filter { corpusTopics.contains($0.lowercased()) }
        #expect(seen.isEmpty)
    }
}

/// The model shipped in Models/default (skipped, with a note, in a checkout without it).
@Suite struct ShippedModelTests {
    static let directory = Fixture.repositoryRoot + "/Models/default"
    static let isPresent: Bool = {
        let present = FileManager.default.fileExists(atPath: directory + "/config.json")
        if !present { print("ShippedModelTests: skipped: no Models/default/config.json in this checkout") }
        return present
    }()

    @Test(.enabled(if: isPresent)) func loadsWithItsIndexAndWritesPostsWithinTheLimits() throws {
        let model = try CaptionModel.load(directory: Self.directory)
        #expect(model.regurgitationIndex != nil, "Models/default has no \(RegurgitationIndex.fileName)")
        let generator = try CaptionGenerator(model: model, prompts: Fixture.prompts, batchCapacity: 6, threads: 1)
        for platform in ["instagram", "x", "linkedin"] {
            let result = try generator.generate(CaptionRequest(topic: "cold brew coffee", platform: platform, tone: "playful", count: 3, seed: 1))
            #expect(result.posts.count == 3)
            let rules = try Fixture.prompts.platform(platform)
            #expect(result.posts.allSatisfy { rules.characterCount($0.text) <= rules.maxCharacters })
        }
    }
}
