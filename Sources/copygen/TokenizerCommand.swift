import ArgumentParser
import Tokenizer

/// `copygen tokenizer ...`: train, inspect and run byte-level BPE tokenizers.
struct TokenizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer",
        abstract: "Train, inspect and run byte-level BPE tokenizers.",
        discussion: """
            PATH is a tokenizer.json file (Hugging Face format, as `train` writes it) or a directory \
            with GPT-2's encoder.json and vocab.bpe (or vocab.json and merges.txt).
            """,
        subcommands: [
            TokenizerTrainCommand.self, TokenizerEncodeCommand.self, TokenizerDecodeCommand.self,
            TokenizerStatsCommand.self,
        ]
    )
}

extension Normalization: ExpressibleByArgument {}
