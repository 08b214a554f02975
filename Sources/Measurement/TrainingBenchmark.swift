import Support
import Training
import Transformer

/// Full training steps (forward, backward, clipping, AdamW) on random weights and tokens:
/// tokens/s and the achieved GFLOP/s against this machine's own sgemm rate measured in the same
/// run (what `copygen bench train` prints).
public enum TrainingBenchmark {
    public static func run(config: GPTConfig, batch B: Int, steps: Int, threads: Int, seed: UInt64) -> [String: Any] {
        let loadBefore = MachineProbe.loadAverage()
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
        let seconds = MachineProbe.median(stepTimes)
        let flopsPerToken = TrainingCost.flopsPerToken(config, length: T)
        let achieved = flopsPerToken * Double(N) / seconds / 1e9
        let sgemm = MachineProbe.sgemmGFLOPS(m: N, n: 4 * config.embeddingSize, k: config.embeddingSize, threads: threads)
        return [
            "shape": ["layers": config.layers, "dim": config.embeddingSize, "heads": config.heads, "context": T,
                      "vocab": config.vocabularySize, "batch": B],
            "parameters": weights.layout.count,
            "threads": threads,
            "steps": steps,
            "seconds_per_step": seconds,
            "forward_seconds": MachineProbe.median(forwardTimes),
            "backward_seconds": MachineProbe.median(backwardTimes),
            "optimizer_seconds": MachineProbe.median(updateTimes),
            "tokens_per_second": Double(N) / seconds,
            "flops_per_token": flopsPerToken,
            "achieved_gflops": achieved,
            "sgemm_shape": "\(N)x\(4 * config.embeddingSize)x\(config.embeddingSize)",
            "sgemm_gflops": sgemm,
            "ratio_to_sgemm": achieved / sgemm,
            "first_loss": Double(losses.first ?? 0),
            "load_average_before": loadBefore,
            "load_average_after": MachineProbe.loadAverage(),
        ]
    }
}
