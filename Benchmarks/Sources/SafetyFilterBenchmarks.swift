import Foundation
import Measurement
import SafetyFilter

/// `safety_filter`: single-thread throughput of `SafetyFilter.findings(in:)` over the `text` fields
/// of ../shared/data/corpora/brand_tweets.jsonl (real marketing tweets), in MB/s of UTF-8 input.
/// The goal is at least 10 MB/s.
func safetyFilterBenchmarks() throws -> [String: Any] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let path = root.appendingPathComponent("../shared/data/corpora/brand_tweets.jsonl").standardizedFileURL.path
    guard let data = FileManager.default.contents(atPath: path) else {
        return ["skipped": "\(path) not found (reference data is outside the repository)"]
    }
    var texts: [String] = []
    for line in data.split(separator: UInt8(ascii: "\n")) {
        if let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], let text = object["text"] as? String {
            texts.append(text)
        }
    }
    let bytes = texts.reduce(0) { $0 + $1.utf8.count }
    let asciiLines = texts.filter { $0.utf8.allSatisfy { $0 < 0x80 } }.count

    let filter = try SafetyFilter()
    var flagged = 0
    let seconds = MachineProbe.medianSeconds(repeats: 5) {
        flagged = 0
        for text in texts where !filter.findings(in: text).isEmpty { flagged += 1 }
    }
    // A megabyte line: the time must grow linearly, never quadratically.
    let long = String(repeating: "Fresh f.u.c.k.i.n.g coffee, classic cocktails and sh1t ", count: 20_000)
    let longSeconds = MachineProbe.medianSeconds(repeats: 3) { _ = filter.findings(in: long) }
    return [
        "texts": texts.count,
        "bytes": bytes,
        "ascii_fraction": Double(asciiLines) / Double(max(1, texts.count)),
        "flagged_texts": flagged,
        "seconds": seconds,
        "mb_per_second": Double(bytes) / seconds / 1e6,
        "one_line_bytes": long.utf8.count,
        "one_line_mb_per_second": Double(long.utf8.count) / longSeconds / 1e6,
    ]
}
