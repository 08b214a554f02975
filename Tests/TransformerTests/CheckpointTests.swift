import Foundation
import Support
import Testing
@testable import Transformer

@Suite struct CheckpointTests {
    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "copygen-checkpoint-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func tinyWeights(vocabulary: Int = 50) -> ParameterBuffer {
        let weights = ParameterBuffer(layout: ParameterLayout(config: GPTConfig.preset("tiny", vocabularySize: vocabulary)!))
        var random = SeededRandom(seed: 9)
        weights.initializeGPT2(random: &random)
        return weights
    }

    /// A safetensors file from a header text and data bytes, for hand-made (and broken) files.
    static func rawFile(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
        let h = Array(header.utf8)
        let length = declaredLength ?? UInt64(h.count)
        return withUnsafeBytes(of: length.littleEndian) { Array($0) } + h + data
    }

    @Test func roundTripKeepsEveryBit() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let weights = Self.tinyWeights()
        var config = weights.layout.config
        config.dropout = 0.1
        try ModelCheckpoint.save(parameters: weights, config: config, to: directory + "/model", endOfTextToken: 7, extra: ["tokenizer": "tokenizer.json"])
        let (loadedConfig, loaded) = try ModelCheckpoint.load(directory: directory + "/model")
        #expect(loadedConfig == config)
        #expect(Array(loaded.buffer) == Array(weights.buffer))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/model/config.json"))) as! [String: Any]
        #expect(json["model_type"] as? String == "gpt2")
        #expect(json["activation_function"] as? String == "gelu_new")
        #expect(json["eos_token_id"] as? Int == 7)
        #expect((json["copygen"] as? [String: Any])?["tokenizer"] as? String == "tokenizer.json")
        let file = try SafeTensorsFile(path: directory + "/model/model.safetensors")
        #expect(file.metadata["format"] == "pt")
        #expect(file.entry("transformer.h.1.mlp.c_fc.weight")?.shape == [64, 256])
        // Every tensor starts 8-byte aligned in the file.
        #expect(file.entries.allSatisfy { $0.dataOffsets.lowerBound % 4 == 0 })
    }

    @Test func loadsUnprefixedNamesAndHalfPrecision() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let weights = Self.tinyWeights()
        try ModelCheckpoint.save(parameters: weights, config: weights.layout.config, to: directory)
        // Rewrite the weights without the prefix, wte as float16 and wpe as bfloat16.
        var halves: [[UInt16]] = []
        var tensors: [SafeTensorsWriter.Tensor] = []
        var halfBuffers: [UnsafeMutableRawBufferPointer] = []
        defer { halfBuffers.forEach { $0.deallocate() } }
        for tensor in weights.layout.tensors {
            let values = weights.slice(tensor)
            let name = String(tensor.name.dropFirst("transformer.".count))
            if tensor.name.hasSuffix("wte.weight") {
                halves.append(values.map { Float16($0).bitPattern })
            } else if tensor.name.hasSuffix("wpe.weight") {
                halves.append(values.map { UInt16($0.bitPattern >> 16) })
            } else {
                tensors.append(.init(name: name, shape: tensor.shape, floats: UnsafeBufferPointer(values)))
                continue
            }
            let dtype = tensor.name.hasSuffix("wte.weight") ? "F16" : "BF16"
            let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: 2 * values.count, alignment: 8)
            halfBuffers.append(bytes)
            halves.last!.withUnsafeBytes { bytes.copyMemory(from: $0) }
            tensors.append(.init(name: name, dtype: dtype, shape: tensor.shape, bytes: UnsafeRawBufferPointer(bytes)))
        }
        try SafeTensorsWriter.write(tensors, to: directory + "/model.safetensors")
        let (_, loaded) = try ModelCheckpoint.load(directory: directory)
        let wte = weights.layout.tensor(named: "transformer.wte.weight")!, wpe = weights.layout.tensor(named: "transformer.wpe.weight")!
        // float16 keeps 11 significant bits (relative error ≤ 2⁻¹¹ when rounded, plus subnormals);
        // the bfloat16 written here is the float's top half, so it must come back exactly as that.
        for i in 0..<wte.count { #expect(abs(loaded.slice(wte)[i] - weights.slice(wte)[i]) <= abs(weights.slice(wte)[i]) / 2048 + 1e-7) }
        for i in 0..<wpe.count { #expect(loaded.slice(wpe)[i] == Float(bitPattern: weights.slice(wpe)[i].bitPattern & 0xFFFF_0000)) }
        let fc = weights.layout.tensor(named: "transformer.h.0.mlp.c_fc.weight")!
        #expect(Array(loaded.slice(fc)) == Array(weights.slice(fc)))
    }

    /// Each broken file must be refused with a message naming the tensor or byte at fault.
    @Test(arguments: [
        ("short", [UInt8](repeating: 0, count: 5), "shorter than the 8-byte header length"),
        ("length past end", rawFile(header: "{}", data: [], declaredLength: 4096), "header length 4096 at byte 0 runs past the end"),
        ("huge length", rawFile(header: "{}", data: [], declaredLength: 1 << 40), "larger than the 100 MB limit"),
        ("bad JSON", rawFile(header: "{\"a\": [", data: []), "is not a JSON object"),
        ("not an object", rawFile(header: "[1, 2]", data: []), "is not a JSON object"),
        ("overlap", rawFile(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: [UInt8](repeating: 0, count: 12)), "tensors a and b overlap at byte"),
        ("out of range", rawFile(header: #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: [UInt8](repeating: 0, count: 8)), "tensor a: data_offsets [0, 16] end at byte"),
        ("size mismatch", rawFile(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: [UInt8](repeating: 0, count: 8)), "tensor a: data_offsets [0, 8] hold 8 bytes but shape [3] of F32 needs 12"),
        ("overflow", rawFile(header: #"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#, data: [UInt8](repeating: 0, count: 8)), "tensor a: shape [4294967296, 4294967296] has more elements than an integer holds"),
        ("negative", rawFile(header: #"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data: [UInt8](repeating: 0, count: 8)), "tensor a: shape"),
        ("unknown dtype", rawFile(header: #"{"a":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}}"#, data: [UInt8](repeating: 0, count: 8)), "tensor a: unknown dtype \"Q4\""),
    ])
    func malformedFilesAreRefused(_ name: String, _ bytes: [UInt8], _ expected: String) throws {
        try Self.expectRefusal(name, bytes, expected)
    }

    /// `bytes` written as a safetensors file must be refused with one line that starts with the
    /// path and contains `expected`.
    static func expectRefusal(_ name: String, _ bytes: [UInt8], _ expected: String) throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/broken.safetensors"
        try AtomicFile.write(bytes, to: path)
        do {
            _ = try SafeTensorsFile(path: path)
            Issue.record("\(name): accepted")
        } catch let error as CheckpointError {
            #expect(error.description.contains(expected), "\(name): \(error.description)")
            #expect(!error.description.contains("\n") && error.description.hasPrefix(path))
        }
    }

    /// Checkpoints whose safetensors file is well formed but does not fit config.json.
    @Test(arguments: ["truncated", "missing", "wrong dtype", "wrong shape", "bad config"])
    func mismatchedCheckpointsAreRefused(_ damage: String) throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let weights = Self.tinyWeights()
        try ModelCheckpoint.save(parameters: weights, config: weights.layout.config, to: directory)
        let weightsPath = directory + "/model.safetensors"
        let expected: String
        switch damage {
        case "truncated":
            let bytes = try FileContents.read(weightsPath)
            try AtomicFile.write(Array(bytes.dropLast(100)), to: weightsPath)
            expected = "transformer.ln_f.bias: data_offsets"
        case "missing", "wrong dtype", "wrong shape":
            var tensors: [SafeTensorsWriter.Tensor] = []
            let ints = [Int32](repeating: 1, count: 64)
            for tensor in weights.layout.tensors {
                if damage == "missing" && tensor.name == "transformer.h.1.ln_2.bias" { continue }
                if damage == "wrong dtype" && tensor.name == "transformer.ln_f.weight" {
                    tensors.append(.init(name: tensor.name, dtype: "I32", shape: [64], bytes: ints.withUnsafeBytes { UnsafeRawBufferPointer(start: $0.baseAddress, count: $0.count) }))
                    continue
                }
                let shape = damage == "wrong shape" && tensor.name == "transformer.h.0.attn.c_attn.weight" ? [192, 64] : tensor.shape
                tensors.append(.init(name: tensor.name, shape: shape, floats: UnsafeBufferPointer(weights.slice(tensor))))
            }
            try ints.withUnsafeBytes { _ in try SafeTensorsWriter.write(tensors, to: weightsPath) }
            expected = ["missing": "tensor transformer.h.1.ln_2.bias is missing",
                        "wrong dtype": "tensor transformer.ln_f.weight: dtype I32 is not a float type",
                        "wrong shape": "tensor transformer.h.0.attn.c_attn.weight: shape [192, 64] does not match config.json, which needs [64, 192]"][damage]!
        default:
            try AtomicFile.write("{\"model_type\": \"gpt2\", \"n_embd\": 64, \"n_layer\": 2, \"n_head\": 3, \"n_positions\": 64, \"vocab_size\": 50}", to: directory + "/config.json")
            expected = "config.json: embedding size 64 is not a multiple of heads 3"
        }
        #expect(throws: CheckpointError.self) { try ModelCheckpoint.load(directory: directory) }
        do {
            _ = try ModelCheckpoint.load(directory: directory)
        } catch {
            #expect(String(describing: error).contains(expected), "\(damage): \(error)")
        }
    }
}
