import Captions
import Corpus
import Foundation
import Support

/// The caption generator's quality figures (reported in Models/README.md), measured on
/// topics the corpus does not contain (Benchmarks/quality-topics.txt):
///
/// - topic mention: the share of posts whose body (the model's words, without the hashtag block
///   and call to action that copygen adds) mentions the topic, by `TopicMention` (a content word of
///   the topic or a word starting with its stem);
/// - distinct-2: distinct word bigrams over all word bigrams across the n posts of one topic
///   (1 = no bigram repeated), averaged over topics;
/// - within limits: the share of posts within their platform's limit, counted its way (must be 1);
/// - filter rejections: the share of topics for which at least one candidate was dropped by the
///   safety filter, and the share of all candidates dropped or fixed by it;
/// - invented words, given an independent dictionary (`InventedWords`): the share of the counted
///   words of the posts' drafts (the model's own text, its hashtags included) that are invented,
///   and the share of posts without any;
/// - unasked names: words capitalized inside a sentence of a draft (by `WordCounter`'s rules, the
///   ones that make `names.txt`) that are not the topic's, such as a made-up "Pine Valley Acres",
///   and the share of posts with one. A brand, place or day the topic did not give is a claim
///   nobody asked the post to make.
public enum QualityEvaluation {
    /// One topic a line; blank lines and lines starting with `#` are skipped.
    public static func loadTopics(path: String) throws -> [String] {
        let reader = try LineReader(path: path)
        var topics: [String] = []
        while let line = try reader.nextLine() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            topics.append(trimmed)
        }
        return topics
    }

    /// Distinct word bigrams over all word bigrams in `texts` (words lower-cased, bigrams not
    /// crossing texts); 1 when there are no bigrams.
    public static func distinct2(_ texts: [String]) -> Double {
        var all = 0
        var distinct = Set<String>()
        for text in texts {
            let words = TopicMention.words(of: text)
            guard words.count >= 2 else { continue }
            for i in 0..<(words.count - 1) {
                all += 1
                distinct.insert(words[i] + " " + words[i + 1])
            }
        }
        return all == 0 ? 1 : Double(distinct.count) / Double(all)
    }

    /// The words of `text` written twice in a row, white space alone between (lower-cased, once
    /// per doubling): "Summer summer camp" holds "summer".
    static func doubledWords(in text: String) -> [String] {
        var doubled: [String] = []
        var previous = "", current = "", onlySpaceSince = false
        for scalar in text.unicodeScalars + [" "] {
            let kind = WordScanner.classify(scalar)
            if kind.isLetter || kind == .mark || (kind == .apostrophe && !current.isEmpty) {
                current.unicodeScalars.append(scalar)
                continue
            }
            if !current.isEmpty {
                let word = current.lowercased()
                if onlySpaceSince && word == previous { doubled.append(word) }
                previous = word
                current = ""
                onlySpaceSince = true
            }
            if kind != .space { onlySpaceSince = false }
        }
        return doubled
    }

    /// The number words of `text` (`NumberWordGuard.values`, hashtag parts included) that
    /// `topic` does not give, lower-cased, each time it is written.
    static func unaskedNumberWords(in text: String, topic: String) -> [String] {
        let given = NumberWordGuard.givenWords(in: topic)
        return WordScanner.words(in: text).map(\.text).filter { NumberWordGuard.values[$0] != nil && !given.contains($0) }
    }

    /// The words of `text` capitalized inside its sentences (lower-cased, each time it is) that
    /// are not among `topicWords`; one-letter words ("I", "I'm") aside.
    static func unaskedNames(in text: String, topicWords: Set<String>) -> [String] {
        var counter = WordCounter(normalization: .none)
        counter.add(text)
        return counter.inSentence.sorted { $0.key < $1.key }.flatMap { word, seen in
            // A topic word's possessive ("Lavender's") is the topic's word, as the guard lets it be.
            var stem = word
            for suffix in ["'s", "’s"] where stem.hasSuffix(suffix) { stem = String(stem.dropLast(suffix.count)) }
            return !WordCounter.isOneLetterWord(word) && !topicWords.contains(stem) ? Array(repeating: word, count: seen.capitalized) : []
        }
    }

    public struct Report: Sendable, Equatable {
        public var topics = 0
        public var postsRequested = 0
        public var postsWritten = 0
        public var mentionShare = 0.0
        public var meanDistinct2 = 0.0
        public var withinLimitShare = 0.0
        public var topicsWithFilterRejection = 0.0
        public var candidatesDrawn = 0
        public var candidatesFiltered = 0
        public var candidatesFixed = 0
        public var candidatesCopied = 0
        public var candidatesEmpty = 0
        public var seconds = 0.0
        /// Words counted for invention (nil without a dictionary), how many were invented, and
        /// the invented ones, most frequent first (at most 20), for a look.
        public var countedWords: Int? = nil
        public var inventedWords: Int? = nil
        public var postsWithoutInventedShare: Double? = nil
        public var inventedExamples: [String] = []
        /// Capitalized words inside sentences that the topic does not give, the share of posts
        /// with one, and the most frequent (at most 20).
        public var unaskedNames = 0
        public var postsWithUnaskedNameShare = 0.0
        public var unaskedNameExamples: [String] = []
        /// Words written twice in a row ("summer summer"), and the share of posts with one.
        public var doubledWords = 0
        public var postsWithDoubledWordShare = 0.0
        /// Numbers written as words that the topic does not give ("three hours"), and the share
        /// of posts with one.
        public var numberWords = 0
        public var postsWithNumberWordShare = 0.0
        /// CPU seconds spent decoding candidates, and the part of it the word guard took
        /// (`CaptionGenerator.measuresTime`; zero unless the generator measures).
        public var decodingSeconds = 0.0
        public var wordGuardSeconds = 0.0
        public var wordGuardSteps = 0

        public var inventedWordShare: Double? {
            guard let countedWords, let inventedWords else { return nil }
            return countedWords == 0 ? 0 : Double(inventedWords) / Double(countedWords)
        }

        /// JSON-ready figures.
        public var dictionary: [String: Any] {
            var figures: [String: Any] = [
                "topics": topics, "posts_requested": postsRequested, "posts_written": postsWritten,
                "topic_mention_share": mentionShare, "distinct_2_mean": meanDistinct2,
                "within_limit_share": withinLimitShare, "topics_with_filter_rejection_share": topicsWithFilterRejection,
                "candidates_drawn": candidatesDrawn, "candidates_filtered": candidatesFiltered,
                "candidates_fixed": candidatesFixed, "candidates_copied": candidatesCopied, "candidates_empty": candidatesEmpty,
                "candidates_filtered_share": candidatesDrawn == 0 ? 0 : Double(candidatesFiltered + candidatesFixed) / Double(candidatesDrawn),
                "seconds": seconds, "decoding_seconds": decodingSeconds, "word_guard_seconds": wordGuardSeconds,
                "word_guard_share_of_decoding": decodingSeconds == 0 ? 0 : wordGuardSeconds / decodingSeconds,
                "word_guard_steps": wordGuardSteps,
                "unasked_names": unaskedNames, "posts_with_unasked_name_share": postsWithUnaskedNameShare,
                "unasked_name_examples": unaskedNameExamples,
                "doubled_words": doubledWords, "posts_with_doubled_word_share": postsWithDoubledWordShare,
                "number_words": numberWords, "posts_with_number_word_share": postsWithNumberWordShare,
                "word_guard_microseconds_per_step": wordGuardSteps == 0 ? 0 : wordGuardSeconds / Double(wordGuardSteps) * 1e6,
            ]
            if let share = inventedWordShare, let countedWords, let inventedWords, let postsWithoutInventedShare {
                figures["invented_word_share"] = share
                figures["posts_without_invented_share"] = postsWithoutInventedShare
                figures["counted_words"] = countedWords
                figures["invented_words"] = inventedWords
                figures["invented_examples"] = inventedExamples
            }
            return figures
        }
    }

    /// Generates `count` posts for each topic, the platforms and tones taken in turn (topic i gets
    /// platform i mod |platforms| and tone i mod |tones|), each with `seed`, and measures them;
    /// invented words too when a `dictionary` is given. A `temperature` replaces every tone's own.
    public static func run(generator: CaptionGenerator, topics: [String], platforms: [String], tones: [String],
                           count: Int, seed: UInt64, topicBoost: Float = CaptionGenerator.defaultTopicBoost,
                           temperature: Float? = nil, dictionary: WordList? = nil, progress: ((Int) -> Void)? = nil,
                           onPost: ((_ topic: String, _ platform: String, _ tone: String, CaptionPost) -> Void)? = nil) throws -> Report {
        precondition(!platforms.isEmpty && !tones.isEmpty)
        let start = DispatchTime.now().uptimeNanoseconds
        let decodingBefore = generator.decodingSeconds, guardBefore = generator.wordGuardSeconds, stepsBefore = generator.wordGuardSteps
        var report = Report()
        var mentions = 0, withinLimit = 0, topicsFiltered = 0
        var distinctSum = 0.0
        var counted = 0, invented = 0, postsWithoutInvented = 0
        var inventedCounts: [String: Int] = [:]
        var postsWithUnaskedName = 0, postsWithDoubledWord = 0, postsWithNumberWord = 0
        var unaskedCounts: [String: Int] = [:]
        for (i, topic) in topics.enumerated() {
            let platform = platforms[i % platforms.count], tone = tones[i % tones.count]
            var request = CaptionRequest(topic: topic, platform: platform, tone: tone, count: count, seed: seed)
            request.topicBoost = topicBoost
            request.temperature = temperature
            let result = try generator.generate(request)
            let rules = try generator.prompts.platform(platform)
            report.topics += 1
            report.postsRequested += count
            report.postsWritten += result.posts.count
            for post in result.posts { onPost?(result.topic, platform, tone, post) }
            mentions += result.posts.filter(\.mentionsTopic).count
            withinLimit += result.posts.filter { rules.characterCount($0.text) <= rules.maxCharacters }.count
            distinctSum += distinct2(result.posts.map(\.body))
            let topicWords = Set(CaptionGenerator.topicWords(topic))
            for post in result.posts {
                let names = unaskedNames(in: post.draft, topicWords: topicWords)
                report.unaskedNames += names.count
                if !names.isEmpty { postsWithUnaskedName += 1 }
                for name in names { unaskedCounts[name, default: 0] += 1 }
                let doubled = doubledWords(in: post.draft)
                report.doubledWords += doubled.count
                if !doubled.isEmpty { postsWithDoubledWord += 1 }
                let numberWords = unaskedNumberWords(in: post.draft, topic: result.topic)
                report.numberWords += numberWords.count
                if !numberWords.isEmpty { postsWithNumberWord += 1 }
            }
            if let dictionary {
                for post in result.posts {
                    let check = InventedWords.check(post.draft, dictionary: dictionary)
                    counted += check.counted
                    invented += check.invented.count
                    if check.invented.isEmpty { postsWithoutInvented += 1 }
                    for word in check.invented { inventedCounts[word, default: 0] += 1 }
                }
            }
            let s = result.statistics
            if s.filtered + s.fixed > 0 { topicsFiltered += 1 }
            report.candidatesDrawn += s.drawn
            report.candidatesFiltered += s.filtered
            report.candidatesFixed += s.fixed
            report.candidatesCopied += s.copies
            report.candidatesEmpty += s.empty
            progress?(i + 1)
        }
        let posts = max(1, report.postsWritten)
        report.mentionShare = Double(mentions) / Double(posts)
        report.withinLimitShare = Double(withinLimit) / Double(posts)
        report.meanDistinct2 = distinctSum / Double(max(1, report.topics))
        report.topicsWithFilterRejection = Double(topicsFiltered) / Double(max(1, report.topics))
        report.postsWithUnaskedNameShare = Double(postsWithUnaskedName) / Double(posts)
        report.postsWithDoubledWordShare = Double(postsWithDoubledWord) / Double(posts)
        report.postsWithNumberWordShare = Double(postsWithNumberWord) / Double(posts)
        report.unaskedNameExamples = unaskedCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(20).map(\.key)
        if dictionary != nil {
            report.countedWords = counted
            report.inventedWords = invented
            report.postsWithoutInventedShare = Double(postsWithoutInvented) / Double(posts)
            report.inventedExamples = inventedCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(20).map(\.key)
        }
        report.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        report.decodingSeconds = generator.decodingSeconds - decodingBefore
        report.wordGuardSeconds = generator.wordGuardSeconds - guardBefore
        report.wordGuardSteps = generator.wordGuardSteps - stepsBefore
        return report
    }
}
