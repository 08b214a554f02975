import Foundation
import Support
import Testing
@testable import Corpus

@Suite struct WordScannerTests {
    static func texts(_ text: String) -> [String] { WordScanner.words(in: text).filter { !$0.isUnit }.map(\.text) }

    @Test func wordsAreLetterRunsWithInnerApostrophesLowerCased() {
        #expect(Self.texts("Don't stop: it’s WELL-known, rock'n'roll!") == ["don't", "stop", "it's", "well", "known", "rock'n'roll"])
        #expect(Self.texts("'quoted' dogs' toys") == ["quoted", "dogs", "toys"])
        #expect(Self.texts("Café crème, naïve 🍰emoji🍰 and_snake") == ["café", "crème", "naïve", "emoji", "and", "snake"])
    }

    @Test func hashtagsSplitInCamelCasePartsAndOneCaseTagsStayWhole() {
        let words = WordScanner.words(in: "#ColdBrewCoffee #coldbrew #TBT #Top10Tips #cold_brew #Mom's")
        #expect(words.map(\.text) == ["cold", "brew", "coffee", "coldbrew", "tbt", "top", "tips", "cold", "brew", "mom's"])
        #expect(words.allSatisfy { $0.isInHashtag })
        #expect(WordScanner.words(in: "no #tag here").map(\.isInHashtag) == [false, true, false])
        // CamelCase splits only inside hashtags.
        #expect(Self.texts("YouTube #YouTube") == ["youtube", "you", "tube"])
    }

    @Test func numbersHandlesAndWebAddressesAreNotWords() {
        #expect(Self.texts("Open 9am-5pm, 2nd floor, 100ml, 3pack") == ["open", "floor", "pack"])
        #expect(Self.texts("ask @jewoodle_bakes or hello@shop.example today") == ["ask", "or", "hello", "today"])
        #expect(Self.texts("see https://plotimalist.example/xyzzy and www.frobnic.com now") == ["see", "and", "now"])
        #expect(Self.texts("http is a word, www too") == ["http", "is", "a", "word", "www", "too"])
        let units = WordScanner.words(in: "5pm 4K").filter(\.isUnit).map(\.text)
        #expect(units == ["pm", "k"])
    }

    @Test func singleWords() {
        for word in ["coffee", "Don't", "Jewoodle", "naïve"] { #expect(WordScanner.isSingleWord(word), "\(word)") }
        for text in ["cold brew", "50%", "@brand", "well-known", "don'", "'tis", "#tag", "", "5pm"] {
            #expect(!WordScanner.isSingleWord(text), "\(text)")
        }
    }
}

@Suite struct WordCounterTests {
    @Test func countsWordsAndKeepsThoseSeenOftenEnough() {
        var counter = WordCounter()
        counter.add("Cold brew, cold brew! #ColdBrew at 5pm")
        counter.add("COLD mornings and www.example.com")
        #expect(counter.count(of: "cold") == 4 && counter.count(of: "brew") == 3)
        #expect(counter.count(of: "pm") == 0 && counter.count(of: "www") == 0 && counter.count(of: "example") == 0)
        #expect(counter.totalWords == 10 && counter.distinctWords == 5)
        #expect(counter.wordList(minimumCount: 2).words == ["brew", "cold"])
        #expect(counter.wordList().words == ["and", "at", "brew", "cold", "mornings"])
    }

    /// A word seen only inside hashtags is a tag, not a word: a one-case tag ("#oatmilklatte") or a
    /// CamelCase part never written on its own ("Tok" of "#FoodTok"). Parts that are words
    /// elsewhere stay, however often they are tags.
    @Test func wordsSeenOnlyInHashtagsAreLeftOut() {
        var counter = WordCounter()
        counter.add("Try the oat milk latte #oatmilklatte #FoodTok #ColdBrew")
        counter.add("#oatmilklatte #FoodTok and cold food")
        #expect(counter.count(of: "oatmilklatte") == 2 && counter.count(of: "tok") == 2)
        #expect(counter.wordList().words == ["and", "cold", "food", "latte", "milk", "oat", "the", "try"])
        #expect(counter.wordList(minimumCount: 2).words == ["cold", "food"])  // a tag's use counts toward the minimum
        var merged = WordCounter(), other = WordCounter()
        merged.add("#brewtok")
        other.add("what is brewtok")
        merged.merge(other)
        #expect(merged.wordList().contains("brewtok"))
    }

