import Foundation
import Support
import Testing
@testable import Generation

/// Each sampler on a hand-made distribution. Tolerance for float results: 1e-6 absolute.
@Suite struct LogitProcessorsTests {
    static func withLogits<R>(_ values: [Float], _ body: (UnsafeMutableBufferPointer<Float>) -> R) -> (R, [Float]) {
        var copy = values
        let result = copy.withUnsafeMutableBufferPointer { body($0) }
        return (result, copy)
    }

    static func close(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-6 }
    }

    @Test func biasAddsAndIgnoresOutOfRangeTokens() {
        let (_, out) = Self.withLogits([1, 2, 3]) { LogitProcessors.addBias($0, [0: 0.5, 2: -3, 7: 100, -1: 1]) }
        #expect(out == [1.5, 2, 0])
    }

    @Test func banSetsMinusInfinity() {
        let (_, out) = Self.withLogits([1, 2, 3, 4]) { LogitProcessors.ban($0, [1, 3, 9]) }
        #expect(out == [1, -.infinity, 3, -.infinity])
    }

    @Test func repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOncePerToken() {
        var counts = [UInt16](repeating: 0, count: 4)
        let (_, out) = Self.withLogits([2, -2, 2, 1]) {
            LogitProcessors.applyPenalties($0, history: [0, 1, 0, 0], window: 10, repetition: 2, presence: 0, frequency: 0, counts: &counts)
        }
        #expect(out == [1, -4, 2, 1])
        #expect(counts == [0, 0, 0, 0])
    }

    @Test func presenceSubtractsOnceAndFrequencyPerOccurrence() {
        var counts = [UInt16](repeating: 0, count: 3)
        let (_, out) = Self.withLogits([5, 5, 5]) {
            LogitProcessors.applyPenalties($0, history: [2, 0, 2, 2], window: 10, repetition: 1, presence: 0.5, frequency: 0.25, counts: &counts)
        }
        let expected: [Float] = [4.25, 5, 3.75]
        #expect(Self.close(out, expected))
    }

    @Test func penaltiesLookOnlyAtTheWindow() {
        var counts = [UInt16](repeating: 0, count: 3)
        let (_, out) = Self.withLogits([1, 1, 1]) {
            LogitProcessors.applyPenalties($0, history: [0, 0, 1, 2], window: 2, repetition: 1, presence: 1, frequency: 0, counts: &counts)
        }
        #expect(out == [1, 0, 0])
    }

    @Test func greedyTakesTheHighestAndTheLowestIdOnTies() {
        #expect(Self.withLogits([0.1, 3, 3, -1]) { LogitProcessors.greedy($0) }.0 == 1)
        #expect(Self.withLogits([-.infinity, -.infinity]) { LogitProcessors.greedy($0) }.0 == nil)
    }

    @Test func temperatureScalesAndSkipsBannedTokens() {
        var list: [Candidate] = []
        _ = Self.withLogits([1, -.infinity, 3]) { LogitProcessors.candidates($0, temperature: 0.5, into: &list) }
        #expect(list == [Candidate(token: 0, value: 2), Candidate(token: 2, value: 6)])
    }

    @Test func topKKeepsTheHighestSorted() {
        var list = [4, 1, 7, 3, 7, 0].enumerated().map { Candidate(token: Int32($0), value: Float($1)) }
        var all = list
        LogitProcessors.topK(&list, 3)
        #expect(list.map(\.token) == [2, 4, 0])
        LogitProcessors.topK(&all, 0)
        #expect(all.map(\.token) == [2, 4, 0, 3, 1, 5])
    }

    @Test func topKSelectionPathMatchesAFullSort() {
        var random = SeededRandom(seed: 3)
        let values = (0..<500).map { _ in Float(random.next() % 50) }  // many ties
        var selected = values.enumerated().map { Candidate(token: Int32($0), value: $1) }
        var sorted = selected
        LogitProcessors.topK(&selected, 7)   // 500 > 2·7: the one-pass selection
        sorted.sort { $0.value != $1.value ? $0.value > $1.value : $0.token < $1.token }
        #expect(selected == Array(sorted.prefix(7)))
    }

    /// The one-pass top-k equals candidates then topK: ties, banned and NaN logits, infinities,
    /// a length that is not a multiple of 16, k above the number of finite logits, and a
    /// temperature small enough to scale finite logits to -infinity.
    @Test func topCandidatesEqualsCandidatesThenTopK() {
        var random = SeededRandom(seed: 11)
        for trial in 0..<300 {
            let count = 1 + Int(random.next() % 700)
            var logits = (0..<count).map { _ in Float(Int(random.next() % 41) - 20) / 4 }  // many ties
            for _ in 0..<(count / 3) { logits[Int(random.next() % UInt64(count))] = -.infinity }
            if trial % 5 == 0 { logits[Int(random.next() % UInt64(count))] = .nan }
            if trial % 7 == 0 { logits[Int(random.next() % UInt64(count))] = .infinity }
            if trial % 11 == 0 { logits[Int(random.next() % UInt64(count))] = -3e38 }
            let k = [1, 2, 5, 40, 1000][trial % 5]
            let temperature: Float = [1, 0.7, 0.01, 1.3][trial % 4]
            var expected: [Candidate] = [], fused: [Candidate] = []
            _ = Self.withLogits(logits) { LogitProcessors.candidates($0, temperature: temperature, into: &expected) }
            LogitProcessors.topK(&expected, k)
            _ = Self.withLogits(logits) { LogitProcessors.topCandidates($0, temperature: temperature, k: k, into: &fused) }
            #expect(fused == expected, "trial \(trial): \(count) logits, k \(k), temperature \(temperature)")
        }
    }

    @Test func softmaxOfLogsGivesTheOriginalProportions() {
        var list = [1, 2, 3, 4].map { Candidate(token: Int32($0), value: Float(log(Double($0)))) }
        LogitProcessors.softmax(&list)
        #expect(Self.close(list.map(\.value), [0.1, 0.2, 0.3, 0.4]))
    }

    @Test func topPKeepsTheSmallestPrefixReachingP() {
        let probabilities: [Float] = [0.4, 0.3, 0.2, 0.1]
        func run(_ p: Float) -> [Candidate] {
            var list = probabilities.enumerated().map { Candidate(token: Int32($0), value: $1) }
            LogitProcessors.topP(&list, p)
            return list
        }
        #expect(run(0.6).map(\.token) == [0, 1])
        let expected: [Float] = [0.4 / 0.7, 0.3 / 0.7]
        #expect(Self.close(run(0.6).map(\.value), expected))
        #expect(run(0.4).map(\.token) == [0])
        #expect(run(0.01).map(\.token) == [0])
        #expect(run(1).count == 4)
    }

    @Test func minPDropsTokensFarBelowTheTop() {
        var list = [0.5, 0.3, 0.15, 0.05].enumerated().map { Candidate(token: Int32($0), value: Float($1)) }
        LogitProcessors.minP(&list, 0.2)  // threshold 0.1
        #expect(list.map(\.token) == [0, 1, 2])
        let expected: [Float] = [0.5 / 0.95, 0.3 / 0.95, 0.15 / 0.95]
        #expect(Self.close(list.map(\.value), expected))
    }

    @Test func drawWalksTheCumulativeProbabilities() {
        let list = [Candidate(token: 5, value: 0.4), Candidate(token: 6, value: 0.3), Candidate(token: 7, value: 0.3)]
        #expect(LogitProcessors.draw(list, uniform: 0) == 5)
        #expect(LogitProcessors.draw(list, uniform: 0.45) == 6)
        #expect(LogitProcessors.draw(list, uniform: 0.71) == 7)
        #expect(LogitProcessors.draw(list, uniform: 0.999_999_9) == 7)
        #expect(LogitProcessors.draw([], uniform: 0.5) == nil)
    }

    /// A soft rule's bans stay while the hard rule after them still finds a token, and give way
    /// when they would leave it none.
    @Test func aSoftBanGivesWayWhenItWouldBlockTheRule() {
        var logits: [Float] = [1, 2, 3, 4]
        logits.withUnsafeMutableBufferPointer { buffer in
            let step = DecodingStep(sequence: 0, prompt: 0, sample: 0, generated: [], text: "", logits: buffer)
            let acceptsOnlyThree: (DecodingStep) -> Bool = { $0.logits[3] > -.infinity }
            step.ban([1], unlessItBlocks: acceptsOnlyThree)
            #expect(buffer[1] == -.infinity)
            var calls = 0
            step.ban([3, 0], unlessItBlocks: { calls += 1; return acceptsOnlyThree($0) })
            #expect(calls == 2)
            #expect(buffer[3] == 4 && buffer[0] == 1, "given back")
            #expect(buffer[1] == -.infinity, "an earlier ban stays")
        }
    }
}
