import Corpus
import Foundation
import Generation
import Support
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
/// all V tokens need it: only those the sampler could still draw once the failures are masked.
/// The guard takes the tokens with the highest logits, those within 8 of the best but no more
/// than about 128 (`TopLogits`: one pass, no sorting), and checks them all. That settles the draw
/// when `topK` of them pass (top-k takes no token from below; greedy needs one), or when those
/// that pass hold so much probability that top-p stops before any token from below, however many
/// of those top-k could reach (each is less likely than the lowest checked). Otherwise the next
/// few hundred are checked, and failing that every token (in an unfinished word only the tokens
/// that can go on with it are read, and all others banned): that happens when the model wants
/// what the list refuses. Tokens never checked can never be drawn and are left alone; they still
/// count in top-p's total, so the nucleus may come out a little wider than if every failing
/// token were masked. Tokens that start with a space or punctuation are checked from a table
/// made once (what follows their first character does not depend on the text before); in the
/// middle of a word, a token whose first letter no listed word has next fails at once. Run the
/// guard after every other ban of the step, so that the tokens it passes are the ones the
/// sampler really sees. Measured cost: Benchmarks/results/README.md.
///
/// Never masks everything: when no token with a finite logit passes, the word being written is
/// let go (tokens that end it there are allowed, as if it were listed); if even that leaves
/// nothing, the guard bans nothing for that step. The same happens when the word at the end of
/// the text is already unlisted on arrival (a prompt that ends in one): it may end, not grow.
///
/// Characters cut between tokens. A token may end partway through a character (the first bytes
/// of an emoji or of "é"): it passes if the character would pass either as a letter (the word's
/// bytes so far still begin a listed word) or as punctuation (the word may end there). The next
/// token is then checked with those held-back bytes in front of it (from the step's generated
/// tokens), so the character is judged for what it turns out to be.
public struct WordGuard: Sendable {
    /// The list checked against (the given words plus "http", "https", "www").
    public private(set) var words: WordList

    /// Every token's text as the scanner sees it, tokens one after another; token t's units are
    /// `tokenStarts[t]..<tokenStarts[t + 1]`.
    let units: Units
    let tokenStarts: [Int32]
    /// Every token's bytes as the tokenizer has them: token t's are `raw[rawStarts[t]..<rawStarts[t + 1]]`.
    let raw: [UInt8]
    let rawStarts: [Int32]
    /// Whether the token's last unit is a character cut short (its first bytes only).
    let endsPartway: [Bool]
    /// Special tokens (end-of-text among them): they end the word like punctuation and write nothing.
    let isSpecial: [Bool]
    /// Whether the token's first unit is white space, which resets the scanner in every state.
    let startsWithSpace: [Bool]
    /// Whether the token's first unit is a whole white-space or punctuation scalar (not # @ _ or
    /// an apostrophe), which resets the scanner (unless a handle or web address is being skipped,
    /// or a period or colon follows "www" or "http"), so that:
    let startsWithBreak: [Bool]
    /// for those tokens, whether the rest of the token passes, which does not depend on the text before.
    private(set) var passesAfterBreak: [Bool]
    /// Whether the token's first unit is a whole letter or mark, and the first byte it writes
    /// lower-cased: in the middle of a word, a token whose byte no listed word has next fails
    /// without being read further.
    let startsWithLetter: [Bool]
    let leadByte: [UInt8]
    /// The tokens that can go on with an unfinished word, by the byte they would add first: those
    /// whose first unit is a whole letter, mark or apostrophe (lower-cased first byte), and, under
    /// every byte, those that begin with a character cut short.
    let continuingTokens: [[TokenID]]

    /// Text as the scanner sees it: whole scalars (class, lower-cased UTF-8) and, possibly last, a
    /// character cut short (class `.other` as a stand-in, its raw bytes). Bytes that are not
    /// UTF-8 become U+FFFD, class `.other`, which no token may write (`simulate`).
    struct Units: Sendable {
        var scalars: [Unicode.Scalar] = []
        var classes: [WordScanner.ScalarClass] = []
        var bytes: [UInt8] = []
        var byteStarts: [Int32] = [0]

        var count: Int { scalars.count }
        func bytes(of unit: Int) -> Range<Int> { Int(byteStarts[unit])..<Int(byteStarts[unit + 1]) }

