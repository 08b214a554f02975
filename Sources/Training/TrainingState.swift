import Foundation
import Support
import Transformer

/// Everything a run needs to continue exactly where it stopped, in `training_state.safetensors`:
/// the current weights (model.safetensors holds the *best* weights, which may be older), AdamW's two
/// moments, and in the metadata the step, the optimizer's step, the data position, the dropout
/// generator, the best validation loss and the options the run started with.
struct TrainingState {
    static let fileName = "training_state.safetensors"
    static let formatTag = "copygen-training-state-1"

    var step: Int
    var optimizerStep: Int
    var position: DataPosition
    var dropoutState: (UInt64, UInt64, UInt64, UInt64)
    var bestValidationLoss: Float?
    var evaluationsWithoutImprovement: Int
    var options: TrainingOptions
    var config: GPTConfig

    /// Writes the state with the given buffers, atomically.
    func save(directory: String, weights: ParameterBuffer, optimizer: AdamW) throws {
        let n = weights.layout.count
        let tensors = [
            SafeTensorsWriter.Tensor(name: "weights", shape: [n], floats: UnsafeBufferPointer(weights.buffer)),
            SafeTensorsWriter.Tensor(name: "adam.first_moment", shape: [n], floats: UnsafeBufferPointer(optimizer.firstMoment.buffer)),
            SafeTensorsWriter.Tensor(name: "adam.second_moment", shape: [n], floats: UnsafeBufferPointer(optimizer.secondMoment.buffer)),
        ]
        let optionsJSON = String(decoding: try JSONEncoder().encode(options), as: UTF8.self)
        let configJSON = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        var metadata = [
            "format": Self.formatTag,
            "step": String(step),
            "optimizer_step": String(optimizerStep),
            "epoch": String(position.epoch),
            "row": String(position.row),
            "dropout_rng": [dropoutState.0, dropoutState.1, dropoutState.2, dropoutState.3].map(String.init).joined(separator: ","),
            "evaluations_without_improvement": String(evaluationsWithoutImprovement),
            "options": optionsJSON,
            "config": configJSON,
        ]
        if let bestValidationLoss { metadata["best_validation_loss"] = String(bestValidationLoss.bitPattern) }
        try SafeTensorsWriter.write(tensors, metadata: metadata, to: directory + "/" + Self.fileName)
    }

    /// The model shape a saved run was training, from its state's metadata.
    static func savedConfig(directory: String) throws -> GPTConfig {
        let path = directory + "/" + fileName
        guard FileContents.exists(path) else {
            throw CheckpointError(path: path, reason: "no training state to resume from (train without --resume first)")
        }
        let file = try SafeTensorsFile(path: path)
        guard file.metadata["format"] == formatTag else {
            throw CheckpointError(path: path, reason: "not a copygen training state (format \(file.metadata["format"] ?? "missing"))")
        }
        guard let text = file.metadata["config"], let config = try? JSONDecoder().decode(GPTConfig.self, from: Data(text.utf8)) else {
            throw CheckpointError(path: path, reason: "metadata config is missing or malformed")
        }
        // The shape must be sound and match the stored weights before anything is allocated for it.
        if let problem = config.problems.first { throw CheckpointError(path: path, reason: "metadata config: \(problem)") }
        guard let count = config.checkedParameterCount, file.entry("weights")?.shape == [count] else {
            throw CheckpointError(path: path, reason: "metadata config does not match the stored weights tensor")
        }
        return config
    }

    /// Reads the state of `directory` into `weights` and `optimizer`; refuses a file that does not
    /// belong to a model of this layout.
    static func load(directory: String, weights: ParameterBuffer, optimizer: AdamW) throws -> TrainingState {
        let path = directory + "/" + fileName
        guard FileContents.exists(path) else {
            throw CheckpointError(path: path, reason: "no training state to resume from (train without --resume first)")
        }
        let file = try SafeTensorsFile(path: path)
        let meta = file.metadata
        guard meta["format"] == formatTag else {
            throw CheckpointError(path: path, reason: "not a copygen training state (format \(meta["format"] ?? "missing"))")
        }
        func integer(_ key: String) throws -> Int {
            guard let text = meta[key], let value = Int(text), value >= 0 else {
                throw CheckpointError(path: path, reason: "metadata \(key) is missing or not a whole number")
            }
            return value
        }
        let rng = (meta["dropout_rng"] ?? "").split(separator: ",").compactMap { UInt64($0) }
        guard rng.count == 4 else { throw CheckpointError(path: path, reason: "metadata dropout_rng is malformed") }
        guard let optionsText = meta["options"],
              let options = try? JSONDecoder().decode(TrainingOptions.self, from: Data(optionsText.utf8)) else {
            throw CheckpointError(path: path, reason: "metadata options is missing or malformed")
        }
        let n = weights.layout.count
        for (name, buffer) in [("weights", weights), ("adam.first_moment", optimizer.firstMoment), ("adam.second_moment", optimizer.secondMoment)] {
            guard let entry = file.entry(name) else { throw CheckpointError(path: path, reason: "tensor \(name) is missing") }
            guard entry.dtype == "F32", entry.shape == [n] else {
                throw CheckpointError(path: path, reason: "tensor \(name): \(entry.dtype) \(entry.shape) does not match this model, which needs F32 [\(n)]")
            }
            try file.readFloats(entry, into: buffer.pointer)
        }
        var best: Float? = nil
        if let bits = meta["best_validation_loss"].flatMap(UInt32.init) { best = Float(bitPattern: bits) }
        let state = TrainingState(
            step: try integer("step"), optimizerStep: try integer("optimizer_step"),
            position: DataPosition(epoch: try integer("epoch"), row: try integer("row")),
            dropoutState: (rng[0], rng[1], rng[2], rng[3]), bestValidationLoss: best,
            evaluationsWithoutImprovement: try integer("evaluations_without_improvement"), options: options,
            config: weights.layout.config)
        optimizer.step = state.optimizerStep
        return state
    }
}
