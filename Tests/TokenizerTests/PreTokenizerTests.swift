import Support
import Testing
@testable import Tokenizer

/// The hand-written scanners against splits that the regular expressions give (the expected pieces
/// were checked with Hugging Face `tokenizers`' Split on the same patterns).
@Suite struct PreTokenizerTests {
    @Test func gpt4StyleSplit() {
        let split = PreTokenizer.gpt4
        #expect(split.pieces(of: "Hello world") == ["Hello", " world"])
        #expect(split.pieces(of: "I'M can't we'LL") == ["I", "'M", " can", "'t", " we", "'LL"])
        #expect(split.pieces(of: "Price: $1234567 (20% off)!!\n\n  Shop now")
            == ["Price", ":", " $", "123", "456", "7", " (", "20", "%", " off", ")!!\n\n", " ", " Shop", " now"])
        #expect(split.pieces(of: "\"Quoted\" #tag @you") == ["\"Quoted", "\"", " #", "tag", " @", "you"])
        #expect(split.pieces(of: "tabs\t\tand   spaces   ") == ["tabs", "\t", "\tand", "  ", " spaces", "   "])
        #expect(split.pieces(of: "naïve café 東京タワー") == ["naïve", " café", " 東京タワー"])
        #expect(split.pieces(of: "🙂🙂 ok\r\n\r\nnext") == ["🙂🙂", " ok", "\r\n\r\n", "next"])
        #expect(split.pieces(of: "a'ſb") == ["a", "'ſ", "b"])
    }

    @Test func gpt2Split() {
        let split = PreTokenizer.gpt2
        #expect(split.pieces(of: "I'M can't we'LL") == ["I", "'", "M", " can", "'t", " we", "'", "LL"])
        #expect(split.pieces(of: "Price: $1234567 (20% off)!!\n\n  Shop now")
            == ["Price", ":", " $", "1234567", " (", "20", "%", " off", ")!!", "\n\n ", " Shop", " now"])
        #expect(split.pieces(of: "\"Quoted\" #tag @you") == ["\"", "Quoted", "\"", " #", "tag", " @", "you"])
        #expect(split.pieces(of: "tabs\t\tand   spaces   ") == ["tabs", "\t", "\t", "and", "  ", " spaces", "   "])
        #expect(split.pieces(of: "🙂🙂 ok\r\n\r\nnext") == ["🙂🙂", " ok", "\r\n\r", "\n", "next"])
    }

    @Test(arguments: [PreTokenizer.gpt4, .gpt2])
    func piecesCoverTheTextExactly(split: PreTokenizer) {
        var generator = SeededRandom(seed: 11)
        for _ in 0..<500 {
            let text = TestText.hardString(using: &generator)
            let pieces = split.pieces(of: text)
            #expect(pieces.joined() == text)
            #expect(!pieces.contains(""))
        }
    }
}
