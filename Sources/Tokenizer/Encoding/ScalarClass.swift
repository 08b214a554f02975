/// The classes of Unicode scalars the pre-tokenizer's rules talk about: `\p{L}`, `\p{N}`, `\s`
/// (split into line breaks and other white space) and everything else.
enum ScalarClass: UInt8 {
    /// General category L (Lu, Ll, Lt, Lm, Lo).
    case letter
    /// General category N (Nd, Nl, No).
    case number
    /// The White_Space property, except "\r" and "\n".
    case space
    /// "\r" or "\n".
    case newline
    /// Neither letter, number nor white space: punctuation, symbols, emoji, marks, controls.
    case other

    /// The class of a scalar value, from `table` (see `basicPlaneTable`) below U+10000, else
    /// from the standard library's Unicode properties.
    @inline(__always)
    static func of(_ value: UInt32, table: UnsafePointer<UInt8>) -> ScalarClass {
        if value < 0x10000 { return ScalarClass(rawValue: table[Int(value)])! }
        return compute(value)
    }

    static func compute(_ value: UInt32) -> ScalarClass {
        guard let scalar = Unicode.Scalar(value) else { return .other }
        if value == 0x0A || value == 0x0D { return .newline }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return scalar.properties.isWhitespace ? .space : .other
        }
    }

    /// Classes of U+0000…U+FFFF (64 KiB), computed on first use (a few milliseconds) and kept for
    /// the life of the process. A raw pointer, so the scanner's inner loop reads it without the
    /// retain/release and lazy-initialisation checks that a global array costs on every access.
    nonisolated(unsafe) static let basicPlaneTable: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 0x10000)
        for value in 0..<0x10000 { table[value] = compute(UInt32(value)).rawValue }
        return UnsafePointer(table)
    }()
}
