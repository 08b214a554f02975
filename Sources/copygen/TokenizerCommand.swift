import ArgumentParser

/// `copygen tokenizer ...`: train, inspect and run byte-level BPE tokenizers.
struct TokenizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer",
        abstract: "Train, inspect and run byte-level BPE tokenizers.",
        subcommands: []
    )
}
