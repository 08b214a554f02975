import Testing
@testable import Captions

@Suite struct TextBoundariesTests {
    let plainCount: (String) -> Int = { $0.count }

    @Test func cutsAtASentenceEndWhenThatKeepsEnough() {
        let text = "Fresh beans every week. Roasted in small batches by people who care about them."
        #expect(TextBoundaries.cut(text, toFit: 40, count: plainCount) == "Fresh beans every week.")
        // A sentence end far back loses too much: cut at the last word that fits instead.
        let long = "Hi. Roasted in small batches by people who care about them a lot."
        #expect(TextBoundaries.cut(long, toFit: 40, count: plainCount) == "Hi. Roasted in small batches by people")
        #expect(TextBoundaries.cut(text, toFit: 500, count: plainCount) == text)
    }

    @Test func neverCutsInsideAWordOrAnEmoji() {
        let family = "👩‍👩‍👧"
        let text = "Weekend plans \(family)\(family) with the whole crew 🇫🇷 and snacks"
        for limit in 1...text.count {
            let cut = TextBoundaries.cut(text, toFit: limit, count: plainCount)
            #expect(cut.count <= limit)
            if !cut.isEmpty { #expect(text.hasPrefix(cut)) }
            // What is left ends where the original has a space (or is all of it).
            let rest = text.dropFirst(cut.count)
            #expect(cut.isEmpty || rest.isEmpty || rest.first!.isWhitespace || ",".contains(rest.first!))
        }
    }

    @Test func danglingPunctuationIsTrimmed() {
        #expect(TextBoundaries.cut("Coffee, cake, and a view of the sea", toFit: 13, count: plainCount) == "Coffee, cake")
    }

    @Test func anUnfinishedLastWordIsDropped() {
        #expect(TextBoundaries.droppingUnfinishedWord("Our new candle smells like a forest aft") == "Our new candle smells like a forest")
        #expect(TextBoundaries.droppingUnfinishedWord("Our new candle is here!") == "Our new candle is here!")
        #expect(TextBoundaries.droppingUnfinishedWord("Light it tonight. #Candl") == "Light it tonight.")
        #expect(TextBoundaries.droppingUnfinishedWord("word") == "")
    }
}
