import Foundation
import Tokenizer
import Transformer

/// One model shared by many callers on many threads: every caller's sequences are decoded in
/// the same batched steps, and a sequence joins the running batch between two steps as soon as
/// a cache slot is free (continuous batching, as llama.cpp's server does with its slots).
///
/// A caller blocks in `generate` (through a `ScheduledDecoder`) while one thread, the scheduler's,
/// runs the model and the callers' hooks. The hooks of a caller therefore never run at the same
/// time as the caller's own code.
///
/// A sequence's tokens do not depend on what it is decoded beside. Each sequence draws from its
/// own seeded generator (`Generator.random(for:settings:)`), and the model's arithmetic for one
/// row is the same whatever the other rows are, because:
/// - a prompt is prefilled alone, in its own pass, so its products always see the same rows;
///   the other samples of the same prompt copy its cached keys and values and its logits (exact
///   copies) rather than feeding it again;
/// - decoding steps carry at most `maximumBatch` rows (16), which all take the streaming kernel
///   (more rows would switch to sgemm, whose rounding differs); each row accumulates its dot
///   products in the same order there, whatever its neighbours;
/// - a step never carries a single row (the one-row kernel splits its sums differently): a lone
///   sequence is paired with a padding row on a spare slot whose output is ignored.
///
/// A streaming caller whose reader is behind (`DecodingBacklog`) sits steps out and keeps its
/// slots; its tokens are the same as when nothing holds it back.
///
/// After each batched pass the draws (sampling and the jobs' hooks) are spread over the threads,
/// a whole job to a thread: a job's sampler and hooks are never used by two threads at once, and
/// the other core does not idle while one thread samples sixteen rows.
public final class DecodingScheduler: @unchecked Sendable {
    /// The most sequences decoded together (see above for why 16).
    public static let maximumBatch = 16

    public let generator: Generator
    public let batchSize: Int
    /// Threads for the model's products and for the draws.
    public let threads: Int
    private let paddingSlot: Int
    /// Each drawing thread's copy of a row's logits (`Generator.step`'s scratch).
    private var drawScratch: [[Float]]
    private let condition = NSCondition()
    private var queue: [DecodingJob] = []
    private var paused = false
    private var stopped = false
    private var running = false
    private var statistics = SchedulerStatistics()

    /// - Parameters:
    ///   - batchSize: sequences decoded together at most, 1 through `maximumBatch`.
    public init(model: ParameterBuffer, tokenizer: Tokenizer, batchSize: Int = maximumBatch, threads: Int = 2) throws {
        self.batchSize = min(max(1, batchSize), Self.maximumBatch)
        self.threads = max(1, threads)
        paddingSlot = self.batchSize
        generator = try Generator(model: model, tokenizer: tokenizer, batchCapacity: self.batchSize + 1, threads: threads)
        drawScratch = Array(repeating: Array(repeating: 0, count: generator.config.vocabularySize), count: self.threads)
    }

