import Support
import Tokenizer
import Transformer

/// A trained model directory to fine-tune from (`copygen train --init DIR`): its weights, shape
/// and tokenizer, each checked on loading so that a wrong directory fails before any work.
public struct InitialModel {
    public let directory: String
    public let config: GPTConfig
    public let parameters: ParameterBuffer
    public let tokenizerPath: String
    public let tokenizer: Tokenizer

    /// Loads `directory`'s config.json, model.safetensors and tokenizer.json; throws a one-line
    /// error naming the directory and the missing or foreign file.
    public static func load(directory: String) throws -> InitialModel {
        guard FileContents.isDirectory(directory) else {
            throw TrainingError.mismatch("--init \(directory): no such model directory")
        }
        for name in [ModelCheckpoint.configFileName, ModelCheckpoint.weightsFileName, "tokenizer.json"]
        where !FileContents.exists(directory + "/" + name) {
            throw TrainingError.mismatch("--init \(directory): not a model directory (no \(name))")
        }
        let (config, parameters) = try ModelCheckpoint.load(directory: directory)
        let tokenizerPath = directory + "/tokenizer.json"
        let tokenizer = try Tokenizer.load(from: tokenizerPath)
        guard tokenizer.vocabularySize == config.vocabularySize else {
            throw TrainingError.mismatch("--init \(directory): tokenizer.json has \(tokenizer.vocabularySize) ids but the model \(config.vocabularySize)")
        }
        return InitialModel(directory: directory, config: config, parameters: parameters,
                            tokenizerPath: tokenizerPath, tokenizer: tokenizer)
    }
}
