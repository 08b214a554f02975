import Testing
@testable import Captions

@Suite struct HashtagsTests {
    @Test func trailingHashtagsAreSplitFromTheBody() {
        let (body, tags) = Hashtags.splitTrailing("Iced and ready. Try #ColdBrew today.\n\n#ColdBrew #IcedCoffee  #coffee_tok")
        #expect(body == "Iced and ready. Try #ColdBrew today.")
        #expect(tags == ["#ColdBrew", "#IcedCoffee", "#coffee_tok"])
        #expect(Hashtags.splitTrailing("No tags here").tags.isEmpty)
        #expect(Hashtags.all(in: "Try #ColdBrew. Or #tbt, #2024") == ["#ColdBrew", "#tbt"])
    }

    @Test func topicHashtagsComeInCamelCase() {
        #expect(Hashtags.fromTopic("cold brew coffee") == ["#ColdBrewCoffee", "#ColdBrew", "#BrewCoffee", "#Coffee", "#Cold", "#Brew"])
        #expect(Hashtags.fromTopic("the candles").first == "#TheCandles")
        #expect(Hashtags.fromTopic("cybersecurity audit for small firms")
            == ["#CybersecurityAudit", "#SmallFirms", "#Cybersecurity", "#Audit", "#Small", "#Firms"], "no pair with 'for'")
        #expect(Hashtags.fromTopic("  ").isEmpty)
    }

    @Test func theBlockIsSizedToTheRangeWithoutRepeats() {
        let fallback = Hashtags.fromTopic("cold brew coffee")
        // Too few of the model's own: topic tags fill up to the minimum.
        #expect(Hashtags.block(modelTags: ["#coldbrew"], fallback: fallback, inline: [], range: 3...10)
            == ["#coldbrew", "#ColdBrewCoffee", "#BrewCoffee"])
        // Too many: cut to the maximum, counting the body's inline tags.
        #expect(Hashtags.block(modelTags: ["#a", "#b", "#c", "#d"], fallback: fallback, inline: ["#x"], range: 0...2) == ["#a"])
        #expect(Hashtags.block(modelTags: ["#a", "#A", "#x"], fallback: [], inline: ["#x"], range: 0...5) == ["#a"])
        #expect(Hashtags.limitingInline("Try #one and #two, #three!", maximum: 1) == "Try #one and two, three!")
    }

    @Test func aTagIsAboutTheTopicWhenAPartStartsWithATopicStem() {
        #expect(Hashtags.isAbout("#ColdBrewLife", topic: "cold brew coffee"))
        #expect(Hashtags.isAbout("#coldbrewtips", topic: "cold brew coffee"), "one case: anywhere in it")
        #expect(Hashtags.isAbout("#BottledWater", topic: "reusable water bottle"))
        #expect(!Hashtags.isAbout("#Headphones", topic: "lavender farm open weekend"))
        #expect(Hashtags.isAbout("#FreeWeekend", topic: "lavender farm open weekend"))
        #expect(!Hashtags.isAbout("#FreeShipping", topic: "lavender farm open weekend"))
        #expect(Hashtags.isAbout("#WeekendPlans", topic: "lavender farm open weekend"))
        #expect(Hashtags.isAbout("#CarCare", topic: "heated car seat covers"))
        #expect(!Hashtags.isAbout("#carsofinstagram", topic: "car wash"), "in one case, a three-letter word is not looked for inside")
        #expect(!Hashtags.isAbout("#CareerGoals", topic: "heated car seat covers"), "a three-letter word must be a whole part")
    }

    @Test func topicMentionMatchesStems() {
        #expect(TopicMention.mentions(topic: "reusable water bottle", in: "Our bottles keep it cold"))
        #expect(!TopicMention.mentions(topic: "reusable water bottle", in: "A lovely day out"))
        #expect(TopicMention.coverage(topic: "cold brew coffee", in: "Cold coffee, brewed slowly") == 1)
    }
}
