import ArgumentParser
import Dispatch
import Foundation
import Support
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
    @Option(help: "Threads for the products and the bandwidth reference.") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Random seed for weights and tokens.") var seed: UInt64 = 1

    func validate() throws {
        let context = shape.context
        if context < 2 { throw ValidationError("--context must be at least 2 to decode") }
        if batch < 1 { throw ValidationError("--batch must be positive (got \(batch))") }
        if let tokens, !(1..<context).contains(tokens) {
            throw ValidationError("--tokens must be in 1...\(context - 1) for a context of \(context) (got \(tokens))")
        }
        if threads < 1 { throw ValidationError("--threads must be positive (got \(threads))") }
    }

    func run() throws {
        let result = try DecodeBenchmark.run(config: shape.config, batch: batch, tokens: tokens ?? shape.context - 1,
                                             threads: threads, seed: seed)
        let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        StandardStreams.writeLine(String(decoding: json, as: UTF8.self))
    }
}

/// The measurement behind `copygen bench decode`.
enum DecodeBenchmark {
    static func run(config: GPTConfig, batch B: Int, tokens N: Int, threads: Int, seed: UInt64) throws -> [String: Any] {
        let loadBefore = TrainingBenchmark.loadAverage()
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
            return seconds(since: start)
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
            prefillSeconds = min(prefillSeconds, seconds(since: start))
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
            noCacheSeconds += seconds(since: start) * Double(represents)
        }
        let noCacheTokensPerSecond = Double(B * steps) / noCacheSeconds

        // What one step must read: every product's weights once (for all rows together), and on
        // average half a context of keys and values per sequence.
        let C = config.embeddingSize, L = config.layers, V = config.vocabularySize
        let weightBytes = 4 * (L * 12 * C * C + V * C)
        let cacheBytes = 4 * B * L * 2 * C * (steps + 1) / 2
        let stepSeconds = decodeSeconds / Double(steps)
        let bandwidth = memoryBandwidth(threads: threads)
        let loadAfter = TrainingBenchmark.loadAverage()

        return [
            "benchmark": "decode",
            "shape": ["layers": L, "dim": C, "heads": config.heads, "context": config.contextLength, "vocab": V],
            "batch": B,
            "threads": threads,
            "new_tokens_per_sequence": steps,
            "tokens_per_second": rounded(tokensPerSecond),
            "ms_per_step": rounded(stepSeconds * 1000, 4),
            "prefill_tokens": B * prefillLength,
            "prefill_tokens_per_second": rounded(Double(B * prefillLength) / prefillSeconds),
            "no_cache_tokens_per_second": rounded(noCacheTokensPerSecond),
            "no_cache_sampled_steps": sampled.count,
            "cache_speedup": rounded(tokensPerSecond / noCacheTokensPerSecond, 2),
            "weight_bytes_per_step": weightBytes,
            "kv_cache_bytes_per_step_average": cacheBytes,
            "weight_read_gb_per_second": rounded(Double(weightBytes) / stepSeconds / 1e9, 2),
            "memory_bandwidth_gb_per_second": rounded(bandwidth, 2),
            "weight_read_share_of_bandwidth": rounded(Double(weightBytes) / stepSeconds / 1e9 / bandwidth, 3),
            "load_average_before": loadBefore,
            "load_average_after": loadAfter,
            "note": "model time only (no sampling); random weights",
        ]
    }

    /// GB/s of summing a 512 MB buffer (far beyond the caches) on `threads` threads; best of three.
    static func memoryBandwidth(threads: Int) -> Double {
        let count = 128 << 20
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 1, count: count)
        let shared = SharedBuffer(pointer: buffer)
        var best = Double.infinity
        for _ in 0..<3 {
            let start = Clock.nanoseconds()
            DispatchQueue.concurrentPerform(iterations: threads) { part in
                let lower = count * part / threads, upper = count * (part + 1) / threads
                var sum = SIMD16<Float>()
                var i = lower
                let raw = UnsafeRawPointer(shared.pointer)
                while i + 16 <= upper { sum += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self); i += 16 }
                if sum.sum() == -1 { print("") }  // keeps the sum from being optimised away
            }
            best = min(best, seconds(since: start))
        }
        return Double(count * 4) / best / 1e9
    }

    struct SharedBuffer: @unchecked Sendable { let pointer: UnsafeMutablePointer<Float> }

    static func seconds(since start: UInt64) -> Double { Double(Clock.nanoseconds() - start) * 1e-9 }

    static func rounded(_ value: Double, _ digits: Int = 1) -> Double {
        let scale = pow(10, Double(digits))
        return (value * scale).rounded() / scale
    }
}
