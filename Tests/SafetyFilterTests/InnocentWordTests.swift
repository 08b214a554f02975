import Testing
@testable import SafetyFilter

/// The Scunthorpe problem: innocent words that contain, or look like, lexicon terms.
@Suite struct InnocentWordTests {
    static let filter = try! SafetyFilter()

    static let fromTheIssue = [
        "Scunthorpe", "assassin", "classic", "cocktail", "Dickens", "therapist", "Sussex", "shiitake",
        "analysis", "cumulative", "peacock", "hancock", "arsenal",
    ]

    static let more = [
        "passion", "massage", "bass guitar", "compass", "grasshopper", "Essex", "Middlesex", "cockpit",
        "hitchhiker", "Shitake mushrooms", "cucumber", "circumference", "document", "scrap metal",
        "skyscraper", "pennant", "Matsushita", "hello", "shell", "Michelle", "spice", "spicy", "title",
        "constitution", "butter", "button", "assume", "embassy", "Cassandra", "pussy willow", "Maine Coon kitten",
        "magna cum laude", "a chink in the armor", "raccoon", "tycoon", "cocoon", "Wrap it up", "rapper",
        "The Rapping Chef", "woop woop", "grape", "drape", "therapy", "scrapbook", "homogenized milk",
        "Homo sapiens", "sextant", "Sextet", "knitting", "mishit", "Mississippi", "pistachio",
        "kick off", "killer deals", "we're killing it", "Moby Dick", "hello there", "shellfish",
        "Galaxy A55", "call 455-1234", "$5 deals", "wow! amazing!!!", "50% off", "sh", "as", "associate",
        "a s k", "U S A", "fuchsia", "Fukuoka", "Phuket", "shih tzu", "coconut", "Penistone",
        "seamen", "snigger", "spick and span", "niggardly", "Dick Van Dyke",
        "flame retardant", "cocky", "assess", "assets", "Cumberland", "Scunthorpe United", "bassist",
        "https://t.co/BeHREYsh7Q", "https://example.com/fUy9dmLfUk", "hashtag", "Ashton", "glasses",
    ]

    /// CamelCase names and hashtags whose parts are innocent, though the letters run across a
    /// part boundary or a term sits inside a part.
    static let camelCase = [
        "iPhone", "YouTube", "HelloFresh", "PayPal", "LinkedIn", "#ClassicCocktails", "McDonald's",
        "#AssetManagement", "DickensFan", "#MassTransit", "#PeacockFeathers", "BassPro", "GlassHouse",
        "#CumberlandSausage", "#ScunthorpeUnited", "#TherapistLife",
    ]

    @Test(arguments: fromTheIssue + more + camelCase)
    func isClean(_ text: String) {
        let findings = Self.filter.findings(in: text).filter { $0.kind == .profanity }
        #expect(findings.isEmpty, "\(findings)")
    }

    @Test(arguments: fromTheIssue)
    func isCleanInSentencesAndCase(_ word: String) {
        for text in ["Visit \(word) today!", word.uppercased(), "(\(word))", "\(word)'s best", "#\(word)"] {
            #expect(Self.filter.findings(in: text).filter { $0.kind == .profanity }.isEmpty, "\(text)")
        }
    }
}
