import Corpus
import Generation
import Tokenizer

/// Keeps the sampler from writing a word that is not in a word list: a small model's invented
/// words ("strokenity", "#Plotimalist") cannot be written at all.
///
/// Words are `WordScanner`'s (letters with inner apostrophes, hashtags in CamelCase parts;
/// numbers, handles and web addresses are not words). Before each draw the guard takes the word
/// being written at the end of the text so far and masks every candidate token that would
/// - extend it with letters to something no listed word starts with ("plot" + "imal"),
/// - end it (a space, punctuation, a digit, `<|endoftext|>`) where it is not a listed word
///   ("plotimalist" + "."), or
/// - write, further on in the same token, a word or part that breaks either rule (" strokenity").
///
/// Also allowed, though not in the list: a listed word followed by "'s" (a possessive), a unit of
/// at most `WordScanner.unitLength` letters after digits ("5pm"), and "http", "https" and "www"
/// (they start web addresses, which are not checked).
///
/// Cost. Checking a token is a few steps down the sorted word list (`WordList.Cursor`), but not
/// all V tokens need it: the sampler keeps only the `keep` best tokens (top-k) that survive the
/// masks, so the guard checks tokens best-first and stops once `keep` of them pass; tokens below
/// those can never be drawn and are left alone. Tokens that start with a space or punctuation are
/// checked from a table made once (what follows their first character does not depend on the
/// text before). Run it after every other ban of the step, so that the tokens it passes are the
/// ones the sampler really sees.
///
/// Never masks everything: when no token with a finite logit passes, the word being written is
/// let go (tokens that end it there are allowed, as if it were listed); if even that leaves
/// nothing, the guard bans nothing for that step. The same happens when the word at the end of
/// the text is already unlisted on arrival (a prompt that ends in one): it may end, not grow.
///
/// A token that is not whole UTF-8 (a piece of an emoji or of an accented letter) counts as
/// punctuation: it ends the word before it, which must then be listed.
public struct WordGuard: Sendable {
    /// The list checked against (the given words plus "http", "https", "www").
    public let words: WordList

    /// Every token's scalars, concatenated; token t's are `tokenStarts[t]..<tokenStarts[t + 1]`.
    let scalars: [Unicode.Scalar]
    let classes: [WordScanner.ScalarClass]
    /// Each scalar's lower-cased UTF-8: scalar k's is `lowered[loweredStarts[k]..<loweredStarts[k + 1]]`.
    let lowered: [UInt8]
    let loweredStarts: [Int32]
    let tokenStarts: [Int32]
    /// Special tokens (end-of-text among them): they end the word like punctuation and write nothing.
    let isSpecial: [Bool]
    /// For tokens whose first scalar is white space or plain punctuation: whether the rest of the
    /// token passes, which does not depend on the text before it (those scalars reset the scanner).
    private(set) var passesAfterBreak: [Bool]

    /// The scanner and the word being written, as far as the text goes.
    struct Position {
        var scanner = WordScanner()
        var cursor: WordList.Cursor
        /// Scalars of the current word (an inner apostrophe counts).
        var length = 0
        var afterDigits = false
        /// The current word is a listed word followed by "'s".
        var isPossessive = false
        /// The current word was unlisted before this step: it may end unchecked, not grow.
        var isExcused = false
    }

    /// - Parameters:
    ///   - words: the words allowed (a model's `words.txt`, a topic's words, a user's own).
    ///   - tokenizer: the model's tokenizer.
    public init(words: WordList, tokenizer: Tokenizer) {
        self.words = words.adding(["http", "https", "www"])
        var scalars: [Unicode.Scalar] = [], classes: [WordScanner.ScalarClass] = []
        var lowered: [UInt8] = [], loweredStarts: [Int32] = [0], tokenStarts: [Int32] = [0]
        var isSpecial: [Bool] = []
        let size = tokenizer.vocabularySize
        scalars.reserveCapacity(size * 5)
        for id in 0..<size {
            let token = TokenID(id)
            let special = tokenizer.isSpecialToken(token)
            isSpecial.append(special)
            if !special {
                if let text = String(validating: tokenizer.bytes(of: token), as: UTF8.self) {
                    for scalar in text.unicodeScalars {
                        let kind = WordScanner.classify(scalar)
                        scalars.append(scalar)
                        classes.append(kind)
                        WordScanner.appendLowercased(scalar, to: &lowered)
                        loweredStarts.append(Int32(lowered.count))
                    }
                } else {
                    scalars.append("\u{FFFD}")
                    classes.append(.other)
                    loweredStarts.append(Int32(lowered.count))
                }
            }
            tokenStarts.append(Int32(scalars.count))
        }
        self.scalars = scalars
        self.classes = classes
        self.lowered = lowered
        self.loweredStarts = loweredStarts
        self.tokenStarts = tokenStarts
        self.isSpecial = isSpecial
        passesAfterBreak = []
        let fresh = Position(cursor: .start(of: self.words))
        passesAfterBreak = (0..<size).map { id in
            let first = Int(tokenStarts[id])
            guard !isSpecial[id], first < Int(tokenStarts[id + 1]), classes[first] == .space || classes[first] == .other else { return false }
            return simulate(TokenID(id), from: fresh)
        }
    }

