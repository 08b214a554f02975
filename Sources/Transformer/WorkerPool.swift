import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Persistent worker threads for `Parallel`.
///
/// A job is published as one atomic word (generation, part count, next unclaimed part); the
/// calling thread and the workers claim parts from it until none is left, so a worker the OS has
/// not scheduled yet costs nothing: the caller runs its parts. Workers spin for a while between
/// jobs (the products of one step follow each other within microseconds) and then sleep on a
/// condition variable, so an idle process does not burn a core. One job at a time: `tryRun`
/// refuses when the pool is busy.
final class WorkerPool: @unchecked Sendable {
    /// Pools by worker count, created on first use and kept for the life of the process, under
    /// `poolsLock`. A pthread mutex rather than `Mutex`: ThreadSanitizer understands it, and it is
    /// taken once per parallel call, far from the hot loops.
    nonisolated(unsafe) private static var pools: [Int: WorkerPool] = [:]
    nonisolated(unsafe) private static let poolsLock: UnsafeMutablePointer<pthread_mutex_t> = {
        let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        return lock
    }()

    /// Spin iterations before an idle worker sleeps.
    private static let spinLimit = 20_000

    static func shared(workers: Int) -> WorkerPool? {
        guard workers >= 1 && workers <= 64 else { return nil }
        pthread_mutex_lock(poolsLock)
        defer { pthread_mutex_unlock(poolsLock) }
        if let pool = pools[workers] { return pool }
        let pool = WorkerPool(workers: workers)
        pools[workers] = pool
        return pool
    }

    let workers: Int
    private let busy = Atomic<Bool>(false)
    /// generation << 16 | parts << 8 | next part to claim.
    private let state = Atomic<Int>(0)
    /// Parts of the current job completed.
    private let completed = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    /// The current job's body; written before `state` is published, stable until every part completes.
    private var job: UnsafeRawPointer?
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    private init(workers: Int) {
        self.workers = workers
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        for _ in 0..<workers {
            let context = Unmanaged.passRetained(self).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let pool = Unmanaged<WorkerPool>.fromOpaque(raw!).takeRetainedValue()
                pool.workerLoop()
                return nil
            }, context)
            precondition(status == 0, "could not start an inference worker thread")
            pthread_detach(thread)
        }
    }

    /// Claims the next part of the job published as `word`; nil when none is left or a newer
    /// job replaced it.
    @inline(__always)
    private func claim(_ word: inout Int) -> Int? {
        while true {
            let parts = (word >> 8) & 0xFF, next = word & 0xFF
            guard next < parts else { return nil }
            let (exchanged, original) = state.compareExchange(expected: word, desired: word + 1, ordering: .acquiringAndReleasing)
            if exchanged { word += 1; return next }
            guard original >> 16 == word >> 16 else { return nil }
            word = original
        }
    }

    @inline(__always)
    private func runParts(_ word: Int) {
        var word = word
        while let part = claim(&word) {
            job!.assumingMemoryBound(to: (@Sendable (Int) -> Void).self).pointee(part)
            completed.add(1, ordering: .releasing)
        }
    }

    /// Runs parts 0..<parts (at most 255) and returns true, or returns false at once when
    /// another thread is using the pool.
    func tryRun(parts: Int, _ body: @Sendable (Int) -> Void) -> Bool {
        guard parts <= 255,
              busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        withoutActuallyEscaping(body) { body in
            withUnsafePointer(to: body) { pointer in
                job = UnsafeRawPointer(pointer)
                completed.store(0, ordering: .relaxed)
                let generation = (state.load(ordering: .relaxed) >> 16) + 1
                let word = generation << 16 | parts << 8
                state.store(word, ordering: .sequentiallyConsistent)
                if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                    pthread_mutex_lock(mutex)
                    pthread_cond_broadcast(condition)
                    pthread_mutex_unlock(mutex)
                }
                runParts(word)
                // Parts a worker claimed may still be running.
                var spins = 0
                while completed.load(ordering: .acquiring) < parts {
                    spins += 1
                    if spins > 64 { sched_yield() }
                }
                job = nil
            }
        }
        busy.store(false, ordering: .releasing)
        return true
    }

    private func workerLoop() {
        var seen = 0
        while true {
            var spins = 0
            var word = state.load(ordering: .sequentiallyConsistent)
            while word >> 16 == seen {
                spins += 1
                // Past a short pure spin, give the core away on each turn: on a busy machine a
                // spinning worker would otherwise take time slices from the thread feeding it.
                if spins > 64 { sched_yield() }
                if spins >= WorkerPool.spinLimit {
                    pthread_mutex_lock(mutex)
                    sleepers.add(1, ordering: .sequentiallyConsistent)
                    while state.load(ordering: .sequentiallyConsistent) >> 16 == seen {
                        pthread_cond_wait(condition, mutex)
                    }
                    sleepers.subtract(1, ordering: .sequentiallyConsistent)
                    pthread_mutex_unlock(mutex)
                    spins = 0
                }
                word = state.load(ordering: .sequentiallyConsistent)
            }
            seen = word >> 16
            runParts(word)
        }
    }
}
