import Foundation
import Support
import Testing
import Tokenizer
import Transformer

/// `copygen complete` and `copygen bench decode` run as a user would, on a tiny random model
/// written to a temporary directory (a trained model is not needed to check the plumbing).
@Suite struct CompleteCommandTests {
    static let modelDirectory: String = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("copygen-complete-\(getpid())").path
        let texts = ["fresh coffee every morning", "coffee and cake", "morning light on the bay"]
        let tokenizer = try! TokenizerTrainer(minimumPairCount: 1).train(texts: texts, vocabularySize: 280)
        let config = GPTConfig(vocabularySize: tokenizer.vocabularySize, contextLength: 24, layers: 1, heads: 2, embeddingSize: 16)
        let weights = ParameterBuffer(layout: ParameterLayout(config: config))
        var random = SeededRandom(seed: 3)
        weights.initializeGPT2(random: &random)
        try! ModelCheckpoint.save(parameters: weights, config: config, to: directory, endOfTextToken: Int(tokenizer.id(ofSpecial: SpecialToken.endOfText)!))
        try! tokenizer.save(to: directory + "/tokenizer.json")
        return directory
    }()

    static func complete(_ arguments: [String], input: String = "") throws -> CopygenRun {
        try CopygenProcess.run(["complete", "--model", modelDirectory] + arguments, input: Data(input.utf8))
    }

    @Test func aSeedGivesTheSameTextAndStdinIsThePrompt() throws {
        let first = try Self.complete(["--prompt", "coffee", "--seed", "5", "--max-tokens", "8"])
        let again = try Self.complete(["--seed", "5", "--max-tokens", "8"], input: "coffee\n")
        #expect(first.status == 0 && again.status == 0)
        #expect(first.stdout == again.stdout && first.stdout.hasSuffix("\n"))
        #expect(first.stderr.isEmpty)
    }

    @Test func severalCompletionsAreSeparated() throws {
        let run = try Self.complete(["--prompt", "morning", "-n", "3", "--seed", "1", "--max-tokens", "5"])
        #expect(run.status == 0)
        #expect(run.stdout.components(separatedBy: "\n---\n").count == 3)
    }

    @Test func aLongPromptIsTruncatedWithAWarningAndAFullContextIsNoted() throws {
        let long = String(repeating: "coffee and cake ", count: 20)
        let run = try Self.complete(["--prompt", long, "--max-tokens", "50", "--temperature", "0"])
        #expect(run.status == 0)
        #expect(run.stderr.contains("warning: the prompt has"))
        #expect(run.stderr.contains("note: a completion stopped at the model's context of 24 tokens"))
        let slid = try Self.complete(["--prompt", long, "--max-tokens", "50", "--temperature", "0", "--slide"])
        #expect(slid.status == 0 && !slid.stderr.contains("note:"))
    }

    @Test func anEmptyPromptStartsFromEndOfText() throws {
        let run = try Self.complete(["--max-tokens", "4", "--seed", "2"], input: "")
        #expect(run.status == 0)
    }

    @Test(arguments: [
        ["--temperature", "-1"], ["--top-p", "0"], ["--top-p", "1.5"], ["--min-p", "1"], ["--top-k", "-3"],
        ["--repetition-penalty", "0"], ["--max-tokens", "0"], ["-n", "0"], ["--stop", ""], ["--temperature", "hot"],
    ])
    func invalidValuesExitWithStatusTwo(arguments: [String]) throws {
        let run = try Self.complete(["--prompt", "x"] + arguments)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("copygen: error:") && run.stdout.isEmpty)
    }

    @Test func aMissingModelIsOneLineExitTwo() throws {
        let run = try CopygenProcess.run(["complete", "--model", "/nonexistent/model", "--prompt", "x"])
        #expect(run.status == 2)
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test func benchDecodePrintsOneJSONObject() throws {
        let run = try CopygenProcess.run(["bench", "decode", "--layers", "1", "--dim", "32", "--heads", "2", "--context", "16",
                                          "--vocab", "64", "--batch", "2", "--tokens", "8", "--threads", "1"])
        #expect(run.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(object?["batch"] as? Int == 2)
        for key in ["tokens_per_second", "ms_per_step", "prefill_tokens_per_second", "no_cache_tokens_per_second", "cache_speedup",
                    "weight_bytes_per_step", "memory_bandwidth_gb_per_second"] {
            #expect(object?[key] != nil, "missing \(key)")
        }
        let bad = try CopygenProcess.run(["bench", "decode", "--layers", "1", "--dim", "30", "--heads", "4", "--context", "16", "--vocab", "64", "--batch", "1"])
        #expect(bad.status == 2)
    }
}
