import ArgumentParser
import Foundation

/// `--threads`, for every command that runs the model:
///
///     copygen generate --topic "desk lamp" --threads 1
struct ThreadsOption: ParsableArguments {
    @Option(help: "Threads for the model's work.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be positive (got \(threads))") }
    }
}

/// `--lossy`, for every command that reads text a user gives it:
///
///     copygen corpus check old-export.csv --lossy
struct LossyOption: ParsableArguments {
    @Flag(help: "Replace invalid UTF-8 in the input with U+FFFD instead of stopping at it.")
    var lossy = false
}

/// `--tokenizer FILE`, for the `copygen tokenizer` commands that use a trained tokenizer:
///
///     copygen tokenizer encode --tokenizer Tokenizers/english-8k.json captions.txt
struct TokenizerFileOption: ParsableArguments {
    @Option(help: "A tokenizer.json file or a directory with GPT-2's files.")
    var tokenizer: String
}
