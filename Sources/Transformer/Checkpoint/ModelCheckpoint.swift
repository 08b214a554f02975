import Foundation
import Support

/// A model directory's weights and shape: `model.safetensors` (Hugging Face GPT-2 names, float32,
/// Conv1D in×out layouts) and `config.json` (GPT-2's keys). `transformers`' GPT2LMHeadModel loads
/// the pair; copygen loads what transformers saves (with or without the `transformer.` prefix,
/// float32, float16 or bfloat16).
public enum ModelCheckpoint {
    public static let weightsFileName = "model.safetensors"
    public static let configFileName = "config.json"

    /// Writes both files into `directory` (created if missing), each atomically.
    /// - Parameters:
    ///   - endOfTextToken: written as bos/eos_token_id (defaults to the last id).
    ///   - extra: strings stored under config.json's "copygen" key and the weights' `__metadata__`.
    public static func save(parameters: ParameterBuffer, config: GPTConfig, to directory: String,
                            endOfTextToken: Int? = nil, extra: [String: String] = [:]) throws {
        precondition(parameters.layout.config.vocabularySize == config.vocabularySize && parameters.layout.count == ParameterLayout(config: config).count,
                     "ModelCheckpoint.save: parameters do not match the config")
        try AtomicFile.createDirectory(directory)
        let tensors = parameters.layout.tensors.map { tensor in
            SafeTensorsWriter.Tensor(name: tensor.name, shape: tensor.shape, floats: UnsafeBufferPointer(parameters.slice(tensor)))
        }
        var metadata = extra
        metadata["format"] = "pt"  // what transformers' own files say; its loader checks for it
        try SafeTensorsWriter.write(tensors, metadata: metadata, to: directory + "/" + weightsFileName)
        try AtomicFile.write(GPT2ConfigFile.json(for: config, endOfTextToken: endOfTextToken, extra: extra), to: directory + "/" + configFileName)
    }

    /// Reads `config.json` and `model.safetensors` from `directory`. Every tensor of the layout
    /// must be present (named `transformer.X` or `X`) with exactly the config's shape.
    public static func load(directory: String) throws -> (GPTConfig, ParameterBuffer) {
        let (config, _) = try GPT2ConfigFile.read(path: directory + "/" + configFileName)
        let path = directory + "/" + weightsFileName
        let file = try SafeTensorsFile(path: path)
        // Sizes in config.json are only believed once the weights file could hold them (at least
        // 2 bytes a parameter): a hostile config otherwise overflowed the layout's arithmetic or
        // asked for terabytes before any tensor was read (found by `make fuzz`'s checkpoint target).
        let dataBytes = file.entries.reduce(0) { $0 + $1.dataOffsets.count }
        guard let parameterCount = parameterCount(of: config) else {
            throw CheckpointError(path: directory + "/" + configFileName, reason: "sizes give more parameters than an integer holds")
        }
        guard parameterCount <= dataBytes / 2 else {
            throw CheckpointError(path: path, reason: "holds \(dataBytes) bytes of tensors, too few for the \(parameterCount) parameters config.json describes")
        }
        let parameters = ParameterBuffer(layout: ParameterLayout(config: config))
        for tensor in parameters.layout.tensors {
            let shortName = String(tensor.name.dropFirst("transformer.".count))
            guard let entry = file.entry(tensor.name) ?? file.entry(shortName) else {
                throw CheckpointError(path: path, reason: "tensor \(tensor.name) is missing")
            }
            guard ["F32", "F16", "BF16"].contains(entry.dtype) else {
                throw CheckpointError(path: path, reason: "tensor \(entry.name): dtype \(entry.dtype) is not a float type (F32, F16 or BF16)")
            }
            guard entry.shape == tensor.shape else {
                throw CheckpointError(path: path, reason: "tensor \(entry.name): shape \(entry.shape) does not match config.json, which needs \(tensor.shape)")
            }
            try file.readFloats(entry, into: parameters.pointer + tensor.offset)
        }
        return (config, parameters)
    }

    /// The number of parameters `config` describes (the sum `ParameterLayout` makes: V·C + T·C +
    /// L·(12C² + 13C) + 2C), or nil when it does not fit in an Int.
    static func parameterCount(of config: GPTConfig) -> Int? {
        func times(_ a: Int, _ b: Int) -> Int? { let (r, overflow) = a.multipliedReportingOverflow(by: b); return overflow ? nil : r }
        func plus(_ a: Int, _ b: Int) -> Int? { let (r, overflow) = a.addingReportingOverflow(b); return overflow ? nil : r }
        let C = config.embeddingSize
        guard let squares = times(C, C).flatMap({ times($0, 12) }), let block = plus(squares, 13 * C),
              let blocks = times(block, config.layers),
              let embeddings = times(config.vocabularySize, C).flatMap({ v in times(config.contextLength, C).flatMap { plus(v, $0) } }),
              let total = plus(embeddings, blocks).flatMap({ plus($0, 2 * C) }) else { return nil }
        return total
    }
}
