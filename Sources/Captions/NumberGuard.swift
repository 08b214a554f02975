import Tokenizer

/// Keeps the sampler from stating a number the request did not give: a price, a date, a count or
/// a discount in a post is a claim, and a model can only invent one ("Only 3 rooms left!" about
/// a coffee brand, from the rental listings it was pre-trained on).
///
/// A number is a run of ASCII digits; "$19.99" holds the runs 19 and 99, "24/7" the runs 24 and 7.
/// The allowed numbers are the runs of the topic (`allowing(numbersIn:)`), so a user who wants a
/// price in the post writes it in the topic ("spring sale, 20% off"). Before each draw the guard
/// masks every token that would write a digit run that is not the beginning of an allowed run,
/// or end a run that is not a whole one ("20" of "2026" followed by a space). With no allowed
/// number it also masks currency signs ($, £, €), which would otherwise stand before nothing.
///
/// A tokenizer that writes a number's space as a token of its own (" 20" is " " then "20", where
/// " bread" is one token; the shipped ones do) puts a bare space only before digits or more white
/// space, never before a word. A model writes one when it means to write a number; with the
/// digits masked next, it falls back on a word glued to the space, a pair it never saw and gives
/// nonsense odds ("👟 icing", "starts io classes"). So the bare spaces are masked with the
/// digits, and where some number is allowed, after a bare space only a digit or white space
/// may come.
///
/// Never masks everything: when the text ends partway through an allowed number and no token
/// can go on with it, the number may end there.
public struct NumberGuard: Sendable {
    /// The tokens that hold an ASCII digit or a currency sign, and their bytes.
    let tokens: [TokenID]
    let tokenBytes: [[UInt8]]
    /// Of `tokens`, those whose first byte is a digit.
    let startsWithDigit: [Bool]
    /// The tokens of spaces and tabs only, when the tokenizer writes a number's space apart (else
    /// none), and the tokens that may not follow one: those that start with neither a digit nor
    /// white space.
    let bareSpaces: [TokenID]
    let neverAfterBareSpace: [TokenID]
    /// What a request without numbers masks at every step: `tokens` and `bareSpaces`.
    let allNumberTokens: [TokenID]
    let vocabularySize: Int
    /// The allowed digit runs, and every beginning of one (the runs included).
    private(set) var numbers: Set<[UInt8]>
    private(set) var beginnings: Set<[UInt8]>

    /// A guard that allows no number; `allowing(numbersIn:)` adds a request's.
    public init(tokenizer: Tokenizer) {
        var tokens: [TokenID] = [], tokenBytes: [[UInt8]] = []
        for id in 0..<tokenizer.vocabularySize where !tokenizer.isSpecialToken(TokenID(id)) {
            let bytes = tokenizer.bytes(of: TokenID(id))
            if bytes.contains(where: Self.isDigit) || Self.hasCurrencySign(bytes) {
                tokens.append(TokenID(id))
                tokenBytes.append(bytes)
            }
        }
        self.tokens = tokens
        self.tokenBytes = tokenBytes
        startsWithDigit = tokenBytes.map { Self.isDigit($0[0]) }
        var bareSpaces: [TokenID] = [], neverAfterBareSpace: [TokenID] = []
        if Self.writesNumbersSpaceApart(tokenizer) {
            for id in 0..<tokenizer.vocabularySize where !tokenizer.isSpecialToken(TokenID(id)) {
                let bytes = tokenizer.bytes(of: TokenID(id))
                if bytes.allSatisfy(Self.isSpaceOrTab) { bareSpaces.append(TokenID(id)) }
                if !Self.isDigit(bytes[0]) && !Self.isWhiteSpace(bytes[0]) { neverAfterBareSpace.append(TokenID(id)) }
            }
        }
        self.bareSpaces = bareSpaces
        self.neverAfterBareSpace = neverAfterBareSpace
        allNumberTokens = tokens + bareSpaces
        vocabularySize = tokenizer.vocabularySize
        numbers = []
        beginnings = [[]]
    }

