import ArgumentParser
import SafetyFilter
import Support

/// `copygen filter`: profanity and bias findings for each input line, a line in, a line out.
struct FilterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter",
        abstract: "Find profanity and biased wording in copy; mask or fix it.",
        discussion: """
            Reads lines from FILE (standard input when omitted or '-') and writes one line of \
            output for each. Profanity is found through look-alike letters, leetspeak, repeated \
            letters and letters split by spaces or punctuation; bias rules suggest better wording.

              flag   the text unchanged; findings on standard error (or in the JSON object)
              mask   profane words masked, first letter kept: "f***"
              fix    bias replaced by its first suggestion (case kept), profanity masked

            With --format jsonl each output line is an object with text, output, flagged and \
            findings (kind, category, severity, match, start, end, suggestions; offsets in \
            Unicode code points of the input line).

            Exit status: 0; 1 with --check when anything was found; 2 on bad input. Lexicon \
            format for --lexicon: docs/safety-filter.md.
            """
    )

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case flag, mask, fix
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, jsonl
    }

    @Option(help: "What to print: flag, mask or fix.")
    var mode: Mode = .flag

    @Option(help: "Output format: text or jsonl.")
    var format: Format = .text

    @Flag(help: "Exit with status 1 when anything was found.")
    var check = false

    @Option(help: ArgumentHelp("Extra lexicon entries (your brand's banned words).", valueName: "FILE"))
    var lexicon: String?

    @Flag(help: "Replace invalid UTF-8 with U+FFFD instead of stopping with an error.")
    var lossy = false

    @Argument(help: "Input file; standard input when omitted or '-'.")
    var file: String?

    func run() throws {
        let extra = try lexicon.map(SafetyFilter.loadUserLexicon(path:)) ?? []
        let filter = try SafetyFilter(extraLexicon: extra)
        let reader = try LineReader(path: file, lossy: lossy)
        var foundAnything = false
        while let line = try reader.nextLine() {
            let review = filter.review(line)
            foundAnything = foundAnything || !review.findings.isEmpty
            let output: String
            switch mode {
            case .flag: output = line
            case .mask: output = review.masked
            case .fix: output = review.fixed
            }
            switch format {
            case .text:
                StandardStreams.writeLine(output)
                if mode == .flag {
                    for finding in review.findings {
                        StandardStreams.message(FilterReport.textLine(finding, source: reader.sourceName, line: reader.lineNumber))
                    }
                }
            case .jsonl:
                StandardStreams.writeLine(FilterReport.jsonLine(text: line, output: output, findings: review.findings))
            }
        }
        if check && foundAnything { throw ExitCode(1) }
    }
}
