import Foundation
import Testing

/// `copygen filter` as a user runs it: modes, formats, exit codes, bad input.
@Suite struct FilterCommandTests {
    @Test func flagPrintsTextAndReportsOnStandardError() throws {
        let run = try CopygenProcess.run(["filter"], input: "clean line\nwhat the fuck\n")
        #expect(run.status == 0)
        #expect(run.stdout == "clean line\nwhat the fuck\n")
        #expect(run.stderr == "<stdin>:2: profanity/profanity (high) \"fuck\" at 9-13\n")
    }

    @Test func maskAndFix() throws {
        let input = "Hey guys, this is sh1t\n"
        #expect(try CopygenProcess.run(["filter", "--mode", "mask"], input: input).stdout == "Hey guys, this is s***\n")
        #expect(try CopygenProcess.run(["filter", "--mode", "fix"], input: input).stdout == "Hey everyone, this is s***\n")
    }

    @Test func jsonLinesHaveTheIssueFields() throws {
        let run = try CopygenProcess.run(["filter", "--format", "jsonl", "--mode", "fix"], input: "🙂 Our chairman\nfine\n")
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["text"] as? String == "🙂 Our chairman")
        #expect(first["output"] as? String == "🙂 Our chair")
        #expect(first["flagged"] as? Bool == true)
        let finding = try #require((first["findings"] as? [[String: Any]])?.first)
        #expect(finding["kind"] as? String == "bias")
        #expect(finding["category"] as? String == "gendered")
        #expect(finding["severity"] as? String == "low")
        #expect(finding["match"] as? String == "chairman")
        #expect(finding["start"] as? Int == 6)
        #expect(finding["end"] as? Int == 14)
        #expect(finding["suggestions"] as? [String] == ["chair", "chairperson"])
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(second["flagged"] as? Bool == false)
        #expect((second["findings"] as? [Any])?.isEmpty == true)
    }

    @Test func checkExitsOneOnlyWhenSomethingIsFound() throws {
        #expect(try CopygenProcess.run(["filter", "--check"], input: "all good here\n").status == 0)
        #expect(try CopygenProcess.run(["filter", "--check"], input: "all good\nf u c k\n").status == 1)
        #expect(try CopygenProcess.run(["filter"], input: "f u c k\n").status == 0)
    }

    @Test func userLexiconAddsEntries() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("filter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.txt")
        try "# our banned words\nmegacorp | competitor | low\n".write(to: good, atomically: true, encoding: .utf8)
        let run = try CopygenProcess.run(["filter", "--check", "--lexicon", good.path], input: "better than m3gac0rp\n")
        #expect(run.status == 1)
        #expect(run.stderr.contains("profanity/competitor (low) \"m3gac0rp\""))

        let bad = directory.appendingPathComponent("bad.txt")
        try "fine\nbroken | custom | severe\n".write(to: bad, atomically: true, encoding: .utf8)
        let failed = try CopygenProcess.run(["filter", "--lexicon", bad.path], input: "x\n")
        #expect(failed.status == 2)
        #expect(failed.stderr.hasPrefix("copygen: error: \(bad.path):2: unknown severity 'severe'"))
        #expect(failed.stdout.isEmpty)
    }

    @Test func invalidUTF8NamesLineAndByte() throws {
        var input = Data("ok\n".utf8)
        input.append(contentsOf: [0x61, 0x62, 0xFF, 0x0A])
        let run = try CopygenProcess.run(["filter"], input: input)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("copygen: error: <stdin>:2: invalid UTF-8 at byte 2"))
        let lossy = try CopygenProcess.run(["filter", "--lossy"], input: input)
        #expect(lossy.status == 0)
        #expect(lossy.stdout == "ok\nab\u{FFFD}\n")
    }

    @Test func badOptionValuesAreUsageErrors() throws {
        for arguments in [["filter", "--mode", "shout"], ["filter", "--format", "xml"], ["filter", "--lexicon", "/no/such/file"]] {
            let run = try CopygenProcess.run(arguments, input: "x\n")
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stderr.hasPrefix("copygen: error: "))
            #expect(run.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test func readsANamedFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("filter-\(UUID().uuidString).txt")
        try "one\nd4mn two\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try CopygenProcess.run(["filter", "--mode", "mask", file.path])
        #expect(run.stdout == "one\nd*** two\n")
        #expect(run.status == 0)
    }
}
