import Foundation
import Testing

@Suite struct CorpusCommandTests {
    @Test func checkReportsAndSucceedsOnAGoodCorpus() throws {
        let input = "{\"text\": \"Hello there\", \"platform\": \"x\", \"tone\": \"friendly\"}\n"
        let run = try CopygenProcess.run(["corpus", "check", "--format", "jsonl"], input: input)
        #expect(run.status == 0)
        #expect(run.stdout.contains("1 captions"))
        #expect(run.stdout.contains("0 errors"))
    }

    @Test func malformedLineExitsWith2AndNamesIt() throws {
        let run = try CopygenProcess.run(["corpus", "check", "--format", "jsonl"], input: "{\"text\": \"ok\"}\n{broken\n")
        #expect(run.status == 2)
        #expect(run.stdout.contains("<stdin>:2: not valid JSON"))
    }

    @Test func missingFileIsOneLineError() throws {
        let run = try CopygenProcess.run(["corpus", "check", "/nonexistent/corpus.jsonl"])
        #expect(run.status == 2)
        #expect(run.stderr == "copygen: error: /nonexistent/corpus.jsonl: cannot open: No such file or directory\n")
    }
}