    @Test func normalizesAsTheTokenizerDoes() {
        var counter = WordCounter()
        counter.add("ｃｏｆｆｅｅ cafe\u{301}")  // fullwidth letters and a decomposed é
        #expect(counter.wordList().words == ["café", "coffee"])
    }

    @Test func countsTheSameAsTheScanner() throws {
        // The fast UTF-8 path agrees with WordScanner.words on real captions.
        let lines = ShippedCorpusTests.records.prefix(400).map(\.text)
        var counter = WordCounter(normalization: .none)
        var expected: [String: Int] = [:]
        for line in lines {
            counter.add(line)
            for word in WordScanner.words(in: line) where !word.isUnit { expected[word.text, default: 0] += 1 }
        }
        #expect(counter.counts == expected)
    }

    @Test func mergingAddsCounts() {
        var a = WordCounter(), b = WordCounter()
        a.add("cold brew")
        b.add("cold tea")
        a.merge(b)
        #expect(a.count(of: "cold") == 2 && a.totalWords == 4)
        a.add("we love Fernhollow")
        b.add("from Fernhollow")
        a.merge(b)
        #expect(a.inSentence["fernhollow"].map { [$0.capitalized, $0.lowercase] } == [2, 0])
    }

    /// Names are the words capitalized inside sentences; a sentence's first word, a hashtag's
    /// part, a word in capitals and a one-letter word say nothing.
    @Test func namesAreWordsCapitalizedInsideSentences() {
        var counter = WordCounter()
        for _ in 0..<5 {
            counter.add("Fresh bread at Fernhollow today. Bread is back and I think we love it, and I'm sure I've said so to O'Brien")
            counter.add("Meet us in Portland 🌿 Summit views from the summit, and a Summit pass. Dates \u{1F5D3}\u{FE0F} Sunrise")
            counter.add("Our #ColdBrew is HERE and we say NEW\nBread: \u{201C}Fresh\u{201D} every day")
        }
        func seen(_ word: String) -> [Int]? { counter.inSentence[word].map { [$0.capitalized, $0.lowercase] } }
        #expect(seen("fernhollow") == [5, 0] && seen("portland") == [5, 0])
        #expect(seen("bread") == [0, 5], "sentence and line starts are not looked at")
        #expect(seen("fresh") == nil && seen("meet") == nil, "nor a word after a quote mark or a text's first")
        #expect(seen("summit") == [5, 5], "nor one after an emoji")
        #expect(seen("sunrise") == nil, "nor one after an emoji's variation selector")
        #expect(seen("cold") == nil && seen("brew") == nil && seen("here") == nil && seen("new") == nil)
        #expect(seen("i") == [5, 0])
        #expect(seen("i'm") == [5, 0] && seen("i've") == [5, 0] && seen("o'brien") == [5, 0])
        #expect(counter.names().words == ["fernhollow", "o'brien", "portland"], "I and its contractions are no names")
        #expect(counter.names(minimumCount: 6).words == [])
        #expect(counter.names(share: 0.5).words == ["fernhollow", "o'brien", "portland", "summit"])
    }

