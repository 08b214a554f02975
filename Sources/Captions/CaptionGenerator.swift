import Corpus
import Generation
import SafetyFilter
import Support
import Tokenizer

/// Writes finished posts: a topic, platform and tone in; `count` posts out, each within the
/// platform's limit, clean by the safety filter, not copied from the training captions, best first.
///
///     let model = try CaptionModel.load(directory: "Models/default")
///     let generator = try CaptionGenerator(model: model, prompts: try PromptLibrary.load(directory: "Prompts"))
///     let result = try generator.generate(CaptionRequest(topic: "cold brew coffee", platform: "x", tone: "urgent", count: 3, seed: 7))
///
/// How one request runs:
/// 1. The header (`ConditioningFormat.header`) is fed once per candidate; candidates decode together
///    as one batch. The first round draws 2 × count candidates; each later round draws twice the
///    shortfall; at most `maximumCandidatesPerPost` × count candidates in all (`drawLimit`).
/// 2. The sampler gets `topicBoost` (default 3) added to the logits of the tokens that start the
///    topic's words (`topicTokens`): a small model seldom mentions a topic it never saw otherwise
///    (`copygen bench quality` measures how often it does; Benchmarks/results/README.md).
///    Once a post holds `boostedMentions` (3) of those tokens, they are banned for the rest of it,
///    so that the bonus cannot turn into repetition; a word begun by one may only become a topic
///    word ("camp" not "campaign"), and outside a hashtag no word runs the topic's words together
///    ("campinglantern"; `TopicWordGuard`). While decoding, a `control` hook stops a
///    candidate once its text reaches the character budget (the platform's limit less room for
///    the template's call to action and hashtags) and bans the tokens that would complete a banned
///    word (`BannedWordGuard`), state a number the topic does not give, in digits or in words
///    (`NumberGuard`, `NumberWordGuard`, unless `anyNumber`), capitalize inside a sentence a word
///    the topic and `ownWords` do not give (`CapitalGuard`, unless `anyName`), write a word twice
///    in a row (`RepeatedWordGuard`) and, given `allowedWords`, last, write a word not in that
///    list or the topic (`WordGuard`).
/// 3. Each finished candidate: an unfinished last word is dropped (when the budget, not the
///    model, ended it) and the text is cut at a sentence or word boundary to the budget; a
///    candidate repeating 12 consecutive tokens of a training caption is rejected; the template
///    is filled (`PostAssembler`); the post must pass `SafetyFilter`: profanity drops it, bias
///    findings that all have a replacement are fixed and the post re-checked, others drop it.
/// 4. The accepted posts are ranked by `CaptionScore` and the best `count` returned.
///
/// Deterministic: the same model, prompts, request and seed give the same posts.
public final class CaptionGenerator {
    /// The most posts one request may ask for.
    public static let maximumCount = 50
    /// Candidates drawn per requested post, at most, before giving up on rejections.
    public static let maximumCandidatesPerPost = 8
    /// The default `CaptionRequest.topicBoost`: the largest boost that raised topic mentions
    /// without doubling words ("leather leather") in `copygen bench quality`
    /// (Benchmarks/results/README.md, "Measured choices").
    public static let defaultTopicBoost: Float = 3
    /// How many boosted topic tokens a post may hold; after that they are banned for the post.
    static let boostedMentions = 3
    /// The largest share of the context the topic may take (the rest is the post's room).
    static let topicShareOfContext = 4

