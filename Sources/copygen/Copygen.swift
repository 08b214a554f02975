import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// The `copygen` command: parses, calls the libraries, reports. No logic a test would want lives here.
@main
struct Copygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copygen",
        abstract: "Learn to write marketing copy from captions, then write posts about any topic.",
        discussion: """
            Every subcommand reads standard input when no file is named and writes results to standard \
            output; messages and progress go to standard error. Exit status: 0 success, 1 when \
            `filter --check` finds something, 2 on bad usage or bad input.
            """,
        version: copygenVersion,
        subcommands: [
            TokenizerCommand.self,
            TrainCommand.self,
            EvalCommand.self,
            BenchCommand.self,
            CompleteCommand.self,
            CorpusCommand.self,
            FilterCommand.self,
            GenerateCommand.self,
            ServeCommand.self,
            WordsCommand.self,
        ]
    )

    /// Replaces ArgumentParser's default exit handling so that every usage error is one line on
    /// standard error with exit status 2, and every runtime error is one line too, never a trace.
    static func main() {
        StandardStreams.prepare()
        rejectUnknownSubcommand(Array(CommandLine.arguments.dropFirst()))
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitForParseError(error)
        }
        do {
            try command.run()
        } catch let exit as ExitCode {
            Glibc.exit(exit.rawValue)
        } catch {
            if Self.exitCode(for: error) == .success {
                // A command group run without a subcommand asks for its help screen this way.
                StandardStreams.writeLine(fullMessage(for: error))
                Glibc.exit(0)
            }
            StandardStreams.fail(String(describing: error))
        }
    }

    /// A mistyped subcommand ("copygen generat --topic x") would otherwise be reported as an unknown
    /// option; name the command instead, with the closest real one.
    private static func rejectUnknownSubcommand(_ arguments: [String]) {
        guard let first = arguments.first, !first.hasPrefix("-") else { return }
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        if names.contains(first) { return }
        let closest = names.min { editDistance($0, first) < editDistance($1, first) }!
        let hint = editDistance(closest, first) <= 2 ? "; did you mean '\(closest)'?" : ""
        StandardStreams.fail("unknown command '\(first)' (known: \(names.dropLast().joined(separator: ", ")))\(hint)")
    }

    /// Levenshtein distance between two short words.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }

    private static func exitForParseError(_ error: Error) -> Never {
        let code = exitCode(for: error)
        if code == .success {
            // --help and --version: the text is the result, so it goes to standard output.
            StandardStreams.writeLine(fullMessage(for: error))
            Glibc.exit(0)
        }
        if let exit = error as? ExitCode { Glibc.exit(exit.rawValue) }
        let message = message(for: error).split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init)
            ?? "invalid command line"
        StandardStreams.fail("\(message) (see 'copygen --help')")
    }
}

/// copygen's version, printed by `copygen --version` and recorded in files it writes.
let copygenVersion = "0.1.0"
