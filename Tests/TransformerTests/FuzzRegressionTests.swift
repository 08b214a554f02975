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
