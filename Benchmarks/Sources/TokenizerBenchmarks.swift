import Corpus
import Foundation
import Measurement
import Support
import Tokenizer

/// The `tokenizer` group: single-thread encode MB/s with GPT-2's files and with a 4,096-id
/// tokenizer, and the time to train that 4,096-id tokenizer, all on about 10 MB of marketing text.
///
/// The text: every `text` of ../shared/data/corpora/brand_tweets.jsonl then slogans.jsonl, joined
/// with "\n" (plus a final "\n"), repeated until it reaches 10,000,000 bytes.
/// scripts/tokenizer_peers.py builds the same text for tiktoken and `tokenizers`.
/// Each encode run starts with a freshly loaded tokenizer, so its per-piece cache starts cold.
/// Encoding is timed twice: the whole text in one call (as the peers are timed), and one caption
/// per call (as training data preparation uses it).
func tokenizerBenchmarks() throws -> [String: Any] {
    let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data").path
    let corpora = ["brand_tweets.jsonl", "slogans.jsonl"].map { shared + "/corpora/" + $0 }
    guard corpora.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) else {
        return ["skipped": "needs \(shared)/corpora (the shared reference data)"]
    }
    var texts: [String] = []
    for path in corpora { texts += try CorpusReader.readAll(path: path, format: .jsonl).map(\.text) }
    let block = texts.joined(separator: "\n") + "\n"
    let repeats = (10_000_000 + block.utf8.count - 1) / block.utf8.count
    let text = String(repeating: block, count: repeats)
    let trainingTexts = Array([[String]](repeating: texts, count: repeats).joined())
    let megabytes = Double(text.utf8.count) / 1e6
    var results: [String: Any] = ["text_bytes": text.utf8.count, "text_recipe": "corpora texts joined by newlines, repeated \(repeats) times"]

    // Training: median of three.
    var tokenizer: Tokenizer?
    let trainSeconds = timedMedian(runs: 3, prepare: {}) {
        tokenizer = try? TokenizerTrainer().train(texts: trainingTexts, vocabularySize: 4096)
    }
    guard let trained = tokenizer else { return ["error": "training failed"] }
    results["train_4096_seconds"] = trainSeconds
    results["train_4096_vocabulary"] = trained.vocabularySize
    let trainedPath = NSTemporaryDirectory() + "copygen-bench-tokenizer-\(getpid()).json"
    try trained.save(to: trainedPath)
    defer { try? FileManager.default.removeItem(atPath: trainedPath) }

    var subjects: [(name: String, path: String)] = [("bpe4096", trainedPath)]
    let gpt2 = shared + "/gpt2"
    if FileManager.default.fileExists(atPath: gpt2 + "/encoder.json") { subjects.insert(("gpt2", gpt2), at: 0) }
    for subject in subjects {
        var fresh: Tokenizer?
        var tokenCount = 0
        let seconds = timedMedian(runs: 3, prepare: { fresh = try? Tokenizer.load(from: subject.path) }) {
            tokenCount = fresh?.encode(text).count ?? 0
        }
        results["\(subject.name)_encode_mb_per_s"] = (megabytes / seconds * 10).rounded() / 10
        // The same text one caption per call, as training data preparation encodes it.
        let perCaption = timedMedian(runs: 3, prepare: { fresh = try? Tokenizer.load(from: subject.path) }) {
            if let fresh { for caption in trainingTexts { _ = fresh.encode(caption) } }
        }
        results["\(subject.name)_encode_per_caption_mb_per_s"] = (megabytes / perCaption * 10).rounded() / 10
        results["\(subject.name)_tokens"] = tokenCount
        results["\(subject.name)_bytes_per_token"] = (Double(text.utf8.count) / Double(max(1, tokenCount)) * 1000).rounded() / 1000
    }
    if subjects.count == 1 { results["gpt2"] = "skipped: \(gpt2) is absent" }
    return results
}

/// Median seconds of `body` over `runs` runs; `prepare` runs before each and is not timed.
private func timedMedian(runs: Int, prepare: () -> Void, _ body: () -> Void) -> Double {
    var times: [Double] = []
    for _ in 0..<runs {
        prepare()
        let start = Clock.nanoseconds()
        body()
        times.append(Clock.seconds(since: start))
    }
    return MachineProbe.rounded(MachineProbe.median(times), 3)
}
