import Corpus
import Foundation
import Generation
import Support
import Testing
@testable import Captions
@testable import Measurement
@testable import Tokenizer

/// The guard on a hand-made vocabulary: the 256 byte tokens, the tokens below, and end-of-text.
@Suite struct WordGuardTests {
    static let pieces = [
        "t", "ts", "tim", "t.", " ", ".", " brew", " plotimalist", "imalist", "alist", "odle", "m", "mplot",
        "'s", "s", "'t", "'x", "x", "Brew", "brew", "Coffee", "coffee", "Imalist", " #Cold", "Plot", " coffee", "!", "3", "'",
    ]
    static let tokenizer: Tokenizer = {
        var tokens = (0..<256).map { [UInt8($0)] }
        tokens += pieces.map { Array($0.utf8) }
        tokens.append(Array("<|endoftext|>".utf8))
        return Tokenizer(tokens: tokens, merges: [], specialTokens: ["<|endoftext|>": TokenID(tokens.count - 1)],
                         normalization: .none, preTokenizer: .gpt4)
    }()
    static let endOfText = tokenizer.id(ofSpecial: "<|endoftext|>")!
    static let words = WordList(["plot", "plots", "plotting", "cold", "brew", "coffee", "coldbrew", "don't", "it", "the", "visit", "at", "call", "café"])
    static let wordGuard = WordGuard(words: words, tokenizer: tokenizer)

    static func id(_ piece: String) -> TokenID { TokenID(256 + pieces.firstIndex(of: piece)!) }

    /// Which of `pieces` the guard allows after `text`.
    static func allowed(after text: String, _ pieces: [String]) -> [String: Bool] {
        Dictionary(uniqueKeysWithValues: pieces.map { ($0, wordGuard.allows(id($0), after: text)) })
    }

