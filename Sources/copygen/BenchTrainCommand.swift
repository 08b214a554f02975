import ArgumentParser
import Foundation
import Support
import Training
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
    @Option(help: "Threads for the kernels and the sgemm reference.") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Random seed for weights and tokens.") var seed: UInt64 = 1

    func validate() throws {
        if batch < 1 { throw ValidationError("--batch must be positive (got \(batch))") }
        if steps < 1 { throw ValidationError("--steps must be positive (got \(steps))") }
        if threads < 1 { throw ValidationError("--threads must be positive (got \(threads))") }
    }

    func run() throws {
        let result = TrainingBenchmark.run(config: shape.config, batch: batch, steps: steps, threads: threads, seed: seed)
        let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        StandardStreams.writeLine(String(decoding: json, as: UTF8.self))
    }
}

/// The measurement behind `copygen bench train`.
enum TrainingBenchmark {
    static func run(config: GPTConfig, batch B: Int, steps: Int, threads: Int, seed: UInt64) -> [String: Any] {
        let loadBefore = loadAverage()
        let T = config.contextLength, N = B * T
        let weights = ParameterBuffer(layout: ParameterLayout(config: config))
        var random = SeededRandom(seed: seed)
        weights.initializeGPT2(random: &random)
        let model = GPT(parameters: weights, maxBatch: B, threads: threads, dropoutSeed: seed)
        let optimizer = AdamW(layout: model.layout)
        let tokens = (0..<N).map { _ in Int32(random.next() % UInt64(config.vocabularySize)) }
        let targets = (0..<N).map { _ in Int32(random.next() % UInt64(config.vocabularySize)) }

        var forwardTimes: [Double] = [], backwardTimes: [Double] = [], updateTimes: [Double] = [], stepTimes: [Double] = []
        var losses: [Float] = []
        for step in 0...steps {
            let t0 = Clock.nanoseconds()
            model.zeroGradients()
            let loss = model.forward(tokens: tokens, targets: targets, batch: B, length: T, training: true)
            let t1 = Clock.nanoseconds()
            model.backward()
            let t2 = Clock.nanoseconds()
            let norm = GradientClipping.globalNorm(model.gradients, threads: threads)
            optimizer.update(parameters: weights, gradients: model.gradients, learningRate: 1e-4,
                             gradientScale: GradientClipping.scale(norm: norm, maxNorm: 1), threads: threads)
            let t3 = Clock.nanoseconds()
            if step == 0 { continue }  // warm-up: page faults, thread start
            losses.append(loss)
            forwardTimes.append(Double(t1 - t0) * 1e-9)
            backwardTimes.append(Double(t2 - t1) * 1e-9)
            updateTimes.append(Double(t3 - t2) * 1e-9)
            stepTimes.append(Double(t3 - t0) * 1e-9)
        }
        let seconds = median(stepTimes)
        let flopsPerToken = TrainingCost.flopsPerToken(config, length: T)
        let achieved = flopsPerToken * Double(N) / seconds / 1e9
        let sgemm = TrainingCost.sgemmGFLOPS(m: N, n: 4 * config.embeddingSize, k: config.embeddingSize, threads: threads)
        return [
            "shape": ["layers": config.layers, "dim": config.embeddingSize, "heads": config.heads, "context": T,
                      "vocab": config.vocabularySize, "batch": B],
            "parameters": weights.layout.count,
            "threads": threads,
            "steps": steps,
            "seconds_per_step": seconds,
            "forward_seconds": median(forwardTimes),
            "backward_seconds": median(backwardTimes),
            "optimizer_seconds": median(updateTimes),
            "tokens_per_second": Double(N) / seconds,
            "flops_per_token": flopsPerToken,
            "achieved_gflops": achieved,
            "sgemm_shape": "\(N)x\(4 * config.embeddingSize)x\(config.embeddingSize)",
            "sgemm_gflops": sgemm,
            "ratio_to_sgemm": achieved / sgemm,
            "first_loss": Double(losses.first ?? 0),
            "load_average_before": loadBefore,
            "load_average_after": loadAverage(),
        ]
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    static func loadAverage() -> Double {
        // Read through FileContents: Foundation's file reading leaks its buffer on files that report
        // size 0, as /proc files do (seen under LeakSanitizer).
        guard let text = try? FileContents.readText("/proc/loadavg") else { return -1 }
        return Double(text.split(separator: " ").first ?? "") ?? -1
    }
}
