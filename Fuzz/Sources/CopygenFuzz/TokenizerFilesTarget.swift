import Foundation
import Tokenizer

/// The tokenizer file readers, through `Tokenizer.load(from:)`. First byte: 0 = the input is a
/// Hugging Face `tokenizer.json`; 1 = the input is GPT-2's pair, `vocab.json` and `merges.txt`
/// separated by the first zero byte. A tokenizer that loads must then encode and decode.
enum TokenizerFilesTarget {
    static let target = FuzzTarget(name: "tokenizer-files", run: run, seeds: seeds)

    static func run(_ input: UnsafeRawBufferPointer) {
        let (mode, payload) = splitMode(input, count: 2)
        let tokenizer: Tokenizer?
        if mode == 0 {
            tokenizer = try? Tokenizer.load(from: Scratch.write(payload, to: "tokenizer.json"))
        } else {
            let directory = Scratch.directory + "/gpt2"
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let split = payload.firstIndex(of: 0) ?? payload.endIndex
            _ = Scratch.write(payload[..<split], to: "gpt2/vocab.json")
            _ = Scratch.write(split < payload.endIndex ? payload[(split + 1)...] : payload[split...], to: "gpt2/merges.txt")
            tokenizer = try? Tokenizer.load(from: directory)
        }
        if let tokenizer { checkEncoding(tokenizer) }
    }

    static let sampleTexts = [
        "Fresh cold brew, 18 hours steeped ☕ #ColdBrew <|endoftext|> https://example.com",
        "Ｆｕｌｌｗｉｄｔｈ and e\u{301}acute, 日本語, 🧊🧊 1234567890!!",
    ]

    /// Whatever a file says, ordinary text gives in-range, non-special ids that decode back to the
    /// normalized text.
    static func checkEncoding(_ tokenizer: Tokenizer) {
        for text in sampleTexts {
            let ids = tokenizer.encode(text)
            for id in ids {
                require(id >= 0 && Int(id) < tokenizer.vocabularySize, "id \(id) out of range \(tokenizer.vocabularySize)")
                require(!tokenizer.isSpecialToken(id), "ordinary text produced special token \(id)")
            }
            let decoded = try? tokenizer.decode(ids)
            require(decoded == tokenizer.normalization.apply(text), "round trip changed the text: \(decoded ?? "<throws>")")
        }
        for id in 0..<min(tokenizer.vocabularySize, 1024) { _ = tokenizer.fileSpelling(of: TokenID(id)) }
    }

    static func seeds() throws -> [(name: String, bytes: [UInt8])] {
        // A small tokenizer trained by the library on a few lines of the shipped corpus.
        let text = String(decoding: try repositoryLines("Corpora/captions.jsonl", count: 20), as: UTF8.self)
        let trained = try TokenizerTrainer().train(texts: text.split(separator: "\n").map(String.init), vocabularySize: 300)
        let path = Scratch.directory + "/seed-tokenizer.json"
        try trained.save(to: path)
        let saved = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        // GPT-2's pair from the same tokenizer: model.vocab as vocab.json, model.merges as merges.txt.
        let root = try JSONSerialization.jsonObject(with: Data(saved)) as! [String: Any]
        let model = root["model"] as! [String: Any]
        let vocabulary = try JSONSerialization.data(withJSONObject: model["vocab"]!, options: [.sortedKeys])
        let merges = (model["merges"] as! [Any]).map { entry -> String in
            if let pair = entry as? [String] { return pair.joined(separator: " ") }
            return entry as! String
        }
        let mergesText = "#version: 0.2\n" + merges.joined(separator: "\n") + "\n"
        return [
            ("hf-trained", [0] + saved),
            ("gpt2-trained", [1] + Array(vocabulary) + [0] + Array(mergesText.utf8)),
        ]
    }
}
