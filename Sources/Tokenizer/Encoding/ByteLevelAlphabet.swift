/// GPT-2's reversible map between bytes and printable characters, used for token strings in files.
///
/// Byte-level BPE works on bytes, but `encoder.json`, `vocab.bpe` and `tokenizer.json` store tokens
/// as text. GPT-2 gives every byte a visible character: the 188 bytes that are printable Latin-1
/// (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) stand for themselves, and the other 68 (controls, space, DEL, NBSP,
/// soft hyphen) take U+0100, U+0101, … in byte order. So a space is "Ġ" (U+0120) and a newline "Ċ".
public enum ByteLevelAlphabet {
    /// The character (as a scalar value) that stands for each byte.
    public static let characterForByte: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if isPrintedAsItself(UInt8(byte)) {
                table[byte] = Unicode.Scalar(UInt32(byte))!
            } else {
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The byte each character stands for, indexed by scalar value (0..<324); 0xFFFF marks "none".
    static let byteForCharacter: [UInt16] = {
        var table = [UInt16](repeating: 0xFFFF, count: 324)
        for (byte, scalar) in characterForByte.enumerated() { table[Int(scalar.value)] = UInt16(byte) }
        return table
    }()

    private static func isPrintedAsItself(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }

    /// The file spelling of a token's bytes.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(characterForByte[Int(byte)]) }
        return String(text)
    }

    /// The bytes a file spelling stands for, or nil when a character is not in the alphabet.
    public static func decode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            let value = Int(scalar.value)
            guard value < byteForCharacter.count else { return nil }
            let byte = byteForCharacter[value]
            if byte == 0xFFFF { return nil }
            bytes.append(UInt8(byte))
        }
        return bytes
    }
}
