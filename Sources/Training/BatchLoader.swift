import Support

/// Serves training batches: each epoch shuffles the captions with a seeded generator, packs them
/// into rows, and hands out `batchSize` rows per batch, crossing into the next epoch as needed.
///
/// The shuffle of epoch e depends only on (seed, e), so a `DataPosition` alone fixes every batch
/// that follows: that is what makes resuming exact.
public final class BatchLoader {
    public let examples: [TrainingExample]
    public let packer: RowPacker
    public let batchSize: Int
    public let seed: UInt64
    public private(set) var position: DataPosition
    private var rows: [RowPacker.Row] = []
    private var rowsEpoch = -1

    public init(examples: [TrainingExample], packer: RowPacker, batchSize: Int, seed: UInt64,
                position: DataPosition = DataPosition()) {
        precondition(!examples.isEmpty && batchSize >= 1)
        self.examples = examples
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

    /// The caption order of `epoch`: a Fisher–Yates shuffle seeded by (seed, epoch).
    public func order(epoch: Int) -> [Int] {
        var random = SeededRandom(seed: seed &+ 0x9E37_79B9 &* UInt64(epoch + 1))
        var order = Array(examples.indices)
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
