import Foundation
import Support
import Testing
@testable import Training
import Transformer

/// A training state whose metadata claims a model shape its weights do not back is refused by
/// `--resume` before anything is allocated for that shape.
@Suite struct HostileTrainingStateTests {
    static func state(config: String, weights: Int) throws -> String {
        let directory = NSTemporaryDirectory() + "copygen-hostile-state-\(UUID().uuidString)"
        try AtomicFile.createDirectory(directory)
        let floats = [Float](repeating: 0, count: weights)
        try floats.withUnsafeBufferPointer { buffer in
            try SafeTensorsWriter.write([.init(name: "weights", shape: [weights], floats: buffer)],
                                        metadata: ["format": TrainingState.formatTag, "config": config],
                                        to: directory + "/" + TrainingState.fileName)
        }
        return directory
    }

    @Test(arguments: [
        // 2^20 wide and 2^20 layers: the parameter count overflows.
        (#"{"vocabularySize":50,"contextLength":64,"layers":1048576,"heads":1,"embeddingSize":1048576,"dropout":0}"#, "does not match the stored weights"),
        // A plausible shape that the 10-float tensor does not back.
        (#"{"vocabularySize":50,"contextLength":64,"layers":2,"heads":2,"embeddingSize":64,"dropout":0}"#, "does not match the stored weights"),
        (#"{"vocabularySize":50,"contextLength":64,"layers":2,"heads":3,"embeddingSize":64,"dropout":0}"#, "metadata config: embedding size 64 is not a multiple of heads 3"),
        (#"{"vocabularySize":-5,"contextLength":64,"layers":2,"heads":2,"embeddingSize":64,"dropout":0}"#, "metadata config: vocabulary size must be positive"),
    ])
    func unsoundShapesAreRefused(config: String, expected: String) throws {
        let directory = try Self.state(config: config, weights: 10)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            _ = try Trainer.savedConfig(directory: directory)
            Issue.record("accepted \(config)")
        } catch {
            #expect(String(describing: error).contains(expected), "\(error)")
            #expect(!String(describing: error).contains("\n"))
        }
    }
}