    /// Whether `tokenizer` writes " 7" as a bare space and then the digit.
    static func writesNumbersSpaceApart(_ tokenizer: Tokenizer) -> Bool {
        let ids = tokenizer.encode("a 7")
        return ids.count >= 2 && tokenizer.bytes(of: ids[ids.count - 2]).allSatisfy(isSpaceOrTab)
            && tokenizer.bytes(of: ids[ids.count - 1]) == Array("7".utf8)
    }

    /// The digit runs of `text`, in order.
    public static func numbers(in text: String) -> [String] {
        var found: [String] = [], run: [UInt8] = []
        for byte in text.utf8 {
            if isDigit(byte) { run.append(byte); continue }
            if !run.isEmpty { found.append(String(decoding: run, as: UTF8.self)); run = [] }
        }
        if !run.isEmpty { found.append(String(decoding: run, as: UTF8.self)) }
        return found
    }

    /// This guard with the numbers of `text` (a request's topic) allowed too.
    public func allowing(numbersIn text: String) -> NumberGuard {
        let added = Self.numbers(in: text).map { Array($0.utf8) }
        guard !added.isEmpty else { return self }
        var numbers = self.numbers, beginnings = self.beginnings
        for run in added {
            numbers.insert(run)
            for length in 1...run.count { beginnings.insert(Array(run.prefix(length))) }
        }
        var wider = self
        wider.numbers = numbers
        wider.beginnings = beginnings
        return wider
    }

    /// The tokens that may not come after `text` (the post so far).
    public func tokensToBan(after text: String) -> [TokenID] {
        if numbers.isEmpty { return allNumberTokens }  // the common case: the topic has no number
        if let last = text.unicodeScalars.last, last == " " || last == "\t" {
            return tokens.indices.filter { !passes($0, after: []) }.map { tokens[$0] } + neverAfterBareSpace
        }
        // The digits the text ends with. Replacement characters do not count: a post drops them,
        // which joins the digits on either side.
        var run: [UInt8] = []
        for scalar in text.unicodeScalars.reversed() where scalar != "\u{FFFD}" {
            guard scalar.isASCII, Self.isDigit(UInt8(scalar.value)) else { break }
            run.append(UInt8(scalar.value))
        }
        run.reverse()

        // Partway through an allowed number: only its continuations, unless there are none.
        if !run.isEmpty && !numbers.contains(run) && beginnings.contains(run) {
            let going = tokens.indices.filter { startsWithDigit[$0] && passes($0, after: run) }
            if !going.isEmpty {
                var allowed = [Bool](repeating: false, count: vocabularySize)
                for index in going { allowed[Int(tokens[index])] = true }
                return (0..<vocabularySize).filter { !allowed[$0] }.map { TokenID($0) }
            }
        }
        return tokens.indices.filter { !passes($0, after: run) }.map { tokens[$0] }
    }

    /// Whether token `tokens[index]` keeps every digit run an allowed one, the text so far ending
    /// in the digits `run`.
    func passes(_ index: Int, after run: [UInt8]) -> Bool {
        let bytes = tokenBytes[index]
        if numbers.isEmpty { return false }
        var current = startsWithDigit[index] && beginnings.contains(run) ? run : []
        for byte in bytes {
            if Self.isDigit(byte) {
                current.append(byte)
                if !beginnings.contains(current) { return false }
            } else {
                if !current.isEmpty && !numbers.contains(current) { return false }
                current = []
            }
        }
        return true
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isSpaceOrTab(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
    static func isWhiteSpace(_ byte: UInt8) -> Bool { isSpaceOrTab(byte) || byte == 0x0A || byte == 0x0D }

    /// "$", "£" or "€" (UTF-8 C2 A3, E2 82 AC).
    static func hasCurrencySign(_ bytes: [UInt8]) -> Bool {
        for i in bytes.indices {
            if bytes[i] == 0x24 { return true }
            if bytes[i] == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0xA3 { return true }
            if bytes[i] == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x82, bytes[i + 2] == 0xAC { return true }
        }
        return false
    }
}
