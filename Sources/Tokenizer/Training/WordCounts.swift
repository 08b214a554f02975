/// The words of a training corpus: each distinct piece after normalization and splitting, with
/// how often it occurs. Memory grows with the number of distinct words, not with the corpus.
public struct WordCounts {
    let preTokenizer: PreTokenizer
    let normalization: Normalization
    let progress: ((TokenizerTrainer.Progress) -> Void)?
    private(set) var words = ByteStringIndex(minimumCapacity: 1 << 16)
    private(set) var counts: [Int] = []
    /// Texts added so far.
    public private(set) var textCount = 0
    /// Distinct words so far.
    public var distinctWordCount: Int { counts.count }

    init(preTokenizer: PreTokenizer, normalization: Normalization, progress: ((TokenizerTrainer.Progress) -> Void)?) {
        self.preTokenizer = preTokenizer
        self.normalization = normalization
        self.progress = progress
    }

    /// Counts the words of one text.
    public mutating func add(_ text: String) {
        textCount += 1
        if textCount % 4096 == 0 { progress?(.counting(texts: textCount)) }
        if text.isEmpty { return }
        var normalized = normalization.apply(text)
        normalized.withUTF8 { buffer in
            var scanner = PieceScanner(buffer, split: preTokenizer)
            while let range = scanner.next() {
                let (index, isNew) = words.index(of: UnsafeBufferPointer(rebasing: buffer[range]))
                if isNew { counts.append(1) } else { counts[index] += 1 }
            }
        }
    }
}
