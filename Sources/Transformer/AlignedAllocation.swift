#if canImport(Glibc)
import Glibc
#endif

/// The one allocator of the model's float buffers (weights, gradients, activations, packed
/// weights, the KV cache): zero-filled, 64-byte aligned for SIMD loads, and backed by 2 MB pages
/// where the kernel allows it.
///
/// A decoding step reads every packed weight once, thousands of 4 KB pages, far more than the TLB
/// covers, so each page would cost a page-table walk on every step. Linux backs memory with
/// transparent huge pages only when asked (`madvise` mode here), so buffers of 1 MB and more are
/// aligned to 2 MB and marked `MADV_HUGEPAGE` before they are first touched. Where the kernel
/// refuses, a buffer simply keeps 4 KB pages.
///
///     let floats = AlignedAllocation.zeroedFloats(1024)
///     defer { AlignedAllocation.free(floats) }
enum AlignedAllocation {
    static let hugePageSize = 2 << 20

    /// `count` floats set to zero. Release with `free`.
    static func zeroedFloats(_ count: Int) -> UnsafeMutablePointer<Float> {
        let bytes = max(1, count) * MemoryLayout<Float>.stride
        var raw: UnsafeMutableRawPointer?
        if bytes >= hugePageSize / 2 {
            let rounded = (bytes + hugePageSize - 1) / hugePageSize * hugePageSize
            guard posix_memalign(&raw, hugePageSize, rounded) == 0, let raw else { fatalError("out of memory for \(rounded) bytes") }
            _ = madvise(raw, rounded, MADV_HUGEPAGE)
        } else {
            guard posix_memalign(&raw, 64, bytes) == 0, raw != nil else { fatalError("out of memory for \(bytes) bytes") }
        }
        let floats = raw!.bindMemory(to: Float.self, capacity: max(1, count))
        floats.initialize(repeating: 0, count: max(1, count))
        return floats
    }

    static func free(_ floats: UnsafeMutablePointer<Float>) { Glibc.free(floats) }
}
