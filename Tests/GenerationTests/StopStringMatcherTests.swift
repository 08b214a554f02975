import Testing
@testable import Generation

@Suite struct StopStringMatcherTests {
    @Test func withoutStopStringsEverythingPassesAtOnce() {
        var matcher = StopStringMatcher([])
        #expect(matcher.feed("abc") == ("abc", nil))
    }

    @Test func holdsBackAPossibleStartThenReleasesItWhenItDiverges() {
        var matcher = StopStringMatcher(["\n\n"])
        #expect(matcher.feed("hello\n") == ("hello", nil))
        #expect(matcher.feed("world") == ("\nworld", nil))
        #expect(matcher.feed("\n") == ("", nil))
        #expect(matcher.finish() == "\n")
    }

    @Test func findsAStopStringSplitAcrossPieces() {
        var matcher = StopStringMatcher(["END", "##"])
        #expect(matcher.feed("ab E") == ("ab ", nil))
        #expect(matcher.feed("N") == ("", nil))
        #expect(matcher.feed("Dxyz") == ("", "END"))
    }

    @Test func theEarliestOfSeveralStopStringsWins() {
        var matcher = StopStringMatcher(["cd", "b"])
        #expect(matcher.feed("abcd") == ("a", "b"))
    }

    @Test func multiByteStopStrings() {
        var matcher = StopStringMatcher(["🙂!"])
        #expect(matcher.feed("hi 🙂") == ("hi ", nil))
        #expect(matcher.feed("!") == ("", "🙂!"))
    }
}
