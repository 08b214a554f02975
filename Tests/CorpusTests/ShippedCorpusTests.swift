import Foundation
import Testing
@testable import Corpus

/// The corpus the repository ships: schema, limits, breadth, near-duplicates and the split.
@Suite struct ShippedCorpusTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Corpora/captions.jsonl").path
    static let records = try! CorpusReader.readAll(path: path)

    @Test func everyLineFollowsTheSchema() throws {
        let report = try CorpusCheck.run(path: Self.path)
        #expect(report.errors.isEmpty, "\(report.errors.prefix(3))")
        #expect(report.warnings.isEmpty, "\(report.warnings.prefix(3))")
        for record in Self.records {
            #expect(record.topic != nil && record.platform != nil && record.tone != nil && record.industry != nil,
                    "line \(record.line) lacks a field")
        }
    }

    @Test func breadthAsPromised() {
        #expect(Self.records.count >= 6000)
        #expect(Set(Self.records.compactMap { $0.topic?.lowercased() }).count >= 400)
        #expect(Set(Self.records.compactMap(\.industry)).count >= 25)
        let platforms = Dictionary(grouping: Self.records, by: { $0.platform! }).mapValues(\.count)
        #expect(Set(platforms.keys) == ["instagram", "x", "linkedin", "facebook", "tiktok"])
        #expect(platforms.values.allSatisfy { $0 >= Self.records.count / 10 })
        let tones = Dictionary(grouping: Self.records, by: { $0.tone! }).mapValues(\.count)
        #expect(Set(tones.keys) == Set(Tone.known))
        #expect(tones.values.allSatisfy { $0 >= Self.records.count / 12 })
    }

    @Test func everyCaptionFitsItsPlatform() {
        for record in Self.records {
            #expect(record.text.count <= Platform.characterLimit[record.platform!]!, "line \(record.line)")
        }
    }

    @Test func noNearDuplicates() {
        let found = NearDuplicates.find(Self.records.map(\.text), threshold: 0.5)
        #expect(found.pairs.isEmpty, "\(found.pairs.prefix(3))")
        #expect(found.highest!.similarity < 0.5)
    }

    @Test func validationSplitIsAboutTenPercentAndStable() {
        let validation = Self.records.filter(\.isValidation)
        #expect(validation.count > Self.records.count / 14 && validation.count < Self.records.count / 7)
        #expect(validation.map(\.text) == Self.records.filter { ValidationSplit.contains($0.text) }.map(\.text))
    }
}