    public let model: CaptionModel
    public let prompts: PromptLibrary
    public let filter: SafetyFilter
    public let wordGuard: BannedWordGuard
    /// The words posts may use (with each request's topic words added), or nil for any word.
    public let allowedWords: WordList?
    /// The guard over `allowedWords`, built once: each request widens it with its topic's words.
    public let listedWordGuard: WordGuard?
    /// Keep posts to the numbers their topic gives, in digits and in words, or nil for any number.
    public let numberGuard: NumberGuard?
    public let numberWordGuard: NumberWordGuard?
    /// Keeps capitals inside a sentence to the topic's and `ownWords`' words, or nil for any (`anyName`).
    public let capitalGuard: CapitalGuard?
    /// Keeps a post from writing a word twice in a row.
    public let repeatedWordGuard: RepeatedWordGuard
    /// Every token as a piece of a word, for `capitalGuard` and each request's `TopicWordGuard`.
    let wordPieces: WordPieces
    /// Decodes the candidates: a `Generator` of its own, or a share of a server's scheduler.
    let generator: any SequenceDecoding
    let controls: ConditioningFormat.ControlTokens
    /// When set, `decodingSeconds` and `wordGuardSeconds` add up the CPU time the calling thread
    /// spends decoding candidates and, of that, in the word guard (`copygen bench quality`: the
    /// guard's cost, measured in the same run and unmoved by other processes; with one thread all
    /// decoding work runs on the calling thread). Off by default: it reads a clock twice a token.
    public var measuresTime = false
    public private(set) var decodingSeconds = 0.0
    public private(set) var wordGuardSeconds = 0.0
    /// How many draws the word guard checked while measuring (one per token of each candidate).
    public private(set) var wordGuardSteps = 0

    /// - Parameters:
    ///   - extraLexicon: a user's own banned words, added to the built-in lexicon for both the
    ///     sampler's bans and the final check.
    ///   - allowedWords: when given, the only words a post may use, besides the topic's own
    ///     (`WordGuard`): the model's `words.txt` with a user's own words added. nil allows any word.
    ///   - anyNumber: let posts state numbers their topic does not give (`NumberGuard` and
    ///     `NumberWordGuard` off).
    ///   - anyName: let posts capitalize words inside sentences that their topic does not give
    ///     (`CapitalGuard` off).
    ///   - ownWords: a user's own words (brand and product names), which posts may capitalize.
    ///   - batchCapacity: candidates decoded together at most.
    public convenience init(model: CaptionModel, prompts: PromptLibrary, extraLexicon: [LexiconEntry] = [], allowedWords: WordList? = nil,
                            anyNumber: Bool = false, anyName: Bool = false, ownWords: WordList? = nil,
                            batchCapacity: Int = 16, threads: Int = 2) throws {
        let generator = try Generator(model: model.parameters, tokenizer: model.tokenizer, batchCapacity: batchCapacity, threads: threads)
        try self.init(model: model, prompts: prompts, extraLexicon: extraLexicon, allowedWords: allowedWords, anyNumber: anyNumber,
                      anyName: anyName, ownWords: ownWords, decoder: generator)
    }

    /// A generator whose candidates are decoded by `decoder` (e.g. a `ScheduledDecoder`, which
    /// shares one model among many requests). `generate` may then be called from several threads
    /// at once, each passing its own decoder, as long as `measuresTime` stays off.
    public init(model: CaptionModel, prompts: PromptLibrary, extraLexicon: [LexiconEntry] = [], allowedWords: WordList? = nil,
                anyNumber: Bool = false, anyName: Bool = false, ownWords: WordList? = nil, decoder: any SequenceDecoding) throws {
        self.model = model
        self.prompts = prompts
        self.allowedWords = allowedWords
        listedWordGuard = allowedWords.map { WordGuard(words: $0, tokenizer: model.tokenizer) }
        numberGuard = anyNumber ? nil : NumberGuard(tokenizer: model.tokenizer)
        numberWordGuard = anyNumber ? nil : NumberWordGuard(tokenizer: model.tokenizer)
        wordPieces = WordPieces(tokenizer: model.tokenizer)
        capitalGuard = anyName ? nil : CapitalGuard(table: wordPieces, allowed: ownWords ?? WordList([String]()))
        repeatedWordGuard = RepeatedWordGuard(tokenizer: model.tokenizer)
        filter = try SafetyFilter(extraLexicon: extraLexicon)
        wordGuard = BannedWordGuard(entries: try SafetyFilter.builtInLexicon() + extraLexicon, tokenizer: model.tokenizer)
        generator = decoder
        controls = try ConditioningFormat.ControlTokens(tokenizer: model.tokenizer)
    }

