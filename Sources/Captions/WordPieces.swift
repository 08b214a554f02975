import Corpus
import Tokenizer

/// Every token read as a piece of a word: its leading letters, lower-cased (after its leading
/// spaces), and whether something other than a letter follows them within the token. The guards
/// that steer a word toward a few allowed ones (`CapitalGuard`, `TopicWordGuard`) share one
/// table, built once per model.
struct WordPieces: Sendable {
    struct Piece: Sendable {
        var token: TokenID
        var leadingSpace: Bool
        var startsUpper: Bool
        var letters: [UInt8]
        var endsInToken: Bool
    }

    /// The pieces of the tokens that are not special, in token order.
    let pieces: [Piece]
    /// By token id: its index in `pieces`, or -1 for a special token.
    let pieceIndex: [Int]
    /// The tokens that start with a letter (no space): they continue a word being written.
    let continuing: [Int]
    /// The tokens that start with anything else, and the special tokens (end of text): they end
    /// a word being written.
    let ending: [TokenID]
    /// The tokens that start with a capital and no space: inside a word they would change its case.
    let capitalContinuing: [TokenID]

    init(tokenizer: Tokenizer) {
        var pieces: [Piece] = []
        for id in 0..<tokenizer.vocabularySize where !tokenizer.isSpecialToken(TokenID(id)) {
            let scalars = Array(String(decoding: tokenizer.bytes(of: TokenID(id)), as: UTF8.self).unicodeScalars)
            var first = 0
            while first < scalars.count && scalars[first] == " " { first += 1 }
            var letters: [UInt8] = []
            var end = first
            while end < scalars.count, WordScanner.classify(scalars[end]).isLetter || WordScanner.classify(scalars[end]) == .mark {
                WordScanner.appendLowercased(scalars[end], to: &letters)
                end += 1
            }
            pieces.append(Piece(token: TokenID(id), leadingSpace: first > 0,
                                startsUpper: first < scalars.count && WordScanner.classify(scalars[first]) == .upper,
                                letters: letters, endsInToken: end < scalars.count))
        }
        let specials = (0..<tokenizer.vocabularySize).map { TokenID($0) }.filter(tokenizer.isSpecialToken)
        var pieceIndex = [Int](repeating: -1, count: tokenizer.vocabularySize)
        for (index, piece) in pieces.enumerated() { pieceIndex[Int(piece.token)] = index }
        self.pieces = pieces
        self.pieceIndex = pieceIndex
        capitalContinuing = pieces.filter { !$0.leadingSpace && $0.startsUpper }.map(\.token)
        continuing = pieces.indices.filter { !pieces[$0].leadingSpace && !pieces[$0].letters.isEmpty }
        ending = pieces.filter { $0.leadingSpace || $0.letters.isEmpty }.map(\.token) + specials
    }

    /// The piece of `token`, or nil for a special token or an id past the vocabulary.
    func piece(_ token: TokenID) -> Piece? {
        guard token >= 0, Int(token) < pieceIndex.count, pieceIndex[Int(token)] >= 0 else { return nil }
        return pieces[pieceIndex[Int(token)]]
    }

    /// Whether a word's letters so far can still be one of `allowed`, or are one when the word
    /// ends there.
    static func passes(_ letters: [UInt8], endsInToken: Bool, allowed: WordList) -> Bool {
        var cursor = WordList.Cursor.start(of: allowed)
        allowed.advance(&cursor, by: letters)
        return endsInToken ? allowed.isWord(cursor) : cursor.isPrefix
    }

    /// In the middle of `word` (lower-cased letters, on the way to one of `allowed`): the tokens
    /// that would take it off that way, and, unless it is already one of them or `mayEnd`, the
    /// tokens that would end it. Nothing when the word is not on the way to one.
    func bans(continuing word: [UInt8], toward allowed: WordList, mayEnd: Bool = false) -> [TokenID] {
        var cursor = WordList.Cursor.start(of: allowed)
        allowed.advance(&cursor, by: word)
        guard cursor.isPrefix else { return [] }
        var bans: [TokenID] = []
        for index in continuing {
            let piece = pieces[index]
            var next = cursor
            allowed.advance(&next, by: piece.letters)
            if !(piece.endsInToken ? allowed.isWord(next) : next.isPrefix) { bans.append(piece.token) }
        }
        if !(allowed.isWord(cursor) || mayEnd) { bans += ending }
        return bans
    }
}
