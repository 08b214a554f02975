import Testing

/// The contract every subcommand keeps: help and version on stdout with status 0, and usage errors
/// as one line on stderr with status 2.
@Suite struct CommandLineContractTests {
    @Test func versionPrintsAndSucceeds() throws {
        let run = try CopygenProcess.run(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout.split(separator: ".").count == 3)
    }

    @Test func helpListsSubcommands() throws {
        let run = try CopygenProcess.run(["--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("tokenizer"))
    }

    @Test(arguments: [["--bogus"], ["tokenizer", "--nope"], ["no-such-command"]])
    func usageErrorIsOneLineWithStatus2(arguments: [String]) throws {
        let run = try CopygenProcess.run(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("copygen: error: "))
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(run.stdout.isEmpty)
    }

    @Test func mistypedCommandIsNamedWithASuggestion() throws {
        let run = try CopygenProcess.run(["generat", "--topic", "x"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("unknown command 'generat'"))
        #expect(run.stderr.contains("did you mean 'generate'?"))
        #expect(run.stderr.split(separator: "\n").count == 1)
    }
}