    /// The most candidates a request for `count` posts decodes.
    public static func drawLimit(count: Int) -> Int { count * maximumCandidatesPerPost }

    /// The most tokens a topic may have for this model.
    public var maximumTopicTokens: Int { max(1, model.config.contextLength / Self.topicShareOfContext) }

    /// `topic` trimmed, with runs of whitespace (newlines included) made one space, and shortened at
    /// a word boundary to `maximumTopicTokens`; whether it was shortened. Throws for an empty topic.
    public func prepareTopic(_ topic: String) throws -> (topic: String, truncated: Bool) {
        let words = topic.split(whereSeparator: { $0.isWhitespace || $0.isNewline })
        guard !words.isEmpty else { throw CaptionError.emptyTopic }
        let clean = words.joined(separator: " ")
        let limit = maximumTopicTokens
        if model.tokenizer.encode(clean).count <= limit { return (clean, false) }
        var kept = ""
        for word in words {
            let next = kept.isEmpty ? String(word) : kept + " " + word
            if model.tokenizer.encode(next).count > limit { break }
            kept = next
        }
        if kept.isEmpty {
            // One word longer than the limit: keep whole characters while they fit.
            for character in words[0] where model.tokenizer.encode(kept + String(character)).count <= limit {
                kept.append(character)
            }
        }
        return (kept, true)
    }

