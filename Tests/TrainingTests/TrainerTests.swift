import Corpus
import Foundation
import Support
import Testing
import Tokenizer
@testable import Training
import Transformer

/// A small corpus written for these tests, and a tokenizer trained on it in memory.
enum TrainerFixture {
    static let records: [CaptionRecord] = {
        let topics = ["oat milk latte", "trail running shoes", "payroll software", "dog grooming", "herb garden kit", "yoga mats"]
        let platforms = ["instagram", "x", "linkedin"]
        let tones = ["playful", "professional", "urgent"]
        return (0..<90).map { i in
            let topic = topics[i % topics.count]
            return CaptionRecord(
                text: "Meet our \(topic): made for mornings number \(i % 7), ready when you are. #\(topic.replacingOccurrences(of: " ", with: ""))",
                topic: topic, platform: platforms[i % 3], tone: tones[(i / 3) % 3], source: "fixture", line: i + 1)
        }
    }()

    static let tokenizer: Tokenizer = {
        try! TokenizerTrainer().train(texts: records.map(\.text) + records.compactMap(\.topic), vocabularySize: 400)
    }()

    static func config() -> GPTConfig {
        GPTConfig.preset("tiny", vocabularySize: tokenizer.vocabularySize)!
    }

    static func options(steps: Int) -> TrainingOptions {
        var options = TrainingOptions(steps: steps)
        options.batchSize = 4
        options.learningRate = 3e-3
        options.evaluationInterval = 5
        options.checkpointInterval = 7
        options.threads = 2
        return options
    }

    static func directory() -> String {
        NSTemporaryDirectory() + "copygen-trainer-\(UUID().uuidString)"
    }

    static func trainer(steps: Int, directory: String, resume: Bool = false, options: TrainingOptions? = nil) throws -> Trainer {
        let training = records.filter { $0.line % 10 != 0 }, validation = records.filter { $0.line % 10 == 0 }
        return try Trainer(config: config(), tokenizer: tokenizer, training: training, validation: validation,
                           options: options ?? self.options(steps: steps), outputDirectory: directory, resume: resume)
    }
}

@Suite struct TrainerTests {
    @Test func lossFallsAndEveryFileIsWritten() throws {
        let dir = TrainerFixture.directory()
        let summary = try TrainerFixture.trainer(steps: 40, directory: dir).run()
        #expect(summary.ending == .completed)
        #expect(summary.steps == 40)
        let log = try TrainingLog.load(path: dir + "/log.csv")
        #expect(log.entries.count == 40)
        // ln(400) ≈ 6.0 at the start; a repetitive corpus is learned quickly.
        #expect(log.entries.first!.loss > 5)
        #expect(log.entries.last!.loss < log.entries.first!.loss - 2)
        #expect(summary.bestValidationLoss! < 4)
        for file in ["model.safetensors", "config.json", "tokenizer.json", "training_state.safetensors", "log.csv", "loss.svg"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/" + file), "\(file) missing")
        }
        // The saved model is the best by validation loss and loads with the same shape.
        let (config, _) = try ModelCheckpoint.load(directory: dir)
        #expect(config == TrainerFixture.config())
    }

    @Test func sameSeedSameLossesBitForBit() throws {
        let a = TrainerFixture.directory(), b = TrainerFixture.directory()
        _ = try TrainerFixture.trainer(steps: 12, directory: a).run()
        _ = try TrainerFixture.trainer(steps: 12, directory: b).run()
        let logA = try TrainingLog.load(path: a + "/log.csv").entries.map { $0.loss.bitPattern }
        let logB = try TrainingLog.load(path: b + "/log.csv").entries.map { $0.loss.bitPattern }
        #expect(logA == logB)
        var other = TrainerFixture.options(steps: 12)
        other.seed = 2
        let c = TrainerFixture.directory()
        _ = try TrainerFixture.trainer(steps: 12, directory: c, options: other).run()
        #expect(try TrainingLog.load(path: c + "/log.csv").entries.map { $0.loss.bitPattern } != logA)
    }

    @Test func interruptedAndResumedEndsWithTheSameWeights() throws {
        var options = TrainerFixture.options(steps: 20)
        options.checkpointInterval = 100  // only the interrupt and the end save
        let straightDir = TrainerFixture.directory()
        let straight = try TrainerFixture.trainer(steps: 20, directory: straightDir, options: options)
        _ = try straight.run()

        let dir = TrainerFixture.directory()
        var calls = 0
        let first = try TrainerFixture.trainer(steps: 20, directory: dir, options: options)
        let stopped = try first.run(shouldStop: { calls += 1; return calls == 9 })
        #expect(stopped.ending == .interrupted)
        #expect(stopped.steps == 9)

        let resumed = try TrainerFixture.trainer(steps: 20, directory: dir, resume: true, options: options)
        #expect(resumed.startStep == 9)
        let finished = try resumed.run()
        #expect(finished.steps == 20)
        #expect(Array(resumed.parameters.buffer) == Array(straight.parameters.buffer))
        let straightLog = try TrainingLog.load(path: straightDir + "/log.csv").entries.map { $0.loss.bitPattern }
        let resumedLog = try TrainingLog.load(path: dir + "/log.csv").entries.map { $0.loss.bitPattern }
        #expect(resumedLog == straightLog)
    }