    @Test func aWordMayGrowOnlyTowardAListedWordAndEndOnlyWhenListed() {
        #expect(Self.allowed(after: "The plo", ["t", "ts", "tim", "t.", " ", ".", " brew"])
                == ["t": true, "ts": true, "tim": false, "t.": true, " ": false, ".": false, " brew": false])
        #expect(!Self.wordGuard.allows(Self.endOfText, after: "The plo"))
        #expect(Self.allowed(after: "The plot", [" brew", " plotimalist", ".", "imalist", "s", "x"])
                == [" brew": true, " plotimalist": false, ".": true, "imalist": false, "s": true, "x": false])
        #expect(Self.wordGuard.allows(Self.endOfText, after: "The plot"))
        // Case does not matter; a word at the very start is checked too.
        #expect(Self.allowed(after: "PLO", ["t", "tim"]) == ["t": true, "tim": false])
        #expect(Self.allowed(after: "", [" plotimalist", " brew", "imalist"]) == [" plotimalist": false, " brew": true, "imalist": false])
    }

    @Test func apostrophesAndPossessives() {
        #expect(Self.allowed(after: "don", ["'t", "'x", "'s"]) == ["'t": true, "'x": false, "'s": false])
        #expect(Self.allowed(after: "don'", ["t", "x"]) == ["t": true, "x": false])
        // A listed word may take a possessive 's, and a trailing apostrophe ends it.
        #expect(Self.allowed(after: "the coffee", ["'s", "'", "'x"]) == ["'s": true, "'": true, "'x": false])
        #expect(Self.allowed(after: "the coffee'", ["s", " ", "x"]) == ["s": true, " ": true, "x": false])
        #expect(Self.allowed(after: "the coffee's", [" ", "x"]) == [" ": true, "x": false])
    }

    @Test func hashtagPartsAreWords() {
        #expect(Self.allowed(after: "", [" #Cold"]) == [" #Cold": true])
        #expect(Self.allowed(after: "#Cold", ["Brew", "brew", "Coffee", "Plot", "Imalist", "x", " "])
                == ["Brew": true, "brew": true, "Coffee": true, "Plot": true, "Imalist": false, "x": false, " ": true])
        #expect(Self.allowed(after: "#ColdBrew", ["Coffee", "Imalist", "x", " ", "!"])
                == ["Coffee": true, "Imalist": false, "x": false, " ": true, "!": true])
        // One-case tags must be listed whole: "coldbrew" is, "coldbrewcoffee" is not.
        #expect(Self.allowed(after: "#coldbrew", [" ", "Coffee", " coffee"]) == [" ": true, "Coffee": true, " coffee": true])
        #expect(Self.allowed(after: "#Coldbrew", ["coffee"]) == ["coffee": false])
    }

    @Test func numbersHandlesAndWebAddressesAreLeftAlone() {
        #expect(Self.allowed(after: "visit https://plot", ["imalist", "x", "odle"]) == ["imalist": true, "x": true, "odle": true])
        #expect(Self.allowed(after: "visit www.plot", ["imalist"]) == ["imalist": true])
        #expect(Self.allowed(after: "visit www", ["."]) == [".": true])
        #expect(Self.allowed(after: "visit ww", ["."]) == [".": false])
        #expect(Self.allowed(after: "visit https", ["imalist", "x"]) == ["imalist": false, "x": false])
        #expect(Self.allowed(after: "at @jewo", ["odle", "imalist", " plotimalist"]) == ["odle": true, "imalist": true, " plotimalist": false])
        // Up to three letters after digits are a unit; a longer run is a word.
        #expect(Self.allowed(after: "at 5p", ["m", "mplot"]) == ["m": true, "mplot": false])
        #expect(Self.allowed(after: "at 5", ["3", "ts", "tim"]) == ["3": true, "ts": true, "tim": true])
        #expect(Self.allowed(after: "at 5tim", ["t", " "]) == ["t": false, " ": true])
        #expect(Self.allowed(after: "call 555-", ["imalist"]) == ["imalist": false])
    }

    @Test func aCharacterCutBetweenTokensIsJudgedWhenItIsWhole() {
        let eAcuteLead = TokenID(0xC3), emojiLead = TokenID(0xF0)
        // Begun: it may still be a letter (caf + é) or punctuation (plot + 🍰).
        #expect(Self.wordGuard.allows(eAcuteLead, after: "The caf"))
        #expect(Self.wordGuard.allows(emojiLead, after: "The plot"))
        #expect(!Self.wordGuard.allows(eAcuteLead, after: "The plo") && !Self.wordGuard.allows(emojiLead, after: "The plo"))
        // Finished: what it turned out to be decides.
        #expect(Self.wordGuard.allows(TokenID(0xA9), after: "The caf", heldBack: [0xC3]))  // é
        #expect(!Self.wordGuard.allows(TokenID(0xA8), after: "The caf", heldBack: [0xC3]))  // è
        #expect(Self.wordGuard.allows(TokenID(0xB0), after: "The plot", heldBack: [0xF0, 0x9F, 0x8D]))  // 🍰
        #expect(!Self.wordGuard.allows(TokenID(0xB0), after: "The plo", heldBack: [0xF0, 0x9F, 0x8D]))
        #expect(!Self.wordGuard.allows(TokenID(0xA9), after: "The plot", heldBack: [0xC3]))  // "plotimé"-like: plot + é is no word
        // Never finished: a post drops such bytes, which would join "plot" to the next word.
        let p = TokenID(UInt8(ascii: "p"))
        #expect(Self.wordGuard.allows(p, after: "The plot "))
        #expect(!Self.wordGuard.allows(p, after: "The plot", heldBack: [0xE2]))
        #expect(!Self.wordGuard.allows(TokenID(0x80), after: "The plot") && !Self.wordGuard.allows(TokenID(0xFF), after: "The plot"))
    }

    @Test func heldBackBytesAreWhatTheDecoderHolds() {
        let c = TokenID(UInt8(ascii: "c"))
        #expect(Self.wordGuard.heldBackBytes(after: [c, 0xC3]) == [0xC3])
        #expect(Self.wordGuard.heldBackBytes(after: [c, 0xF0, 0x9F]) == [0xF0, 0x9F])
        #expect(Self.wordGuard.heldBackBytes(after: [c, 0xC3, 0xA9]).isEmpty)
        #expect(Self.wordGuard.heldBackBytes(after: [c, Self.id("imalist")]).isEmpty)
        #expect(Self.wordGuard.heldBackBytes(after: []).isEmpty)
    }

    @Test func aCompletionContinuesThePromptsLastWord() {
        #expect(Self.wordGuard.allows(Self.id("ts"), after: "", context: "Three plo"))
        #expect(!Self.wordGuard.allows(Self.id("tim"), after: "", context: "Three plo"))
        #expect(Self.wordGuard.allows(Self.id("t"), after: "o", context: "Three pl"))
    }

    /// Logits over the vocabulary: −∞ except the given tokens.
    static func logits(_ values: [TokenID: Float]) -> [Float] {
        var logits = [Float](repeating: -.infinity, count: tokenizer.vocabularySize)
        for (token, value) in values { logits[Int(token)] = value }
        return logits
    }

    /// Sampling settings with top-k `keep`, top-p `topP`, temperature 1.
    static func settings(keep: Int, topP: Float = 1) -> SamplingSettings {
        var settings = SamplingSettings()
        settings.temperature = 1
        settings.topK = keep
        settings.topP = topP
        return settings
    }

    static func bans(_ values: [TokenID: Float], after text: String, keep: Int, topP: Float = 1) -> Set<TokenID> {
        Set(logits(values).withUnsafeBufferPointer { wordGuard.tokensToBan(logits: $0, after: text, settings: settings(keep: keep, topP: topP)) })
    }

    @Test func tokensFarBelowTheBestAreLeftAloneOnceTheDrawIsSettled() {
        let values: [TokenID: Float] = [Self.id("tim"): 5, Self.id("t"): 4, Self.id(" "): 3, Self.id("ts"): 2, Self.id("x"): -40]
        // After "plo": tim and " " fail; t and ts pass. With top-k 2 (or 1) nothing below them can
        // be drawn, so "x", far below, is not checked.
        #expect(Self.bans(values, after: "The plo", keep: 2) == [Self.id("tim"), Self.id(" ")])
        #expect(Self.bans(values, after: "The plo", keep: 1) == [Self.id("tim"), Self.id(" ")])
        // Without top-k every token may be drawn: every token is checked.
        #expect(Self.bans(values, after: "The plo", keep: 0) == [Self.id("tim"), Self.id(" "), Self.id("x")])
    }

    @Test func checkingStopsWhereTopPStops() {
        // After "plo" the model wants "tim" (banned); "t" passes and holds nearly all the rest of the
        // probability. Hundreds of unlikely tokens follow; "x", far below, would fail.
        var values: [TokenID: Float] = [:]
        for id in 0..<256 { values[TokenID(id)] = -20 }
        values[Self.id("tim")] = 12
        values[Self.id("t")] = 10
        values[Self.id("x")] = -100
        let nucleus = Self.bans(values, after: "The plo", keep: 40, topP: 0.95)
        #expect(nucleus.contains(Self.id("tim")) && !nucleus.contains(Self.id("t")))
        // Top-p 0.95 stops after "t" whatever the 38 more that top-k could take hold: "x" and the
        // byte tokens far below are out of reach, unchecked.
        #expect(!nucleus.contains(Self.id("x")) && nucleus.count < 10)
        // Top-p 1 may reach any token among the best 40 that pass: every token is checked.
        let all = Self.bans(values, after: "The plo", keep: 40, topP: 1)
        #expect(all.isSuperset(of: nucleus.union([Self.id("x")])) && all.count > 200 && !all.contains(Self.id("t")))
        // Greedy: one token that passes settles it.
        var greedy = Self.settings(keep: 40)
        greedy.temperature = 0
        let greedyBans = Set(Self.logits(values).withUnsafeBufferPointer { Self.wordGuard.tokensToBan(logits: $0, after: "The plo", settings: greedy) })
        #expect(greedyBans.contains(Self.id("tim")) && !greedyBans.contains(Self.id("x")))
    }

    @Test func neverMasksEverything() {
        // Nothing passes after "plo" but "tim" and " ": the word is let go, so " " may end it.
        #expect(Self.bans([Self.id("tim"): 2, Self.id(" "): 1], after: "The plo", keep: 40) == [Self.id("tim")])
        // Only a token that grows the word is left: nothing is banned.
        #expect(Self.bans([Self.id("tim"): 2], after: "The plo", keep: 40).isEmpty)
        // A word that is already unlisted may end (unchecked) but not grow.
        #expect(Self.allowed(after: "Plotim", ["alist", " ", ".", " brew", " plotimalist"])
                == ["alist": false, " ": true, ".": true, " brew": true, " plotimalist": false])
    }

    static func logits(size: Int) -> [Float] {
        var random = SeededRandom(seed: 9)
        return (0..<size).map { _ in random.nextGaussian() }
    }

    @Test func theTopSetHoldsEveryLogitFromItsFloorUp() {
        var random = SeededRandom(seed: 4)
        var top = TopLogits()
        for size in [1000, 1007, 3, 4096] {
            // Quarter steps, so that ties are common; every seventh banned.
            var logits = (0..<size).map { _ in (random.nextGaussian() * 12).rounded() / 4 }
            for i in stride(from: 0, to: size, by: 7) { logits[i] = -.infinity }
            for (wanted, lowest, upper) in [(64, -Float.infinity, Float.infinity), (256, -5, 1), (5, -100, 0), (1, -.infinity, .infinity), (64, 2, .infinity)] {
                logits.withUnsafeBufferPointer { top.collect($0, wanted: wanted, from: lowest, below: upper) }
                let inRange = logits.indices.filter { logits[$0] > -.infinity && logits[$0] >= lowest && logits[$0] < upper }
                #expect(Array(top.tokens).sorted() == inRange.filter { logits[$0] >= top.floor }.map { TokenID($0) })
                #expect(top.count >= min(wanted, inRange.count))
                // Above the floor at most twice `wanted` (ties at the floor may add more).
                #expect(top.tokens.filter { logits[Int($0)] > top.floor }.count <= 2 * wanted)
                #expect(zip(top.tokens, top.values).allSatisfy { logits[Int($0.0)] == $0.1 })
            }
        }
        #expect(Self.logits(size: 1007).withUnsafeBufferPointer { TopLogits.maximum($0) } == Self.logits(size: 1007).max())
        var values: [Float] = [3, 1, 4, 1, 5, 9, 2, 6]
        values.withUnsafeMutableBufferPointer { v in
            #expect(TopLogits.select(v, rank: 0) == 9 && TopLogits.select(v, rank: 2) == 5 && TopLogits.select(v, rank: 7) == 1)
        }
    }
}

