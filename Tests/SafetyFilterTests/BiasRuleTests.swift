import Testing
@testable import SafetyFilter

/// Bias rules fire on their phrases (with their context, where they have a condition) and stay
/// quiet on innocent uses of the same words.
@Suite struct BiasRuleTests {
    static let filter = try! SafetyFilter()

    struct Fires: CustomTestStringConvertible, Sendable {
        var text: String
        var match: String
        var category: String
        var firstSuggestion: String
        var testDescription: String { text }
    }

    static let firing = [
        Fires(text: "Meet our chairman", match: "chairman", category: "gendered", firstSuggestion: "chair"),
        Fires(text: "Ask a salesman today", match: "salesman", category: "gendered", firstSuggestion: "salesperson"),
        Fires(text: "Thanks, you guys rock", match: "you guys", category: "gendered", firstSuggestion: "you all"),
        Fires(text: "It took 300 man-hours", match: "man-hours", category: "gendered", firstSuggestion: "person-hours"),
        Fires(text: "It took 300 man hours", match: "man hours", category: "gendered", firstSuggestion: "person-hours"),
        Fires(text: "This crazy deal ends Friday", match: "crazy", category: "ableist", firstSuggestion: "wild"),
        Fires(text: "Insane prices all week", match: "Insane", category: "ableist", firstSuggestion: "Wild"),
        Fires(text: "What a lame excuse", match: "lame", category: "ableist", firstSuggestion: "dull"),
        Fires(text: "Don't be blind to the risks", match: "blind to", category: "ableist", firstSuggestion: "unaware of"),
        Fires(text: "That ad was tone-deaf", match: "tone-deaf", category: "ableist", firstSuggestion: "out of touch"),
        Fires(text: "Our anti-aging serum", match: "anti-aging", category: "ageist", firstSuggestion: "skin-renewing"),
        Fires(text: "Get your bikini body now", match: "bikini body", category: "body", firstSuggestion: "your body in a bikini"),
        Fires(text: "Flawless skin in a week", match: "Flawless skin", category: "body", firstSuggestion: "Healthy-looking skin"),
        Fires(text: "glow for every woman", match: "for every woman", category: "gendered", firstSuggestion: "for everyone"),
        Fires(text: "Meet exotic women tonight", match: "exotic", category: "racial", firstSuggestion: "striking"),
        Fires(text: "The seller gypped me", match: "gypped", category: "racial", firstSuggestion: "cheated"),
        Fires(text: "Add them to the blacklist", match: "blacklist", category: "racial", firstSuggestion: "blocklist"),
        Fires(text: "Visit our manned booth", match: "manned", category: "gendered", firstSuggestion: "staffed"),
        Fires(text: "Lose that muffin top", match: "muffin top", category: "body", firstSuggestion: "waistline"),
        Fires(text: "It fell on deaf ears", match: "fell on deaf ears", category: "ableist", firstSuggestion: "go unheard"),
    ]

    @Test(arguments: firing)
    func fires(_ example: Fires) {
        let findings = Self.filter.findings(in: example.text).filter { $0.kind == .bias }
        #expect(findings.count == 1, "\(findings)")
        guard let finding = findings.first else { return }
        #expect(finding.match == example.match)
        #expect(finding.category == example.category)
        #expect(finding.suggestions.first == example.firstSuggestion)
    }

    /// The same words without the context their rule asks for (or with the context it excludes).
    static let quiet = [
        "I'm crazy about this color", "Crazy Horse memorial", "a gold lame dress", "lame duck session",
        "Exotic fruit platter", "exotic plants for your garden", "Roller blind to fit any window",
        "Handicapped by the weather, we still shipped", "Our kitchen is manned by two chefs",
        "Blueberry muffin tops, fresh daily", "an oriental rug", "gypsy moth season", "a woman-owned business",
        "man of the match", "Manchester deals", "manhole cover", "Germany", "human resources", "guys",
        "The Mole and Love is Blind to drop this week", "turn back the clock to 1999",
        "elderflower cordial", "The chairs are comfy", "salesforce integration", "sales team",
    ]

    @Test(arguments: quiet)
    func staysQuiet(_ text: String) {
        let findings = Self.filter.findings(in: text).filter { $0.kind == .bias }
        #expect(findings.isEmpty, "\(findings)")
    }

    @Test func conditionChangesTheOutcome() {
        // Same word, with and without its condition.
        #expect(!Self.filter.findings(in: "crazy deals").isEmpty)
        #expect(Self.filter.findings(in: "crazy hair day").isEmpty)
        #expect(!Self.filter.findings(in: "exotic models").isEmpty)
        #expect(Self.filter.findings(in: "exotic spices").isEmpty)
        #expect(!Self.filter.findings(in: "handicapped parking").isEmpty)
        #expect(!Self.filter.findings(in: "such a lame idea").isEmpty)
        #expect(Self.filter.findings(in: "silver lame top").isEmpty)
    }

    @Test func phraseWordsMustBeAdjacent() {
        #expect(Self.filter.findings(in: "Thank you. Guys, come in").isEmpty)
        #expect(Self.filter.findings(in: "bikini, body lotion").isEmpty)
    }

    @Test func rulesParse() throws {
        let rules = try SafetyFilter.builtInBiasRules()
        #expect(rules.count > 50)
        #expect(Set(rules.map(\.category)) == ["gendered", "ableist", "ageist", "body", "racial"])
        #expect(rules.allSatisfy { !$0.suggestions.isEmpty })
    }
}
