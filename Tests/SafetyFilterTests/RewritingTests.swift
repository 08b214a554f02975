import Testing
@testable import SafetyFilter

/// Offsets in code points (after emoji and combining marks), masking and fixing.
@Suite struct RewritingTests {
    static let filter = try! SafetyFilter()

    @Test func offsetsCountCodePointsAfterEmojiAndMarks() {
        // 👍🏽 is two code points, e + U+0301 two, 👨‍👩‍👧 five: "shit" starts at code point 15.
        let text = "👍🏽 cafe\u{301} 👨\u{200D}👩\u{200D}👧 shit"
        let finding = Self.filter.findings(in: text).first
        #expect(finding?.start == 15)
        #expect(finding?.end == 19)
        #expect(finding?.match == "shit")
    }

    @Test func offsetsOfBiasAfterEmoji() {
        let finding = Self.filter.findings(in: "🔥🔥 Hey guys").first
        #expect(finding?.kind == .bias)
        #expect(finding?.start == 3)
        #expect(finding?.end == 11)
    }

    @Test(arguments: [
        ("what the fuck", "what the f***"),
        ("sh1t happens", "s*** happens"),
        ("f u c k this", "f****** this"),
        ("fu\u{200B}ck", "f***"),
        ("fu\u{0308}ck", "f***"),
        ("clusterfuck!", "c**********!"),
        ("a classic cocktail", "a classic cocktail"),
        ("🙂 bitch 🙂", "🙂 b**** 🙂"),
    ])
    func masks(_ input: String, _ expected: String) {
        #expect(Self.filter.mask(input) == expected)
    }

    @Test(arguments: [
        ("Our chairman says hi", "Our chair says hi"),
        ("Chairman's pick", "Chair's pick"),
        ("the chairman’s pick", "the chair’s pick"),
        ("CHAIRMAN OF THE BOARD", "CHAIR OF THE BOARD"),
        ("Hey guys, new drop", "Hey everyone, new drop"),
        ("Hey Guys, new drop", "Hey Everyone, new drop"),
        ("This crazy deal is shit", "This wild deal is s***"),
        ("Our anti-aging cream", "Our skin-renewing cream"),
        ("clean copy stays clean", "clean copy stays clean"),
    ])
    func fixes(_ input: String, _ expected: String) {
        #expect(Self.filter.fix(input) == expected)
    }

    @Test func maskLeavesBiasAlone() {
        #expect(Self.filter.mask("Hey guys") == "Hey guys")
    }

    @Test func isCleanAgreesWithFindings() {
        #expect(Self.filter.isClean("Fresh bread every morning"))
        #expect(!Self.filter.isClean("Fresh sh!t every morning"))
        #expect(!Self.filter.isClean("Ask our salesman"))
    }

    @Test func reviewGivesAllThree() {
        let review = Self.filter.review("you guys are the sh1t")
        #expect(review.findings.count == 2)
        #expect(review.masked == "you guys are the s***")
        #expect(review.fixed == "you all are the s***")
    }

    @Test func bannedWordFormsCoverTheLexiconInThreeCases() throws {
        let forms = Self.filter.bannedWordForms
        #expect(forms.contains("fuck") && forms.contains("Fuck") && forms.contains("FUCK"))
        #expect(!forms.contains("shiitake"))
        #expect(Set(forms).count == forms.count)
    }
}
