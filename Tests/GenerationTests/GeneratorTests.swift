import Foundation
import Support
import Testing
import Tokenizer
import Transformer
@testable import Generation

@Suite struct GeneratorTests {
    let tokenizer = TestModel.tokenizer

    /// Greedy generation against argmax of the training model's full forward pass over the growing
    /// sequence, and the reported log-probabilities against its log-softmax (tolerance 1e-3).
    @Test func greedyTokensAndLogProbabilitiesMatchTheFullForwardPass() throws {
        let model = TestModel.model()
        let generator = try Generator(model: model, tokenizer: tokenizer, batchCapacity: 2)
        var settings = TestModel.greedy
        settings.maxNewTokens = 12
        settings.stopAtEndOfText = false
        settings.allowSpecialTokens = true
        let prompt = tokenizer.encode("fresh coffee")
        let result = try generator.generate(prompts: [prompt], settings: settings)[0]
        #expect(result.stopReason == .maxTokens)
        #expect(result.tokens.count == 12)

        let gpt = GPT(parameters: model, maxBatch: 1)
        var sequence = prompt
        let V = model.layout.config.vocabularySize
        for (k, token) in result.tokens.enumerated() {
            gpt.forward(tokens: sequence, targets: nil, batch: 1, length: sequence.count, training: false)
            let last = Array(gpt.logits[(sequence.count - 1) * V ..< sequence.count * V])
            // Ids past the tokenizer's vocabulary are never produced, even with specials allowed.
            let allowed = last.enumerated().filter { $0.offset < tokenizer.vocabularySize }
            let best = allowed.max { $0.element < $1.element }!.offset
            #expect(Int(token) == best, "token \(k)")
            let top = Double(last.max()!)
            let logSum = top + log(last.reduce(0.0) { $0 + exp(Double($1) - top) })
            #expect(abs(Double(result.logProbabilities[k]) - (Double(last[Int(token)]) - logSum)) < 1e-3)
            sequence.append(token)
        }
        #expect(abs(result.meanLogProbability - result.logProbabilities.reduce(0, +) / 12) < 1e-5)
    }

    @Test func manySequencesFitThroughASmallBatchAndKeepTheirOrder() throws {
        let model = TestModel.model()
        var settings = SamplingSettings()
        settings.maxNewTokens = 6
        settings.stopAtEndOfText = false
        settings.seed = 9
        let prompts = [tokenizer.encode("coffee"), tokenizer.encode("morning light"), []]
        let wide = try Generator(model: model, tokenizer: tokenizer, batchCapacity: 8).generate(prompts: prompts, settings: settings, count: 3)
        let narrow = try Generator(model: model, tokenizer: tokenizer, batchCapacity: 2).generate(prompts: prompts, settings: settings, count: 3)
        let order: [[Int]] = wide.map { [$0.prompt, $0.sample] }
        let expectedOrder: [[Int]] = (0..<9).map { [$0 / 3, $0 % 3] }
        #expect(order == expectedOrder)
        // Each sequence draws from its own seeded generator, so batching does not change it.
        #expect(wide.map(\.tokens) == narrow.map(\.tokens))
        #expect(wide.allSatisfy { $0.tokens.count == 6 && $0.stopReason == .maxTokens })
        #expect(Set(wide.map(\.tokens)).count > 1)
    }

    @Test func theSameSeedRepeatsAndAnotherSeedDiffers() throws {
        let generator = try Generator(model: TestModel.model(), tokenizer: tokenizer)
        var settings = SamplingSettings()
        settings.temperature = 1.5
        settings.topK = 0
        settings.maxNewTokens = 16
        settings.stopAtEndOfText = false
        settings.seed = 1
        let first = try generator.generate(prompts: [tokenizer.encode("coffee")], settings: settings, count: 2)
        let again = try generator.generate(prompts: [tokenizer.encode("coffee")], settings: settings, count: 2)
        settings.seed = 2
        let other = try generator.generate(prompts: [tokenizer.encode("coffee")], settings: settings, count: 2)
        #expect(first == again)
        #expect(first.map(\.tokens) != other.map(\.tokens))
    }

    /// A control hook that only allows the next byte of a script: streams "hi 😀 there\n\nmore"
    /// byte by byte, so the emoji spans four tokens and "\n\n" is a stop string.
    @Test func streamingNeverShowsABrokenCharacterOrAStopString() throws {
        let generator = try Generator(model: TestModel.model(), tokenizer: tokenizer)
        let script = Array("hi 😀 there\n\nmore".utf8).map { TokenID($0) }
        var settings = TestModel.greedy
        settings.stopStrings = ["\n\n"]
        settings.maxNewTokens = 100
        var streamed: [String] = []
        let result = try generator.generate(
            prompts: [tokenizer.encode("coffee")], settings: settings,
            control: { step in
                let next = script[step.generated.count]
                step.ban((0..<300).map { TokenID($0) }.filter { $0 != next })
            },
            onToken: { event in
                streamed.append(event.text)
                return .continue
            })[0]
        #expect(result.stopReason == .stopString("\n\n"))
        #expect(result.text == "hi 😀 there")
        #expect(streamed.joined() == "hi 😀 there")
        #expect(!streamed.contains { $0.contains("\u{FFFD}") || $0.contains("\n") })
        #expect(streamed.filter { $0 == "😀" }.count == 1)
        // The tokens run up to the one that completed the stop string.
        #expect(result.tokens == Array(script.prefix(15)))
    }

