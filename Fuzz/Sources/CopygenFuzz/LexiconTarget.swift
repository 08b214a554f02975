import Foundation
import SafetyFilter

/// The safety filter's user files. First byte: 0 = a user lexicon read with
/// `SafetyFilter.loadUserLexicon(path:)`, then a filter built with it and run over the lexicon's
/// own forms; 1 = bias rules in the built-in rule format (`BiasRuleFormat.parse`).
enum LexiconTarget {
    static let target = FuzzTarget(name: "lexicon", run: run, seeds: seeds)

    static func run(_ input: UnsafeRawBufferPointer) {
        let (mode, payload) = splitMode(input, count: 2)
        if mode == 1 {
            _ = try? BiasRuleFormat.parse(lossyText(payload), source: "fuzz-bias-rules.txt")
            return
        }
        guard let entries = try? SafetyFilter.loadUserLexicon(path: Scratch.write(payload, to: "lexicon.txt")),
              let filter = try? SafetyFilter(extraLexicon: entries) else { return }
        let text = entries.prefix(8).flatMap(\.forms).joined(separator: " and ") + " in a caption"
        SafetyFilterTarget.checkAllModes(filter, text)
    }

    static func seeds() throws -> [(name: String, bytes: [UInt8])] {
        // The user format, written here: forms | category | severity | match | exceptions.
        let user = """
            # a user's own list
            grimbly, grimblies | brand | medium | word |
            zorp | custom | high | inside | zorpedo
            frobnicate
            """
        return [
            ("user", [0] + Array(user.utf8)),
            ("built-in-lines", [0] + (try repositoryLines("Sources/SafetyFilter/Data/lexicon.txt", count: 30))),
            ("bias-lines", [1] + (try repositoryLines("Sources/SafetyFilter/Data/bias-rules.txt", count: 40))),
        ]
    }
}
