import Foundation
import Testing
import Tokenizer
@testable import Generation

/// The shared scheduler: many callers on many threads, each getting what it would get alone.
@Suite struct DecodingSchedulerTests {
    static func scheduler(batchSize: Int = 16, threads: Int = 1) throws -> DecodingScheduler {
        let scheduler = try DecodingScheduler(model: TestModel.model(contextLength: 48), tokenizer: TestModel.tokenizer,
                                              batchSize: batchSize, threads: threads)
        scheduler.start()
        return scheduler
    }

    static func settings(seed: UInt64, temperature: Float = 0.9) -> SamplingSettings {
        var settings = SamplingSettings()
        settings.seed = seed
        settings.temperature = temperature
        settings.maxNewTokens = 30
        settings.stopAtEndOfText = false
        return settings
    }

    /// Eight callers' jobs: prompts of different lengths (one of a single token), counts and settings.
    static let jobs: [(prompt: String, count: Int, settings: SamplingSettings)] = [
        ("fresh", 1, settings(seed: 1)),
        ("coffee and cake every morning", 3, settings(seed: 2)),
        ("morning light", 2, settings(seed: 3, temperature: 0)),
        ("", 1, settings(seed: 4)),
        ("fresh bread and coffee and cake and morning light and fresh coffee", 2, settings(seed: 5)),
        ("cake", 4, settings(seed: 6, temperature: 1.3)),
        ("light", 1, settings(seed: 7)),
        ("bread", 2, settings(seed: 8)),
    ]

    static func run(_ index: Int, on scheduler: DecodingScheduler) throws -> [GeneratedSequence] {
        let job = jobs[index]
        return try ScheduledDecoder(scheduler: scheduler).generate(
            prompts: [TestModel.tokenizer.encode(job.prompt)], settings: job.settings, count: job.count)
    }

    @Test func callersTogetherGetWhatEachGetsAlone() throws {
        let scheduler = try Self.scheduler()
        defer { scheduler.stop() }
        let alone = try (0..<Self.jobs.count).map { try Self.run($0, on: scheduler) }
        #expect(alone.allSatisfy { $0.allSatisfy { $0.tokens.count == 30 } })

        // All at once, from threads of their own, queued before the first step.
        scheduler.pause()
        let results = ResultBox(count: Self.jobs.count)
        let group = DispatchGroup()
        for index in 0..<Self.jobs.count {
            group.enter()
            Thread {
                results.set(index, Result { try Self.run(index, on: scheduler) })
                group.leave()
            }.start()
        }
        while scheduler.currentStatistics.jobsQueued < 2 * Self.jobs.count { usleep(1000) }
        scheduler.resume()
        group.wait()
        for index in 0..<Self.jobs.count {
            #expect(try results.get(index) == alone[index], "job \(index) differs when decoded with others")
        }
        #expect(scheduler.currentStatistics.peakLive == 16)
    }

