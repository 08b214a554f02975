import Foundation
import Support

/// Hugging Face `tokenizer.json`: the subset that describes a byte-level BPE tokenizer.
///
/// copygen writes: normalizer NFKC / NFC / null; pre_tokenizer a Sequence of Split (the split's
/// regex, behavior Isolated) and ByteLevel (use_regex false, so it only maps bytes to characters);
/// decoder ByteLevel; model BPE with `vocab` (byte-alphabet spellings → ids) and `merges` (pairs of
/// spellings, in rank order); `added_tokens` for the special tokens (not normalized).
/// It also reads GPT-2's own `tokenizer.json` (ByteLevel with use_regex true).
enum HuggingFaceFile {
    static func load(path: String) throws -> Tokenizer {
        let json = try TokenizerFileParsing.parseJSON(try FileContents.read(path), path: path)
        guard let root = json as? [String: Any] else {
            throw TokenizerError.malformedFile(path: path, what: "expected a JSON object at the top level")
        }
        guard let model = root["model"] as? [String: Any] else {
            throw TokenizerError.malformedFile(path: path, what: "no \"model\" object")
        }
        if let type = model["type"] as? String, type != "BPE" {
            throw TokenizerError.unsupportedFile(path: path, what: "model type \(type); copygen reads byte-level BPE only")
        }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = model[key] as? String, !value.isEmpty {
                throw TokenizerError.unsupportedFile(path: path, what: "model.\(key) \"\(value)\" is not byte-level BPE")
            }
        }
        if model["ignore_merges"] as? Bool == true {
            throw TokenizerError.unsupportedFile(path: path, what: "model.ignore_merges true is not supported")
        }
        guard let vocabularyObject = model["vocab"] as? [String: Any] else {
            throw TokenizerError.malformedFile(path: path, what: "no \"model.vocab\" object")
        }
        let vocabulary = try TokenizerFileParsing.vocabulary(vocabularyObject, path: path)
        guard let mergeList = model["merges"] as? [Any] else {
            throw TokenizerError.malformedFile(path: path, what: "no \"model.merges\" list")
        }
        var pairs: [(String, String)] = []
        pairs.reserveCapacity(mergeList.count)
        for (index, entry) in mergeList.enumerated() {
            if let pair = entry as? [String], pair.count == 2 {
                pairs.append((pair[0], pair[1]))
            } else if let text = entry as? String {
                let parts = text.split(separator: " ", omittingEmptySubsequences: false)
                guard parts.count == 2 else {
                    throw TokenizerError.malformedFile(path: path, what: "merge \(index + 1) \"\(text.prefix(40))\" is not two tokens")
                }
                pairs.append((String(parts[0]), String(parts[1])))
            } else {
                throw TokenizerError.malformedFile(path: path, what: "merge \(index + 1) is neither a string nor a pair of strings")
            }
        }
        var specials: [String: Int] = [:]
        for (index, entry) in (root["added_tokens"] as? [Any] ?? []).enumerated() {
            guard let token = entry as? [String: Any], let id = token["id"] as? Int, let content = token["content"] as? String,
                !content.isEmpty
            else {
                throw TokenizerError.malformedFile(path: path, what: "added token \(index + 1) lacks an id or content")
            }
            specials[content] = id
        }
        let (tokens, specialIDs) = try TokenizerFileParsing.tokens(vocabulary: vocabulary, specials: specials, path: path)
        let normalization = try readNormalizer(root["normalizer"], path: path)
        let preTokenizer = try readPreTokenizer(root["pre_tokenizer"], path: path)
        let merges = try TokenizerFileParsing.merges(pairs, vocabulary: vocabulary, specialIDs: specialIDs, path: path)
        return Tokenizer(
            tokens: tokens, merges: merges, specialTokens: specialIDs, normalization: normalization, preTokenizer: preTokenizer)
    }

    private static func readNormalizer(_ value: Any?, path: String) throws -> Normalization {
        guard let value, !(value is NSNull) else { return .none }
        guard let object = value as? [String: Any], let type = object["type"] as? String else {
            throw TokenizerError.malformedFile(path: path, what: "\"normalizer\" is not an object with a type")
        }
        switch type {
        case "NFKC": return .nfkc
        case "NFC": return .nfc
        case "Sequence":
            let parts = object["normalizers"] as? [Any] ?? []
            if parts.isEmpty { return .none }
            if parts.count == 1 { return try readNormalizer(parts[0], path: path) }
        default: break
        }
        throw TokenizerError.unsupportedFile(path: path, what: "normalizer \(type); copygen supports NFKC, NFC or none")
    }

    private static func readPreTokenizer(_ value: Any?, path: String) throws -> PreTokenizer {
        guard let object = value as? [String: Any], let type = object["type"] as? String else {
            throw TokenizerError.unsupportedFile(path: path, what: "no pre_tokenizer; copygen needs a Split + ByteLevel or a ByteLevel pre-tokenizer")
        }
        if type == "ByteLevel" {
            // GPT-2's own tokenizer.json: ByteLevel runs GPT-2's split itself.
            if object["add_prefix_space"] as? Bool == true {
                throw TokenizerError.unsupportedFile(path: path, what: "ByteLevel add_prefix_space true is not supported")
            }
            if object["use_regex"] as? Bool ?? true { return .gpt2 }
        }
        if type == "Sequence", let parts = object["pretokenizers"] as? [[String: Any]], parts.count == 2,
            parts[0]["type"] as? String == "Split", parts[1]["type"] as? String == "ByteLevel",
            parts[1]["use_regex"] as? Bool == false, parts[1]["add_prefix_space"] as? Bool != true,
            parts[0]["behavior"] as? String == "Isolated", parts[0]["invert"] as? Bool != true,
            let pattern = (parts[0]["pattern"] as? [String: Any])?["Regex"] as? String
        {
            if let split = [PreTokenizer.gpt4, .gpt2].first(where: { $0.pattern == pattern }) { return split }
            throw TokenizerError.unsupportedFile(path: path, what: "Split regex is neither copygen's GPT-4-style split nor GPT-2's")
        }
        throw TokenizerError.unsupportedFile(path: path, what: "pre_tokenizer \(type); copygen needs Split + ByteLevel or ByteLevel")
    }

    /// The file text. Key order, vocabulary order (by id) and merge order (by rank) are fixed, so
    /// the same tokenizer always gives the same bytes.
    static func serialize(_ tokenizer: Tokenizer) -> String {
        var out = "{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null,\n  \"added_tokens\": ["
        let specials = tokenizer.specialTokens
        for (index, special) in specials.enumerated() {
            out += index == 0 ? "\n" : ",\n"
            out += "    {\"id\": \(special.id), \"content\": \(JSONString.quoted(special.name)), \"single_word\": false, "
            out += "\"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": true}"
        }
        out += specials.isEmpty ? "],\n" : "\n  ],\n"
        switch tokenizer.normalization {
        case .nfkc: out += "  \"normalizer\": {\"type\": \"NFKC\"},\n"
        case .nfc: out += "  \"normalizer\": {\"type\": \"NFC\"},\n"
        case .none: out += "  \"normalizer\": null,\n"
        }
        out += "  \"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\": [\n"
        out += "    {\"type\": \"Split\", \"pattern\": {\"Regex\": \(JSONString.quoted(tokenizer.preTokenizer.pattern))}, "
        out += "\"behavior\": \"Isolated\", \"invert\": false},\n"
        out += "    {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true, \"use_regex\": false}\n  ]},\n"
        out += "  \"post_processor\": null,\n"
        out += "  \"decoder\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true, \"use_regex\": false},\n"
        out += "  \"model\": {\n    \"type\": \"BPE\",\n    \"dropout\": null,\n    \"unk_token\": null,\n"
        out += "    \"continuing_subword_prefix\": null,\n    \"end_of_word_suffix\": null,\n    \"fuse_unk\": false,\n"
        out += "    \"byte_fallback\": false,\n    \"ignore_merges\": false,\n    \"vocab\": {"
        for id in 0..<tokenizer.vocabularySize {
            out += id == 0 ? "\n      " : ",\n      "
            out += JSONString.quoted(tokenizer.fileSpelling(of: TokenID(id))) + ": \(id)"
        }
        out += "\n    },\n    \"merges\": ["
        for (rank, merge) in tokenizer.merges.enumerated() {
            out += rank == 0 ? "\n      [" : ",\n      ["
            out += JSONString.quoted(tokenizer.fileSpelling(of: merge.left)) + ", "
            out += JSONString.quoted(tokenizer.fileSpelling(of: merge.right)) + "]"
        }
        out += tokenizer.merges.isEmpty ? "]\n  }\n}\n" : "\n    ]\n  }\n}\n"
        return out
    }
}
