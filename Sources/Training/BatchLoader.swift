import Support

/// Serves training batches: each epoch shuffles the examples with a seeded generator, packs them
/// into rows, and hands out `batchSize` rows per batch, crossing into the next epoch as needed.
///
/// Weights mix corpora of very different sizes: an example of weight 2.5 appears twice in every
/// epoch and a third time in half of them (chosen at random per epoch), one of weight 0.3 in
/// about three epochs of ten. So a small corpus can be seen more often than a large one without
/// copying files, and a large one can be sampled without reading all of it every epoch.
///
/// The order of epoch e depends only on (seed, e), so a `DataPosition` alone fixes every batch
/// that follows: that is what makes resuming exact.
public final class BatchLoader {
    public let examples: [TrainingExample]
    public let packer: RowPacker
    public let batchSize: Int
    public let seed: UInt64
    /// Per example, how many times an epoch holds it on average; empty means once each (weights
    /// that are all 1 are stored as empty, so they give the plain order).
    public let weights: [Double]
    public private(set) var position: DataPosition
    private var rows: [RowPacker.Row] = []
    private var rowsEpoch = -1

    public init(examples: [TrainingExample], packer: RowPacker, batchSize: Int, seed: UInt64,
                position: DataPosition = DataPosition(), weights: [Double] = []) {
        precondition(!examples.isEmpty && batchSize >= 1)
        precondition(weights.isEmpty || (weights.count == examples.count && weights.allSatisfy { $0 >= 0 && $0.isFinite }))
        self.examples = examples
        self.weights = weights.allSatisfy { $0 == 1 } ? [] : weights
        self.packer = packer
        self.batchSize = batchSize
        self.seed = seed
        self.position = position
    }

    /// Rows in one epoch (it varies a little between epochs with the packing).
    public var rowsPerEpoch: Int {
        loadEpoch(position.epoch)
        return rows.count
    }

    /// Fills `inputs` and `targets` (each batchSize × length, row-major) with the next batch.
    public func next(inputs: UnsafeMutablePointer<Int32>, targets: UnsafeMutablePointer<Int32>) {
        let T = packer.length
        for b in 0..<batchSize {
            loadEpoch(position.epoch)
            if position.row >= rows.count {
                position = DataPosition(epoch: position.epoch + 1, row: 0)
                loadEpoch(position.epoch)
            }
            let row = rows[position.row]
            for t in 0..<T {
                inputs[b * T + t] = row.inputs[t]
                targets[b * T + t] = row.targets[t]
            }
            position.row += 1
        }
    }

    /// The example order of `epoch`: each example as many times as its weight gives, then a
    /// Fisher–Yates shuffle seeded by (seed, epoch).
    public func order(epoch: Int) -> [Int] {
        var random = SeededRandom(seed: seed &+ 0x9E37_79B9 &* UInt64(epoch + 1))
        var order: [Int]
        if weights.isEmpty {
            order = Array(examples.indices)
        } else {
            var sampling = SeededRandom(seed: seed &+ 0x51_7CC1_B727 &* UInt64(epoch + 1))
            order = []
            order.reserveCapacity(Int(weights.reduce(0, +)) + 1)
            for (index, weight) in weights.enumerated() {
                let whole = Int(weight)
                let copies = whole + (Double(sampling.nextUniform()) < weight - Double(whole) ? 1 : 0)
                for _ in 0..<copies { order.append(index) }
            }
            // Weights so small that an epoch drew nothing: take everything once rather than
            // serve an epoch without rows.
            if order.isEmpty { order = Array(examples.indices) }
        }
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            let j = Int(random.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        return order
    }

    private func loadEpoch(_ epoch: Int) {
        if rowsEpoch == epoch { return }
        rows = packer.pack(examples, order: order(epoch: epoch))
        rowsEpoch = epoch
    }
}
