import Support
import Testing
@testable import Tokenizer

/// Text for tests, written for this project.
enum TestText {
    /// Captions for training small tokenizers in tests.
    static let captions: [String] = [
        "Stay hydrated in style with our reusable glass water bottle.",
        "Cold brew season is here! Grab yours before they're gone.",
        "Our spring sale starts today: 20% off everything in store and online.",
        "Meet the new trail runner, light enough for race day and tough enough for every day.",
        "We can't stop talking about the new flavours. Which one's your favourite?",
        "Small batch coffee, roasted every Tuesday, delivered by Friday.",
        "Tag a friend who needs a weekend away. 🏖️",
        "Free shipping on orders over $50 until Sunday night.",
        "Swipe to see how the bottle is made, from sand to shelf.",
        "New colours just dropped 💚💙💜 which one is you?",
        "Your desk deserves better. So do you.",
        "Hydration you can see: the glass bottle that keeps water cold for 24 hours.",
        "Café au lait, naïve art and a résumé that stands out — all in one Monday.",
        "東京で新しいお店がオープンしました！",
        "مرحبا بكم في متجرنا الجديد",
        "We've got you covered, rain or shine ☔️",
    ]

    /// The captions repeated with small variations: enough repeated pairs for a few hundred merges.
    static var trainingTexts: [String] {
        var texts: [String] = []
        for round in 0..<6 {
            for (index, caption) in captions.enumerated() {
                texts.append(round % 2 == 0 ? caption : caption.lowercased())
                if (index + round) % 3 == 0 { texts.append("\(caption) #\(round)") }
            }
        }
        return texts
    }

    /// Pieces that stress normalization and splitting: emoji ZWJ sequences, flags, skin tones,
    /// keycaps, combining marks, compatibility forms, CJK, right-to-left scripts, controls,
    /// unusual white space and long space runs.
    static let hardParts: [String] = [
        "hello", "World", "ÉCOLE", "naïve", "cafe\u{301}", "e\u{301}\u{302}\u{323}", "Ａｂｃ", "ﬁne", "½", "x²", "Ⅻ",
        "١٢٣٤", "12345678", "3.14", "$19.99", "'s", "'", "'LL", "don't", "I'M", "ſ", "K",
        "👩‍👩‍👧‍👦", "👍🏽", "🇯🇵", "🇺🇸🇫🇷", "❤️", "1️⃣", "🏳️‍🌈", "🧑🏾‍💻",
        "日本語のテキスト", "中文字符", "한국어", "שלום", "مرحبا بالعالم", "हिन्दी", "ไทย", "Ελληνικά", "ß",
        " ", "  ", "        ", String(repeating: " ", count: 70), "\t", "\n", "\r\n", "\n\n\n", "\u{A0}", "\u{3000}", "\u{2028}",
        "\u{0B}", "\u{0C}", "\u{1C}", "\u{85}", "\u{0}", "\u{7}", "\u{7F}", "\u{200B}", "\u{200D}", "\u{FEFF}",
        "…", "—", "!!!", "?!", "#sale", "@brand", "https://t.co/x", "(20% off)", "«quote»", "\"quoted\"",
        "<|endoftext|>", "<|post|>", "＜|endoftext|＞",
    ]

    /// A random string of hard parts and random scalars.
    static func hardString(using generator: inout SeededRandom) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 1...14, using: &generator) {
            if Int.random(in: 0..<5, using: &generator) == 0 {
                // Any scalar at all, outside the surrogate range.
                var value = UInt32.random(in: 0...0x10FFFF, using: &generator)
                if (0xD800...0xDFFF).contains(value) { value = 0x41 }
                text.unicodeScalars.append(Unicode.Scalar(value)!)
            } else {
                text += hardParts.randomElement(using: &generator)!
            }
            if Bool.random(using: &generator) { text += " " }
        }
        return text
    }

    static let small: Tokenizer = try! TokenizerTrainer().train(texts: trainingTexts, vocabularySize: 600)
    static let smallNFC: Tokenizer = try! TokenizerTrainer().train(texts: trainingTexts, vocabularySize: 500, normalization: .nfc)
    static let smallNone: Tokenizer = try! TokenizerTrainer().train(texts: trainingTexts, vocabularySize: 500, normalization: .none)
}