/// The guard with the shipped tokenizer and the shipped corpus's words, on logits that want an
/// invented word and on a tiny random model pushed toward its pieces.
@Suite struct WordGuardDecodingTests {
    static let tokenizer = Fixture.tokenizer

    /// The finished words of `text` that `allowed` does not list (units after digits excepted).
    static func unlisted(_ text: String, allowed: WordList) -> [String] {
        WordScanner.words(in: text).filter { !$0.isUnit && !allowed.contains($0.text) }.map(\.text)
    }

    /// Greedy decoding from a stand-in model that wants to write " plotimalist." after the prompt:
    /// every token that spells the next piece of it gets +10 (more for longer pieces) over small
    /// seeded noise. The guard, if any, bans before the pick, as in `Generator`.
    static func writePushed(guardedBy wordGuard: WordGuard?) -> String {
        let target = Array(" plotimalist.".utf8)
        var text = "Meet the"
        var random = SeededRandom(seed: 9)
        var written = 0  // bytes of the target written so far
        for _ in 0..<12 {
            var logits = (0..<tokenizer.vocabularySize).map { _ in random.nextUniform() }
            for id in 0..<tokenizer.vocabularySize where !tokenizer.isSpecialToken(TokenID(id)) {
                let bytes = tokenizer.bytes(of: TokenID(id))
                if !bytes.isEmpty && target[written...].starts(with: bytes) { logits[id] += 10 + Float(bytes.count) }
            }
            for special in tokenizer.specialTokens { logits[Int(special.id)] = -.infinity }
            if let wordGuard {
                var greedy = SamplingSettings()
                greedy.temperature = 0
                let bans = logits.withUnsafeBufferPointer { wordGuard.tokensToBan(logits: $0, after: text, settings: greedy) }
                for token in bans { logits[Int(token)] = -.infinity }
            }
            let best = logits.indices.max { logits[$0] < logits[$1] }!
            let bytes = tokenizer.bytes(of: TokenID(best))
            written = target[written...].starts(with: bytes) ? written + bytes.count : 0
            text += String(decoding: bytes, as: UTF8.self)
            if written == target.count { break }
        }
        return text
    }

