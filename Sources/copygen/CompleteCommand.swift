import ArgumentParser
import Captions
import Corpus
import Foundation
import Generation
import Support
import Tokenizer
import Transformer

/// `copygen complete`: continues a prompt with a trained model, printing text as it is generated.
struct CompleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complete",
        abstract: "Continue a prompt with a trained model, streaming the text to standard output.",
        discussion: """
            Without --prompt, standard input is the prompt (one trailing newline is dropped). An empty \
            prompt starts from <|endoftext|>. A prompt longer than the model's context keeps its end, \
            with a warning. With -n above 1 the completions are decoded together and printed as each \
            finishes, separated by lines of '---'. Samplers apply in a fixed order: repetition penalty, \
            temperature (0 = greedy), top-k, top-p, min-p.

            --words-only keeps the completion to the words of the model directory's words.txt \
            and of the prompt (numbers, @handles and web addresses are not words; hashtags count as \
            their CamelCase parts); a word the prompt leaves unfinished may only be finished into \
            one of them. The names of names.txt (brands, places, people) are allowed only when the \
            prompt uses them.
            """
    )

    @Option(help: "Model directory (model.safetensors, config.json, tokenizer.json).") var model: String
    @Option(help: "The text to continue (default: standard input).") var prompt: String?
    @Option(help: "Most new tokens per completion.") var maxTokens: Int = 128
    @Option(help: "Sampling temperature; 0 always takes the most likely token.") var temperature: Float = 0.8
    @Option(help: "Keep only the k most likely tokens (0 = all).") var topK: Int = 40
    @Option(help: "Nucleus sampling: keep the most likely tokens up to this probability, in (0, 1].") var topP: Float = 0.95
    @Option(help: "Drop tokens below this fraction of the top token's probability, in [0, 1).") var minP: Float = 0
    @Option(help: "Penalty (> 0; 1 = off) for tokens among the last 64 generated.") var repetitionPenalty: Float = 1.1
    @Option(help: "Stop when this text appears (repeatable); it is not printed.") var stop: [String] = []
    @Option(help: "Random seed (default: a fresh one each run).") var seed: UInt64?
    @Option(name: .customShort("n"), help: "Completions to write.") var count: Int = 1
    @Flag(help: "When the context fills, keep its last three quarters and go on instead of stopping.") var slide = false
    @Flag(help: "Write only words of the model's words.txt (no invented words).") var wordsOnly = false
    @OptionGroup var threadsOption: ThreadsOption

    func validate() throws {
        if let problem = SamplingSettings.temperatureProblem(temperature) ?? SamplingSettings.topPProblem(topP) {
            throw ValidationError("--" + problem)
        }
        if topK < 0 { throw ValidationError("--top-k must be ≥ 0 (got \(topK))") }
        if !(minP >= 0 && minP < 1) { throw ValidationError("--min-p must be in [0, 1) (got \(minP))") }
        if !(repetitionPenalty > 0 && repetitionPenalty.isFinite) { throw ValidationError("--repetition-penalty must be > 0 (got \(repetitionPenalty))") }
        if maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1 (got \(maxTokens))") }
        if count < 1 { throw ValidationError("-n must be at least 1 (got \(count))") }
        if stop.contains(where: \.isEmpty) { throw ValidationError("--stop must not be empty") }
    }

    func run() throws {
        StandardStreams.exitOnInterrupt()
        let (_, weights) = try ModelCheckpoint.load(directory: model)
        let tokenizer = try Tokenizer.load(from: model + "/tokenizer.json")
        let generator = try Generator(model: weights, tokenizer: tokenizer, batchCapacity: min(count, 16), threads: threadsOption.threads)
        let listedWords = wordsOnly ? WordGuard(words: try modelWords(), tokenizer: tokenizer) : nil

        let prompt = try promptText()
        let wordGuard = listedWords?.addingWords(ofPrompt: prompt)
        var promptTokens = tokenizer.encode(prompt)
        let context = generator.config.contextLength
        if promptTokens.count > context - 1 {
            StandardStreams.message("copygen: warning: the prompt has \(promptTokens.count) tokens; keeping its last \(context - 1) (the model's context is \(context))")
            promptTokens = Array(promptTokens.suffix(context - 1))
        }

        var settings = SamplingSettings()
        settings.temperature = temperature
        settings.topK = topK
        settings.topP = topP
        settings.minP = minP
        settings.repetitionPenalty = repetitionPenalty
        settings.stopStrings = stop
        settings.maxNewTokens = maxTokens
        settings.contextPolicy = slide ? .slide : .stop
        settings.seed = seed ?? UInt64.random(in: .min ... .max)

        // One completion streams as it is drawn; several print whole as each one finishes.
        var printed = 0, streamedBytes = 0
        _ = try generator.generate(
            prompts: [promptTokens], settings: settings, count: count,
            control: wordGuard.map { wordGuard in { step in wordGuard.restrict(step, context: prompt, settings: settings) } },
            onToken: count == 1 ? { event in
                StandardStreams.write(event.text)
                streamedBytes += event.text.utf8.count
                return .continue
            } : nil,
            onFinish: { sequence in
                if count == 1 {
                    // Text held back as a possible stop-string start is released only at the end.
                    StandardStreams.write(String(decoding: sequence.text.utf8.dropFirst(streamedBytes), as: UTF8.self) + "\n")
                } else {
                    if printed > 0 { StandardStreams.writeLine("---") }
                    StandardStreams.writeLine(sequence.text)
                }
                printed += 1
                if sequence.stopReason == .contextFull {
                    StandardStreams.message("copygen: note: a completion stopped at the model's context of \(context) tokens (--slide keeps going)")
                }
            })
    }

    /// The model directory's words.txt without the names of its names.txt (as `CaptionModel.postWords`),
    /// which --words-only needs.
    private func modelWords() throws -> WordList {
        let path = model + "/" + WordList.fileName, namesPath = model + "/" + WordList.namesFileName
        guard FileContents.exists(path) else {
            throw ResourceError(description: "\(path): missing; --words-only needs the model's word list (build it with: copygen words build --corpus TRAINING_TEXT --out \(path))")
        }
        let words = try WordList.load(path: path)
        return FileContents.exists(namesPath) ? words.withoutNames(try WordList.load(path: namesPath)) : words
    }

    private func promptText() throws -> String {
        if let prompt { return prompt }
        var text = try FileContents.readText("/dev/stdin")
        // "\r\n" is one Character to Swift (and `hasSuffix("\n")` is false for it): check both.
        if text.hasSuffix("\r\n") || text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