    // MARK: The hook

    /// Masks the tokens that would write an unlisted word, among the best tokens of this step.
    ///
    /// - Parameters:
    ///   - context: text before the generated text that the first word may continue (a
    ///     completion's prompt); the caption generator's posts start fresh.
    ///   - keep: how many allowed tokens the sampler can take at most (its top-k; 1 when greedy;
    ///     0 or less for all, which checks every token).
    public func restrict(_ step: DecodingStep, context: String = "", keep: Int) {
        let bans = tokensToBan(logits: step.logits, after: step.text, context: context, keep: keep)
        if !bans.isEmpty { step.ban(bans) }
    }

    /// The tokens `restrict` bans for these logits.
    public func tokensToBan(logits: UnsafeBufferPointer<Float>, after text: String, context: String = "", keep: Int) -> [TokenID] {
        let start = position(after: text, context: context)
        let wanted = keep > 0 ? keep : Int.max
        var bans: [TokenID] = []
        if evaluate(from: start, logits: logits, keep: wanted, bans: &bans) > 0 { return bans }
        var excused = start
        excused.isExcused = true
        bans.removeAll()
        if evaluate(from: excused, logits: logits, keep: wanted, bans: &bans) > 0 { return bans }
        return []
    }

    /// Whether `token` may come next after `text` (`context` before it), ignoring the fallbacks.
    public func allows(_ token: TokenID, after text: String, context: String = "") -> Bool {
        let start = position(after: text, context: context)
        return passes(token, from: start, canEnd: canEnd(start))
    }

    /// Checks candidates best-first until `keep` pass or none are left; collects the failures.
    /// Returns how many passed.
    private func evaluate(from start: Position, logits: UnsafeBufferPointer<Float>, keep: Int, bans: inout [TokenID]) -> Int {
        let endable = canEnd(start)
        var order: [Candidate] = []
        var checked = 0, passed = 0
        var size = min(logits.count, max(32, min(keep, logits.count) + 24))
        while true {
            Self.best(logits, count: size, into: &order)
            for candidate in order[checked...] {
                if passes(candidate.token, from: start, canEnd: endable) {
                    passed += 1
                    if passed >= keep { return passed }
                } else {
                    bans.append(candidate.token)
                }
            }
            checked = order.count
            if order.count < size || size >= logits.count { return passed }
            size = min(logits.count, size * 4)
        }
    }

    @inline(__always)
    private func passes(_ token: TokenID, from start: Position, canEnd: Bool) -> Bool {
        let id = Int(token)
        guard id < isSpecial.count else { return canEnd }  // model ids past the tokenizer: never drawn
        if isSpecial[id] { return canEnd }
        let first = Int(tokenStarts[id])
        if first < Int(tokenStarts[id + 1]) {
            let kind = classes[first]
            if kind == .space || (kind == .other && !start.scanner.isSkipping) { return canEnd && passesAfterBreak[id] }
        }
        return simulate(token, from: start)
    }

    /// Feeds the token's scalars from `start`; false at the first rule it breaks.
    private func simulate(_ token: TokenID, from start: Position) -> Bool {
        var position = start
        for k in Int(tokenStarts[Int(token)])..<Int(tokenStarts[Int(token) + 1]) {
            let action = position.scanner.feed(scalars[k], as: classes[k])
            if !apply(action, scalar: k, to: &position) { return false }
        }
        return isViable(position)
    }

    // MARK: Rules on a position

    /// Updates the position for one scanner action; false when the action breaks a rule.
    @inline(__always)
    private func apply(_ action: WordScanner.Action, scalar k: Int, to position: inout Position) -> Bool {
        switch action {
        case .none, .drop:
            return true
        case .begin, .beginAfterDigits:
            begin(&position, afterDigits: action == .beginAfterDigits)
            append(k, to: &position)
            return true
        case .append:
            append(k, to: &position)
            position.isPossessive = false
            return !position.isExcused
        case .appendAfterApostrophe:
            let wasWord = isComplete(position) && !position.isExcused
            words.advance(&position.cursor, by: UInt8(ascii: "'"))
            position.length += 1
            append(k, to: &position)
            position.isPossessive = wasWord && loweredStarts[k + 1] - loweredStarts[k] == 1 && lowered[Int(loweredStarts[k])] == UInt8(ascii: "s")
            return !position.isExcused
        case .end:
            return isComplete(position)
        case .endAndBegin:
            let complete = isComplete(position)
            begin(&position, afterDigits: false)
            append(k, to: &position)
            return complete
        }
    }

    @inline(__always)
    private func begin(_ position: inout Position, afterDigits: Bool) {
        position.cursor = .start(of: words)
        position.length = 0
        position.afterDigits = afterDigits
        position.isPossessive = false
        position.isExcused = false
    }