    @Test func logitsPushedTowardAnInventedWordWriteAListedWordInstead() throws {
        let words = Fixture.corpusWords
        try #require(!words.contains("plotimalist") && words.count > 10_000)
        // Unguarded, the push spells the invented word: the test can fail.
        #expect(Self.writePushed(guardedBy: nil) == "Meet the plotimalist.")

        let guarded = Self.writePushed(guardedBy: WordGuard(words: words, tokenizer: Self.tokenizer))
        #expect(!guarded.lowercased().contains("plotimal"), "\(guarded.debugDescription)")
        #expect(Self.unlisted(TextBoundaries.droppingUnfinishedWord(guarded), allowed: words).isEmpty, "\(guarded.debugDescription)")
        #expect(WordScanner.words(in: guarded).count >= 3, "\(guarded.debugDescription)")

        // A user's own word is written like any listed word.
        let listed = Self.writePushed(guardedBy: WordGuard(words: words.adding(["Plotimalist"]), tokenizer: Self.tokenizer))
        #expect(listed == "Meet the plotimalist.")
    }

    /// A bias toward every token of "plotimalist" in the ways a post might write it.
    static let pushTowardPieces: [TokenID: Float] = {
        var bias: [TokenID: Float] = [:]
        for text in [" plotimalist", "#Plotimalist", "plotimalist", " Plotimalist"] {
            for token in tokenizer.encode(text) { bias[token] = 4 }
        }
        return bias
    }()

