import ArgumentParser
import Foundation
import Support
import Measurement
import Transformer

/// `copygen bench decode`: KV-cache decoding speed on random weights, against recomputing the
/// prefix every step and against the machine's memory bandwidth, measured in the same run.
struct BenchDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Time KV-cache decoding of a model shape on random weights.",
        discussion: """
            Each of --batch sequences starts from one token and decodes --tokens more, one per step, all \
            sequences in one batched pass per step (model time only: no sampling). The prefill rate feeds \
            half a context per sequence in one pass. The no-cache figure recomputes the whole prefix at \
            each step (timed on up to 32 evenly spaced steps, scaled to all). Weight bytes per step are \
            the floats of every product's weights; the bandwidth is a multi-threaded sum over 512 MB.
            Example (the base preset): copygen bench decode --layers 6 --dim 384 --heads 6 --context 256 --vocab 4096 --batch 1
            """
    )

    @OptionGroup var shape: ModelShapeOptions
    @Option(help: "Sequences decoded together.") var batch: Int
    @Option(help: "New tokens per sequence (default: the context minus the first token).") var tokens: Int?
    @OptionGroup var threading: ThreadsOption
    @Option(help: "Random seed for weights and tokens.") var seed: UInt64 = 1

    func validate() throws {
        let context = shape.context
        if context < 2 { throw ValidationError("--context must be at least 2 to decode") }
        if batch < 1 { throw ValidationError("--batch must be positive (got \(batch))") }
        if let tokens, !(1..<context).contains(tokens) {
            throw ValidationError("--tokens must be in 1...\(context - 1) for a context of \(context) (got \(tokens))")
        }
    }

    func run() throws {
        let result = try DecodeBenchmark.run(config: shape.config, batch: batch, tokens: tokens ?? shape.context - 1,
                                             threads: threading.threads, seed: seed)
        let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        StandardStreams.writeLine(String(decoding: json, as: UTF8.self))
    }
}
