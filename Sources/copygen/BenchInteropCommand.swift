import ArgumentParser
import Foundation
import Support
import Transformer

/// `copygen bench interop` (hidden): the copygen half of scripts/checkpoint_interop.py. Writes
/// (or reads) a checkpoint, computes copygen's loss and logits on seeded random tokens, and
/// writes them to `interop.json` beside the checkpoint for PyTorch to compare.
struct BenchInteropCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interop",
        abstract: "Write a random checkpoint (or load --model) and copygen's loss on random tokens, for the PyTorch comparison.",
        shouldDisplay: false
    )

    @Option(help: "Directory for the checkpoint and interop.json.") var out: String
    @Option(help: "Load this checkpoint instead of writing a random one.") var model: String?
    @Option(help: "Preset of the random model.") var preset: String = "tiny"
    @Option(help: "Vocabulary of the random model.") var vocab: Int = 300
    @Option(help: "Sequences.") var batch: Int = 2
    @Option(help: "Tokens per sequence.") var length: Int = 32
    @Option(help: "Seed for weights and tokens.") var seed: UInt64 = 7

    func run() throws {
        let config: GPTConfig, weights: ParameterBuffer
        var random = SeededRandom(seed: seed)
        if let model {
            (config, weights) = try ModelCheckpoint.load(directory: model)
        } else {
            guard let preset = GPTConfig.preset(preset, vocabularySize: vocab) else { throw ValidationError("unknown preset \(self.preset)") }
            config = preset
            weights = ParameterBuffer(layout: ParameterLayout(config: config))
            weights.initializeGPT2(random: &random)
            // Non-default gains and biases so that every tensor's layout is exercised.
            for tensor in weights.layout.tensors where !tensor.isMatrix {
                let values = weights.slice(tensor)
                for i in values.indices { values[i] += 0.1 * random.nextGaussian() }
            }
            try ModelCheckpoint.save(parameters: weights, config: config, to: out)
        }
        guard (1...config.contextLength).contains(length), batch >= 1 else { throw ValidationError("--length must be in 1...\(config.contextLength)") }
        let V = config.vocabularySize, N = batch * length
        let tokens = (0..<N).map { _ in Int32(random.next() % UInt64(V)) }
        // Next-token targets; every fifth position and each sequence's last are ignored (-1).
        var targets = [Int32](repeating: -1, count: N)
        for b in 0..<batch {
            for t in 0..<(length - 1) where t % 5 != 4 { targets[b * length + t] = tokens[b * length + t + 1] }
        }
        let gpt = GPT(parameters: weights, maxBatch: batch, maxLength: length, threads: 1)
        let loss = gpt.forward(tokens: tokens, targets: targets, batch: batch, length: length, training: false)
        let result: [String: Any] = [
            "batch": batch, "length": length, "tokens": tokens.map(Int.init), "targets": targets.map(Int.init),
            "loss": Double(loss), "logits_first_position": gpt.logits[0..<V].map(Double.init),
            "logits_last_position": gpt.logits[(N - 1) * V..<N * V].map(Double.init),
        ]
        try AtomicFile.createDirectory(out)
        let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        try AtomicFile.write(Array(json), to: out + "/interop.json")
        StandardStreams.writeLine(String(format: "copygen loss %.6f", loss))
    }
}