    @Test func aRandomModelPushedTowardThePiecesWritesOnlyListedWords() throws {
        var settings = SamplingSettings()
        settings.logitBias = Self.pushTowardPieces
        settings.seed = 3
        settings.maxNewTokens = 48
        let header = ConditioningFormat.header(topic: "desk lamp", platform: "x", tone: "playful", tokenizer: Self.tokenizer,
                                               controls: try ConditioningFormat.ControlTokens(tokenizer: Self.tokenizer))
        let generator = try Generator(model: Fixture.model.parameters, tokenizer: Self.tokenizer, batchCapacity: 8, threads: 1)
        let words = Fixture.corpusWords

        // Unguarded, the pieces run together into invented words ("plimal", "Plistot"): the test can fail.
        let free = try generator.generate(prompts: [header], settings: settings, count: 8)
        #expect(free.allSatisfy { Self.unlisted(TextBoundaries.droppingUnfinishedWord($0.text), allowed: words).contains { $0.contains("imal") || $0.contains("pl") } })

        let wordGuard = WordGuard(words: words, tokenizer: Self.tokenizer)
        let guarded = try generator.generate(prompts: [header], settings: settings, count: 8,
                                             control: { step in wordGuard.restrict(step, settings: settings) })
        var wordsWritten = 0
        for sequence in guarded {
            // A token limit may cut the last word short: only finished words count.
            let finished = sequence.stopReason == .endOfText ? sequence.text : TextBoundaries.droppingUnfinishedWord(sequence.text)
            #expect(Self.unlisted(finished, allowed: wordGuard.words).isEmpty, "\(sequence.text.debugDescription)")
            wordsWritten += WordScanner.words(in: finished).count
        }
        #expect(wordsWritten > 40)
    }

