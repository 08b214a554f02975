import Support
import Transformer

/// KV-cache decoding on random weights, against recomputing the prefix every step and against
/// the machine's memory bandwidth, measured in the same run (what `copygen bench decode` prints).
public enum DecodeBenchmark {
    public static func run(config: GPTConfig, batch B: Int, tokens N: Int, threads: Int, seed: UInt64) throws -> [String: Any] {
        let loadBefore = MachineProbe.loadAverage()
        let weights = ParameterBuffer(layout: ParameterLayout(config: config))
        var random = SeededRandom(seed: seed)
        weights.initializeGPT2(random: &random)
        let sequences = (0..<B).map { _ in (0...N).map { _ in Int32(random.next() % UInt64(config.vocabularySize)) } }
        let session = InferenceSession(parameters: weights, batchCapacity: B, threads: threads)

        // Cached decoding: one warm-up run, then the timed one.
        func decode() throws -> Double {
            session.resetAll()
            let start = Clock.nanoseconds()
            for t in 0...N {
                try session.advance((0..<B).map { InferenceInput(slot: $0, tokens: [sequences[$0][t]]) })
            }
            return Clock.seconds(since: start)
        }
        _ = try decode()
        let decodeSeconds = try decode()
        let steps = N + 1
        let tokensPerSecond = Double(B * steps) / decodeSeconds

        // Prefill: half a context per sequence, all sequences in one pass; best of three.
        let prefillLength = max(1, config.contextLength / 2)
        var prefillSeconds = Double.infinity
        for _ in 0..<3 {
            session.resetAll()
            let start = Clock.nanoseconds()
            try session.advance((0..<B).map { InferenceInput(slot: $0, tokens: Array(sequences[$0].prefix(prefillLength))) })
            prefillSeconds = min(prefillSeconds, Clock.seconds(since: start))
        }

        // No cache: each step recomputes its whole prefix. Time up to 32 evenly spaced steps and
        // let each stand for the steps around it.
        let sampled = Array(stride(from: 0, to: steps, by: max(1, steps / 32)))
        var noCacheSeconds = 0.0
        for (i, t) in sampled.enumerated() {
            let represents = (i + 1 < sampled.count ? sampled[i + 1] : steps) - t
            session.resetAll()
            let start = Clock.nanoseconds()
            try session.advance((0..<B).map { InferenceInput(slot: $0, tokens: Array(sequences[$0].prefix(t + 1))) })
            noCacheSeconds += Clock.seconds(since: start) * Double(represents)
        }
        let noCacheTokensPerSecond = Double(B * steps) / noCacheSeconds

        // What one step must read: every product's weights once (for all rows together), and on
        // average half a context of keys and values per sequence.
        let C = config.embeddingSize, L = config.layers, V = config.vocabularySize
        let weightBytes = 4 * (L * 12 * C * C + V * C)
        let cacheBytes = 4 * B * L * 2 * C * (steps + 1) / 2
        let stepSeconds = decodeSeconds / Double(steps)
        let bandwidth = MachineProbe.memoryBandwidth(threads: threads)
        let loadAfter = MachineProbe.loadAverage()

        return [
            "benchmark": "decode",
            "shape": ["layers": L, "dim": C, "heads": config.heads, "context": config.contextLength, "vocab": V],
            "batch": B,
            "threads": threads,
            "new_tokens_per_sequence": steps,
            "tokens_per_second": MachineProbe.rounded(tokensPerSecond),
            "ms_per_step": MachineProbe.rounded(stepSeconds * 1000, 4),
            "prefill_tokens": B * prefillLength,
            "prefill_tokens_per_second": MachineProbe.rounded(Double(B * prefillLength) / prefillSeconds),
            "no_cache_tokens_per_second": MachineProbe.rounded(noCacheTokensPerSecond),
            "no_cache_sampled_steps": sampled.count,
            "cache_speedup": MachineProbe.rounded(tokensPerSecond / noCacheTokensPerSecond, 2),
            "weight_bytes_per_step": weightBytes,
            "kv_cache_bytes_per_step_average": cacheBytes,
            "weight_read_gb_per_second": MachineProbe.rounded(Double(weightBytes) / stepSeconds / 1e9, 2),
            "memory_bandwidth_gb_per_second": MachineProbe.rounded(bandwidth, 2),
            "weight_read_share_of_bandwidth": MachineProbe.rounded(Double(weightBytes) / stepSeconds / 1e9 / bandwidth, 3),
            "load_average_before": loadBefore,
            "load_average_after": loadAfter,
            "note": "model time only (no sampling); random weights",
        ]
    }
}
