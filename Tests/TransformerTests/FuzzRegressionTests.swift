import Foundation
import Support
import Testing
@testable import Transformer

/// Inputs `make fuzz` found troublesome (docs/reliability-fuzzing.md), kept as regression tests.
@Suite struct CheckpointFuzzRegressionTests {
    /// An empty config.json beside good weights: refused with one line naming the file. Before the
    /// fix the read went through FileManager.contents(atPath:), which leaks 4 KB on an empty file;
    /// `make fuzz` (and an ASan test run) reported that leak for this input.
    @Test func emptyConfigIsRefusedWithoutLeaking() throws {
        let directory = NSTemporaryDirectory() + "copygen-fuzz-regression-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = GPTConfig(vocabularySize: 8, contextLength: 4, layers: 1, heads: 1, embeddingSize: 4)
        try ModelCheckpoint.save(parameters: ParameterBuffer(layout: ParameterLayout(config: config)), config: config, to: directory)
        try AtomicFile.write([UInt8](), to: directory + "/config.json")
        do {
            _ = try ModelCheckpoint.load(directory: directory)
            Issue.record("an empty config.json was accepted")
        } catch let error as CheckpointError {
            #expect(error.description == directory + "/config.json: not a JSON object")
        }
    }
}

/// config.json sizes the weights beside it cannot hold: refused before anything is allocated.
@Suite struct ConfigSizeFuzzRegressionTests {
    /// Inputs run through the fuzz binary's checkpoint target: a billion-token vocabulary (asked
    /// for terabytes), a trillion layers (grew the layout's tensor list until memory ran out) and
    /// 2³² sizes (overflowed the layout's arithmetic: a trap).
    @Test(arguments: [
        ("{\"n_embd\": 4096, \"n_layer\": 1, \"n_head\": 1, \"n_positions\": 4, \"vocab_size\": 1000000000}", "more than the"),
        ("{\"n_embd\": 4, \"n_layer\": 1000000000000, \"n_head\": 1, \"n_positions\": 4, \"vocab_size\": 8}", "more than the"),
        ("{\"n_embd\": 4294967296, \"n_layer\": 1, \"n_head\": 1, \"n_positions\": 4294967296, \"vocab_size\": 4294967296}",
         "more parameters than an integer holds"),
    ])
    func oversizedConfigIsRefused(config: String, expected: String) throws {
        let directory = NSTemporaryDirectory() + "copygen-fuzz-regression-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tiny = GPTConfig(vocabularySize: 8, contextLength: 4, layers: 1, heads: 1, embeddingSize: 4)
        try ModelCheckpoint.save(parameters: ParameterBuffer(layout: ParameterLayout(config: tiny)), config: tiny, to: directory)
        try AtomicFile.write(config, to: directory + "/config.json")
        do {
            _ = try ModelCheckpoint.load(directory: directory)
            Issue.record("accepted \(config)")
        } catch let error as CheckpointError {
            #expect(error.description.contains(expected), "\(error)")
        }
    }

    /// The bound uses the same count as the layout.
    @Test func parameterCountMatchesTheLayout() {
        for config in [GPTConfig(vocabularySize: 8, contextLength: 4, layers: 1, heads: 1, embeddingSize: 4),
                       GPTConfig.preset("small", vocabularySize: 4096)!, GPTConfig.preset("base", vocabularySize: 50257)!] {
            #expect(config.checkedParameterCount == ParameterLayout(config: config).count)
        }
    }
}
