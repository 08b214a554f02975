import Foundation
import Support

extension Tokenizer {
    /// Loads a tokenizer from a Hugging Face `tokenizer.json` file, or from a directory with
    /// GPT-2's files (`encoder.json` + `vocab.bpe`, or `vocab.json` + `merges.txt`; a
    /// `tokenizer.json` inside the directory is used when those are absent).
    ///
    /// Throws `InputError` when the path cannot be read and `TokenizerError` when the content is
    /// not a byte-level BPE tokenizer copygen understands; each error is one line naming the file.
    public static func load(from path: String) throws -> Tokenizer {
        if FileContents.isDirectory(path) {
            let directory = path.hasSuffix("/") ? String(path.dropLast()) : path
            for (vocabulary, merges) in [("encoder.json", "vocab.bpe"), ("vocab.json", "merges.txt")] {
                let vocabularyPath = directory + "/" + vocabulary, mergesPath = directory + "/" + merges
                if FileContents.exists(vocabularyPath) && FileContents.exists(mergesPath) {
                    return try GPT2VocabularyFiles.load(vocabularyPath: vocabularyPath, mergesPath: mergesPath)
                }
            }
            let json = directory + "/tokenizer.json"
            if FileContents.exists(json) { return try HuggingFaceFile.load(path: json) }
            throw TokenizerError.unsupportedFile(
                path: path, what: "directory holds neither encoder.json + vocab.bpe, vocab.json + merges.txt nor tokenizer.json")
        }
        return try HuggingFaceFile.load(path: path)
    }

    /// Saves the tokenizer as a Hugging Face `tokenizer.json`, atomically (a temporary file renamed
    /// into place), so that the Python `tokenizers` library loads it and gives the same ids.
    /// The same tokenizer always gives the same bytes.
    public func save(to path: String) throws {
        try AtomicFile.write(HuggingFaceFile.serialize(self), to: path)
    }

    /// The byte-level file spelling of token `id` (special tokens are spelled as their names).
    public func fileSpelling(of id: TokenID) -> String {
        if isSpecialToken(id) { return String(decoding: bytes(of: id), as: UTF8.self) }
        return ByteLevelAlphabet.encode(bytes(of: id))
    }
}

/// Helpers shared by the two file readers.
enum TokenizerFileParsing {
    /// A vocabulary object (token spelling → id) read from JSON, every id an integer: tokenizer.json's
    /// `model.vocab` and GPT-2's vocab.json share this form.
    static func vocabulary(_ object: [String: Any], path: String) throws -> [String: Int] {
        var vocabulary: [String: Int] = [:]
        vocabulary.reserveCapacity(object.count)
        for (spelling, value) in object {
            guard let id = value as? Int else {
                throw TokenizerError.malformedFile(path: path, what: "the id of \"\(spelling.prefix(40))\" is not an integer")
            }
            vocabulary[spelling] = id
        }
        return vocabulary
    }

