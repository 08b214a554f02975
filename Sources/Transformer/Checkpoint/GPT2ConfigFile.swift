import Foundation
import Support

/// `config.json` in the form Hugging Face transformers reads for GPT2LMHeadModel, plus copygen's
/// own settings under the single key `"copygen"`.
public enum GPT2ConfigFile {
    /// The JSON text for `config`. `endOfTextToken` becomes bos/eos (transformers warns when those
    /// fall outside the vocabulary); `extra` strings are kept under "copygen".
    public static func json(for config: GPTConfig, endOfTextToken: Int? = nil, extra: [String: String] = [:]) -> String {
        let eos = min(max(0, endOfTextToken ?? config.vocabularySize - 1), config.vocabularySize - 1)
        var copygen: [String: Any] = ["format_version": 1, "dropout": Double(config.dropout)]
        for (key, value) in extra { copygen[key] = value }
        let object: [String: Any] = [
            "architectures": ["GPT2LMHeadModel"],
            "model_type": "gpt2",
            "activation_function": "gelu_new",
            "n_embd": config.embeddingSize,
            "n_layer": config.layers,
            "n_head": config.heads,
            "n_positions": config.contextLength,
            "n_ctx": config.contextLength,
            "n_inner": NSNull(),
            "vocab_size": config.vocabularySize,
            "layer_norm_epsilon": 1e-5,
            "initializer_range": 0.02,
            "tie_word_embeddings": true,
            "scale_attn_weights": true,
            "scale_attn_by_inverse_layer_idx": false,
            "reorder_and_upcast_attn": false,
            // copygen drops the embeddings and both residual branches, not attention weights.
            "embd_pdrop": Double(config.dropout),
            "resid_pdrop": Double(config.dropout),
            "attn_pdrop": 0.0,
            "bos_token_id": eos,
            "eos_token_id": eos,
            "use_cache": true,
            "torch_dtype": "float32",
            "copygen": copygen,
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Reads the model shape from a GPT-2 `config.json` (copygen's or one transformers wrote),
    /// refusing settings copygen's kernels do not implement.
    public static func read(path: String) throws -> (config: GPTConfig, copygen: [String: Any]) {
        func fail(_ reason: String) -> CheckpointError { CheckpointError(path: path, reason: reason) }
        // Support's reader, not FileManager.contents(atPath:), which leaks a 4 KB buffer on an
        // empty file (found by `make fuzz`, docs/reliability-fuzzing.md).
        guard let bytes = try? FileContents.read(path) else { throw fail("cannot read") }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else { throw fail("not a JSON object") }
        func integer(_ key: String) throws -> Int {
            guard let value = object[key], let i = SafeTensorsFile.nonNegativeInteger(value) else {
                throw fail("\"\(key)\" is missing or not a non-negative integer")
            }
            return i
        }
        if let type = object["model_type"] as? String, type != "gpt2" { throw fail("model_type \"\(type)\" is not gpt2") }
        let activation = object["activation_function"] as? String ?? "gelu_new"
        guard ["gelu_new", "gelu_pytorch_tanh"].contains(activation) else {
            throw fail("activation_function \"\(activation)\" is not GPT-2's tanh GELU (gelu_new)")
        }
        let C = try integer("n_embd")
        if let inner = object["n_inner"], !(inner is NSNull), SafeTensorsFile.nonNegativeInteger(inner) != 4 * C {
            throw fail("n_inner \(inner) is not 4 × n_embd; copygen's MLP is 4× wide")
        }
        if let epsilon = (object["layer_norm_epsilon"] as? NSNumber)?.doubleValue, abs(epsilon - 1e-5) > 1e-12 {
            throw fail("layer_norm_epsilon \(epsilon) is not 1e-05")
        }
        if let tied = object["tie_word_embeddings"] as? Bool, !tied { throw fail("tie_word_embeddings is false; copygen ties the LM head to wte") }
        for flag in ["scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn"] where (object[flag] as? Bool) == true {
            throw fail("\(flag) is true; copygen does not implement it")
        }
        if let scaled = object["scale_attn_weights"] as? Bool, !scaled { throw fail("scale_attn_weights is false; copygen scales by 1/√head size") }
        let copygen = object["copygen"] as? [String: Any] ?? [:]
        let dropout = Float((copygen["dropout"] as? NSNumber)?.doubleValue ?? 0)
        let config = GPTConfig(vocabularySize: try integer("vocab_size"), contextLength: try integer("n_positions"),
                               layers: try integer("n_layer"), heads: try integer("n_head"), embeddingSize: C, dropout: dropout)
        if let problem = config.problems.first { throw fail(problem) }
        return (config, copygen)
    }
}
