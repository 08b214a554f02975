import ArgumentParser
import Support
import Tokenizer

/// `copygen tokenizer encode`: a line of text in, a line of ids out.
struct TokenizerEncodeCommand: ParsableCommand {
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case ids, jsonl
    }

    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode text to token ids, one line in, one line out.",
        discussion: """
            --format ids prints the ids separated by spaces; --format jsonl prints \
            {"text": ..., "ids": [...]} per line. Special-token spellings such as <|endoftext|> are \
            ordinary text unless --allow-special is given. Example:
              echo "Stay hydrated in style" | copygen tokenizer encode --tokenizer Tokenizers/captions.json
            """
    )

    @OptionGroup var tokenizerFile: TokenizerFileOption

    @Argument(help: "The text file (standard input when omitted or '-').")
    var file: String?

    @Option(help: "Output format: ids or jsonl.")
    var format: OutputFormat = .ids

    @Flag(help: "Turn special-token spellings (<|endoftext|>, <|post|>, ...) into their ids.")
    var allowSpecial = false

    @OptionGroup var input: LossyOption

    func run() throws {
        let loaded = try Tokenizer.load(from: tokenizerFile.tokenizer)
        let allowed = allowSpecial ? Set(loaded.specialTokens.map(\.name)) : []
        let reader = try LineReader(path: file, lossy: input.lossy)
        while let line = try reader.nextLine() {
            let ids = allowed.isEmpty ? loaded.encode(line) : loaded.encode(line, allowedSpecial: allowed)
            let list = ids.map(String.init).joined(separator: format == .ids ? " " : ", ")
            switch format {
            case .ids: StandardStreams.writeLine(list)
            case .jsonl: StandardStreams.writeLine("{\"text\": \(JSONString.quoted(line)), \"ids\": [\(list)]}")
            }
        }
    }
}