    @inline(__always)
    private func append(_ k: Int, to position: inout Position) {
        for b in Int(loweredStarts[k])..<Int(loweredStarts[k + 1]) { words.advance(&position.cursor, by: lowered[b]) }
        position.length += 1
    }

    private func isUnit(_ position: Position) -> Bool {
        position.afterDigits && position.length <= WordScanner.unitLength
    }

    /// The open word may end here.
    private func isComplete(_ position: Position) -> Bool {
        position.isExcused || isUnit(position) || position.isPossessive || words.isWord(position.cursor)
    }

    /// Whatever the text holds now can still end well: no word open, or one that a listed word
    /// (or a possessive of one) starts with.
    private func isViable(_ position: Position) -> Bool {
        guard position.scanner.isInWord else { return true }
        if position.isExcused { return false }
        if position.scanner.isHoldingApostrophe {
            // The apostrophe ends the word (which must then be complete) or goes on inside it.
            if isComplete(position) { return true }
            var cursor = position.cursor
            words.advance(&cursor, by: UInt8(ascii: "'"))
            return cursor.isPrefix
        }
        return isUnit(position) || position.isPossessive || position.cursor.isPrefix
    }

    /// Whether a break (space, punctuation, end of text) may come now.
    private func canEnd(_ position: Position) -> Bool {
        !position.scanner.isInWord || isComplete(position)
    }

    // MARK: The text so far

    /// The longest run of scalars without white space read back from the end: longer runs are
    /// read from this far back (a state as if fresh there is a rare, harmless approximation).
    static let longestRun = 256

    /// The position after `context + text`: only the part after the last white space matters,
    /// because white space resets the scanner.
    func position(after text: String, context: String) -> Position {
        var run: [Unicode.Scalar] = []
        func collect(_ view: String.UnicodeScalarView) -> Bool {
            var index = view.endIndex
            while index > view.startIndex && run.count < Self.longestRun {
                let before = view.index(before: index)
                if WordScanner.classify(view[before]) == .space { return true }
                run.append(view[before])
                index = before
            }
            return index > view.startIndex
        }
        if !collect(text.unicodeScalars) && !context.isEmpty { _ = collect(context.unicodeScalars) }

        var position = Position(cursor: .start(of: words))
        var lowered: [UInt8] = []
        for scalar in run.reversed() {
            let kind = WordScanner.classify(scalar)
            let action = position.scanner.feed(scalar, as: kind)
            switch action {
            case .none, .drop, .end: break
            case .begin, .beginAfterDigits, .endAndBegin:
                begin(&position, afterDigits: action == .beginAfterDigits)
                appendText(scalar, to: &position, scratch: &lowered)
            case .append:
                appendText(scalar, to: &position, scratch: &lowered)
                position.isPossessive = false
            case .appendAfterApostrophe:
                let wasWord = words.isWord(position.cursor)
                words.advance(&position.cursor, by: UInt8(ascii: "'"))
                position.length += 1
                appendText(scalar, to: &position, scratch: &lowered)
                position.isPossessive = wasWord && (scalar == "s" || scalar == "S")
            }
        }
        if position.scanner.isInWord && !isViable(position) { position.isExcused = true }
        return position
    }

    private func appendText(_ scalar: Unicode.Scalar, to position: inout Position, scratch: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        WordScanner.appendLowercased(scalar, to: &scratch)
        words.advance(&position.cursor, by: scratch)
        position.length += 1
    }

    // MARK: Best tokens

    /// The `count` tokens with the highest finite logits, best first; equal logits by lower id
    /// (the order the sampler's top-k uses, so the first `keep` that pass are the ones it keeps).
    static func best(_ logits: UnsafeBufferPointer<Float>, count: Int, into list: inout [Candidate]) {
        list.removeAll(keepingCapacity: true)
        guard count > 0 else { return }
        if count >= 512 {
            // Most of the vocabulary: sort everything finite.
            for i in logits.indices where logits[i] > -.infinity { list.append(Candidate(token: TokenID(i), value: logits[i])) }
            list.sort { $0.value != $1.value ? $0.value > $1.value : $0.token < $1.token }
            if list.count > count { list.removeLast(list.count - count) }
            return
        }
        list.reserveCapacity(count + 1)
        // Until the list is full any finite logit enters; then only one above the last kept.
        // 16 logits at a time are skipped when none of them beats that threshold.
        var threshold = -Float.infinity
        @inline(__always) func consider(_ i: Int) {
            let value = logits[i]
            guard value > threshold else { return }  // also rejects NaN
            var slot = list.count
            while slot > 0 && list[slot - 1].value < value { slot -= 1 }
            list.insert(Candidate(token: TokenID(i), value: value), at: slot)
            if list.count > count { list.removeLast() }
            if list.count == count { threshold = list[count - 1].value }
        }
        let base = UnsafeRawPointer(logits.baseAddress!)
        var i = 0
        while i + 16 <= logits.count {
            let chunk = base.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            if any(chunk .> SIMD16(repeating: threshold)) {
                for lane in i..<(i + 16) { consider(lane) }
            }
            i += 16
        }
        while i < logits.count { consider(i); i += 1 }
    }
}
