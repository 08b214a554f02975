import Support
import Testing
@testable import Captions

@Suite struct PostAssemblerTests {
    /// Random drafts with long words, emoji, CJK text, URLs and hashtags.
    static func randomDraft(_ random: inout SeededRandom) -> String {
        let pieces = ["Fresh", "coffee", "every", "morning.", "👩‍👩‍👧", "🇫🇷", "日本語のテキスト", "https://example.com/a/very/long/path/for/testing",
                      "#ColdBrew", "#IcedCoffee", "extraordinarilylongwordwithoutanybreakwhatsoever", "Wow!", "\n\n", "and,", "—", "café"]
        let length = Int(random.next() % 400)
        return (0..<length).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined(separator: " ")
    }

    @Test func everyAssembledPostIsWithinItsPlatformsLimit() throws {
        let library = Fixture.prompts
        var random = SeededRandom(seed: 99)
        var checked = 0
        for rules in library.platforms.values.sorted(by: { $0.name < $1.name }) {
            for template in library.templates.values {
                let assembler = PostAssembler(rules: rules, template: template, topic: "cold brew coffee", extraHashtags: ["#Fresh"])
                for _ in 0..<40 {
                    let draft = Self.randomDraft(&random)
                    guard let assembly = assembler.assemble(draft: draft, callToAction: "Order before the offer ends.") else { continue }
                    #expect(rules.characterCount(assembly.text) <= rules.maxCharacters, "\(rules.name)/\(template.name)")
                    #expect(!assembly.text.isEmpty)
                    checked += 1
                }
            }
        }
        #expect(checked > 500)
    }

    @Test func hashtagsMoveToTheBlockAndFillTheRange() throws {
        let instagram = try Fixture.prompts.platform("instagram")
        let assembler = PostAssembler(rules: instagram, template: Fixture.prompts.templates["hook-body-cta"]!, topic: "cold brew coffee")
        let assembly = try #require(assembler.assemble(draft: "Iced, smooth and ready. #coldbrew", callToAction: "Reserve yours today."))
        #expect(assembly.text == "Iced, smooth and ready.\n\nReserve yours today.\n\n#coldbrew #ColdBrewCoffee #BrewCoffee")
        #expect(assembly.modelHashtagCount == 1)

        let x = try Fixture.prompts.platform("x")
        let short = PostAssembler(rules: x, template: Fixture.prompts.templates["short"]!, topic: "cold brew coffee")
        let tweet = try #require(short.assemble(draft: "Line one.\nLine two. #ColdBrewDaily #Headphones #coldbrewlove #BrewTime", callToAction: "Go."))
        #expect(tweet.text == "Line one. Line two. #ColdBrewDaily #coldbrewlove")  // X: one paragraph, at most 2 hashtags, no call to action in `short`
        #expect(tweet.modelHashtagCount == 4)
    }

    /// The model's closing tags that are not about the topic (nor the tone's) are dropped; the
    /// topic's fill the block to the platform's minimum.
    @Test func closingTagsAboutSomethingElseAreDropped() throws {
        let instagram = try Fixture.prompts.platform("instagram")
        let assembler = PostAssembler(rules: instagram, template: Fixture.prompts.templates["hook-body-cta"]!, topic: "cold brew coffee",
                                      extraHashtags: ["#GoodVibes"])
        let assembly = try #require(assembler.assemble(draft: "Iced and ready. #Headphones #ColdBrewLife #goodvibes #LashTips", callToAction: "Try it."))
        #expect(assembly.text.hasSuffix("\n\n#ColdBrewLife #goodvibes #ColdBrewCoffee"))
        #expect(assembly.modelHashtagCount == 4, "the score still counts what the model wrote")
    }

    @Test func thePlainTemplateKeepsTheTextAsWritten() throws {
        let rules = try Fixture.prompts.platform("linkedin")
        let assembler = PostAssembler(rules: rules, template: Fixture.prompts.templates["plain"]!, topic: "desk lamp")
        let draft = "Line one.\n\nLine two #here. #a #b"
        #expect(assembler.assemble(draft: draft, callToAction: "Call us.")?.text == draft)
    }

    @Test func theBudgetLeavesRoomForTheFrame() throws {
        let x = try Fixture.prompts.platform("x")
        let assembler = PostAssembler(rules: x, template: Fixture.prompts.templates["conversational"]!, topic: "cold brew coffee")
        let budget = assembler.textBudget(callToAction: "Order before the offer ends.")
        #expect(budget < 280 - 28 && budget > 150)
    }
}
