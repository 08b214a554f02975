import Foundation
import Support
import Testing
@testable import Generation

/// The samplers composed in their documented order.
@Suite struct TokenSamplerTests {
    static func choose(_ logits: [Float], _ settings: SamplingSettings, history: [Int32] = [], special: [Int32] = [], seed: UInt64 = 1) -> Int32? {
        var sampler = TokenSampler(settings: settings, vocabularySize: logits.count, specialTokens: special)
        var random = SeededRandom(seed: seed)
        var copy = logits
        return copy.withUnsafeMutableBufferPointer { buffer in
            sampler.prepare(buffer, history: history)
            return sampler.choose(buffer, random: &random)
        }
    }

    static var greedy: SamplingSettings {
        var settings = SamplingSettings()
        settings.temperature = 0
        settings.repetitionPenalty = 1
        return settings
    }

    @Test func temperatureZeroIsGreedyAfterBiasAndBeforeBans() {
        var settings = Self.greedy
        #expect(Self.choose([1, 5, 2], settings) == 1)
        settings.logitBias = [2: 10]
        #expect(Self.choose([1, 5, 2], settings) == 2)
        settings.bannedTokens = [2]  // a ban wins over any bias: bans come after it
        #expect(Self.choose([1, 5, 2], settings) == 1)
    }

    @Test func penaltiesApplyBeforeTheChoice() {
        var settings = Self.greedy
        settings.repetitionPenalty = 3
        #expect(Self.choose([1, 2.5, 2], settings, history: [1]) == 2)  // 2.5 / 3 < 2
        settings.penaltyWindow = 0
        #expect(Self.choose([1, 2.5, 2], settings, history: [1]) == 1)
    }

    @Test func specialTokensAreBannedUnlessAllowed() {
        var settings = Self.greedy
        #expect(Self.choose([1, 9, 2], settings, special: [1]) == 2)
        settings.allowSpecialTokens = true
        #expect(Self.choose([1, 9, 2], settings, special: [1]) == 1)
    }

    @Test func everythingBannedGivesNil() {
        var settings = Self.greedy
        settings.bannedTokens = [0, 1]
        #expect(Self.choose([1, 2], settings) == nil)
        settings.temperature = 1
        #expect(Self.choose([1, 2], settings) == nil)
    }

    @Test func topKOfOneIsGreedy() {
        var settings = SamplingSettings()
        settings.temperature = 5
        settings.topK = 1
        for seed in 0..<20 as Range<UInt64> { #expect(Self.choose([0.3, 0.2, 0.31, 0.1], settings, seed: seed) == 2) }
    }

    /// Frequencies of 40,000 draws against softmax(logits / T) restricted by top-p:
    /// each within 0.015 of its expected probability (about 5 standard deviations).
    @Test func drawsFollowTheTemperedTruncatedDistribution() {
        let logits: [Float] = [log(0.5), log(0.25), log(0.15), log(0.1)]
        var settings = SamplingSettings()
        settings.temperature = 0.5  // squares then renormalises: 0.25, 0.0625, 0.0225, 0.01 → / 0.345
        settings.topK = 0
        settings.topP = 0.9         // 0.7246 + 0.1812 = 0.9058 ≥ 0.9: keeps the first two
        settings.repetitionPenalty = 1
        var sampler = TokenSampler(settings: settings, vocabularySize: 4)
        var random = SeededRandom(seed: 42)
        var counts = [0, 0, 0, 0]
        for _ in 0..<40_000 {
            var copy = logits
            let token = copy.withUnsafeMutableBufferPointer { buffer in
                sampler.prepare(buffer, history: [])
                return sampler.choose(buffer, random: &random)!
            }
            counts[Int(token)] += 1
        }
        let expected = [0.25 / 0.3125, 0.0625 / 0.3125, 0, 0]
        for i in 0..<4 { #expect(abs(Double(counts[i]) / 40_000 - expected[i]) < 0.015, "token \(i): \(counts[i])") }
    }

    @Test func minPRemovesTheTail() {
        var settings = SamplingSettings()
        settings.temperature = 1
        settings.topK = 0
        settings.topP = 1
        settings.minP = 0.5
        settings.repetitionPenalty = 1
        let logits: [Float] = [log(0.6), log(0.25), log(0.15)]  // 0.25 and 0.15 are below 0.5 · 0.6 = 0.3
        for seed in 0..<50 as Range<UInt64> { #expect(Self.choose(logits, settings, seed: seed) == 0) }
    }

    @Test func settingsProblemsNameEachBadValue() {
        var settings = SamplingSettings()
        #expect(settings.problems.isEmpty)
        settings.temperature = -1
        settings.topP = 0
        settings.minP = 1
        settings.topK = -2
        settings.repetitionPenalty = 0
        settings.maxNewTokens = 0
        settings.stopStrings = [""]
        let problems = settings.problems
        #expect(problems.count == 7)
        #expect(problems.contains { $0.hasPrefix("temperature") } && problems.contains { $0.hasPrefix("top-p") })
        settings = SamplingSettings()
        settings.topP = 1.5
        #expect(settings.problems == ["top-p must be in (0, 1] (got 1.5)"])
    }
}
