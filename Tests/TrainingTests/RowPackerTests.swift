import Testing
@testable import Training

@Suite struct RowPackerTests {
    let pad: Int32 = 0

    @Test func packsWholeCaptionsAndMasksHeadersAndPadding() {
        // Two captions: header [10, 11], post [1, 2, 3]; header [12], post [4].
        let examples = [TrainingExample(tokens: [10, 11, 1, 2, 3], headerLength: 2),
                        TrainingExample(tokens: [12, 4], headerLength: 1)]
        let rows = RowPacker(length: 7, paddingToken: pad).pack(examples, order: [0, 1])
        #expect(rows.count == 1)
        #expect(rows[0].inputs == [10, 11, 1, 2, 3, 12, 4])
        // Targets: next tokens, -1 where the next token is header or padding.
        #expect(rows[0].targets == [-1, 1, 2, 3, -1, 4, -1])
    }

    @Test func startsANewRowWhenTheCaptionDoesNotFit() {
        let examples = [TrainingExample(tokens: [10, 1, 2], headerLength: 1),
                        TrainingExample(tokens: [11, 3, 4], headerLength: 1)]
        let rows = RowPacker(length: 4, paddingToken: pad).pack(examples, order: [1, 0])
        #expect(rows.map(\.inputs) == [[11, 3, 4, 0], [10, 1, 2, 0]])
        #expect(rows.map(\.targets) == [[3, 4, -1, -1], [1, 2, -1, -1]])
    }

    @Test func cutsLongCaptionsIntoConsecutiveWindowsWithEveryTargetOnce() {
        let tokens: [Int32] = [9] + Array(1...10)
        let rows = RowPacker(length: 4, paddingToken: pad).pack([TrainingExample(tokens: tokens, headerLength: 1)], order: [0])
        let targets = rows.flatMap(\.targets).filter { $0 >= 0 }
        #expect(targets == Array(1...10))
        #expect(rows[0].inputs == [9, 1, 2, 3])
        #expect(rows[1].inputs == [4, 5, 6, 7])
    }

    @Test func loaderIsDeterministicAndResumable() {
        let examples = (0..<50).map { TrainingExample(tokens: [100, Int32($0), Int32($0 + 1)], headerLength: 1) }
        let packer = RowPacker(length: 8, paddingToken: pad)
        func batches(_ loader: BatchLoader, _ n: Int) -> [[Int32]] {
            var inputs = [Int32](repeating: 0, count: 3 * 8), targets = inputs
            return (0..<n).map { _ in
                loader.next(inputs: &inputs, targets: &targets)
                return inputs + targets
            }
        }
        let straight = batches(BatchLoader(examples: examples, packer: packer, batchSize: 3, seed: 42), 20)
        #expect(straight == batches(BatchLoader(examples: examples, packer: packer, batchSize: 3, seed: 42), 20))
        #expect(straight != batches(BatchLoader(examples: examples, packer: packer, batchSize: 3, seed: 43), 20))
        let first = BatchLoader(examples: examples, packer: packer, batchSize: 3, seed: 42)
        let head = batches(first, 12)
        let resumed = BatchLoader(examples: examples, packer: packer, batchSize: 3, seed: 42, position: first.position)
        #expect(head + batches(resumed, 8) == straight)
        // 20 batches × 3 rows cross at least one epoch boundary (17 rows an epoch).
        #expect(first.rowsPerEpoch < 20)
    }
}