    /// With two threads the draws of different jobs run in parallel: every job still gets what it
    /// gets alone on one thread, hooks included (each counts its own calls, which a hook run by
    /// two threads at once, or for another job's rows, would get wrong).
    @Test func drawsOnTwoThreadsMatchOneThread() throws {
        let single = try Self.scheduler(threads: 1)
        let alone = try (0..<Self.jobs.count).map { try Self.run($0, on: single) }
        single.stop()

        let scheduler = try Self.scheduler(threads: 2)
        defer { scheduler.stop() }
        scheduler.pause()
        let results = ResultBox(count: Self.jobs.count)
        let hookCalls = CallCounts(count: Self.jobs.count)
        let group = DispatchGroup()
        for index in 0..<Self.jobs.count {
            group.enter()
            Thread {
                var calls = 0
                let job = Self.jobs[index]
                results.set(index, Result {
                    try ScheduledDecoder(scheduler: scheduler).generate(
                        prompts: [TestModel.tokenizer.encode(job.prompt)], settings: job.settings, count: job.count,
                        control: { _ in calls += 1 })
                })
                hookCalls.set(index, calls)
                group.leave()
            }.start()
        }
        while scheduler.currentStatistics.jobsQueued < Self.jobs.count { usleep(1000) }
        scheduler.resume()
        group.wait()
        for index in 0..<Self.jobs.count {
            #expect(try results.get(index) == alone[index], "job \(index) differs with parallel draws")
            #expect(hookCalls.get(index) == Self.jobs[index].count * 30,
                    "job \(index)'s hook ran once per draw")
        }
    }

    /// Samples of one prompt decoded side by side copy its cached prefill; one slot at a time,
    /// each feeds it again. The sequences are the same either way.
    @Test func samplesThatCopyThePromptMatchSamplesThatFeedIt() throws {
        let wide = try Self.scheduler(batchSize: 16)
        let narrow = try Self.scheduler(batchSize: 1)
        defer { wide.stop(); narrow.stop() }
        for index in [1, 4, 5] {
            #expect(try Self.run(index, on: wide) == Self.run(index, on: narrow), "job \(index)")
        }
        #expect(wide.currentStatistics.promptsCopied == (3 - 1) + (2 - 1) + (4 - 1))
        #expect(narrow.currentStatistics.promptsCopied == 0)
    }

    @Test func aCancelledCallerLeavesAndFreesItsSlots() throws {
        let scheduler = try Self.scheduler(batchSize: 4)
        defer { scheduler.stop() }
        let cancellation = DecodingCancellation()
        var long = Self.settings(seed: 9)
        long.maxNewTokens = 10_000
        long.contextPolicy = .slide
        let settings = long
        let outcome = ResultBox(count: 1)
        let done = DispatchSemaphore(value: 0)
        Thread {
            outcome.set(0, Result {
                try ScheduledDecoder(scheduler: scheduler, cancellation: cancellation).generate(
                    prompts: [TestModel.tokenizer.encode("fresh")], settings: settings, count: 4,
                    onToken: { event in
                        if event.generatedCount == 5 { cancellation.cancel() }
                        return .continue
                    })
            })
            done.signal()
        }.start()
        done.wait()
        #expect(throws: DecodingCancelled.self) { try outcome.get(0) }
        let statistics = scheduler.currentStatistics
        #expect(statistics.sequencesCancelled == 4 && statistics.sequencesLive == 0)
        // The slots serve the next caller.
        #expect(try Self.run(0, on: scheduler).count == 1)
    }

    /// A caller whose reader stops reading sits out the steps once `limit` pieces are unread,
    /// while another caller runs to its end beside it; when its reader catches up, it ends with
    /// the tokens it gets when nothing holds it back.
    @Test func aCallerWaitsForItsReaderWithoutHoldingOthersBack() throws {
        let scheduler = try Self.scheduler()
        defer { scheduler.stop() }
        let unheld = try Self.run(0, on: scheduler)
        let backlog = DecodingBacklog(limit: 5)
        let outcome = ResultBox(count: 1)
        let done = DispatchSemaphore(value: 0)
        Thread {
            let job = Self.jobs[0]
            outcome.set(0, Result {
                try ScheduledDecoder(scheduler: scheduler, backlog: backlog).generate(
                    prompts: [TestModel.tokenizer.encode(job.prompt)], settings: job.settings, count: job.count,
                    onToken: { _ in
                        backlog.added()
                        return .continue
                    })
            })
            done.signal()
        }.start()
        while !backlog.isFull { usleep(1000) }

        let other = try Self.run(2, on: scheduler)
        #expect(other.allSatisfy { $0.tokens.count == 30 })
        #expect(backlog.unsent == 5, "the held caller decoded past its limit")
        #expect(scheduler.currentStatistics.sequencesLive == 1)

        // The reader catches up, a piece at a time.
        while done.wait(timeout: .now()) == .timedOut {
            if backlog.unsent > 0 { backlog.sent() } else { usleep(100) }
        }
        #expect(try outcome.get(0) == unheld)
    }

    @Test func badSettingsAndAStoppedSchedulerAreRefused() throws {
        let scheduler = try Self.scheduler()
        var settings = Self.settings(seed: 1)
        settings.topP = 0
        #expect(throws: GenerationError.self) {
            try ScheduledDecoder(scheduler: scheduler).generate(prompts: [[1]], settings: settings)
        }
        scheduler.stop()
        #expect(throws: SchedulerStopped.self) {
            try ScheduledDecoder(scheduler: scheduler).generate(prompts: [[1]], settings: Self.settings(seed: 1))
        }
    }
}

/// Results set by other threads.
final class CallCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [Int]

    init(count: Int) { counts = Array(repeating: 0, count: count) }

    func set(_ index: Int, _ count: Int) { lock.withLock { counts[index] = count } }

    func get(_ index: Int) -> Int { lock.withLock { counts[index] } }
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<[GeneratedSequence], any Error>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<[GeneratedSequence], any Error>) { lock.withLock { results[index] = result } }

    func get(_ index: Int) throws -> [GeneratedSequence] { try lock.withLock { results[index]! }.get() }
}
