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

    @Option(help: "A tokenizer.json file or a directory with GPT-2's files.")
    var tokenizer: String

    @Argument(help: "The text file (standard input when omitted or '-').")
    var file: String?

    @Option(help: "Output format: ids or jsonl.")
    var format: OutputFormat = .ids

    @Flag(help: "Turn special-token spellings (<|endoftext|>, <|post|>, ...) into their ids.")
    var allowSpecial = false

    @Flag(help: "Replace invalid UTF-8 with U+FFFD instead of stopping with an error.")
    var lossy = false

    func run() throws {
        let loaded = try Tokenizer.load(from: tokenizer)
        let allowed = allowSpecial ? Set(loaded.specialTokens.map(\.name)) : []
        let reader = try LineReader(path: file, lossy: lossy)
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