    @Test func everyTokenTheSamplerCanStillDrawPasses() throws {
        // The guard checks only as far down as top-k and top-p reach. Replay the sampler on the
        // masked logits of every step and check each token it keeps against the guard itself.
        let wordGuard = WordGuard(words: Fixture.corpusWords, tokenizer: Self.tokenizer)
        let header = ConditioningFormat.header(topic: "linen bed sheets", platform: "instagram", tone: "luxury", tokenizer: Self.tokenizer,
                                               controls: try ConditioningFormat.ControlTokens(tokenizer: Self.tokenizer))
        let generator = try Generator(model: Fixture.model.parameters, tokenizer: Self.tokenizer, batchCapacity: 8, threads: 1)
        for (temperature, topK, topP) in [(Float(0.9), 40, Float(0.95)), (1.2, 10, 0.8), (0.7, 40, 1), (1, 0, 0.9)] {
            var settings = SamplingSettings()
            settings.temperature = temperature
            settings.topK = topK
            settings.topP = topP
            settings.seed = 11
            settings.maxNewTokens = 40
            settings.logitBias = Self.pushTowardPieces
            var steps = 0, kept = 0
            _ = try generator.generate(prompts: [header], settings: settings, count: 4, control: { step in
                wordGuard.restrict(step, settings: settings)
                var logits = Array(step.logits)
                var candidates: [Candidate] = []
                logits.withUnsafeMutableBufferPointer { LogitProcessors.candidates($0, temperature: temperature, into: &candidates) }
                LogitProcessors.topK(&candidates, topK)
                LogitProcessors.softmax(&candidates)
                LogitProcessors.topP(&candidates, topP)
                let heldBack = wordGuard.heldBackBytes(after: step.generated)
                let failing = candidates.filter { !wordGuard.allows($0.token, after: step.text, heldBack: heldBack) }
                // (When nothing passes the guard lets the word go: then failures may stay.)
                let anyPass = (0..<logits.count).contains { logits[$0] > -.infinity && wordGuard.allows(TokenID($0), after: step.text, heldBack: heldBack) }
                #expect(failing.isEmpty || !anyPass, "\(step.text.debugDescription): \(failing.map(\.token))")
                steps += 1
                kept += candidates.count
            })
            #expect(steps > 100 && kept > steps)
        }
    }

    @Test func postsKeepToTheListAndTheTopic() throws {
        var request = CaptionRequest(topic: "zorbly desk lamp", platform: "x", tone: "playful", count: 3, seed: 5)
        request.logitBias = Self.pushTowardPieces
        let allowed = Fixture.corpusWords.adding(CaptionGenerator.topicWords(request.topic))
        let unguarded = try Fixture.generator().generate(request)
        #expect(unguarded.posts.contains { !Self.unlisted($0.draft, allowed: allowed).isEmpty })

        let result = try Fixture.generator(allowedWords: Fixture.corpusWords).generate(request)
        #expect(result.posts.count == 3)
        for post in result.posts {
            #expect(Self.unlisted(post.draft, allowed: allowed).isEmpty, "\(post.draft.debugDescription)")
        }
        // The same request and seed give the same posts with the guard too.
        #expect(try Fixture.generator(allowedWords: Fixture.corpusWords).generate(request) == result)
    }