    /// Parses JSON, turning Foundation's multi-line errors into one line naming the file.
    static func parseJSON(_ bytes: [UInt8], path: String) throws -> Any {
        if bytes.isEmpty { throw TokenizerError.malformedFile(path: path, what: "the file is empty") }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        } catch {
            throw TokenizerError.malformedFile(path: path, what: isUnbalanced(bytes) ? "not valid JSON (truncated)" : "not valid JSON")
        }
        if let duplicate = DuplicateKeys.first(in: bytes) {
            throw TokenizerError.malformedFile(path: path, what: "\"\(duplicate.key.prefix(40))\" appears twice in one object (byte \(duplicate.offset)): a token or setting listed twice")
        }
        return json
    }

    /// Whether brackets and braces (outside strings) open more than they close, or a string is
    /// left open: the sign of a file cut short.
    private static func isUnbalanced(_ bytes: [UInt8]) -> Bool {
        var depth = 0, inString = false, escaped = false
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return inString || depth > 0
    }

    /// The bytes of a vocabulary entry spelled in GPT-2's byte alphabet.
    static func tokenBytes(_ spelling: String, path: String) throws -> [UInt8] {
        guard let bytes = ByteLevelAlphabet.decode(spelling), !bytes.isEmpty else {
            throw TokenizerError.unsupportedFile(
                path: path, what: "token \"\(spelling.prefix(40))\" is not spelled in the byte-level alphabet (not a byte-level BPE vocabulary)")
        }
        return bytes
    }

    /// Turns a vocabulary (spelling → id) into token bytes by id and checks the ids are 0..<n.
    static func tokens(
        vocabulary: [String: Int], specials: [String: Int], path: String
    ) throws -> (tokens: [[UInt8]], specialIDs: [String: TokenID]) {
        var byID: [Int: [UInt8]] = [:]
        var specialIDs: [String: TokenID] = [:]
        for (name, id) in specials {
            // Ids become TokenID (Int32): a larger one must be refused here, not trap in the conversion.
            guard id >= 0 && id < Int(Int32.max) else {
                throw TokenizerError.malformedFile(path: path, what: "special token \"\(name.prefix(40))\" has id \(id) out of range")
            }
            byID[id] = Array(name.utf8)
            specialIDs[name] = TokenID(id)
        }
        for (spelling, id) in vocabulary {
            guard id >= 0 && id < Int(Int32.max) else {
                throw TokenizerError.malformedFile(path: path, what: "token \"\(spelling.prefix(40))\" has id \(id) out of range")
            }
            if let special = specials[spelling], special == id { continue }
            if byID[id] != nil {
                throw TokenizerError.malformedFile(path: path, what: "id \(id) is given to two tokens")
            }
            byID[id] = try tokenBytes(spelling, path: path)
        }
        let count = byID.count
        var tokens: [[UInt8]] = []
        tokens.reserveCapacity(count)
        for id in 0..<count {
            guard let bytes = byID[id] else {
                throw TokenizerError.malformedFile(path: path, what: "ids are not contiguous: id \(id) is missing below \(count)")
            }
            tokens.append(bytes)
        }
        var seenBytes = Set<UInt8>()
        for (id, token) in tokens.enumerated() where token.count == 1 && !specialIDs.values.contains(TokenID(id)) {
            seenBytes.insert(token[0])
        }
        if seenBytes.count != 256 {
            throw TokenizerError.unsupportedFile(
                path: path, what: "the vocabulary lacks \(256 - seenBytes.count) of the 256 byte tokens (not a byte-level BPE vocabulary)")
        }
        return (tokens, specialIDs)
    }

    /// Resolves merges given as spelling pairs into ids; the result of a merge must be in the
    /// vocabulary and must not be a special token (ordinary text would then produce a control token).
    static func merges(
        _ pairs: [(String, String)], vocabulary: [String: Int], specialIDs: [String: TokenID], path: String
    ) throws -> [(left: TokenID, right: TokenID, result: TokenID)] {
        let specials = Set(specialIDs.values)
        var merges: [(left: TokenID, right: TokenID, result: TokenID)] = []
        merges.reserveCapacity(pairs.count)
        for (rank, pair) in pairs.enumerated() {
            guard let left = vocabulary[pair.0], let right = vocabulary[pair.1], let result = vocabulary[pair.0 + pair.1] else {
                throw TokenizerError.malformedFile(
                    path: path, what: "merge \(rank + 1) (\"\(pair.0.prefix(20))\" \"\(pair.1.prefix(20))\") names a token not in the vocabulary")
            }
            if specials.contains(TokenID(result)) {
                throw TokenizerError.malformedFile(
                    path: path, what: "merge \(rank + 1) (\"\(pair.0.prefix(20))\" \"\(pair.1.prefix(20))\") makes the special token \"\((pair.0 + pair.1).prefix(40))\"")
            }
            merges.append((TokenID(left), TokenID(right), TokenID(result)))
        }
        return merges
    }
}
