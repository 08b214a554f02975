import ArgumentParser
import Support
import Tokenizer

/// `copygen tokenizer decode`: a line of ids in, a line of text out.
struct TokenizerDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode token ids to text, one line in, one line out.",
        discussion: """
            Ids are separated by spaces or commas; surrounding brackets are allowed, so both \
            `encode` formats' id lists decode. An id outside the vocabulary is an error naming the \
            line. Example:
              echo "15496 995" | copygen tokenizer decode --tokenizer ../shared/data/gpt2
            """
    )

    @OptionGroup var tokenizerFile: TokenizerFileOption

    @Argument(help: "The file of id lines (standard input when omitted or '-').")
    var file: String?

    func run() throws {
        let loaded = try Tokenizer.load(from: tokenizerFile.tokenizer)
        let reader = try LineReader(path: file)
        while let line = try reader.nextLine() {
            var ids: [TokenID] = []
            let separators: Set<Character> = [" ", "\t", ",", "[", "]"]
            for field in line.split(whereSeparator: { separators.contains($0) }) {
                guard let id = TokenID(field) else {
                    throw InputError.malformed(source: reader.sourceName, line: reader.lineNumber, what: "\"\(field.prefix(40))\" is not a token id")
                }
                ids.append(id)
            }
            do {
                StandardStreams.writeLine(try loaded.decode(ids))
            } catch let error as TokenizerError {
                throw InputError.malformed(source: reader.sourceName, line: reader.lineNumber, what: error.description)
            }
        }
    }
}
