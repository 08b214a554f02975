import Dispatch
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Transformer

/// The worker pool behind `Parallel` and batched decoding with more than one thread. The other decoding
/// tests use models too small for the kernels to split their work, so without these the pool's
/// threads would never run under `make test-tsan`. Exact comparisons: how work is split never
/// changes the arithmetic of a column, a token or an attention head.
@Suite struct ParallelDecodingTests {
    /// Runs `jobs` jobs of `parts` parts each; returns how often each (job, part) ran.
    static func partCounts(parts: Int, jobs: Int, pauseEvery: Int = 0) -> [Int] {
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: parts * jobs)
        counts.initialize(repeating: 0, count: parts * jobs)
        defer { counts.deallocate() }
        for job in 0..<jobs {
            // A pause longer than the workers' spin lets them fall asleep, so the wake-up is used too.
            if pauseEvery > 0 && job % pauseEvery == pauseEvery - 1 { usleep(60_000) }
            Parallel.run(parts: parts) { part in counts[job * parts + part] += 1 }
        }
        return Array(UnsafeBufferPointer(start: counts, count: parts * jobs))
    }

    @Test(arguments: [2, 3, 4])
    func everyPartRunsExactlyOnce(parts: Int) {
        #expect(Self.partCounts(parts: parts, jobs: 2_000).allSatisfy { $0 == 1 })
    }

    @Test func sleepingWorkersWakeForTheNextJob() {
        #expect(Self.partCounts(parts: 2, jobs: 8, pauseEvery: 2).allSatisfy { $0 == 1 })
    }

    /// Two callers at once share one pool: one of them gets it, the other falls back to GCD.
    @Test func twoCallersAtOnce() {
        let results = Mutex<[[Int]]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let counts = Self.partCounts(parts: 2, jobs: 1_000)
            results.withLock { $0.append(counts) }
        }
        let all = results.withLock { $0 }
        #expect(all.count == 2)
        #expect(all.allSatisfy { $0.allSatisfy { $0 == 1 } })
    }

    @Test(arguments: [2, 3])
    func rangesCoverEveryIndexOnce(threads: Int) {
        let count = 1_000
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: count)
        counts.initialize(repeating: 0, count: count)
        defer { counts.deallocate() }
        let starts = Mutex<[Int]>([])
        Parallel.forEachRange(count, threads: threads, minimumPerRange: 10, alignment: 64) { range in
            starts.withLock { $0.append(range.lowerBound) }
            for i in range { counts[i] += 1 }
        }
        #expect(UnsafeBufferPointer(start: counts, count: count).allSatisfy { $0 == 1 })
        #expect(starts.withLock { $0 }.allSatisfy { $0 % 64 == 0 })
        #expect(starts.withLock { $0 }.count == threads)
    }

    /// A model wide enough that every decoding product splits across 2 threads (rows × inputs
    /// ≥ 64K multiply-adds per 64 columns), with attention split too once sequences pass 64
    /// positions (rows × heads tasks of ≥ 32K multiply-adds each half).
    static let wide = GPTConfig(vocabularySize: 256, contextLength: 80, layers: 1, heads: 4, embeddingSize: 256)

    /// Decodes four sequences together to the end of the context (a 16-row prefill, then steps of
    /// 4 rows) and returns every logit produced.
    static func decode(threads: Int) throws -> [Float] {
        let model = InferenceReference.randomModel(wide, seed: 41)
        let sequences = (0..<4).map { InferenceReference.randomTokens(wide.contextLength, vocabularySize: wide.vocabularySize, seed: 50 + UInt64($0)) }
        let session = InferenceSession(parameters: model, batchCapacity: 4, threads: threads)
        let slots = [2, 0, 3, 1]
        var logits: [Float] = []
        // 16 rows: the largest prefill that still takes the threaded streaming product, not sgemm.
        try session.advance((0..<4).map { InferenceInput(slot: slots[$0], tokens: Array(sequences[$0].prefix(4))) })
        for row in 0..<4 { logits += session.logits(row: row) }
        for t in 4..<wide.contextLength {
            try session.advance((0..<4).map { InferenceInput(slot: slots[$0], tokens: [sequences[$0][t]]) })
            for row in 0..<4 { logits += session.logits(row: row) }
        }
        return logits
    }

    @Test func batchedDecodingOnTwoThreadsEqualsOneThread() throws {
        let one = try Self.decode(threads: 1), two = try Self.decode(threads: 2)
        #expect(one.count == 4 * (1 + Self.wide.contextLength - 4) * Self.wide.vocabularySize)
        #expect(one == two)
    }

    /// Two sessions decoding at the same moment on different threads (as parallel tests or a
    /// program with two generators do) give the same logits as one at a time.
    @Test func twoSessionsDecodingAtOnce() throws {
        let alone = try Self.decode(threads: 2)
        let results = Mutex<[[Float]]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let logits = (try? Self.decode(threads: 2)) ?? []
            results.withLock { $0.append(logits) }
        }
        #expect(results.withLock { $0 }.allSatisfy { $0 == alone })
    }
}
