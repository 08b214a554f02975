/// A weight matrix rearranged for the decoding kernels: column panels `panelWidth` floats wide,
/// each panel's rows stored one after another.
///
/// In GPT-2's in × out layout a block of 32 output columns is 128 bytes taken from every row, one
/// row length apart: the loads of a decoding step then jump across memory and stall on memory
/// latency (Benchmarks/results/README.md, "Measured choices"). Packed, every panel is one contiguous run of `inCount × 32` floats that the
/// hardware prefetcher streams. The last panel is padded with zero columns, so the kernels have
/// no column tails.
///
/// The session packs its weights once when it is created; the packed copy does not follow later
/// changes to the `ParameterBuffer` (create a new session after training further).
final class PackedMatrix: @unchecked Sendable {
    static let panelWidth = 32

    let inCount: Int
    let outCount: Int
    /// Panels of `panelWidth` columns; the last may hold fewer real columns.
    let panels: Int
    /// panels × inCount × panelWidth floats (`AlignedAllocation`: on 2 MB pages where possible).
    let data: UnsafeMutablePointer<Float>

    private init(inCount: Int, outCount: Int) {
        self.inCount = inCount
        self.outCount = outCount
        panels = (outCount + Self.panelWidth - 1) / Self.panelWidth
        data = AlignedAllocation.zeroedFloats(panels * inCount * Self.panelWidth)
    }

    deinit { AlignedAllocation.free(data) }

    /// Packs W stored in × out, row-major (GPT-2's Conv1D layout): panel p row i holds
    /// W[i, 32p ..< 32p + 32].
    convenience init(rowMajor weight: UnsafePointer<Float>, inCount: Int, outCount: Int) {
        self.init(inCount: inCount, outCount: outCount)
        let width = Self.panelWidth
        for p in 0..<panels {
            let first = p * width, columns = min(width, outCount - first)
            for i in 0..<inCount {
                (data + (p * inCount + i) * width).update(from: weight + i * outCount + first, count: columns)
            }
        }
    }

    /// Packs Eᵀ for E stored rows × columns (the token embedding, V × C, used as the LM head):
    /// the packed matrix has inCount = columns and outCount = rows.
    convenience init(transposing matrix: UnsafePointer<Float>, rows: Int, columns: Int) {
        self.init(inCount: columns, outCount: rows)
        let width = Self.panelWidth
        for p in 0..<panels {
            let first = p * width
            for k in 0..<min(width, rows - first) {
                let source = matrix + (first + k) * columns
                var target = data + p * columns * width + k
                for c in 0..<columns {
                    target.pointee = source[c]
                    target += width
                }
            }
        }
    }

    /// Panel `p`: inCount rows of `panelWidth` floats.
    @inline(__always)
    func panel(_ p: Int) -> UnsafeMutablePointer<Float> { data + p * inCount * Self.panelWidth }

    /// Bytes of the packed floats.
    var byteCount: Int { panels * inCount * Self.panelWidth * MemoryLayout<Float>.stride }
}
