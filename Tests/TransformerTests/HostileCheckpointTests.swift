import Foundation
import Support
import Testing
@testable import Transformer

/// Files built to hurt the reader: each must be refused with one line naming the file, quickly,
/// without allocating what the file claims and without reading outside it.
@Suite struct HostileCheckpointTests {
    static let zeros = [UInt8](repeating: 0, count: 16)

    @Test(arguments: [
        ("3 GB header", CheckpointTests.rawFile(header: "{}", data: zeros, declaredLength: 3_000_000_000), "larger than the 100 MB limit"),
        ("header of 2^64-1", CheckpointTests.rawFile(header: "{}", data: zeros, declaredLength: .max), "larger than the 100 MB limit"),
        ("same range twice", CheckpointTests.rawFile(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: zeros), "overlap at byte"),
        ("one inside another", CheckpointTests.rawFile(header: #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F16","shape":[2],"data_offsets":[4,8]}}"#, data: zeros), "overlap at byte"),
        ("offsets near 2^53", CheckpointTests.rawFile(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[9007199254740984,9007199254740992]}}"#, data: zeros), "past the end of the file"),
        ("offsets past 2^64", CheckpointTests.rawFile(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,18446744073709551624]}}"#, data: zeros), "data_offsets must be two non-negative integers"),
        ("fractional offset", CheckpointTests.rawFile(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,7.5]}}"#, data: zeros), "data_offsets must be two non-negative integers"),
        ("bytes overflow", CheckpointTests.rawFile(header: #"{"a":{"dtype":"F32","shape":[2305843009213693952],"data_offsets":[0,8]}}"#, data: zeros), "needs more bytes than an integer holds"),
        ("elements overflow", CheckpointTests.rawFile(header: #"{"a":{"dtype":"U8","shape":[65536,65536,65536,65536],"data_offsets":[0,8]}}"#, data: zeros), "more elements than an integer holds"),
        ("overflow hidden by a zero", CheckpointTests.rawFile(header: #"{"a":{"dtype":"U8","shape":[4294967296,4294967296,0],"data_offsets":[0,0]}}"#, data: zeros), "more elements than an integer holds"),
    ])
    func hostileSafeTensorsAreRefused(_ name: String, _ bytes: [UInt8], _ expected: String) throws {
        try CheckpointTests.expectRefusal(name, bytes, expected)
    }

    /// Built here rather than passed as test arguments: Swift Testing would spell out megabytes of
    /// argument bytes to name each case.
    @Test func headersNestedAMillionDeepAreRefused() throws {
        let arrays = String(repeating: "[", count: 1_000_000) + String(repeating: "]", count: 1_000_000)
        try CheckpointTests.expectRefusal("arrays", CheckpointTests.rawFile(header: arrays, data: []), "is not a JSON object")
        let objects = String(repeating: "{\"a\":", count: 1_000_000) + "1" + String(repeating: "}", count: 1_000_000)
        try CheckpointTests.expectRefusal("objects", CheckpointTests.rawFile(header: objects, data: []), "is not a JSON object")
    }

    /// A real tiny checkpoint whose config.json is then replaced by `config`.
    static func checkpoint(withConfig config: String) throws -> String {
        let directory = CheckpointTests.temporaryDirectory()
        let weights = CheckpointTests.tinyWeights()
        try ModelCheckpoint.save(parameters: weights, config: weights.layout.config, to: directory)
        try AtomicFile.write(config, to: directory + "/config.json")
        return directory
    }

    @Test(arguments: [
        ("a million deep", String(repeating: "{\"n_embd\":", count: 1_000_000) + "64" + String(repeating: "}", count: 1_000_000), "config.json: not a JSON object"),
        // 2^20 wide and 2^20 layers: about 1.3e19 parameters, more than an Int holds.
        ("count overflows", #"{"model_type":"gpt2","n_embd":1048576,"n_layer":1048576,"n_head":1,"n_positions":64,"vocab_size":50}"#, "more parameters than an integer holds"),
        // Fits in an Int but would need 3 TB: refused before anything is allocated.
        ("terabytes", #"{"model_type":"gpt2","n_embd":131072,"n_layer":4096,"n_head":1,"n_positions":64,"vocab_size":50}"#, "parameters, more than the"),
        // A billion layers would take minutes just to list their tensor names.
        ("a billion layers", #"{"model_type":"gpt2","n_embd":64,"n_layer":1000000000,"n_head":2,"n_positions":64,"vocab_size":50}"#, "parameters, more than the"),
        ("one more layer", #"{"model_type":"gpt2","n_embd":64,"n_layer":3,"n_head":2,"n_positions":64,"vocab_size":50}"#, "tensor transformer.h.2.ln_1.weight is missing"),
        ("wider vocabulary", #"{"model_type":"gpt2","n_embd":64,"n_layer":2,"n_head":2,"n_positions":64,"vocab_size":51}"#, "tensor transformer.wte.weight: shape [50, 64] does not match config.json, which needs [51, 64]"),
    ])
    func hostileConfigsAreRefusedBeforeAllocating(_ name: String, _ config: String, _ expected: String) throws {
        let directory = try Self.checkpoint(withConfig: config)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            _ = try ModelCheckpoint.load(directory: directory)
            Issue.record("\(name): accepted")
        } catch {
            let message = String(describing: error)
            #expect(message.contains(expected), "\(name): \(message)")
            #expect(!message.contains("\n"))
        }
    }

    @Test func aFloat64TensorIsRefusedByName() throws {
        let directory = CheckpointTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let weights = CheckpointTests.tinyWeights()
        let doubles = [Double](repeating: 1, count: 64)
        try doubles.withUnsafeBytes { raw in
            let tensors = weights.layout.tensors.map { tensor -> SafeTensorsWriter.Tensor in
                tensor.name == "transformer.ln_f.bias"
                    ? .init(name: tensor.name, dtype: "F64", shape: [64], bytes: raw)
                    : .init(name: tensor.name, shape: tensor.shape, floats: UnsafeBufferPointer(weights.slice(tensor)))
            }
            try ModelCheckpoint.save(parameters: weights, config: weights.layout.config, to: directory)
            try SafeTensorsWriter.write(tensors, to: directory + "/model.safetensors")
        }
        #expect(throws: CheckpointError(path: directory + "/model.safetensors",
                                        reason: "tensor transformer.ln_f.bias: dtype F64 is not a float type (F32, F16 or BF16)")) {
            try ModelCheckpoint.load(directory: directory)
        }
    }

    @Test(arguments: ["tiny", "small", "base"])
    func checkedCountMatchesTheLayout(_ preset: String) {
        let config = GPTConfig.preset(preset, vocabularySize: 4096)!
        #expect(config.checkedParameterCount == ParameterLayout(config: config).count)
    }
}
