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

@Suite struct DocumentPackingTests {
    let pad: Int32 = 0

    @Test func documentsFormOneStreamOfFullRowsWithEveryTokenATargetOnce() {
        // Three documents of 5, 7 and 4 tokens (end marks included): 16 tokens, rows of 4 inputs.
        let documents = [Array(1...5), Array(6...12), Array(13...16)].map {
            TrainingExample(tokens: $0.map(Int32.init), headerLength: 0, kind: .document)
        }
        let rows = RowPacker(length: 4, paddingToken: pad).pack(documents, order: [0, 1, 2])
        // Full rows cross document boundaries; consecutive rows share one token.
        #expect(rows[0].inputs == [1, 2, 3, 4] && rows[0].targets == [2, 3, 4, 5])
        #expect(rows[1].inputs == [5, 6, 7, 8] && rows[1].targets == [6, 7, 8, 9])
        #expect(rows.flatMap(\.targets).filter { $0 >= 0 } == Array(2...16))
        // Only the stream's last row is padded.
        #expect(rows.dropLast().allSatisfy { !$0.targets.contains(-1) })
        #expect(rows.last!.targets.last == -1)
    }

    @Test func documentsAndCaptionsMixWithoutLosingEitherKind() {
        let examples = [
            TrainingExample(tokens: Array(100...109), headerLength: 0, kind: .document),
            TrainingExample(tokens: [50, 1, 2], headerLength: 1, kind: .caption),
            TrainingExample(tokens: Array(110...115), headerLength: 0, kind: .document),
        ]
        let rows = RowPacker(length: 4, paddingToken: pad).pack(examples, order: [0, 1, 2])
        let targets = rows.flatMap(\.targets).filter { $0 >= 0 }
        // The caption's post is learned with its header in one row; the header itself never.
        #expect(rows.contains { $0.inputs == [50, 1, 2, 0] && $0.targets == [1, 2, -1, -1] })
        #expect(!targets.contains(50))
        // The documents are one stream: 101...115 are each a target exactly once.
        #expect(targets.filter { $0 >= 100 } == Array(101...115))
    }
}

@Suite struct WeightedOrderTests {
    let examples = (0..<400).map { TrainingExample(tokens: [Int32($0 % 50 + 1), 1], headerLength: 0) }

    func loader(_ weights: [Double], seed: UInt64 = 3) -> BatchLoader {
        BatchLoader(examples: examples, packer: RowPacker(length: 4, paddingToken: 0), batchSize: 2, seed: seed, weights: weights)
    }

    @Test func wholeWeightsRepeatAndFractionsSampleEachEpochAfresh() {
        // The first 200 examples weigh 2, the last 200 weigh 0.25.
        let weights = (0..<400).map { $0 < 200 ? 2.0 : 0.25 }
        let order = loader(weights).order(epoch: 0)
        let counts = Dictionary(order.map { ($0, 1) }, uniquingKeysWith: +)
        #expect((0..<200).allSatisfy { counts[$0] == 2 })
        let light = (200..<400).filter { counts[$0] != nil }
        #expect(light.allSatisfy { counts[$0] == 1 })
        #expect((25...75).contains(light.count), "about a quarter of 200, got \(light.count)")
        // Another epoch draws another sample; the same epoch and seed always the same order.
        let next = Set(loader(weights).order(epoch: 1).filter { $0 >= 200 })
        #expect(next != Set(light))
        #expect(loader(weights).order(epoch: 0) == order)
    }

    @Test func noWeightsKeepsEveryExampleOncePerEpoch() {
        #expect(loader([]).order(epoch: 2).sorted() == Array(0..<400))
    }

    @Test func anEpochNeverComesOutEmpty() {
        let order = loader(Array(repeating: 1e-9, count: 400)).order(epoch: 0)
        #expect(order.sorted() == Array(0..<400))
    }
}
