import Foundation
import Support

/// GPT-2's own files: `encoder.json` (spelling → id) and `vocab.bpe` (a `#version` line, then one
/// merge "left right" per line in rank order). No normalization; GPT-2's split; `<|endoftext|>` is
/// the only special token.
enum GPT2VocabularyFiles {
    static func load(vocabularyPath: String, mergesPath: String) throws -> Tokenizer {
        let json = try TokenizerFileParsing.parseJSON(try FileContents.read(vocabularyPath), path: vocabularyPath)
        guard let object = json as? [String: Any] else {
            throw TokenizerError.malformedFile(path: vocabularyPath, what: "expected a JSON object mapping tokens to ids")
        }
        let vocabulary = try TokenizerFileParsing.vocabulary(object, path: vocabularyPath)
        var specials: [String: Int] = [:]
        if let id = vocabulary[SpecialToken.endOfText] { specials[SpecialToken.endOfText] = id }
        let (tokens, specialIDs) = try TokenizerFileParsing.tokens(vocabulary: vocabulary, specials: specials, path: vocabularyPath)

        let text = try FileContents.readText(mergesPath)
        var pairs: [(String, String)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            if trimmed.isEmpty || (index == 0 && trimmed.hasPrefix("#version")) { continue }
            let parts = trimmed.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw InputError.malformed(source: mergesPath, line: index + 1, what: "expected a merge \"left right\"")
            }
            pairs.append((String(parts[0]), String(parts[1])))
        }
        let merges = try TokenizerFileParsing.merges(pairs, vocabulary: vocabulary, specialIDs: specialIDs, path: mergesPath)
        return Tokenizer(tokens: tokens, merges: merges, specialTokens: specialIDs, normalization: .none, preTokenizer: .gpt2)
    }
}
