import Testing
@testable import SafetyFilter

/// Every evasion class of issue 6 on several lexicon terms: each line must give exactly one
/// profanity finding, of the expected category, covering exactly the expected characters.
@Suite struct EvasionTests {
    static let filter = try! SafetyFilter()

    struct Case: CustomTestStringConvertible, Sendable {
        var text: String
        var match: String
        var category: String
        var testDescription: String { text }
    }

    static func cases(_ category: String, _ pairs: [(String, String)]) -> [Case] {
        pairs.map { Case(text: $0.0, match: $0.1, category: category) }
    }

    static let plain = cases("profanity", [
        ("this is shit", "shit"), ("what the fuck", "fuck"), ("you bastard", "bastard"), ("Bitch please", "Bitch"),
    ])
    static let caseAndWidth = cases("profanity", [
        ("SHIT happens", "SHIT"), ("ｆｕｃｋ this", "ｆｕｃｋ"), ("𝐬𝐡𝐢𝐭 happens", "𝐬𝐡𝐢𝐭"), ("𝖋𝖚𝖈𝖐 it", "𝖋𝖚𝖈𝖐"),
        ("ⓢⓗⓘⓣ show", "ⓢⓗⓘⓣ"),
    ])
    static let confusables = cases("profanity", [
        ("\u{0455}h\u{0456}t show", "\u{0455}h\u{0456}t"),          // Cyrillic dze and i
        ("f\u{03C5}ck off", "f\u{03C5}ck"),                          // Greek upsilon
        ("b\u{0456}tch mode", "b\u{0456}tch"),                       // Cyrillic i
        ("\u{0430}sshole", "\u{0430}sshole"),                        // Cyrillic a
    ])
    static let invisible = cases("profanity", [
        ("fu\u{200B}ck this", "fu\u{200B}ck"), ("sh\u{200D}it", "sh\u{200D}it"), ("bi\u{00AD}tch", "bi\u{00AD}tch"),
        ("f\u{FEFF}u\u{2060}c\u{200C}k", "f\u{FEFF}u\u{2060}c\u{200C}k"),
    ])
    static let marks = cases("profanity", [
        ("fück that", "fück"), ("shìt", "shìt"), ("f\u{0336}u\u{0336}c\u{0336}k\u{0336}", "f\u{0336}u\u{0336}c\u{0336}k\u{0336}"),
        ("bi\u{0301}tch", "bi\u{0301}tch"),
    ])
    static let leetspeak = cases("profanity", [
        ("sh1t happens", "sh1t"), ("sh!t happens", "sh!t"), ("$hit happens", "$hit"), ("a$$hole", "a$$hole"),
        ("b1tch", "b1tch"), ("f*ck off", "f*ck"), ("@sshole", "@sshole"), ("bullsh|t", "bullsh|t"), ("b!tch", "b!tch"),
        ("5h1t", "5h1t"), ("c0ck", "c0ck"), ("d1ck", "d1ck"), ("a55hole", "a55hole"), ("b4stard", "b4stard"),
    ])
    static let repeats = cases("profanity", [
        ("fuuuuuck", "fuuuuuck"), ("shiiiiit", "shiiiiit"), ("asssss", "asssss"), ("biiiitch", "biiiitch"),
        ("FFFFUUUUCK", "FFFFUUUUCK"),
    ])
    static let split = cases("profanity", [
        ("f u c k this", "f u c k"), ("f.u.c.k", "f.u.c.k"), ("f_u_c_k", "f_u_c_k"), ("s-h-i-t", "s-h-i-t"),
        ("b i t c h", "b i t c h"), ("a.s.s", "a.s.s"), ("S H I T", "S H I T"), ("f . u . c . k", "f . u . c . k"),
    ])
    static let insideWords = cases("profanity", [
        ("motherfucker", "motherfucker"), ("clusterfuck", "clusterfuck"), ("bullshit", "bullshit"),
        ("shitshow", "shitshow"), ("unfuckingbelievable", "unfuckingbelievable"), ("apeshit", "apeshit"),
    ])
    /// A whole-word term as one part of a made-up CamelCase word or hashtag: the finding is the part.
    static let camelCaseParts = [
        Case(text: "Try our ClitEst today", match: "Clit", category: "sexual"),
        Case(text: "#BadAss deals", match: "BadAss", category: "profanity"),  // "badass" is a form itself
        Case(text: "TheAssPack", match: "Ass", category: "profanity"),
        Case(text: "the DickPics bundle", match: "Dick", category: "profanity"),
        Case(text: "#SlutWalkSale", match: "Slut", category: "sexual"),
    ]
    static let others = [
        Case(text: "those n1gg3rs", match: "n1gg3rs", category: "slur"),
        Case(text: "what a f4gg0t", match: "f4gg0t", category: "slur"),
        Case(text: "free p0rn", match: "p0rn", category: "sexual"),
        Case(text: "go kill yourself", match: "kill yourself", category: "violence"),
        Case(text: "k i l l   y o u r s e l f", match: "k i l l   y o u r s e l f", category: "violence"),
        Case(text: "selling c0caine", match: "c0caine", category: "drugs"),
        Case(text: "what a r3tard", match: "r3tard", category: "slur"),
    ]

    @Test(arguments: plain + caseAndWidth + confusables + invisible + marks + leetspeak + repeats + split + insideWords + camelCaseParts + others)
    func findsEvasion(_ example: Case) {
        let findings = Self.filter.findings(in: example.text).filter { $0.kind == .profanity }
        #expect(findings.count == 1, "\(findings)")
        guard let finding = findings.first else { return }
        #expect(finding.match == example.match)
        #expect(finding.category == example.category)
        let scalars = Array(example.text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[finding.start..<finding.end])) == finding.match)
    }

    @Test func severitiesComeFromTheLexicon() {
        #expect(Self.filter.findings(in: "fuck").first?.severity == .high)
        #expect(Self.filter.findings(in: "shit").first?.severity == .medium)
        #expect(Self.filter.findings(in: "damn").first?.severity == .low)
    }
}
