import Corpus
import Foundation
import Support

/// The corpus readers. First byte: format (JSON Lines, CSV, text, or guessed from the first line)
/// and strict or lossy UTF-8. Every record is read with `nextResult()` (bad lines reported, reading
/// goes on), then once more with the strict `readAll`.
enum CorpusTarget {
    static let target = FuzzTarget(name: "corpus", run: run, seeds: seeds)
    static let formats: [CorpusFormat?] = [.jsonl, .csv, .text, nil]

    static func run(_ input: UnsafeRawBufferPointer) {
        let (mode, payload) = splitMode(input, count: 8)
        let format = formats[mode % 4], lossy = mode >= 4
        // No extension, so a nil format is guessed from the first line.
        let path = Scratch.write(payload, to: "corpus-input")
        guard let reader = try? CorpusReader(path: path, format: format, lossy: lossy) else { return }
        var lastLine = 0
        while let result = try? reader.nextResult() {
            if case .success(let record) = result {
                require(record.line > lastLine, "record line \(record.line) after line \(lastLine)")
                lastLine = record.line
                require(record.text.utf8.count <= payload.count + 2 * record.text.unicodeScalars.count,
                        "record text longer than the input could give")
            }
        }
        _ = try? CorpusReader.readAll(path: path, format: format, lossy: lossy)
    }

    static func seeds() throws -> [(name: String, bytes: [UInt8])] {
        let jsonl = try repositoryLines("Corpora/captions.jsonl", count: 3)
        // CSV and text versions of the same captions, written here (a header row, quoted fields).
        let records = try CorpusReader.readAll(path: repositoryRoot + "/Corpora/captions.jsonl").prefix(3)
        func quoted(_ field: String?) -> String { "\"" + (field ?? "").replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let csv = "text,topic,platform,tone\n" + records.map { r in
            [quoted(r.text), quoted(r.topic), quoted(r.platform), quoted(r.tone)].joined(separator: ",")
        }.joined(separator: "\r\n") + "\n"
        let text = records.map { $0.text.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n") + "\n"
        return [
            ("jsonl", [0] + jsonl), ("csv", [1] + Array(csv.utf8)), ("text", [2] + Array(text.utf8)),
            ("guessed-jsonl", [3] + jsonl), ("lossy-jsonl", [4] + jsonl + [0xFF, 0x0A]),
        ]
    }
}
