import Foundation
import Testing

/// `copygen tokenizer ...` run as a user would: results on stdout, one-line errors with status 2,
/// and no output file unless training finished.
@Suite struct TokenizerCommandTests {
    static let captions = """
        Stay hydrated in style with our reusable glass water bottle.
        Cold brew season is here! Grab yours before they're gone.
        Our spring sale starts today: 20% off everything in store and online.
        Free shipping on orders over $50 until Sunday night.
        New colours just dropped 💚💙💜 which one is you?
        Stay hydrated, stay cold, stay in style.
        """

    /// A scratch directory with a small corpus in each format.
    final class Workspace {
        let url: URL
        var path: String { url.path }
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("copygen-cli-tokenizer-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            let lines = TokenizerCommandTests.captions.split(separator: "\n").map(String.init)
            try (lines.joined(separator: "\n") + "\n").write(to: url.appendingPathComponent("captions.txt"), atomically: true, encoding: .utf8)
            let jsonl = lines.map { "{\"text\": \"\($0)\", \"topic\": \"bottles\"}" }.joined(separator: "\n") + "\n"
            try jsonl.write(to: url.appendingPathComponent("captions.jsonl"), atomically: true, encoding: .utf8)
            let csv = "id,text\n" + lines.enumerated().map { "\($0.offset),\"\($0.element)\"" }.joined(separator: "\n") + "\n"
            try csv.write(to: url.appendingPathComponent("captions.csv"), atomically: true, encoding: .utf8)
        }
        func file(_ name: String) -> String { url.appendingPathComponent(name).path }
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    func train(_ workspace: Workspace, vocabularySize: Int = 300) throws -> String {
        let out = workspace.file("tok.json")
        let run = try CopygenProcess.run([
            "tokenizer", "train", "--corpus", workspace.file("captions.txt"), workspace.file("captions.jsonl"),
            workspace.file("captions.csv"), "--vocab-size", String(vocabularySize), "--out", out,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        return out
    }

    func expectOneLineError(_ run: CopygenRun, containing: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status == 2, sourceLocation: sourceLocation)
        #expect(run.stderr.hasPrefix("copygen: error: "), "\(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.contains(containing), "\(run.stderr)", sourceLocation: sourceLocation)
    }

    @Test func trainEncodeDecodeStats() throws {
        let workspace = try Workspace()
        let tokenizer = try train(workspace)
        #expect(FileManager.default.fileExists(atPath: tokenizer))

        let text = "Stay hydrated in style 💚\nCold brew <|endoftext|> season\n"
        let encoded = try CopygenProcess.run(["tokenizer", "encode", "--tokenizer", tokenizer], input: text)
        #expect(encoded.status == 0)
        let idLines = encoded.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(idLines.count == 2)
        #expect(!idLines[1].split(separator: " ").contains("256"))

        let decoded = try CopygenProcess.run(["tokenizer", "decode", "--tokenizer", tokenizer], input: encoded.stdout)
        #expect(decoded.status == 0)
        #expect(decoded.stdout == text)

        let special = try CopygenProcess.run(["tokenizer", "encode", "--tokenizer", tokenizer, "--allow-special"], input: "a<|endoftext|>")
        #expect(special.stdout == "97 256\n")

        let jsonl = try CopygenProcess.run(["tokenizer", "encode", "--tokenizer", tokenizer, "--format", "jsonl"], input: "say \"hi\"\n")
        let object = try JSONSerialization.jsonObject(with: Data(jsonl.stdout.utf8)) as! [String: Any]
        #expect(object["text"] as? String == "say \"hi\"")
        let ids = (object["ids"] as! [Int]).map(String.init).joined(separator: ", ")
        let back = try CopygenProcess.run(["tokenizer", "decode", "--tokenizer", tokenizer], input: "[\(ids)]\n")
        #expect(back.stdout == "say \"hi\"\n")

        let stats = try CopygenProcess.run(["tokenizer", "stats", "--tokenizer", tokenizer, workspace.file("captions.txt")])
        #expect(stats.status == 0)
        #expect(stats.stdout.contains("vocabulary size: 300"))
        #expect(stats.stdout.contains("lines: 6"))
        #expect(stats.stdout.contains("bytes per token: "))
    }

    @Test func trainingTwiceGivesTheSameFile() throws {
        let workspace = try Workspace()
        var files: [Data] = []
        for name in ["first.json", "second.json"] {
            let run = try CopygenProcess.run([
                "tokenizer", "train", "--corpus", workspace.file("captions.jsonl"), "--vocab-size", "290", "--out", workspace.file(name),
            ])
            #expect(run.status == 0)
            files.append(try Data(contentsOf: URL(fileURLWithPath: workspace.file(name))))
        }
        #expect(files[0] == files[1])
    }

    @Test func trainReadsStandardInput() throws {
        let workspace = try Workspace()
        let out = workspace.file("stdin.json")
        let run = try CopygenProcess.run(["tokenizer", "train", "--vocab-size", "280", "--out", out], input: Self.captions)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: out))
    }

