/// Trains a byte-level BPE tokenizer on a corpus.
///
/// 1. Count words: normalize each text, split it with the pre-tokenizer, and count each distinct
///    piece ("word"). Merges never cross piece boundaries, so the corpus is just these counts.
/// 2. Merge: keep the count of every adjacent pair of symbols over all words, an index from each
///    pair to the words that hold it, and a max-heap of pairs by count. Each step takes the most
///    frequent pair, rewrites only the words the index names, and adjusts the counts of the pairs
///    around each rewrite; heap entries whose count has since changed are refreshed when they
///    surface. Nothing is recounted from scratch.
///
/// Deterministic: ties between equally frequent pairs go to the smaller (left id, right id), so the
/// same texts and settings always give the same merges and the same file, byte for byte.
///
/// Ids: 0–255 are the bytes (id = byte value), then the special tokens in the order given
/// (`SpecialToken.all` puts `<|endoftext|>` at 256), then the merged tokens in merge order.
public struct TokenizerTrainer {
    /// What the trainer is doing, for a progress display.
    public enum Progress {
        /// Texts read and split so far.
        case counting(texts: Int)
        /// Merges done out of the merges wanted.
        case merging(done: Int, total: Int)
    }

    /// Pairs seen fewer times than this are never merged, so a small corpus may end with a
    /// vocabulary smaller than asked for rather than memorising one-off words.
    public var minimumPairCount: Int
    /// The split applied before counting words.
    public var preTokenizer: PreTokenizer
    /// Called now and then with the state of the work (e.g. to drive a `ProgressReporter`).
    public var progress: ((Progress) -> Void)?

    public init(minimumPairCount: Int = 2, preTokenizer: PreTokenizer = .gpt4, progress: ((Progress) -> Void)? = nil) {
        self.minimumPairCount = max(1, minimumPairCount)
        self.preTokenizer = preTokenizer
        self.progress = progress
    }

    /// Trains on `texts` until the vocabulary (bytes + specials + merges) has `vocabularySize` ids
    /// or no pair occurs `minimumPairCount` times.
    public func train(
        texts: some Sequence<String>, vocabularySize: Int, normalization: Normalization = .nfkc,
        specialTokens: [String] = SpecialToken.all
    ) throws -> Tokenizer {
        try Self.check(vocabularySize: vocabularySize, specialTokens: specialTokens)
        var words = makeWordCounts(normalization: normalization)
        for text in texts { words.add(text) }
        return try train(words: words, vocabularySize: vocabularySize, specialTokens: specialTokens)
    }

    /// An empty word count to fill with `add(_:)` when texts come from a reader that can fail
    /// (a corpus file): read everything first, then call `train(words:...)`.
    public func makeWordCounts(normalization: Normalization = .nfkc) -> WordCounts {
        WordCounts(preTokenizer: preTokenizer, normalization: normalization, progress: progress)
    }

    /// Throws when `vocabularySize` cannot hold the byte tokens and `specialTokens`, or when a
    /// special token is empty or repeated. `train` checks this too; callers may check before reading.
    public static func check(vocabularySize: Int, specialTokens: [String] = SpecialToken.all) throws {
        if specialTokens.contains(where: \.isEmpty) { throw TokenizerError.invalidSpecialToken("") }
        if let repeated = specialTokens.enumerated().first(where: { specialTokens[..<$0.offset].contains($0.element) }) {
            throw TokenizerError.invalidSpecialToken(repeated.element)
        }
        let minimum = 256 + specialTokens.count
        if vocabularySize < minimum { throw TokenizerError.vocabularyTooSmall(requested: vocabularySize, minimum: minimum) }
    }

    /// Learns merges from counted `words`.
    public func train(words: WordCounts, vocabularySize: Int, specialTokens: [String] = SpecialToken.all) throws -> Tokenizer {
        try Self.check(vocabularySize: vocabularySize, specialTokens: specialTokens)
        progress?(.counting(texts: words.textCount))
        var tokens: [[UInt8]] = (0..<256).map { [UInt8($0)] }
        var specialIDs: [String: TokenID] = [:]
        for name in specialTokens {
            specialIDs[name] = TokenID(tokens.count)
            tokens.append(Array(name.utf8))
        }
        var merger = MergeLearner(words: words, firstNewID: TokenID(tokens.count), minimumPairCount: minimumPairCount)
        let wanted = vocabularySize - tokens.count
        var merges: [(left: TokenID, right: TokenID, result: TokenID)] = []
        merges.reserveCapacity(wanted)
        while merges.count < wanted, let (left, right) = merger.mergeMostFrequentPair() {
            merges.append((left, right, TokenID(tokens.count)))
            tokens.append(tokens[Int(left)] + tokens[Int(right)])
            progress?(.merging(done: merges.count, total: wanted))
        }
        return Tokenizer(
            tokens: tokens, merges: merges, specialTokens: specialIDs, normalization: words.normalization,
            preTokenizer: words.preTokenizer)
    }
}
