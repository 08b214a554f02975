import ArgumentParser
import Foundation
import Support
import Measurement
import Transformer

/// `copygen bench train`: full training steps (forward, backward, clipping, AdamW) on random
/// weights and tokens; reports tokens/s and the achieved GFLOP/s against this machine's own sgemm
/// rate measured in the same run.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Time training steps of a model shape on random data.",
        discussion: """
            FLOPs count matrix products only: 6 × (weights used in products) per token plus attention's \
            12·L·T·C (see TrainingCost). The sgemm reference is OpenBLAS at the step's main shape \
            (B·T × 4C × C), with OpenBLAS's own threads, in the same run.
            Example (the base preset): copygen bench train --layers 6 --dim 384 --heads 6 --context 256 --vocab 4096 --batch 8
            """
    )

    @OptionGroup var shape: ModelShapeOptions
    @Option(help: "Sequences per step B.") var batch: Int
    @Option(help: "Timed steps (after one warm-up step).") var steps: Int = 5
    @OptionGroup var threading: ThreadsOption
    @Option(help: "Random seed for weights and tokens.") var seed: UInt64 = 1

    func validate() throws {
        if batch < 1 { throw ValidationError("--batch must be positive (got \(batch))") }
        if steps < 1 { throw ValidationError("--steps must be positive (got \(steps))") }
    }

    func run() throws {
        let result = TrainingBenchmark.run(config: shape.config, batch: batch, steps: steps, threads: threading.threads, seed: seed)
        let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        StandardStreams.writeLine(String(decoding: json, as: UTF8.self))
    }
}
