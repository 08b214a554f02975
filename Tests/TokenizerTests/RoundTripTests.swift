import Foundation
import Support
import Testing
@testable import Tokenizer

/// decode(encode(x)) == normalize(x) over generated strings, for every normalization, and the BPE
/// merge loop against a plain reference implementation.
@Suite struct RoundTripTests {
    @Test(arguments: [Normalization.nfkc, .nfc, .none])
    func decodeInvertsEncode(normalization: Normalization) throws {
        let tokenizer = switch normalization {
        case .nfkc: TestText.small
        case .nfc: TestText.smallNFC
        case .none: TestText.smallNone
        }
        var generator = SeededRandom(seed: 1)
        for _ in 0..<1500 {
            let text = TestText.hardString(using: &generator)
            let ids = tokenizer.encode(text)
            #expect(try tokenizer.decode(ids) == normalization.apply(text), "text: \(text.debugDescription)")
            #expect(ids.allSatisfy { !tokenizer.isSpecialToken($0) })
        }
    }

    @Test(.enabled(if: SharedData.hasGPT2, "needs ../shared/data/gpt2"))
    func gpt2DecodeInvertsEncode() throws {
        let tokenizer = try Tokenizer.load(from: SharedData.gpt2Directory)
        var generator = SeededRandom(seed: 2)
        for _ in 0..<1000 {
            let text = TestText.hardString(using: &generator)
            #expect(try tokenizer.decode(tokenizer.encode(text)) == text)
        }
    }

    @Test func emptyAndTinyInputs() throws {
        let tokenizer = TestText.small
        #expect(tokenizer.encode("").isEmpty)
        #expect(try tokenizer.decode([]) == "")
        #expect(tokenizer.encode("a") == [97])
        #expect(tokenizer.encode("\u{0}") == [0])
    }

    /// Merging by the fast paths (array scan for short pieces, heap for long ones) gives the same
    /// ids as the textbook loop: merge the lowest-ranked adjacent pair, leftmost first, until none.
    @Test func mergeLoopMatchesReference() throws {
        let tokenizer = TestText.small
        var generator = SeededRandom(seed: 3)
        let alphabet = Array("aeinorst hyw".utf8)
        for length in [2, 3, 10, 47, 48, 49, 100, 400, 3000] {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
                var merger = MergeApplier()
                var fast: [TokenID] = []
                bytes.withUnsafeBufferPointer { piece in
                    tokenizer.byteToID.withUnsafeBufferPointer { byteToID in
                        merger.merge(piece: piece, byteToID: byteToID.baseAddress!, merges: tokenizer.mergeTable, into: &fast)
                    }
                }
                #expect(fast == referenceMerge(bytes, tokenizer), "length \(length)")
            }
        }
    }

    @Test func longPiecesEncodeAndRoundTrip() throws {
        let tokenizer = TestText.small
        let word = String(repeating: "hydration", count: 2000)
        let ids = tokenizer.encode(word)
        #expect(ids.count < word.utf8.count / 2)
        #expect(try tokenizer.decode(ids) == word)
        let spaces = String(repeating: " ", count: 100_000) + "x"
        #expect(try tokenizer.decode(tokenizer.encode(spaces)) == spaces)
    }

    @Test func sharedAcrossThreadsGivesSameIds() {
        let tokenizer = TestText.small
        let texts = TestText.trainingTexts
        let expected = texts.map { tokenizer.encode($0) }
        let mismatches = Mismatches()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for (text, ids) in zip(texts, expected) where tokenizer.encode(text) != ids { mismatches.add() }
        }
        #expect(mismatches.count == 0)
    }

    private func referenceMerge(_ bytes: [UInt8], _ tokenizer: Tokenizer) -> [TokenID] {
        var parts = bytes.map { tokenizer.byteToID[Int($0)] }
        var rank: [UInt64: (Int, TokenID)] = [:]
        for (r, merge) in tokenizer.merges.enumerated() where rank[PairTable.key(merge.left, merge.right)] == nil {
            rank[PairTable.key(merge.left, merge.right)] = (r, merge.result)
        }
        while parts.count > 1 {
            var best: (position: Int, rank: Int, result: TokenID)?
            for k in 0..<(parts.count - 1) {
                if let (r, result) = rank[PairTable.key(parts[k], parts[k + 1])], best == nil || r < best!.rank {
                    best = (k, r, result)
                }
            }
            guard let best else { break }
            parts[best.position] = best.result
            parts.remove(at: best.position + 1)
        }
        return parts
    }
}

final class Mismatches: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.lock(); value += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}