    /// A large text also shows a name by never writing it in lower case, as long as it was once
    /// capitalized somewhere other than at a sentence's start (inside one, or in a hashtag); a
    /// small text does not.
    @Test func aLargeTextShowsNamesByTheirCase() {
        var counter = WordCounter(normalization: .none)
        for _ in 0..<3 {
            counter.add("Packwell Fulfilment ships for you. Hey, it is fast")
            counter.add("Hey there. Packwell packs it. #Packwell #ShipItFast\nUmami sauce for all. #TastyUmami")
            counter.add("Wifi on, WIFI fast, #WIFI, fernhill road and #Fernhill views. Fernhill: 3 rooms. We ship and it is tasty")
            counter.add("Acne care #AcneCare")
        }
        counter.add("we love acne care")
        #expect(counter.names().words == ["fulfilment"], "a small text: only the word capitalized inside sentences")
        counter.add(String(repeating: "and so ", count: WordCounter.largeText / 2))
        #expect(counter.totalWords >= WordCounter.largeText)
        #expect(counter.names().words == ["fulfilment", "packwell", "umami"])
        // Not "hey" nor "wifi" (capitalized only at a sentence's start or in capitals); not
        // "acne", "fernhill", "ship" nor "tasty" (written in lower case at least once).
        #expect(counter.names(minimumCount: 7).words == ["packwell"], "umami is capitalized 6 times")
    }

    /// One word in every 3 million, at least twice, from a million words; once below.
    @Test func largeTextsNeedRepeatedWords() {
        #expect(WordCounter.suggestedMinimumCount(totalWords: 999_999) == 1)
        #expect(WordCounter.suggestedMinimumCount(totalWords: 1_000_000) == 2)
        #expect(WordCounter.suggestedMinimumCount(totalWords: 6_000_000) == 2)
        #expect(WordCounter.suggestedMinimumCount(totalWords: 6_000_001) == 3)
        #expect(WordCounter.suggestedMinimumCount(totalWords: 21_654_859) == 8)
        var counter = WordCounter(normalization: .none)
        counter.add("a rare word")
        #expect(counter.suggestedMinimumCount == 1)
    }
}

@Suite struct WordListTests {
    static func temporaryFile(_ contents: String) throws -> String {
        let path = NSTemporaryDirectory() + "words-\(UUID().uuidString).txt"
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func containsAndPrefixesAreCaseInsensitive() {
        let list = WordList(["Coffee", "coffee", "cold", "brew", "don't", "", "café"])
        #expect(list.count == 5)
        #expect(list.words == ["brew", "café", "coffee", "cold", "don't"])
        #expect(list.contains("COFFEE") && list.contains("don’t") && list.contains("Café"))
        #expect(!list.contains("cof") && !list.contains("coffees"))
        #expect(list.hasWord(startingWith: "co") && list.hasWord(startingWith: "caf") && list.hasWord(startingWith: ""))
        #expect(!list.hasWord(startingWith: "plot") && !list.hasWord(startingWith: "coldx"))
    }

    @Test func aCursorNarrowsByteByByte() {
        let list = WordList(["a", "an", "and", "ant", "bee"])
        var cursor = WordList.Cursor.start(of: list)
        list.advance(&cursor, by: UInt8(ascii: "a"))
        #expect(list.isWord(cursor) && cursor.high - cursor.low == 4)
        list.advance(&cursor, by: UInt8(ascii: "n"))
        #expect(list.isWord(cursor) && cursor.high - cursor.low == 3)
        list.advance(&cursor, by: UInt8(ascii: "t"))
        #expect(list.isWord(cursor) && cursor.high - cursor.low == 1)
        list.advance(&cursor, by: UInt8(ascii: "s"))
        #expect(!cursor.isPrefix && !list.isWord(cursor))
        list.advance(&cursor, by: UInt8(ascii: "s"))
        #expect(!cursor.isPrefix)
        var other = WordList.Cursor.start(of: list)
        list.advance(&other, by: UInt8(ascii: "c"))
        #expect(!other.isPrefix)
    }

    @Test func subtractingKeepsTheOthersInOrder() {
        let list = WordList(["cold", "brew", "fernhollow", "portland", "tea"])
        #expect(list.subtracting(WordList(["portland", "fernhollow", "zebra", "a"])).words == ["brew", "cold", "tea"])
        #expect(list.subtracting(WordList([String]())) == list)
        #expect(list.subtracting(list).count == 0)
        #expect(!list.subtracting(WordList(["fernhollow"])).contains("Fernhollow"))
        // Names go with their possessives.
        let withPossessives = list.adding(["fernhollow's", "tea's"])
        #expect(withPossessives.withoutNames(WordList(["fernhollow", "portland"])).words == ["brew", "cold", "tea", "tea's"])
    }

    @Test func unionMergesInOrder() {
        let union = WordList(["cold", "brew", "zest"]).union(WordList(["apple", "cold", "latte"]))
        #expect(union.words == ["apple", "brew", "cold", "latte", "zest"])
        #expect(union == WordList(["zest", "latte", "apple", "brew", "cold"]))
        #expect(WordList([String]()).union(union) == union && union.union(WordList([String]())) == union)
    }

    @Test func savesAndLoadsTheSameList() throws {
        let list = WordList(["cold", "brew", "café", "don't", "ünder", "zürich"])
        let path = NSTemporaryDirectory() + "words-\(UUID().uuidString).txt"
        try list.save(to: path)
        // Byte order: "ü" (C3 BC) sorts after "z".
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("brew\ncafé\ncold\ndon't\nzürich\nünder\n".utf8))
        #expect(try WordList.load(path: path) == list)
        let empty = NSTemporaryDirectory() + "words-\(UUID().uuidString).txt"
        try WordList([String]()).save(to: empty)
        #expect(try WordList.load(path: empty).count == 0)
    }