        /// Adds the units of `text`; returns whether it ends partway through a character.
        mutating func append(utf8 text: [UInt8]) -> Bool {
            var i = 0
            while i < text.count {
                let lead = text[i]
                if lead < 0x80 {
                    add(Unicode.Scalar(lead))
                    i += 1
                    continue
                }
                guard let (length, second) = UTF8Validation.leadByteShape(lead) else {
                    add("\u{FFFD}")
                    i += 1
                    continue
                }
                let available = min(length, text.count - i)
                var valid = available < 2 || second.contains(text[i + 1])
                if valid { for k in 2..<max(2, available) where text[i + k] & 0xC0 != 0x80 { valid = false } }
                if !valid {
                    add("\u{FFFD}")
                    i += 1
                } else if available < length {
                    scalars.append("\u{FFFD}")
                    classes.append(.other)
                    bytes.append(contentsOf: text[i...])
                    byteStarts.append(Int32(bytes.count))
                    return true
                } else {
                    var value = UInt32(lead) & (0xFF >> (length + 1))
                    for k in 1..<length { value = value << 6 | UInt32(text[i + k] & 0x3F) }
                    add(Unicode.Scalar(value) ?? "\u{FFFD}")
                    i += length
                }
            }
            return false
        }

        private mutating func add(_ scalar: Unicode.Scalar) {
            scalars.append(scalar)
            classes.append(WordScanner.classify(scalar))
            WordScanner.appendLowercased(scalar, to: &bytes)
            byteStarts.append(Int32(bytes.count))
        }
    }

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
        var units = Units()
        var tokenStarts: [Int32] = [0], endsPartway: [Bool] = [], isSpecial: [Bool] = [], startsWithBreak: [Bool] = []
        var raw: [UInt8] = [], rawStarts: [Int32] = [0]
        var startsWithLetter: [Bool] = [], leadByte: [UInt8] = [], startsWithSpace: [Bool] = []
        let size = tokenizer.vocabularySize
        for id in 0..<size {
            let token = TokenID(id)
            let special = tokenizer.isSpecialToken(token)
            let first = units.count
            let bytes = special ? [] : tokenizer.bytes(of: token)
            raw += bytes
            rawStarts.append(Int32(raw.count))
            let partway = units.append(utf8: bytes)
            isSpecial.append(special)
            endsPartway.append(partway)
            tokenStarts.append(Int32(units.count))
            let whole = units.count > first && !(partway && units.count == first + 1)
            let kind = whole ? units.classes[first] : .other
            startsWithBreak.append(whole && (kind == .space || kind == .other || kind == .period || kind == .colon))
            startsWithSpace.append(whole && kind == .space)
            startsWithLetter.append(whole && (kind.isLetter || kind == .mark))
            leadByte.append(whole ? units.bytes[units.bytes(of: first).lowerBound] : 0)
        }
        self.units = units
        self.tokenStarts = tokenStarts
        self.raw = raw
        self.rawStarts = rawStarts
        self.endsPartway = endsPartway
        self.isSpecial = isSpecial
        self.startsWithBreak = startsWithBreak
        self.startsWithLetter = startsWithLetter
        var continuing = [[TokenID]](repeating: [], count: 257)
        for id in 0..<size where !isSpecial[id] && tokenStarts[id] < tokenStarts[id + 1] {
            let first = Int(tokenStarts[id])
            if endsPartway[id] && first == Int(tokenStarts[id + 1]) - 1 {
                continuing[256].append(TokenID(id))
            } else if startsWithLetter[id] || units.classes[first] == .apostrophe {
                continuing[Int(units.bytes[units.bytes(of: first).lowerBound])].append(TokenID(id))
            }
        }
        continuingTokens = continuing
        self.startsWithSpace = startsWithSpace
        self.leadByte = leadByte
        passesAfterBreak = Array(repeating: false, count: size)
        findTokensPassingAfterBreak(among: 0..<size)
    }

    /// The same guard over `words` plus `more` (a request's topic words): the token tables, which
    /// depend only on the tokenizer, are shared rather than rebuilt.
    public func adding(_ more: [String]) -> WordGuard {
        var wider = self
        wider.words = words.adding(more)
        // A longer list refuses nothing the shorter one allowed, so only the refused tokens need
        // a second look.
        wider.findTokensPassingAfterBreak(among: passesAfterBreak.indices.filter { startsWithBreak[$0] && !passesAfterBreak[$0] })
        return wider
    }

    /// The same guard over `words` plus the words of a completion's prompt: a completion may
    /// repeat what its prompt says, names included. A last word the prompt leaves unfinished
    /// is not added (the completion may finish it only into a listed word).
    public func addingWords(ofPrompt prompt: String) -> WordGuard {
        var words = WordScanner.words(in: prompt).filter { !$0.isUnit }
        if let last = prompt.unicodeScalars.last, WordScanner.classify(last).isLetter || WordScanner.classify(last) == .mark {
            words.removeLast()
        }
        return words.isEmpty ? self : adding(words.map(\.text))
    }

    /// Sets `passesAfterBreak` for `tokens`.
    private mutating func findTokensPassingAfterBreak(among tokens: some Sequence<Int>) {
        let fresh = Position(cursor: .start(of: words))
        for id in tokens {
            passesAfterBreak[id] = startsWithBreak[id]
                && simulate(units, Int(tokenStarts[id])..<Int(tokenStarts[id + 1]), endsPartway: endsPartway[id], from: fresh)
        }
    }

    // MARK: The hook

    /// Masks the tokens that would write an unlisted word, among the tokens this step's sampler
    /// could draw.
    ///
    /// - Parameters:
    ///   - context: text before the generated text that the first word may continue (a
    ///     completion's prompt); the caption generator's posts start fresh.
    ///   - settings: the sampling settings of the generation (temperature, top-k and top-p decide
    ///     which tokens need checking).
    /// - Returns: false when no token the sampler could draw passes, so that the word is let go
    ///   (nothing banned); a hook that banned tokens of its own before may then give them back.
    @discardableResult
    public func restrict(_ step: DecodingStep, context: String = "", settings: SamplingSettings) -> Bool {
        let heldBack = heldBackBytes(after: step.generated)
        guard let bans = checkedBans(logits: step.logits, after: step.text, heldBack: heldBack, context: context, settings: settings) else {
            return false
        }
        if !bans.isEmpty { step.ban(bans) }
        return true
    }

    /// The tokens `restrict` bans for these logits. `heldBack`: the first bytes of a character
    /// that the generated tokens have begun and `text` does not show yet (`heldBackBytes`).
    public func tokensToBan(logits: UnsafeBufferPointer<Float>, after text: String, heldBack: [UInt8] = [],
                            context: String = "", settings: SamplingSettings) -> [TokenID] {
        checkedBans(logits: logits, after: text, heldBack: heldBack, context: context, settings: settings) ?? []
    }

    /// The bans, or nil when no token passes even with the word excused (then nothing is banned:
    /// the model must be able to go on).
    private func checkedBans(logits: UnsafeBufferPointer<Float>, after text: String, heldBack: [UInt8],
                             context: String, settings: SamplingSettings) -> [TokenID]? {
        let start = position(after: text, context: context)
        let reach = SamplerReach(settings)
        var bans: [TokenID] = []
        if evaluate(from: start, heldBack: heldBack, logits: logits, reach: reach, bans: &bans) > 0 { return bans }
        var excused = start
        excused.isExcused = true
        bans.removeAll()
        if evaluate(from: excused, heldBack: heldBack, logits: logits, reach: reach, bans: &bans) > 0 { return bans }
        return nil
    }

    /// What of the sampler's settings decides how far down the candidates it can reach.
    struct SamplerReach {
        /// Top-k (the whole vocabulary when 0); 1 when greedy.
        var count: Int
        var temperature: Float
        /// Top-p, a hair higher so that rounding never lets an unchecked token in.
        var probability: Float

        init(_ settings: SamplingSettings) {
            count = settings.temperature == 0 ? 1 : (settings.topK > 0 ? settings.topK : Int.max)
            temperature = settings.temperature
            probability = settings.topP + 1e-4
        }
    }

    /// Whether `token` may come next after `text` (`context` before it, `heldBack` bytes after
    /// it), ignoring the fallbacks.
    public func allows(_ token: TokenID, after text: String, heldBack: [UInt8] = [], context: String = "") -> Bool {
        let start = position(after: text, context: context)
        return passes(token, from: start, heldBack: heldBack, canEnd: canEnd(start))
    }

    /// The bytes of a character the last generated tokens began but did not finish (what a
    /// streaming decoder holds back): at most three.
    func heldBackBytes(after generated: [TokenID]) -> [UInt8] {
        var tail: [UInt8] = []
        for token in generated.reversed() where tail.count < 3 {
            guard Int(token) < isSpecial.count, !isSpecial[Int(token)] else { break }
            let bytes = raw[Int(rawStarts[Int(token)])..<Int(rawStarts[Int(token) + 1])]
            tail.insert(contentsOf: bytes.suffix(3 - tail.count), at: 0)
        }
        let n = tail.count
        for back in 1...max(1, min(3, n)) where n >= back {
            let lead = tail[n - back]
            if lead & 0xC0 == 0x80 { continue }  // a continuation byte: look further back for the lead
            guard let (length, second) = UTF8Validation.leadByteShape(lead), back < length else { return [] }
            if back >= 2 && !second.contains(tail[n - back + 1]) { return [] }
            return Array(tail.suffix(back))
        }
        return []
    }

    /// Checks candidates from the best down until the tokens that passed settle the draw
    /// (`SamplerReach`; see the type's Cost), or, failing that, every token; collects the
    /// failures. Returns how many passed.
    private func evaluate(from start: Position, heldBack: [UInt8], logits: UnsafeBufferPointer<Float>,
                          reach: SamplerReach, bans: inout [TokenID]) -> Int {
        let endable = canEnd(start)
        // In a word (not a unit after digits, not waiting on an apostrophe): the bytes a letter may add.
        let continuations = start.scanner.isInWord && !start.scanner.isHoldingApostrophe && !start.afterDigits
            ? words.nextBytes(after: start.cursor) : nil
        let best = TopLogits.maximum(logits)
        guard best.isFinite else { return 0 }
        var passed = 0
        var passedLogits: [Float] = []  // of the tokens that passed, for top-p's share
        var top = TopLogits()
        var upper = Float.infinity  // every token at or above it has been checked
        // First the tokens within 8 of the best logit (at most 128 or so), then within 20 (at
        // most 512 or so): at a temperature near 1 they carry nearly all the probability.
        for (wanted, margin) in [(64, Float(8)), (256, 20)] {
            top.collect(logits, wanted: wanted, from: best - margin, below: upper)
            let tokens = top.tokens, values = top.values
            for (token, value) in zip(tokens, values) {
                if passes(token, from: start, heldBack: heldBack, canEnd: endable, continuations: continuations) {
                    passed += 1
                    passedLogits.append(value)
                } else {
                    bans.append(token)
                }
            }
            upper = top.floor
            // Every token left is below the floor. Top-k takes none of them once `count` passed.
            if passed >= reach.count { return passed }
            // Otherwise it may take (count − passed) of them, each less likely than the floor: if
            // even then top-p stops first, they are out of reach.
            if passed > 0 && reach.count != Int.max && reach.temperature > 0 && reach.probability < 1 {
                // Weights relative to the best token that passed: exp((logit − best) / temperature).
                let best = passedLogits.max()!
                let below = Float(reach.count - passed) * expf((upper - best) / reach.temperature)
                // That token alone may settle it; if not, all that passed together.
                if 1 - reach.probability >= reach.probability * below { return passed }
                let passedWeight = passedLogits.reduce(Float(0)) { $0 + expf(($1 - best) / reach.temperature) }
                if passedWeight >= reach.probability * (passedWeight + below) { return passed }
            }
        }
        // The model wants what the list refuses: every token left must be checked.
        if !endable, heldBack.isEmpty, let continuations {
            // In an unfinished word only a token that goes on with it can pass: check those
            // (a few hundred at most) and ban every other token left.
            var valid = [Bool](repeating: false, count: logits.count)
            for byte in 0...256 where byte == 256 || continuations.contains(UInt8(byte)) {
                for token in continuingTokens[byte] where Int(token) < valid.count {
                    valid[Int(token)] = passes(token, from: start, heldBack: heldBack, canEnd: endable, continuations: continuations)
                }
            }
            for i in logits.indices where logits[i] < upper && logits[i] > -.infinity {
                if valid[i] { passed += 1 } else { bans.append(TokenID(i)) }
            }
            return passed
        }
        for i in logits.indices where logits[i] < upper && logits[i] > -.infinity {
            let token = TokenID(i)
            if passes(token, from: start, heldBack: heldBack, canEnd: endable, continuations: continuations) { passed += 1 } else { bans.append(token) }
        }
        return passed
    }

    @inline(__always)
    private func passes(_ token: TokenID, from start: Position, heldBack: [UInt8], canEnd: Bool,
                        continuations: ByteSet? = nil) -> Bool {
        let id = Int(token)
        guard id < isSpecial.count else { return canEnd }  // model ids past the tokenizer: never drawn
        if isSpecial[id] { return canEnd }  // held-back bytes of an unfinished character are dropped
        let range = Int(tokenStarts[id])..<Int(tokenStarts[id + 1])
        if !heldBack.isEmpty {
            // Rare: the token finishes a character begun before. Read the two together.
            var joined = Units()
            let partway = joined.append(utf8: heldBack + raw[Int(rawStarts[id])..<Int(rawStarts[id + 1])])
            return simulate(joined, 0..<joined.count, endsPartway: partway, from: start)
        }
        if startsWithBreak[id] && (startsWithSpace[id] || (!start.scanner.isSkipping && !start.scanner.spellsAddressStart)) {
            return canEnd && passesAfterBreak[id]
        }
        if let continuations, startsWithLetter[id], !continuations.contains(leadByte[id]),
           units.classes[range.lowerBound] != .upper || !start.scanner.upperCaseStartsAPart {
            return false  // it would go on with the word where no listed word goes
        }
        return simulate(units, range, endsPartway: endsPartway[id], from: start)
    }

    /// Feeds the units from `start`; false at the first rule they break.
    private func simulate(_ units: borrowing Units, _ range: Range<Int>, endsPartway: Bool, from start: Position) -> Bool {
        var position = start
        for k in range {
            if endsPartway && k == range.upperBound - 1 {
                // A character cut short: it passes if it would pass as punctuation or as a letter.
                var asBreak = position
                if apply(asBreak.scanner.feed("\u{FFFD}", as: .other), units, k, to: &asBreak) && isViable(asBreak) { return true }
                var asLetter = position
                return apply(asLetter.scanner.feed("\u{FFFD}", as: .caseless), units, k, to: &asLetter) && isViable(asLetter)
            }
            // Bytes that are not UTF-8 (a begun character spoilt, a stray continuation byte)
            // never reach a post: dropping them would glue the words around them together.
            if units.scalars[k] == "\u{FFFD}" { return false }
            let action = position.scanner.feed(units.scalars[k], as: units.classes[k])
            if !apply(action, units, k, to: &position) { return false }
        }
        return isViable(position)
    }

    // MARK: Rules on a position

    /// Updates the position for one scanner action on unit `k` of `units`; false when the action
    /// breaks a rule.
    @inline(__always)
    private func apply(_ action: WordScanner.Action, _ units: borrowing Units, _ k: Int, to position: inout Position) -> Bool {
        switch action {
        case .none, .drop:
            return true
        case .begin, .beginAfterDigits:
            begin(&position, afterDigits: action == .beginAfterDigits)
            append(units, k, to: &position)
            return true
        case .append:
            append(units, k, to: &position)
            position.isPossessive = false
            return !position.isExcused
        case .appendAfterApostrophe:
            let wasWord = isComplete(position) && !position.isExcused
            words.advance(&position.cursor, by: UInt8(ascii: "'"))
            position.length += 1
            append(units, k, to: &position)
            let bytes = units.bytes(of: k)
            position.isPossessive = wasWord && bytes.count == 1 && units.bytes[bytes.lowerBound] == UInt8(ascii: "s")
            return !position.isExcused
        case .end:
            return isComplete(position)
        case .endAndBegin:
            let complete = isComplete(position)
            begin(&position, afterDigits: false)
            append(units, k, to: &position)
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
    private func append(_ units: borrowing Units, _ k: Int, to position: inout Position) {
        for b in units.bytes(of: k) { words.advance(&position.cursor, by: units.bytes[b]) }
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
}
