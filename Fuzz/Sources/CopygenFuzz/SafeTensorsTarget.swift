import Foundation
import Support
import Transformer

/// The checkpoint readers. First byte: 0 = `SafeTensorsFile` alone, every tensor read back;
/// 1 = `ModelCheckpoint.load` of the input as `model.safetensors` beside a tiny valid config;
/// 2 = `ModelCheckpoint.load` of the input as `config.json` beside that tiny model's weights.
enum SafeTensorsTarget {
    static let tinyConfig = GPTConfig(vocabularySize: 8, contextLength: 4, layers: 1, heads: 1, embeddingSize: 4)

    static let target = FuzzTarget(name: "safetensors", run: run, seeds: seeds)

    /// The tiny model's two files, written by the library itself.
    static let tinyModel: (weights: [UInt8], config: [UInt8]) = {
        let directory = Scratch.directory + "/tiny-model"
        let parameters = ParameterBuffer(layout: ParameterLayout(config: tinyConfig))
        var random = SeededRandom(seed: 1)
        parameters.initializeGPT2(random: &random)
        try! ModelCheckpoint.save(parameters: parameters, config: tinyConfig, to: directory)
        let weights = try! FileContents.read(directory + "/" + ModelCheckpoint.weightsFileName)
        let config = try! FileContents.read(directory + "/" + ModelCheckpoint.configFileName)
        return (weights, config)
    }()

    static func run(_ input: UnsafeRawBufferPointer) {
        let (mode, payload) = splitMode(input, count: 3)
        switch mode {
        case 0:
            let path = Scratch.write(payload, to: "input.safetensors")
            guard let file = try? SafeTensorsFile(path: path) else { return }
            for entry in file.entries {
                let raw = file.bytes(of: entry)
                require(raw.count == entry.dataOffsets.count, "tensor \(entry.name): \(raw.count) bytes for offsets \(entry.dataOffsets)")
                require(8 + entry.dataOffsets.upperBound <= payload.count, "tensor \(entry.name) ends past the file")
                guard ["F32", "F16", "BF16"].contains(entry.dtype) else { continue }
                let floats = UnsafeMutablePointer<Float>.allocate(capacity: max(entry.elementCount, 1))
                defer { floats.deallocate() }
                do { try file.readFloats(entry, into: floats) } catch { continue }
            }
        case 1:
            let directory = Scratch.directory + "/model-weights"
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            _ = Scratch.write(tinyModel.config, to: "model-weights/" + ModelCheckpoint.configFileName)
            _ = Scratch.write(payload, to: "model-weights/" + ModelCheckpoint.weightsFileName)
            checkLoad(directory: directory)
        default:
            let directory = Scratch.directory + "/model-config"
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            _ = Scratch.write(payload, to: "model-config/" + ModelCheckpoint.configFileName)
            _ = Scratch.write(tinyModel.weights, to: "model-config/" + ModelCheckpoint.weightsFileName)
            checkLoad(directory: directory)
        }
    }

    /// A load either throws or gives a buffer that holds exactly the config's layout.
    static func checkLoad(directory: String) {
        guard let (config, parameters) = try? ModelCheckpoint.load(directory: directory) else { return }
        require(config.problems.isEmpty, "loaded a config with problems: \(config.problems)")
        require(parameters.layout.count == ParameterLayout(config: config).count, "buffer does not match the config")
    }

    static func seeds() throws -> [(name: String, bytes: [UInt8])] {
        let weights = tinyModel.weights, config = tinyModel.config
        return [
            ("file-tiny", [0] + weights),
            ("file-header-only", [0] + Array(weights.prefix(8 + Int(weights[0]) + Int(weights[1]) << 8))),
            ("load-weights", [1] + weights),
            ("load-config", [2] + config),
            // Sizes far beyond the weights beside them (docs/reliability-fuzzing.md, finding 5).
            ("load-config-oversized", [2] + Array(#"{"n_embd": 4096, "n_layer": 1000000000000, "n_head": 1, "n_positions": 4294967296, "vocab_size": 1000000000}"#.utf8)),
        ]
    }
}