    @Test(arguments: [
        ("brew\ncold\nCoffee\n", "3: \"Coffee\" is not lower-case"),
        ("brew\n\ncold\n", "2: empty line"),
        ("cold\nbrew\n", "2: \"brew\" is out of order"),
        ("brew\nbrew\n", "2: \"brew\" is listed twice"),
        ("cold brew\n", "1: \"cold brew\" is not one word"),
        ("brew\n50\n", "2: \"50\" is not one word"),
        ("don'\n", "1: \"don'\" is not one word"),
        ("brew\r\ncold\r\n", "1: \"brew\\r\" is not one word"),
    ])
    func aBadLineIsNamed(contents: String, expected: String) throws {
        let path = try Self.temporaryFile(contents)
        #expect {
            try WordList.load(path: path)
        } throws: { error in
            String(describing: error) == "\(path):\(expected)" || String(describing: error).hasPrefix("\(path):\(expected)")
        }
    }

    @Test func invalidUTF8AndAMissingFileAreNamed() throws {
        let path = NSTemporaryDirectory() + "words-\(UUID().uuidString).txt"
        try Data("brew\ncaf\u{E9}\n".utf8.dropLast(3) + [0xFF, 0x0A]).write(to: URL(fileURLWithPath: path))
        #expect { try WordList.load(path: path) } throws: { String(describing: $0).hasPrefix("\(path):2: invalid UTF-8") }
        #expect { try WordList.load(path: path + ".missing") } throws: { String(describing: $0).hasPrefix("\(path).missing: cannot open") }
    }

    @Test func userWordsAnyCaseOneALine() throws {
        let path = try Self.temporaryFile("Jewoodle\n  Plotimalist  \n\nDon't\n")
        #expect(try WordList.loadUserWords(path: path).words == ["don't", "jewoodle", "plotimalist"])
        let bad = try Self.temporaryFile("Jewoodle\nJewoodle Bakery\n")
        #expect {
            try WordList.loadUserWords(path: bad)
        } throws: { String(describing: $0) == "\(bad):2: \"Jewoodle Bakery\" is not one word; give each word on its own line" }
        let symbol = try Self.temporaryFile("#Jewoodle\n")
        #expect { try WordList.loadUserWords(path: symbol) } throws: { String(describing: $0).hasPrefix("\(symbol):1: \"#Jewoodle\" is not one word") }
    }

    @Test func aDictionaryInAnyLayoutGivesItsWords() throws {
        let path = try Self.temporaryFile("Aachen\nAachen's\nzebra\nzebras\nà la\n")
        #expect(try WordList.loadDictionary(path: path).words == ["aachen", "aachen's", "la", "zebra", "zebras", "à"])
    }
}
