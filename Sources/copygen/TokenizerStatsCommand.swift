import ArgumentParser
import Support
import Tokenizer
#if canImport(Glibc)
import Glibc
#endif

/// `copygen tokenizer stats`: what a tokenizer holds and how well it compresses a text.
struct TokenizerStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Describe a tokenizer and, given text, how many bytes a token covers.",
        discussion: """
            Prints the vocabulary size, merges, special tokens, normalization and split; with a text \
            file (or text piped on standard input) also the line, byte and token counts, bytes and \
            characters per token, and how much of the vocabulary the text uses. Example:
              copygen tokenizer stats --tokenizer Tokenizers/captions.json Corpora/captions.txt
            """
    )

    @OptionGroup var tokenizerFile: TokenizerFileOption

    @Argument(help: "A text file to measure, a line a text (standard input when omitted and not a terminal; '-' forces it).")
    var file: String?

    @OptionGroup var input: LossyOption

    func run() throws {
        let loaded = try Tokenizer.load(from: tokenizerFile.tokenizer)
        let specials = loaded.specialTokens
        var lines = [
            "tokenizer: \(tokenizerFile.tokenizer)",
            "vocabulary size: \(loaded.vocabularySize)",
            "merges: \(loaded.mergeCount)",
            "special tokens: " + (specials.isEmpty ? "none" : specials.map { "\($0.name)=\($0.id)" }.joined(separator: " ")),
            "normalization: \(loaded.normalization)",
            "pre-tokenizer: \(loaded.preTokenizer)",
        ]
        let longest = (0..<loaded.vocabularySize).map { TokenID($0) }.filter { !loaded.isSpecialToken($0) }
            .max { loaded.bytes(of: $0).count < loaded.bytes(of: $1).count }
        if let longest {
            lines.append("longest token: \(loaded.bytes(of: longest).count) bytes (id \(longest))")
        }
        if file != nil || isatty(STDIN_FILENO) == 0 {
            let reader = try LineReader(path: file, lossy: input.lossy)
            var lineCount = 0, byteCount = 0, characterCount = 0, tokenCount = 0
            var used = [Bool](repeating: false, count: loaded.vocabularySize)
            while let line = try reader.nextLine() {
                lineCount += 1
                byteCount += line.utf8.count
                characterCount += line.count
                for id in loaded.encode(line) {
                    tokenCount += 1
                    used[Int(id)] = true
                }
            }
            let distinct = used.lazy.filter { $0 }.count
            lines += [
                "text: \(reader.sourceName)",
                "lines: \(lineCount)",
                "bytes: \(byteCount)",
                "tokens: \(tokenCount)",
                "bytes per token: \(Self.ratio(byteCount, tokenCount))",
                "characters per token: \(Self.ratio(characterCount, tokenCount))",
                "distinct ids used: \(distinct) of \(loaded.vocabularySize)",
            ]
        }
        StandardStreams.writeLine(lines.joined(separator: "\n"))
    }

    static func ratio(_ numerator: Int, _ denominator: Int) -> String {
        guard denominator > 0 else { return "n/a" }
        let value = Double(numerator) / Double(denominator)
        return String(Double((value * 1000).rounded()) / 1000)
    }
}
