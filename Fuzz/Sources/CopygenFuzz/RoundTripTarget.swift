import Foundation
import Tokenizer

/// Encode/decode with the shipped tokenizer (Tokenizers/captions-4k.json). First byte: 0 = the
/// text is the input decoded leniently (invalid bytes become U+FFFD), 1 = only valid UTF-8 is
/// used. Ordinary text must decode back to its normalized form, never yield a special id, and
/// decode the same one id at a time (streaming) as all at once.
enum RoundTripTarget {
    static let target = FuzzTarget(name: "round-trip", run: run, seeds: seeds)
    static let tokenizer = try! Tokenizer.load(from: repositoryRoot + "/Tokenizers/captions-4k.json")

    static func run(_ input: UnsafeRawBufferPointer) {
        let (mode, payload) = splitMode(input, count: 2)
        let text: String
        if mode == 0 {
            text = lossyText(payload)
        } else {
            guard let valid = String(validating: payload, as: UTF8.self) else { return }
            text = valid
        }
        let ids = tokenizer.encode(text)
        for id in ids {
            require(id >= 0 && Int(id) < tokenizer.vocabularySize, "id \(id) out of range")
            require(!tokenizer.isSpecialToken(id), "ordinary text produced special token \(id)")
        }
        let normalized = tokenizer.normalization.apply(text)
        let decoded = try? tokenizer.decode(ids)
        require(decoded == normalized, "decode(encode(text)) != normalized text")

        let streaming = tokenizer.makeStreamingDecoder()
        var streamed = ""
        for id in ids { streamed += (try? streaming.feed(id)) ?? "<throws>" }
        streamed += streaming.finish()
        require(streamed == normalized, "streaming decode differs from decode")

        // Special tokens allowed: the ids still decode to the text's bytes around them.
        let withSpecials = tokenizer.encode(text, allowedSpecial: Set(SpecialToken.all))
        require((try? tokenizer.decodeBytes(withSpecials)) != nil, "ids with specials do not decode")
    }

    static func seeds() throws -> [(name: String, bytes: [UInt8])] {
        let captions = try repositoryLines("Corpora/captions.jsonl", count: 2)
        return [
            ("captions", [0] + captions),
            ("valid", [1] + Array("Ｆｕｌｌ e\u{301} 日本語 🧊 <|endoftext|><|post|> 1234567890 ﬁ ".utf8)),
            ("broken", [0] + [0x61, 0xF0, 0x9F, 0xA7, 0x62, 0xC3, 0x28, 0xED, 0xA0, 0x80]),
        ]
    }
}
