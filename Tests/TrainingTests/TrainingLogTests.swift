import Foundation
import Testing
@testable import Training

@Suite struct TrainingLogTests {
    @Test func csvRoundTripsAndTruncatesOnResume() throws {
        var log = TrainingLog()
        for step in 1...5 {
            log.append(TrainingLogEntry(step: step, learningRate: 0.001, loss: 5 - Float(step) * 0.5,
                                        validationLoss: step % 2 == 0 ? 4.0 : nil, tokensPerSecond: 1234.4, gradientNorm: 0.9))
        }
        let dir = NSTemporaryDirectory() + "copygen-log-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try log.write(directory: dir)
        var loaded = try TrainingLog.load(path: dir + "/log.csv")
        #expect(loaded.entries.count == 5)
        #expect(loaded.entries[1].validationLoss == 4.0)
        #expect(loaded.entries[0].validationLoss == nil)
        #expect(loaded.entries[4].loss == 2.5)
        loaded.truncate(after: 3)
        #expect(loaded.entries.map(\.step) == [1, 2, 3])
        let svg = try String(contentsOfFile: dir + "/loss.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("polyline") && svg.contains("validation"))
    }

    @Test func foreignFileIsRefused() throws {
        let path = NSTemporaryDirectory() + "copygen-log-\(UUID().uuidString).csv"
        try "a,b\n1,2\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try TrainingLog.load(path: path) }
    }
}
