import Corpus
import Tokenizer

/// One corpus of a training run: its records, how they become rows, and how much of each epoch
/// they fill.
///
/// A run may mix several: pre-training documents from a few large files with the captions the
/// model is finally for, each weighted (see `BatchLoader`).
///
///     TrainingSource(name: "listings.txt", kind: .documents, weight: 0.5, records: listings)
///     TrainingSource(name: "captions.jsonl", kind: .captions, weight: 3, records: captions)
public struct TrainingSource: Sendable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Caption records with their conditions: header, post, end (see `ConditioningFormat`).
        case captions
        /// Plain documents: text and end, no header, packed as one stream (see `RowPacker`).
        case documents
    }

    /// Where the records came from (a path), for messages and the saved run.
    public var name: String
    public var kind: Kind
    /// How many times an epoch holds each record on average (see `BatchLoader`).
    public var weight: Double
    public var records: [CaptionRecord]

    public init(name: String, kind: Kind, weight: Double = 1, records: [CaptionRecord]) {
        self.name = name
        self.kind = kind
        self.weight = weight
        self.records = records
    }

    /// The records as training examples, in order.
    public func examples(tokenizer: Tokenizer, controls: ConditioningFormat.ControlTokens) -> [TrainingExample] {
        switch kind {
        case .captions:
            return records.map { record in
                let (tokens, headerLength) = ConditioningFormat.example(record, tokenizer: tokenizer, controls: controls)
                return TrainingExample(tokens: tokens, headerLength: headerLength, kind: .caption)
            }
        case .documents:
            return tokenizer.encode(lines: records.lazy.map(\.text)).map { tokens in
                TrainingExample(tokens: tokens + [controls.endOfText], headerLength: 0, kind: .document)
            }
        }
    }

    /// One line that identifies the source in a saved run: resuming with other data is an error.
    public var summary: String { "\(kind.rawValue) \(name) ×\(weight) (\(records.count) records)" }

    /// The examples of several sources interleaved one from each in turn, so that a bounded
    /// evaluation (the first N rows) sees every source, not just the first file.
    public static func interleavedExamples(_ sources: [TrainingSource], tokenizer: Tokenizer,
                                           controls: ConditioningFormat.ControlTokens) -> [TrainingExample] {
        let lists = sources.map { $0.examples(tokenizer: tokenizer, controls: controls) }
        var result: [TrainingExample] = []
        result.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        let longest = lists.map(\.count).max() ?? 0
        for index in 0..<longest {
            for list in lists where index < list.count { result.append(list[index]) }
        }
        return result
    }
}