    @Test func hooksCanStopAndBan() throws {
        let generator = try Generator(model: TestModel.model(), tokenizer: tokenizer)
        var settings = TestModel.greedy
        settings.stopAtEndOfText = false
        let prompt = [tokenizer.encode("fresh")]
        let free = try generator.generate(prompts: prompt, settings: settings)[0]
        // Banning the greedy first token changes the first token.
        let banned = try generator.generate(prompts: prompt, settings: settings, control: { step in
            if step.generated.isEmpty { step.ban(free.tokens[0]) }
        })[0]
        #expect(banned.tokens[0] != free.tokens[0])
        let stopped = try generator.generate(prompts: prompt, settings: settings, control: { step in
            if step.generated.count == 4 { step.stop() }
        })[0]
        #expect(stopped.stopReason == .stoppedByCaller && stopped.tokens == Array(free.tokens.prefix(4)))
        let kept = try generator.generate(prompts: prompt, settings: settings, onToken: { $0.generatedCount == 3 ? .stop : .continue })[0]
        #expect(kept.tokens == Array(free.tokens.prefix(3)))
        let discarded = try generator.generate(prompts: prompt, settings: settings, onToken: { $0.generatedCount == 3 ? .discardAndStop : .continue })[0]
        #expect(discarded.tokens == Array(free.tokens.prefix(2)))
        #expect(discarded.text == (try tokenizer.decode(free.tokens.prefix(2))))
        let nothing = try generator.generate(prompts: prompt, settings: settings, control: { step in
            step.ban((0..<300).map { TokenID($0) })
        })[0]
        #expect(nothing.stopReason == .noAllowedToken && nothing.tokens.isEmpty && nothing.meanLogProbability == 0)
    }

    @Test func endOfTextEndsTheSequenceAndIsScored() throws {
        let generator = try Generator(model: TestModel.model(), tokenizer: tokenizer)
        var settings = TestModel.greedy
        let endOfText = tokenizer.id(ofSpecial: SpecialToken.endOfText)!
        settings.logitBias = [endOfText: 1000]
        let result = try generator.generate(prompts: [tokenizer.encode("cake")], settings: settings)[0]
        #expect(result.stopReason == .endOfText && result.tokens.isEmpty && result.text.isEmpty)
        #expect(result.meanLogProbability <= 0)
    }

    @Test func contextFullStopsOrSlides() throws {
        let generator = try Generator(model: TestModel.model(contextLength: 16), tokenizer: tokenizer, batchCapacity: 1)
        var settings = TestModel.greedy
        settings.stopAtEndOfText = false
        settings.maxNewTokens = 40
        let prompt = Array(repeating: tokenizer.encode("coffee")[0], count: 14)
        let stopped = try generator.generate(prompts: [prompt], settings: settings)[0]
        // 14 prompt positions + 2 fed tokens fill 16; the third drawn token has no room.
        #expect(stopped.stopReason == .contextFull && stopped.tokens.count == 3)
        settings.contextPolicy = .slide
        let slid = try generator.generate(prompts: [prompt], settings: settings)[0]
        #expect(slid.stopReason == .maxTokens && slid.tokens.count == 40 && slid.contextSlides >= 3)
        #expect(slid.tokens.prefix(3) == stopped.tokens.prefix(3))
    }

    @Test func badRequestsAreRefused() throws {
        let generator = try Generator(model: TestModel.model(contextLength: 8), tokenizer: tokenizer)
        var settings = SamplingSettings()
        #expect(throws: GenerationError.promptTooLong(prompt: 1, length: 9, contextLength: 8)) {
            try generator.generate(prompts: [[1], Array(repeating: 1, count: 9)], settings: settings)
        }
        #expect(throws: GenerationError.invalidCount(0)) { try generator.generate(prompts: [[1]], settings: settings, count: 0) }
        settings.temperature = -1
        #expect(throws: GenerationError.self) { try generator.generate(prompts: [[1]], settings: settings) }
        let small = ParameterBuffer(layout: ParameterLayout(config: GPTConfig(vocabularySize: 100, contextLength: 8, layers: 1, heads: 1, embeddingSize: 8)))
        #expect(throws: GenerationError.vocabularyMismatch(tokenizer: tokenizer.vocabularySize, model: 100)) {
            try Generator(model: small, tokenizer: tokenizer)
        }
    }
}