    /// Writes the posts for `request`. Throws for an empty topic, unknown platform or tone
    /// (`UnknownNameError`, listing the known ones) or invalid settings. Returns fewer posts than
    /// asked only when `drawLimit` candidates were decoded and too few passed. `decoder`, when
    /// given, decodes this request's candidates instead of the generator's own.
    public func generate(_ request: CaptionRequest, decoder: (any SequenceDecoding)? = nil) throws -> CaptionResult {
        let generator = decoder ?? self.generator
        guard (1...Self.maximumCount).contains(request.count) else { throw CaptionError.invalidCount(request.count) }
        let rules = try prompts.platform(request.platform)
        let tone = try prompts.tone(request.tone)
        let (topic, truncated) = try prepareTopic(request.topic)
        let template = request.template ?? prompts.templates[rules.template]!
        guard template.layout.contains("{post}") else { throw CaptionError.templateWithoutPost(template.name) }

        var settings = SamplingSettings()
        settings.temperature = request.temperature ?? Float(tone.temperature)
        settings.topP = request.topP ?? 0.95
        if let problem = SamplingSettings.temperatureProblem(settings.temperature) ?? SamplingSettings.topPProblem(settings.topP) {
            throw CaptionError.invalidSampling(problem)
        }
        settings.logitBias = request.logitBias
        let boosted = request.topicBoost != 0 ? topicTokens(topic) : []
        for token in boosted { settings.logitBias[token, default: 0] += request.topicBoost }
        settings.bannedTokens = wordGuard.alwaysBanned

        let header = ConditioningFormat.header(topic: topic, platform: rules.name, tone: tone.name,
                                               tokenizer: model.tokenizer, controls: controls)
        let assembler = PostAssembler(rules: rules, template: template, topic: topic, extraHashtags: tone.hashtags)
        // The longest call to action sets the budget, so that whichever one a post gets fits.
        let longestCallToAction = tone.callsToAction.max { rules.characterCount($0) < rules.characterCount($1) } ?? ""
        let budget = assembler.textBudget(callToAction: longestCallToAction)
        // Characters are at least as many as tokens only roughly; the budget hook is what binds.
        settings.maxNewTokens = max(1, min(model.config.contextLength - header.count, budget))

        let listedWords = listedWordGuard?.adding(Self.topicWords(topic))
        let numbers = numberGuard?.allowing(numbersIn: topic)
        let numberWords = numberWordGuard?.allowing(numbersIn: topic)
        let capitals = capitalGuard?.allowing(wordsOf: topic)
        let repeats = repeatedWordGuard
        let topicWordGuard = TopicWordGuard(table: wordPieces, boosted: boosted, topic: topic)

        var statistics = CandidateStatistics()
        var accepted: [(post: CaptionPost, order: Int)] = []
        var seenTexts = Set<String>()
        let limit = Self.drawLimit(count: request.count)
        var wanted = 2 * request.count
        while accepted.count < request.count && statistics.drawn < limit {
            let draws = min(wanted, limit - statistics.drawn)
            var roundSettings = settings
            roundSettings.seed = request.seed &+ UInt64(statistics.rounds) &* 0xD1B5_4A32_D192_ED03
            let measuring = measuresTime
            let decodingStart = measuring ? Clock.threadCPUNanoseconds() : 0
            var guardNanoseconds: UInt64 = 0, guardCalls: UInt64 = 0
            let sequences = try generator.generate(
                prompts: [header], settings: roundSettings, count: draws,
                control: { [wordGuard] step in
                    if rules.characterCount(step.text) >= budget { step.stop(); return }
                    step.ban(wordGuard.tokensToBan(after: step.text))
                    if let numbers { step.ban(numbers.tokensToBan(after: step.text)) }
                    if let numberWords { step.ban(numberWords.tokensToBan(after: step.text)) }
                    // The boost has done its work once the topic's words are in: banning them
                    // afterwards keeps the bonus from turning into repetition ("cold brew cold bre").
                    if !boosted.isEmpty, step.generated.lazy.filter(boosted.contains).count >= Self.boostedMentions {
                        step.ban(boosted)
                    }
                    // The word list last, so that the tokens it lets through are the ones the
                    // sampler sees. A capital, a doubled word or a topic word turned into another
                    // is a matter of style and a listed word is not: those bans give way, the
                    // topic word's first and the capital's last, when they would leave the list
                    // nothing to accept.
                    let capitalBans = capitals?.tokensToBan(after: step.text) ?? []
                    let repeatBans = repeats.tokensToBan(after: step.text, lastToken: step.generated.last)
                    let topicWordBans = topicWordGuard.tokensToBan(after: step.generated, text: step.text)
                    step.ban(capitalBans, unlessItBlocks: { step in
                        step.ban(repeatBans, unlessItBlocks: { step in
                            step.ban(topicWordBans, unlessItBlocks: { step in
                                guard let listedWords else { return step.logits.contains { $0 > -.infinity } }
                                guard measuring else { return listedWords.restrict(step, settings: roundSettings) }
                                let start = Clock.threadCPUNanoseconds()
                                let passed = listedWords.restrict(step, settings: roundSettings)
                                guardNanoseconds += Clock.threadCPUNanoseconds() - start
                                guardCalls += 1
                                return passed
                            })
                        })
                    })
                }, onToken: nil, onFinish: nil)
            if measuring {
                // Less the clock's own cost: each guard call is timed by two readings.
                let reading = Clock.threadCPUReadingCost
                let decoding = Clock.threadCPUNanoseconds() - decodingStart
                decodingSeconds += Double(decoding - min(decoding, 2 * guardCalls * reading)) / 1e9
                wordGuardSeconds += Double(guardNanoseconds - min(guardNanoseconds, guardCalls * reading)) / 1e9
                wordGuardSteps += Int(guardCalls)
            }
            for sequence in sequences {
                let candidateNumber = statistics.drawn + sequence.sample
                let callToAction = tone.callsToAction.isEmpty ? ""
                    : tone.callsToAction[Int((request.seed &+ UInt64(candidateNumber) &* 0x9E37_79B9_7F4A_7C15) >> 33) % tone.callsToAction.count]
                switch review(sequence, topic: topic, budget: budget, assembler: assembler, callToAction: callToAction) {
                case .empty: statistics.empty += 1
                case .copy: statistics.copies += 1
                case .filtered: statistics.filtered += 1
                case .accepted(let post, let wasFixed):
                    if wasFixed { statistics.fixed += 1 }
                    if seenTexts.insert(post.text).inserted {
                        accepted.append((post, candidateNumber))
                    } else {
                        statistics.duplicates += 1
                    }
                }
            }
            statistics.drawn += draws
            statistics.rounds += 1
            wanted = 2 * max(1, request.count - accepted.count)
        }
        accepted.sort { $0.post.score != $1.post.score ? $0.post.score > $1.post.score : $0.order < $1.order }
        return CaptionResult(posts: accepted.prefix(request.count).map(\.post), topic: topic,
                             topicWasTruncated: truncated, statistics: statistics)
    }

