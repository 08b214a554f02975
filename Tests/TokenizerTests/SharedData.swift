import Foundation

/// Reference data in `../shared/data` beside the package (see HELPER-CONVENTIONS / the data README).
/// A user's clone without it skips the tests that need it.
enum SharedData {
    static let root: String = {
        // Tests/TokenizerTests/SharedData.swift → package root → ../shared/data
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.deletingLastPathComponent().appendingPathComponent("shared/data").path
    }()

    static var gpt2Directory: String { root + "/gpt2" }
    static var goldenIDs: String { gpt2Directory + "/golden_ids.jsonl" }
    static var corpora: String { root + "/corpora" }

    static var hasGPT2: Bool {
        let present = FileManager.default.fileExists(atPath: goldenIDs)
            && FileManager.default.fileExists(atPath: gpt2Directory + "/encoder.json")
        if !present { print("skipping GPT-2 tests: \(gpt2Directory) is absent") }
        return present
    }
}
