import Foundation
import Support
import Testing
@testable import Corpus

/// Inputs `make fuzz` found troublesome (docs/reliability-fuzzing.md), kept as regression tests.
@Suite struct CorpusFuzzRegressionTests {
    /// The fuzzer's crash, minimised: a header naming `topic` twice and a record with as many
    /// fields as the header has distinct names. The reader used to accept the record and then
    /// read `topic` from a field that does not exist (index out of range: a crash).
    @Test func headerNamingAKnownColumnTwiceIsRefused() throws {
        let path = try temporaryCorpus("text,topic,tone,topic\nFresh cold brew,coffee,playful\n", suffix: ".csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try CorpusReader.readAll(path: path)
            Issue.record("a header naming topic twice was accepted")
        } catch let error as InputError {
            #expect(error.description == path + ":1: CSV header names the \"topic\" column twice", "\(error)")
        }
    }

    /// Repeated names of columns copygen ignores are allowed; records are still counted against
    /// every column of the header (here 3), not against the distinct names (2).
    @Test func recordsAreCountedAgainstEveryHeaderColumn() throws {
        let path = try temporaryCorpus("text,note,note\nFresh cold brew,a,b\nshort,x\n", suffix: ".csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try CorpusReader(path: path)
        guard case .success(let record)? = try reader.nextResult() else {
            Issue.record("the first record, with all three fields, was refused")
            return
        }
        #expect(record.text == "Fresh cold brew")
        guard case .failure(let error)? = try reader.nextResult() else {
            Issue.record("a record with 2 of 3 fields was accepted")
            return
        }
        #expect(error.description.contains("2 fields, but the header has 3"), "\(error)")
    }
}