    /// The topic's words, allowed in its posts whatever the word list says: each word, and each
    /// run of two to four neighbouring words written together, for one-case hashtags
    /// ("cold brew coffee" → cold, brew, coffee, coldbrew, brewcoffee, coldbrewcoffee).
    public static func topicWords(_ topic: String) -> [String] {
        let words = WordScanner.words(in: topic).filter { !$0.isUnit }.map(\.text)
        var result = words
        for length in 2...4 where words.count >= length {
            for start in 0...(words.count - length) { result.append(words[start..<(start + length)].joined()) }
        }
        return result
    }

    /// The tokens that start the topic's content words as a post would write them: the first
    /// token of " word", " Word", "word" and "Word", when it holds at least three of the word's
    /// letters (boosting a lone "C" or " d" would push every word that starts with it).
    public func topicTokens(_ topic: String) -> Set<TokenID> {
        var tokens = Set<TokenID>()
        for word in TopicMention.contentWords(of: topic) {
            let capitalized = word.prefix(1).uppercased() + word.dropFirst()
            for variant in [" " + word, " " + capitalized, word, capitalized] {
                guard let first = model.tokenizer.encode(variant).first,
                      let text = String(validating: model.tokenizer.bytes(of: first), as: UTF8.self),
                      text.filter(\.isLetter).count >= min(3, word.count) else { continue }
                tokens.insert(first)
            }
        }
        return tokens
    }

    enum Review {
        case empty, copy, filtered
        case accepted(CaptionPost, fixed: Bool)
    }

    /// Steps 3 of the pipeline for one candidate.
    func review(_ sequence: GeneratedSequence, topic: String, budget: Int, assembler: PostAssembler, callToAction: String) -> Review {
        let rules = assembler.rules
        let endedNaturally = sequence.stopReason == .endOfText
        // A replacement character marks bytes that were not whole UTF-8: never print one.
        let decoded = sequence.text.contains("\u{FFFD}") ? String(sequence.text.filter { $0 != "\u{FFFD}" }) : sequence.text
        var draft = endedNaturally ? TextBoundaries.trimmingTrailingWhitespace(decoded)
            : TextBoundaries.droppingUnfinishedWord(decoded)
        draft = TextBoundaries.cut(draft, toFit: budget, count: rules.characterCount)
        draft = draft.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !draft.isEmpty else { return .empty }

        if let index = model.regurgitationIndex,
           index.containsCopy(sequence.tokens) || index.containsCopy(model.tokenizer.encode(draft)) {
            return .copy
        }
        guard let assembly = assembler.assemble(draft: draft, callToAction: callToAction) else { return .empty }

        var text = assembly.text
        var fixedFindings: [Finding] = []
        let findings = filter.findings(in: text)
        if !findings.isEmpty {
            // Only bias findings that all have a replacement can be repaired; the repaired post
            // must then be clean and still fit.
            guard findings.allSatisfy({ $0.kind == .bias && !$0.suggestions.isEmpty }) else { return .filtered }
            let fixed = filter.fix(text)
            guard filter.isClean(fixed), rules.characterCount(fixed) <= rules.maxCharacters else { return .filtered }
            text = fixed
            fixedFindings = findings
        }
        let body = fixedFindings.isEmpty ? assembly.body : filter.fix(assembly.body)
        let score = CaptionScore.score(meanLogProbability: sequence.meanLogProbability, topic: topic, body: body,
                                       modelHashtagCount: assembly.modelHashtagCount, hashtagRange: rules.hashtags,
                                       endedNaturally: endedNaturally)
        let post = CaptionPost(text: text, characters: rules.characterCount(text), score: score, findings: fixedFindings,
                               draft: draft, body: body, mentionsTopic: TopicMention.mentions(topic: topic, in: body))
        return .accepted(post, fixed: !fixedFindings.isEmpty)
    }
}
