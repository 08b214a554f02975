import Foundation
import Support
import Testing
import Tokenizer
import Transformer

/// `copygen generate` run as a user would, on a tiny random model with the shipped tokenizer
/// (random weights write gibberish: the tests check counts, limits, fields and exit codes).
@Suite struct GenerateCommandTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// A model directory without training_ngrams.bin.
    static let modelDirectory: String = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("copygen-generate-\(getpid())/model").path
        let tokenizerPath = repositoryRoot + "/Tokenizers/captions-4k.json"
        let tokenizer = try! Tokenizer.load(from: tokenizerPath)
        let config = GPTConfig.preset("tiny", vocabularySize: tokenizer.vocabularySize)!
        let weights = ParameterBuffer(layout: ParameterLayout(config: config))
        var random = SeededRandom(seed: 5)
        weights.initializeGPT2(random: &random)
        try! ModelCheckpoint.save(parameters: weights, config: config, to: directory,
                                  endOfTextToken: Int(tokenizer.id(ofSpecial: SpecialToken.endOfText)!))
        try! FileManager.default.copyItem(atPath: tokenizerPath, toPath: directory + "/tokenizer.json")
        return directory
    }()

    static func generate(_ arguments: [String], input: String = "", model: String? = modelDirectory) throws -> CopygenRun {
        try CopygenProcess.run(["generate"] + (model.map { ["--model", $0] } ?? []) + ["--prompts", repositoryRoot + "/Prompts"] + arguments,
                               input: Data(input.utf8))
    }

    static func objects(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    /// Posts state no number the topic does not give; --any-number lets the model's own through.
    @Test func numbersComeFromTheTopicUnlessAnyNumber() throws {
        func digits(_ arguments: [String]) throws -> [String] {
            let run = try Self.generate(["-n", "8", "--seed", "3", "--platform", "linkedin", "--any-word"] + arguments)
            #expect(run.status == 0, "\(run.stderr)")
            return run.stdout.split(whereSeparator: { !$0.isNumber || !$0.isASCII }).map(String.init)
        }
        #expect(try !digits(["--topic", "desk lamp", "--any-number"]).isEmpty, "the test model writes digits when let")
        #expect(try digits(["--topic", "desk lamp"]).isEmpty)
        #expect(try Set(digits(["--topic", "desk lamp 2026"])).isSubset(of: ["2026"]))
    }

    @Test func jsonLinesHaveEveryFieldAndPostsFitThePlatform() throws {
        let run = try Self.generate(["--topic", "cold brew coffee", "--platform", "x", "--tone", "urgent", "-n", "3", "--seed", "7", "--format", "jsonl"])
        #expect(run.status == 0, "\(run.stderr)")
        let posts = try Self.objects(run.stdout)
        #expect(posts.count == 3)
        for post in posts {
            #expect(Set(post.keys).isSuperset(of: ["topic", "platform", "tone", "text", "characters", "score", "seed"]))
            #expect(post["topic"] as? String == "cold brew coffee" && post["platform"] as? String == "x" && post["tone"] as? String == "urgent")
            #expect((post["characters"] as? Int ?? 999) <= 280)
            #expect(!(post["text"] as? String ?? "").isEmpty)
            #expect(post["seed"] as? Int == 7)
            #expect(post["score"] is Double)
        }
        // Without training_ngrams.bin the index is built from the corpus, with a warning.
        #expect(run.stderr.contains("warning:") && run.stderr.contains("training_ngrams.bin"))
    }

    @Test func theSameSeedGivesTheSameOutputAndAnotherSeedAnother() throws {
        let arguments = ["--topic", "linen bed sheets", "--platform", "instagram", "--tone", "luxury", "-n", "2"]
        let first = try Self.generate(arguments + ["--seed", "3"])
        let again = try Self.generate(arguments + ["--seed", "3"])
        let other = try Self.generate(arguments + ["--seed", "4"])
        #expect(first.status == 0 && again.status == 0 && other.status == 0)
        #expect(first.stdout == again.stdout)
        #expect(first.stdout != other.stdout)
        #expect(first.stdout.components(separatedBy: "\n---\n").count == 3 && first.stdout.hasSuffix("\n---\n"))
    }

    @Test func eachStandardInputLineIsATopic() throws {
        let input = "cold brew coffee\n\n  \nlinen bed sheets\n"
        let text = try Self.generate(["--platform", "linkedin", "-n", "2", "--seed", "1"], input: input)
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.filter { $0 == "=== cold brew coffee ===" || $0 == "=== linen bed sheets ===" }.count == 2)
        #expect(lines.filter { $0 == "---" }.count == 4)

        let jsonl = try Self.generate(["--platform", "linkedin", "-n", "2", "--seed", "1", "--format", "jsonl"], input: input)
        #expect(try Self.objects(jsonl.stdout).map { $0["topic"] as? String } == ["cold brew coffee", "cold brew coffee", "linen bed sheets", "linen bed sheets"])
    }

    @Test func templatesByFileAndByName() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("copygen-template-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/signed.yaml"
        try "name: signed\ndescription: The post, then the topic as a signature.\nlayout: \"{post} ~ {topic}\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let run = try Self.generate(["--topic", "cold brew coffee", "--platform", "x", "-n", "2", "--seed", "2", "--format", "jsonl", "--template", path])
        #expect(run.status == 0, "\(run.stderr)")
        for post in try Self.objects(run.stdout) {
            let text = post["text"] as? String ?? ""
            #expect(text.hasSuffix(" ~ cold brew coffee") && (post["characters"] as? Int ?? 999) <= 280)
        }
        let named = try Self.generate(["--topic", "cold brew coffee", "-n", "1", "--seed", "2", "--template", "plain"])
        #expect(named.status == 0)
    }

    @Test func theDefaultModelAndPromptsAreFoundFromTheCurrentDirectory() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("copygen-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home.appendingPathComponent("Models"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.modelDirectory, toPath: home.appendingPathComponent("Models/default").path)
        try FileManager.default.copyItem(atPath: Self.repositoryRoot + "/Prompts", toPath: home.appendingPathComponent("Prompts").path)
        let run = try CopygenProcess.run(["generate", "--topic", "desk lamp", "-n", "1", "--seed", "1"], currentDirectory: home)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasSuffix("\n---\n"))
    }

    @Test func aLongTopicIsTruncatedWithAWarning() throws {
        let long = String(repeating: "handmade ceramic coffee mug ", count: 40)
        let run = try Self.generate(["--topic", long, "-n", "1", "--seed", "1", "--format", "jsonl"])
        #expect(run.status == 0)
        #expect(run.stderr.contains("warning: topic is longer than the model allows"))
        let topic = try Self.objects(run.stdout).first?["topic"] as? String ?? ""
        #expect(!topic.isEmpty && long.hasPrefix(topic) && topic.count < long.count)
    }

    @Test func badInputIsOneLineWithExitStatusTwo() throws {
        let brokenModel = FileManager.default.temporaryDirectory.appendingPathComponent("copygen-broken-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: Self.modelDirectory, toPath: brokenModel)
        try FileManager.default.removeItem(atPath: brokenModel + "/tokenizer.json")
        let badIndexModel = FileManager.default.temporaryDirectory.appendingPathComponent("copygen-badindex-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: Self.modelDirectory, toPath: badIndexModel)
        try Data("CGNGRAM1\u{0C}\0\0\0".utf8).write(to: URL(fileURLWithPath: badIndexModel + "/training_ngrams.bin"))
        let brokenTemplate = NSTemporaryDirectory() + "broken-\(UUID().uuidString).yaml"
        try "name: broken\nlayout: [unclosed\n".write(toFile: brokenTemplate, atomically: true, encoding: .utf8)

        let cases: [([String], String, String?, String)] = [
            (["--topic", "  "], "", Self.modelDirectory, "--topic is empty"),
            ([], "", Self.modelDirectory, "no topic"),
            (["--topic", "mug", "--platform", "myspace"], "", Self.modelDirectory, "unknown platform 'myspace' (known: facebook, instagram, linkedin, threads, tiktok, x)"),
            (["--topic", "mug", "--tone", "grumpy"], "", Self.modelDirectory, "unknown tone 'grumpy' (known: friendly, inspirational, luxury, playful, professional, urgent)"),
            (["--topic", "mug", "--template", brokenTemplate], "", Self.modelDirectory, brokenTemplate),
            (["--topic", "mug", "--template", "nonexistent"], "", Self.modelDirectory, "no template of that name"),
            (["--topic", "mug"], "", brokenModel, "missing tokenizer.json"),
            (["--topic", "mug"], "", brokenModel + "-nowhere", "no such model directory"),
            (["--topic", "mug"], "", badIndexModel, "training_ngrams.bin"),
            (["--topic", "mug", "-n", "0"], "", Self.modelDirectory, "-n must be between"),
            (["--topic", "mug", "--temperature", "-1"], "", Self.modelDirectory, "--temperature"),
            (["--topic", "mug", "--top-p", "0"], "", Self.modelDirectory, "--top-p"),
            (["--topic", "mug", "--format", "xml"], "", Self.modelDirectory, "xml"),
        ]
        for (arguments, input, model, expected) in cases {
            let run = try Self.generate(arguments, input: input, model: model)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stdout.isEmpty)
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1 && run.stderr.hasPrefix("copygen: error: ") && run.stderr.contains(expected), "\(arguments): \(run.stderr)")
        }
    }

    @Test func invalidUTF8OnStandardInputNamesTheLine() throws {
        let run = try CopygenProcess.run(["generate", "--model", Self.modelDirectory, "--prompts", Self.repositoryRoot + "/Prompts"],
                                         input: Data("desk lamp\n".utf8) + Data([0x63, 0xFF, 0x0A]))
        #expect(run.status == 2)
        #expect(run.stderr.split(separator: "\n").last?.hasPrefix("copygen: error: <stdin>") == true, "\(run.stderr)")
    }
}