    /// Starts the scheduler's thread. Call once.
    public func start() {
        condition.lock()
        precondition(!running, "the scheduler is already running")
        running = true
        condition.unlock()
        let thread = Thread { [self] in loop() }
        thread.name = "copygen-decoder"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Lets the queued and live sequences finish, then ends the thread. New jobs are refused.
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Holds every decoding step until `resume()` (jobs are still accepted and queued).
    public func pause() {
        condition.lock()
        paused = true
        condition.unlock()
    }

    public func resume() {
        condition.lock()
        paused = false
        condition.broadcast()
        condition.unlock()
    }

    /// Wakes the scheduler's thread to look at its jobs again.
    private func wake() {
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    /// Counters since start, read under the scheduler's lock.
    public var currentStatistics: SchedulerStatistics {
        condition.lock()
        defer { condition.unlock() }
        return statistics
    }

    /// Queues a job and blocks until it is done. Throws what `Generator.generate` throws for bad
    /// prompts or settings, `DecodingCancelled` when `cancellation` fired first, and
    /// `SchedulerStopped` after `stop()`.
    func run(_ job: DecodingJob) throws -> [GeneratedSequence] {
        condition.lock()
        if stopped {
            condition.unlock()
            throw SchedulerStopped()
        }
        job.backlog?.whenRoom { [weak self] in self?.wake() }
        queue.append(job)
        statistics.jobsQueued += 1
        condition.broadcast()
        while !job.isDone { condition.wait() }
        condition.unlock()
        if let error = job.error { throw error }
        return job.results.map { $0! }
    }

    // MARK: The scheduler's thread

    /// A live sequence and the job it belongs to.
    private struct Row {
        let job: DecodingJob
        var sequence: LiveSequence
    }

    private func loop() {
        var live: [Row] = []
        var freeSlots = Array((0..<batchSize).reversed())
        while true {
            // Under the lock: wait for work, drop cancelled jobs' sequences, admit new ones.
            condition.lock()
            while !(stopped && queue.isEmpty && live.isEmpty) && (paused || (queue.isEmpty && live.isEmpty)) {
                condition.wait()
            }
            if queue.isEmpty && live.isEmpty {
                running = false
                condition.unlock()
                return
            }
            for job in queue where job.error == nil && job.cancellation?.isCancelled == true {
                job.error = DecodingCancelled()
            }
            live.removeAll { row in
                guard row.job.error is DecodingCancelled else { return false }
                freeSlots.append(row.sequence.slot)
                statistics.sequencesCancelled += 1
                return true
            }
            for job in queue where job.error != nil && !live.contains(where: { $0.job === job }) {
                markDone(job)
            }
            var admitted: [Row] = []
            while let slot = freeSlots.last, let job = queue.first(where: { $0.error == nil && $0.hasWaitingSequence }) {
                freeSlots.removeLast()
                admitted.append(Row(job: job, sequence: job.admitNext(slot: slot)))
            }
            statistics.sequencesAdmitted += admitted.count
            statistics.peakLive = max(statistics.peakLive, live.count + admitted.count)
            condition.broadcast()
            // Every live sequence waits for a reader that is behind, and none starts: sleep until
            // a reader makes room or a job arrives (a cancellation is seen within 50 ms).
            if admitted.isEmpty && !live.isEmpty && live.allSatisfy({ $0.job.isHeld }) {
                condition.wait(until: Date(timeIntervalSinceNow: 0.05))
                condition.unlock()
                continue
            }
            condition.unlock()

            // Each new prompt alone, then one step for every live sequence.
            var ended: [(Row, StopReason)] = []
            var started: [Row] = []
            for var row in admitted {
                let reason = start(&row, besides: live + started)
                started.append(row)
                if let reason { ended.append((row, reason)) } else { live.append(row) }
            }
            if !live.isEmpty {
                let reasons = decodeStep(&live)
                var kept: [Row] = []
                for (row, reason) in zip(live, reasons) {
                    if let reason { ended.append((row, reason)) } else { kept.append(row) }
                }
                live = kept
            }
            finish(ended, live: live, freeSlots: &freeSlots)
        }
    }

    /// Starts a new sequence and draws its first token. When another sample of the same prompt of
    /// the same job holds the prompt in its cache (it has not slid), the new one copies those
    /// positions and the prompt's logits; otherwise it feeds the prompt in a pass of its own.
    private func start(_ row: inout Row, besides others: [Row]) -> StopReason? {
        let job = row.job, prompt = row.sequence.prompt, length = row.sequence.input.count
        let session = generator.session
        if let logits = job.promptLogits[prompt],
           let source = others.first(where: { $0.job === job && $0.sequence.prompt == prompt && $0.sequence.slides == 0
                                              && session.length(of: $0.sequence.slot) >= length }) {
            session.copy(slot: source.sequence.slot, to: row.sequence.slot, length: length)
            condition.withLock { statistics.promptsCopied += 1 }
            let row0 = session.logits(row: 0)
            logits.withUnsafeBufferPointer { row0.baseAddress!.update(from: $0.baseAddress!, count: row0.count) }
            return draw(&row, logitRow: 0, scratch: &drawScratch[0])
        }
        guard feedAlone(&row) else { return .stoppedByCaller }
        job.promptLogits[prompt] = Array(session.logits(row: 0))
        return draw(&row, logitRow: 0, scratch: &drawScratch[0])
    }

    /// Feeds a sequence's input (a prompt, or the context a slide keeps) into its emptied slot in a
    /// pass of its own, leaving its logits in row 0. False, with the job failed, on an error.
    private func feedAlone(_ row: inout Row) -> Bool {
        let session = generator.session
        session.reset(slot: row.sequence.slot)
        do {
            try session.advance([InferenceInput(slot: row.sequence.slot, tokens: row.sequence.input)])
            return true
        } catch {
            row.job.fail(error)
            return false
        }
    }

    /// One batched pass for every live sequence that feeds one token; a sequence that must feed
    /// several (a context slide) goes in a pass of its own first, like a prompt. The sequences of
    /// a job whose reader is behind (`DecodingBacklog`) sit the step out.
    private func decodeStep(_ live: inout [Row]) -> [StopReason?] {
        var reasons = [StopReason?](repeating: nil, count: live.count)
        var batch: [Int] = []
        for index in live.indices where !live[index].job.isHeld {
            if live[index].sequence.input.count == 1 { batch.append(index); continue }
            reasons[index] = feedAlone(&live[index]) ? draw(&live[index], logitRow: 0, scratch: &drawScratch[0]) : .stoppedByCaller
        }
        guard !batch.isEmpty else { return reasons }
        var inputs = batch.map { InferenceInput(slot: live[$0].sequence.slot, tokens: live[$0].sequence.input) }
        if inputs.count == 1 {
            generator.session.reset(slot: paddingSlot)
            inputs.append(InferenceInput(slot: paddingSlot, tokens: [0]))
        }
        do {
            try generator.session.advance(inputs)
        } catch {
            for index in batch {
                live[index].job.fail(error)
                reasons[index] = .stoppedByCaller
            }
            return reasons
        }
        // Whole jobs to each thread, the largest first to the least loaded.
        var jobRows: [ObjectIdentifier: [(logitRow: Int, index: Int)]] = [:]
        var jobOrder: [ObjectIdentifier] = []
        for (logitRow, index) in batch.enumerated() {
            let id = ObjectIdentifier(live[index].job)
            if jobRows[id] == nil { jobOrder.append(id) }
            jobRows[id, default: []].append((logitRow, index))
        }
        let parts = min(threads, jobOrder.count)
        var assigned = Array(repeating: [(logitRow: Int, index: Int)](), count: parts)
        for id in jobOrder.sorted(by: { jobRows[$0]!.count > jobRows[$1]!.count }) {
            let lightest = assigned.indices.min { assigned[$0].count < assigned[$1].count }!
            assigned[lightest] += jobRows[id]!
        }
        live.withUnsafeMutableBufferPointer { rows in
            reasons.withUnsafeMutableBufferPointer { reasons in
                drawScratch.withUnsafeMutableBufferPointer { scratch in
                    Parallel.run(parts: parts) { part in
                        for (logitRow, index) in assigned[part] {
                            reasons[index] = draw(&rows[index], logitRow: logitRow, scratch: &scratch[part])
                        }
                    }
                }
            }
        }
        return reasons
    }

    /// The shared sampling step (`Generator.step`) with the job's own sampler and hooks.
    private func draw(_ row: inout Row, logitRow: Int, scratch: inout [Float]) -> StopReason? {
        let job = row.job
        if job.error != nil { return .stoppedByCaller }
        return generator.step(&row.sequence, logits: generator.session.logits(row: logitRow), sampler: &job.sampler,
                              settings: job.settings, control: job.control, onToken: job.onToken, scratch: &scratch)
    }

    /// Records ended sequences; wakes the callers whose jobs are complete.
    private func finish(_ ended: [(Row, StopReason)], live: [Row], freeSlots: inout [Int]) {
        guard !ended.isEmpty else { return }
        condition.lock()
        for (row, reason) in ended {
            freeSlots.append(row.sequence.slot)
            statistics.sequencesFinished += 1
            var sequence = row.sequence
            if row.job.error == nil { row.job.record(sequence.finish(reason, endOfText: generator.endOfText), index: sequence.index) }
            if row.job.isComplete || (row.job.error != nil && !live.contains { $0.job === row.job }) {
                markDone(row.job)
            }
        }
        condition.broadcast()
        condition.unlock()
    }

    /// Under the lock.
    private func markDone(_ job: DecodingJob) {
        guard !job.isDone, job.error != nil || job.isComplete else { return }
        job.isDone = true
        queue.removeAll { $0 === job }
        statistics.jobsDone += 1
    }
}

/// What the scheduler has done since it started.
public struct SchedulerStatistics: Sendable, Equatable {
    public var jobsQueued = 0
    public var jobsDone = 0
    public var sequencesAdmitted = 0
    public var sequencesFinished = 0
    /// Sequences dropped mid-decoding because their caller cancelled (a client went away).
    public var sequencesCancelled = 0
    /// The most sequences that held a slot at once.
    public var peakLive = 0
    /// Sequences that started from another sample's cached prompt instead of a prefill of their own.
    public var promptsCopied = 0

    /// Sequences holding a cache slot now.
    public var sequencesLive: Int { sequencesAdmitted - sequencesFinished - sequencesCancelled }
}

/// Set from any thread to stop a caller's decoding: its sequences leave the batch before the next
/// step and its `generate` call throws `DecodingCancelled`.
public final class DecodingCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    public init() {}

    public var isCancelled: Bool { lock.withLock { cancelled } }

    public func cancel() { lock.withLock { cancelled = true } }
}

/// The caller cancelled (see `DecodingCancellation`).
public struct DecodingCancelled: Error, CustomStringConvertible {
    public var description: String { "decoding was cancelled" }
}

/// The scheduler was stopped and takes no new work.
public struct SchedulerStopped: Error, CustomStringConvertible {
    public var description: String { "the decoder is shutting down" }
}