    /// Widening a built guard with a topic's words gives the guard built over the wider list.
    @Test func addingWordsMatchesAGuardBuiltWithThem() {
        for list in [WordList(["the", "a", "and", "lamp", "for", "new"]), Fixture.corpusWords] {
            let base = WordGuard(words: list, tokenizer: Self.tokenizer)
            var changed = 0
            for topic in ["cold brew coffee", "zorbly lamp", "AI-powered CRM for dentists", "naïve café crème", "handmade soap"] {
                let words = CaptionGenerator.topicWords(topic)
                let widened = base.adding(words)
                let built = WordGuard(words: list.adding(words), tokenizer: Self.tokenizer)
                #expect(widened.words == built.words, "\(topic)")
                #expect(widened.passesAfterBreak == built.passesAfterBreak, "\(topic)")
                if widened.passesAfterBreak != base.passesAfterBreak { changed += 1 }
            }
            // With the short list, every topic but the one it already holds lets new tokens through.
            if list.count < 10 { #expect(changed >= 4) }
        }
    }

    /// The names of names.txt, and their possessives, are not words a post may use unless asked.
    @Test func postWordsLeaveOutNamesAndTheirPossessives() throws {
        let model = Fixture.model
        let words = WordList(["fresh", "coffee", "meridian", "meridian's", "portland", "coffee's"])
        var named = CaptionModel(directory: model.directory, config: model.config, parameters: model.parameters, tokenizer: model.tokenizer,
                                 regurgitationIndex: nil, wordList: words, names: WordList(["meridian", "portland"]))
        #expect(named.postWords()?.words == ["coffee", "coffee's", "fresh"])
        #expect(named.postWords(allowingNames: true) == words)
        named.attach(words, names: nil)
        #expect(named.postWords() == words)
        let bare = CaptionModel(directory: model.directory, config: model.config, parameters: model.parameters, tokenizer: model.tokenizer,
                                regurgitationIndex: nil)
        #expect(bare.postWords() == nil)
    }

    /// A completion may repeat its prompt's words (names included), but a last word the prompt
    /// leaves unfinished is only a start to finish into a listed word.
    @Test func aCompletionsPromptWordsJoinTheList() {
        let base = WordGuard(words: WordList(["the", "a", "lamp", "for"]), tokenizer: Self.tokenizer)
        let widened = base.addingWords(ofPrompt: "Visit Fernhollow for the zorbly lam")
        #expect(widened.words == base.words.adding(["visit", "fernhollow", "zorbly"]))
        #expect(base.addingWords(ofPrompt: "Visit Fernhollow. ").words.contains("fernhollow"))
        #expect(base.addingWords(ofPrompt: "lamp").words == base.words)
        #expect(base.addingWords(ofPrompt: "").words == base.words)
    }

    @Test func topicWordsIncludeRunsForOneCaseHashtags() {
        #expect(CaptionGenerator.topicWords("Cold brew coffee") == ["cold", "brew", "coffee", "coldbrew", "brewcoffee", "coldbrewcoffee"])
        #expect(CaptionGenerator.topicWords("5ml vials") == ["vials"])
        let wordGuard = WordGuard(words: WordList(["the"]).adding(CaptionGenerator.topicWords("zorbly lamp")), tokenizer: Self.tokenizer)
        #expect(wordGuard.words.contains("zorblylamp") && wordGuard.words.contains("zorbly"))
    }
}

@Suite struct InventedWordsTests {
    static let dictionary = WordList(["at", "bake", "make", "try", "happy", "run", "cold", "brew", "coffee", "nice", "dog", "don't", "plot", "the"])

    @Test func inflectionsOfDictionaryWordsAreKnown() {
        for word in ["baking", "baked", "bakes", "tries", "tried", "happily", "running", "nicer", "nicest", "dogs", "dog's", "dogs'", "plots", "plotting", "don't"] {
            #expect(InventedWords.isKnown(word, dictionary: Self.dictionary), "\(word)")
        }
        for word in ["plotimalist", "brewity", "coffeex", "strokenity", "s", "ing"] {
            #expect(!InventedWords.isKnown(word, dictionary: Self.dictionary), "\(word)")
        }
    }

    @Test func countsLowerCaseWordsAndHashtagPartsOnly() {
        let check = InventedWords.check("Plotimalist makes cold brewity at 5pm. #ColdBrewity #Plotimalist @zorb", dictionary: Self.dictionary)
        // Counted: makes, cold, brewity, at, cold, brewity, plotimalist (the capitalised first word is a name).
        #expect(check.counted == 7)
        #expect(check.invented == ["brewity", "brewity", "plotimalist"])
    }

