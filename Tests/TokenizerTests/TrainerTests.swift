import Foundation
import Testing
@testable import Tokenizer

@Suite struct TrainerTests {
    @Test func idsLayout() {
        let tokenizer = TestText.small
        #expect(tokenizer.vocabularySize == 600)
        for byte in 0..<256 { #expect(tokenizer.bytes(of: TokenID(byte)) == [UInt8(byte)]) }
        for (offset, name) in SpecialToken.all.enumerated() {
            #expect(tokenizer.id(ofSpecial: name) == TokenID(256 + offset))
            #expect(tokenizer.bytes(of: TokenID(256 + offset)) == Array(name.utf8))
        }
        #expect(tokenizer.mergeCount == 600 - 261)
    }

    @Test func sameCorpusGivesSameFileByteForByte() throws {
        let directory = try TemporaryDirectory()
        let first = try TokenizerTrainer().train(texts: TestText.trainingTexts, vocabularySize: 520)
        let second = try TokenizerTrainer().train(texts: TestText.trainingTexts, vocabularySize: 520)
        try first.save(to: directory.path + "/a.json")
        try second.save(to: directory.path + "/b.json")
        let a = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/a.json"))
        let b = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/b.json"))
        #expect(a == b)
        // Loading and saving again changes nothing either.
        try Tokenizer.load(from: directory.path + "/a.json").save(to: directory.path + "/c.json")
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/c.json")) == a)
    }

    /// The incremental trainer must pick exactly the merges a from-scratch recount would pick.
    @Test func incrementalMergesMatchRecountingEachStep() throws {
        let texts = TestText.trainingTexts
        let trained = try TokenizerTrainer().train(texts: texts, vocabularySize: 450)
        var words: [[TokenID]: Int] = [:]
        for text in texts {
            for piece in PreTokenizer.gpt4.pieces(of: Normalization.nfkc.apply(text)) {
                words[piece.utf8.map { TokenID($0) }, default: 0] += 1
            }
        }
        var expected: [(TokenID, TokenID)] = []
        var nextID = TokenID(261)
        while nextID < 450 {
            var counts: [UInt64: Int] = [:]
            for (symbols, count) in words where symbols.count > 1 {
                for k in 0..<(symbols.count - 1) { counts[PairTable.key(symbols[k], symbols[k + 1]), default: 0] += count }
            }
            guard let best = counts.filter({ $0.value >= 2 }).max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key })
            else { break }
            let left = TokenID(truncatingIfNeeded: best.key >> 32), right = TokenID(truncatingIfNeeded: best.key)
            expected.append((left, right))
            var rewritten: [[TokenID]: Int] = [:]
            for (symbols, count) in words {
                var out: [TokenID] = []
                var k = 0
                while k < symbols.count {
                    if k + 1 < symbols.count && symbols[k] == left && symbols[k + 1] == right {
                        out.append(nextID)
                        k += 2
                    } else {
                        out.append(symbols[k])
                        k += 1
                    }
                }
                rewritten[out, default: 0] += count
            }
            words = rewritten
            nextID += 1
        }
        #expect(trained.merges.count == expected.count)
        for (merge, pair) in zip(trained.merges, expected) {
            #expect(merge.left == pair.0 && merge.right == pair.1)
        }
    }

    @Test func smallCorpusStopsWhenPairsRunOut() throws {
        let tokenizer = try TokenizerTrainer().train(texts: ["ab ab ab", "cd"], vocabularySize: 4096)
        // "ab" occurs three times and " ab" twice; "cd" once, so it is never merged.
        #expect(tokenizer.vocabularySize < 4096)
        #expect(tokenizer.encode("cd") == [99, 100])
        #expect(tokenizer.encode(" ab").count == 1)
        let empty = try TokenizerTrainer().train(texts: [String](), vocabularySize: 300)
        #expect(empty.vocabularySize == 261)
        #expect(try empty.decode(empty.encode("still works 🙂")) == "still works 🙂")
    }

    @Test func rejectsBadSettings() {
        #expect(throws: TokenizerError.vocabularyTooSmall(requested: 260, minimum: 261)) {
            try TokenizerTrainer().train(texts: ["x"], vocabularySize: 260)
        }
        #expect(throws: TokenizerError.invalidSpecialToken("<|a|>")) {
            try TokenizerTrainer().train(texts: ["x"], vocabularySize: 300, specialTokens: ["<|a|>", "<|a|>"])
        }
        #expect(throws: TokenizerError.invalidSpecialToken("")) {
            try TokenizerTrainer().train(texts: ["x"], vocabularySize: 300, specialTokens: [""])
        }
        #expect(TokenizerError.vocabularyTooSmall(requested: 100, minimum: 261).description.contains("261"))
    }

    @Test func reportsProgress() throws {
        final class Log { var merges = 0 }
        let log = Log()
        _ = try TokenizerTrainer(progress: { state in
            if case .merging(let done, let total) = state { log.merges = done; #expect(total == 300 - 261) }
        }).train(texts: TestText.trainingTexts, vocabularySize: 300)
        #expect(log.merges == 300 - 261)
    }
}

/// A fresh directory under the system temporary directory, removed when the value goes away.
final class TemporaryDirectory {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "copygen-tokenizer-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite struct TokenizerDifferenceTests {
    @Test func sameTrainingGivesNoDifferenceAndAnotherVocabularyIsNamed() throws {
        let a = try TokenizerTrainer().train(texts: TestText.trainingTexts, vocabularySize: 420)
        let b = try TokenizerTrainer().train(texts: TestText.trainingTexts, vocabularySize: 420)
        #expect(a.difference(from: b) == nil)
        let smaller = try TokenizerTrainer().train(texts: TestText.trainingTexts, vocabularySize: 410)
        #expect(a.difference(from: smaller)?.contains("vocabulary size 420 against 410") == true)
        let other = try TokenizerTrainer().train(texts: TestText.trainingTexts.reversed().map { $0 + " zebra" }, vocabularySize: 420)
        #expect(a.difference(from: other) != nil)
        let nfc = try TokenizerTrainer().train(texts: TestText.trainingTexts, vocabularySize: 420, normalization: .nfc)
        #expect(a.difference(from: nfc)?.contains("normalization") == true)
    }
}