    @Test func invalidUTF8OnStandardInput() throws {
        let workspace = try Workspace()
        let tokenizer = try train(workspace)
        var input = Data("fine line\nbad ".utf8)
        input.append(0xFF)
        input.append(contentsOf: Array(" byte\n".utf8))
        let strict = try CopygenProcess.run(["tokenizer", "encode", "--tokenizer", tokenizer], input: input)
        expectOneLineError(strict, containing: "<stdin>:2: invalid UTF-8 at byte 4")
        let lossy = try CopygenProcess.run(["tokenizer", "encode", "--tokenizer", tokenizer, "--lossy"], input: input)
        #expect(lossy.status == 0)
        let decoded = try CopygenProcess.run(["tokenizer", "decode", "--tokenizer", tokenizer], input: lossy.stdout)
        #expect(decoded.stdout == "fine line\nbad \u{FFFD} byte\n")
    }

    @Test func invalidUTF8InCorpusWritesNothing() throws {
        let workspace = try Workspace()
        var corpus = Data("good caption\nanother good one\n".utf8)
        corpus.append(contentsOf: [0x62, 0x61, 0x64, 0xC3, 0x28, 0x0A])
        let path = workspace.file("bad.txt")
        try corpus.write(to: URL(fileURLWithPath: path))
        let out = workspace.file("never.json")
        let run = try CopygenProcess.run(["tokenizer", "train", "--corpus", path, "--vocab-size", "300", "--out", out])
        expectOneLineError(run, containing: "bad.txt:3: invalid UTF-8 at byte 3")
        #expect(!FileManager.default.fileExists(atPath: out))
        let lossy = try CopygenProcess.run(["tokenizer", "train", "--corpus", path, "--vocab-size", "300", "--out", out, "--lossy"])
        #expect(lossy.status == 0)
        #expect(FileManager.default.fileExists(atPath: out))
    }

    @Test func vocabularyTooSmallWritesNothing() throws {
        let workspace = try Workspace()
        let out = workspace.file("small.json")
        let run = try CopygenProcess.run([
            "tokenizer", "train", "--corpus", workspace.file("captions.txt"), "--vocab-size", "100", "--out", out,
        ])
        expectOneLineError(run, containing: "261")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func missingCorpusWritesNothing() throws {
        let workspace = try Workspace()
        let out = workspace.file("none.json")
        let run = try CopygenProcess.run(["tokenizer", "train", "--corpus", workspace.file("absent.txt"), "--vocab-size", "300", "--out", out])
        expectOneLineError(run, containing: "absent.txt")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func badTokenizerFiles() throws {
        let workspace = try Workspace()
        let good = try train(workspace)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        let truncated = workspace.file("truncated.json")
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        let foreign = workspace.file("foreign.json")
        try Data("{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"[UNK]\": 0}}}".utf8).write(to: URL(fileURLWithPath: foreign))
        for (path, message) in [(workspace.file("absent.json"), "cannot open"), (truncated, "truncated"), (foreign, "WordPiece")] {
            for command in ["encode", "decode", "stats"] {
                let run = try CopygenProcess.run(["tokenizer", command, "--tokenizer", path], input: "1 2\n")
                expectOneLineError(run, containing: message)
                #expect(run.stdout.isEmpty)
            }
        }
    }

    @Test func badIdsOnDecode() throws {
        let workspace = try Workspace()
        let tokenizer = try train(workspace)
        let outOfRange = try CopygenProcess.run(["tokenizer", "decode", "--tokenizer", tokenizer], input: "72 105\n72 300\n")
        expectOneLineError(outOfRange, containing: "<stdin>:2: token id 300 is out of range")
        #expect(outOfRange.stdout == "Hi\n")
        let notANumber = try CopygenProcess.run(["tokenizer", "decode", "--tokenizer", tokenizer], input: "72 x9\n")
        expectOneLineError(notANumber, containing: "<stdin>:1: \"x9\" is not a token id")
    }

    @Test func usageErrors() throws {
        for arguments in [
            ["tokenizer", "encode"],
            ["tokenizer", "train", "--vocab-size", "300"],
            ["tokenizer", "train", "--vocab-size", "many", "--out", "x.json"],
            ["tokenizer", "train", "--vocab-size", "300", "--out", "x.json", "--normalization", "nfd"],
            ["tokenizer", "encode", "--tokenizer", "x", "--format", "xml"],
        ] {
            let run = try CopygenProcess.run(arguments)
            expectOneLineError(run, containing: "--")
        }
        let help = try CopygenProcess.run(["tokenizer", "train", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--vocab-size"))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: Self.gpt2Directory + "/encoder.json"), "needs ../shared/data/gpt2"))
    func encodesWithGPT2Files() throws {
        let run = try CopygenProcess.run(["tokenizer", "encode", "--tokenizer", Self.gpt2Directory], input: "Hello world\n")
        #expect(run.stdout == "15496 995\n")
        let back = try CopygenProcess.run(["tokenizer", "decode", "--tokenizer", Self.gpt2Directory], input: "15496 995 50256\n")
        #expect(back.stdout == "Hello world<|endoftext|>\n")
        let stats = try CopygenProcess.run(["tokenizer", "stats", "--tokenizer", Self.gpt2Directory], input: "")
        #expect(stats.stdout.contains("vocabulary size: 50257"))
        #expect(stats.stdout.contains("special tokens: <|endoftext|>=50256"))
    }

    static let gpt2Directory: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("shared/data/gpt2").path
    }()
}