    @Test func oneCaseHashtagsThatSplitIntoWordsAreKnown() {
        let check = InventedWords.check("#coldbrewcoffee #trytheplot #coldbrewity #plotx #ingplot dogs", dictionary: Self.dictionary)
        #expect(check.counted == 6)
        #expect(check.invented == ["coldbrewity", "plotx", "ingplot"])
        // Outside a hashtag, words written together stay invented.
        #expect(InventedWords.check("coldbrewcoffee", dictionary: Self.dictionary).invented == ["coldbrewcoffee"])
    }
}

@Suite struct UnaskedNameTests {
    @Test func capitalizedWordsInsideSentencesThatTheTopicDoesNotGive() {
        let text = "Meet Pine Valley Acres. Our lamps ship Monday from Portland, and I'm sure I love Lamp Day! #DeskLamp 🌿 Fresh"
        let names = QualityEvaluation.unaskedNames(in: text, topicWords: Set(CaptionGenerator.topicWords("desk lamp")))
        // Not: Meet, Our (sentence starts), I and I'm (one letter), Lamp (the topic's), DeskLamp (a tag), Fresh (after an emoji).
        #expect(names == ["acres", "day", "monday", "pine", "portland", "valley"])
        #expect(QualityEvaluation.unaskedNames(in: "Fresh lamps for your desk.", topicWords: []).isEmpty)
        // A topic word's possessive is the topic's word; another word's is a name.
        let possessives = QualityEvaluation.unaskedNames(in: "Visit the Lamp's shop and the Lamp’s twin, or Fern's.",
                                                        topicWords: Set(CaptionGenerator.topicWords("desk lamp")))
        #expect(possessives == ["fern's"])
    }
}

@Suite struct DoubledWordTests {
    @Test func wordsWrittenTwiceInARowWithOnlyWhiteSpaceBetween() {
        #expect(QualityEvaluation.doubledWords(in: "Summer summer camp, camp\ncamp! Kids' kids' day. Day") == ["summer", "camp", "kids'"])
        #expect(QualityEvaluation.doubledWords(in: "summer camp summer, summer-summer 3 3").isEmpty)
    }
}

@Suite struct QualityInventedWordTests {
    @Test func inventedWordFiguresOnlyWithADictionary() throws {
        let generator = try Fixture.generator(allowedWords: Fixture.corpusWords)
        generator.measuresTime = true
        let topics = ["desk lamp", "wool felt slippers"]
        let without = try QualityEvaluation.run(generator: generator, topics: topics, platforms: ["x"], tones: ["playful"], count: 2, seed: 1)
        #expect(without.dictionary["invented_word_share"] == nil && without.dictionary["posts_without_invented_share"] == nil)
        #expect(without.wordGuardSteps > 0 && without.wordGuardSeconds > 0 && without.decodingSeconds > without.wordGuardSeconds)

        // Against a dictionary of the corpus's words, a guarded post invents nothing but what the
        // topic brings; against a tiny one, nearly everything is "invented".
        let corpus = try QualityEvaluation.run(generator: generator, topics: topics, platforms: ["x"], tones: ["playful"], count: 2, seed: 1,
                                               dictionary: Fixture.corpusWords.adding(topics.flatMap(CaptionGenerator.topicWords)))
        #expect(corpus.inventedWordShare == 0 && corpus.postsWithoutInventedShare == 1 && (corpus.countedWords ?? 0) > 10)
        let tiny = try QualityEvaluation.run(generator: generator, topics: topics, platforms: ["x"], tones: ["playful"], count: 2, seed: 1,
                                             dictionary: WordList(["the"]))
        #expect((tiny.inventedWordShare ?? 0) > 0.5 && tiny.dictionary["invented_examples"] != nil)
    }

    /// A temperature given to the evaluation replaces the tones': at 0 sampling is greedy, so two
    /// seeds write the same drafts (the model's text; the call to action is chosen by the seed),
    /// which they do not at the tones' own temperatures.
    @Test func temperatureReplacesTheTones() throws {
        let generator = try Fixture.generator(allowedWords: Fixture.corpusWords)
        func posts(seed: UInt64, temperature: Float?) throws -> [String] {
            var texts: [String] = []
            _ = try QualityEvaluation.run(generator: generator, topics: ["desk lamp"], platforms: ["x"], tones: ["playful"],
                                          count: 2, seed: seed, temperature: temperature, onPost: { _, _, _, post in texts.append(post.draft) })
            return texts
        }
        #expect(try posts(seed: 1, temperature: 0) == posts(seed: 2, temperature: 0))
        #expect(try posts(seed: 1, temperature: nil) != posts(seed: 2, temperature: nil))
    }
}