    @Test func nonFiniteLossStopsNamingTheStep() throws {
        let dir = TrainerFixture.directory()
        let trainer = try TrainerFixture.trainer(steps: 10, directory: dir)
        // Poison the final LayerNorm's gain: the very first loss is NaN.
        let gain = trainer.parameters.layout.tensor(named: "transformer.ln_f.weight")!
        trainer.parameters.pointer[gain.offset] = .nan
        do {
            _ = try trainer.run()
            Issue.record("expected a non-finite loss error")
        } catch let error as TrainingError {
            #expect(error.description.contains("at step 1"))
            #expect(error.description.contains("no checkpoint was written"))
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/training_state.safetensors"))
    }

    @Test func resumeWithoutStateIsAClearError() throws {
        #expect(throws: (any Error).self) { try TrainerFixture.trainer(steps: 5, directory: TrainerFixture.directory(), resume: true) }
    }

    @Test func patienceStopsEarly() throws {
        var options = TrainerFixture.options(steps: 400)
        options.evaluationInterval = 1
        options.patience = 2
        options.learningRate = 0.5  // far too high: validation loss stops improving at once
        let summary = try TrainerFixture.trainer(steps: 400, directory: TrainerFixture.directory(), options: options).run()
        #expect(summary.ending == .earlyStopped)
        #expect(summary.steps < 400)
    }
}

@Suite struct InitialWeightsTests {
    @Test func aRunStartsFromTheGivenWeightsAndLearnsFromThere() throws {
        // A first run, then a second from its weights: the second starts at the first's loss, not at noise.
        let first = TrainerFixture.directory()
        let pretrained = try TrainerFixture.trainer(steps: 30, directory: first)
        let pretrainedLoss = try pretrained.run().finalLoss
        let (_, weights) = try ModelCheckpoint.load(directory: first)

        let second = TrainerFixture.directory()
        let records = TrainerFixture.records
        let tuned = try Trainer(config: TrainerFixture.config(), tokenizer: TrainerFixture.tokenizer,
                                training: [TrainingSource(name: "captions", kind: .captions, records: records)], validation: [],
                                options: TrainerFixture.options(steps: 1), outputDirectory: second, resume: false,
                                initialWeights: weights)
        #expect(Array(tuned.parameters.buffer) == Array(weights.buffer))
        let fromScratch = try TrainerFixture.trainer(steps: 1, directory: TrainerFixture.directory())
        let tunedLoss = try tuned.run().finalLoss, scratchLoss = try fromScratch.run().finalLoss
        #expect(tunedLoss < scratchLoss - 1, "tuned \(tunedLoss), scratch \(scratchLoss), pretrained \(pretrainedLoss)")
    }

    @Test func weightsOfAnotherShapeAreRefused() throws {
        var other = TrainerFixture.config()
        other.layers += 1
        let weights = ParameterBuffer(layout: ParameterLayout(config: other))
        #expect(throws: TrainingError.self) {
            try Trainer(config: TrainerFixture.config(), tokenizer: TrainerFixture.tokenizer,
                        training: [TrainingSource(name: "c", kind: .captions, records: TrainerFixture.records)], validation: [],
                        options: TrainerFixture.options(steps: 1), outputDirectory: TrainerFixture.directory(), resume: false,
                        initialWeights: weights)
        }
    }

    /// Epochs become the steps that pass over the rows the run itself packs, weights included.
    @Test func epochsCountTheRowsTheRunPacks() throws {
        let training = [TrainingSource(name: "c", kind: .captions, weight: 2.5, records: TrainerFixture.records),
                        TrainingSource(name: "d", kind: .documents, records: TrainerFixture.records)]
        let options = TrainerFixture.options(steps: 1)
        let rows = try Trainer(config: TrainerFixture.config(), tokenizer: TrainerFixture.tokenizer, training: training,
                               validation: [], options: options, outputDirectory: TrainerFixture.directory(), resume: false).rowsPerEpoch
        #expect(rows > 20)
        for epochs in [0.5, 1, 3] {
            let steps = try Trainer.steps(forEpochs: epochs, config: TrainerFixture.config(), tokenizer: TrainerFixture.tokenizer,
                                          training: training, options: options)
            #expect(steps == Int((epochs * Double(rows) / Double(options.batchSize)).rounded(.up)), "\(epochs) epochs")
        }
        var bad = options
        bad.batchSize = 0
        #expect(throws: TrainingError.self) {
            try Trainer.steps(forEpochs: 1, config: TrainerFixture.config(), tokenizer: TrainerFixture.tokenizer, training: training, options: bad)
        }
    }

    @Test func resumingWithOtherCorporaOrWeightsIsRefused() throws {
        let dir = TrainerFixture.directory()
        func trainer(weight: Double, steps: Int, resume: Bool) throws -> Trainer {
            try Trainer(config: TrainerFixture.config(), tokenizer: TrainerFixture.tokenizer,
                        training: [TrainingSource(name: "c", kind: .captions, weight: weight, records: TrainerFixture.records),
                                   TrainingSource(name: "d", kind: .documents, records: TrainerFixture.records)],
                        validation: [], options: TrainerFixture.options(steps: steps), outputDirectory: dir, resume: resume)
        }
        _ = try trainer(weight: 2, steps: 3, resume: false).run()
        #expect(try trainer(weight: 2, steps: 5, resume: true).startStep == 3)
        #expect { try trainer(weight: 3, steps: 5, resume: true) } throws: { error in
            String(describing: error).contains("other data")
        }
    }
}
