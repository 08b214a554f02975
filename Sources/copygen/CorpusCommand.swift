import ArgumentParser
import Corpus

/// `copygen corpus ...`: inspect caption corpora.
struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Inspect caption corpora (JSON Lines, CSV with a header row, or plain text).",
        subcommands: [CorpusCheckCommand.self]
    )
}

extension CorpusFormat: ExpressibleByArgument {}

struct CorpusCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a corpus against the schema and report counts and problems.",
        discussion: """
            JSON Lines: one object a line with "text" and optional "topic", "platform", "tone", \
            "industry". CSV: a header row naming a "text" column. Plain text: one caption a line. \
            Exit status 0 when every line is a usable caption (warnings allowed), 2 when a line is \
            malformed or the file cannot be read.
            """
    )

    @Argument(help: "The corpus file (standard input when omitted or '-').")
    var file: String?

    @Option(help: "The file format (jsonl, csv, text); guessed from the extension or first line when omitted.")
    var format: CorpusFormat?

    @OptionGroup var input: LossyOption

    @Flag(name: .customLong("near-duplicates"), help: "Also search for captions that share most of their words.")
    var nearDuplicates = false

    func run() throws {
        let report = try CorpusCheck.run(path: file, format: format, lossy: input.lossy, nearDuplicates: nearDuplicates)
        StandardStreams.writeLine(report.rendered())
        if report.hasErrors { throw ExitCode(2) }
    }
}
