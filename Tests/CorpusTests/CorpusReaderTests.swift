import Foundation
import Support
import Testing
@testable import Corpus

func temporaryCorpus(_ text: String, suffix: String) throws -> String {
    let path = NSTemporaryDirectory() + "copygen-corpus-\(UUID().uuidString)" + suffix
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

@Suite struct CorpusReaderTests {
    @Test func readsJSONLines() throws {
        let path = try temporaryCorpus("""
            {"text": "Fresh bread daily 🍞", "topic": "sourdough", "platform": "Instagram", "tone": "friendly", "industry": "bakeries"}

            {"text": "Plain one", "topic": null, "extra": 3}
            """, suffix: ".jsonl")
        let records = try CorpusReader.readAll(path: path)
        #expect(records.count == 2)
        #expect(records[0].text == "Fresh bread daily 🍞")
        #expect(records[0].platform == "instagram")
        #expect(records[0].topic == "sourdough")
        #expect(records[1].topic == nil)
        #expect(records[1].line == 3)
    }

    @Test func readsCSVWithQuotedMultilineFields() throws {
        let path = try temporaryCorpus("topic,text,platform\nmugs,\"Line one,\nline \"\"two\"\"\",x\nlamps,Bright ideas,facebook\n", suffix: ".csv")
        let records = try CorpusReader.readAll(path: path)
        #expect(records.map(\.text) == ["Line one,\nline \"two\"", "Bright ideas"])
        #expect(records[0].platform == "x")
        #expect(records[1].line == 4)
    }

    @Test func readsPlainTextSkippingBlankLines() throws {
        let path = try temporaryCorpus("first caption\n\n  \nsecond caption\n", suffix: ".txt")
        #expect(try CorpusReader.readAll(path: path).map(\.text) == ["first caption", "second caption"])
    }

    @Test func guessesFormatFromContentWhenExtensionSaysNothing() throws {
        let path = try temporaryCorpus("{\"text\": \"hi\"}\n", suffix: ".data")
        let reader = try CorpusReader(path: path)
        #expect(reader.format == .jsonl)
        #expect(try reader.next()?.text == "hi")
    }

    @Test(arguments: [
        ("{\"text\": 5}\n", "line 1", "\"text\" is not a string"),
        ("{\"text\": \"ok\"}\n{\"topic\": \"x\"}\n", ":2:", "missing \"text\" field"),
        ("{\"text\": \"ok\"}\n{not json\n", ":2:", "not valid JSON"),
        ("[1, 2]\n", ":1:", "expected a JSON object"),
        ("{\"text\": \"  \"}\n", ":1:", "\"text\" is empty"),
        ("{\"text\": \"a\", \"tone\": 3}\n", ":1:", "\"tone\" is not a string"),
    ])
    func malformedJSONLinesNameTheLine(input: String, place: String, message: String) throws {
        let path = try temporaryCorpus(input, suffix: ".jsonl")
        do {
            _ = try CorpusReader.readAll(path: path)
            Issue.record("expected an error for \(input)")
        } catch let error as InputError {
            let text = error.description
            #expect(text.contains(message), "\(text)")
            #expect(text.contains(place == "line 1" ? ":1:" : place), "\(text)")
            #expect(!text.contains("\n"))
        }
    }

    @Test func csvProblemsNameTheLine() throws {
        let noText = try temporaryCorpus("topic,body\na,b\n", suffix: ".csv")
        #expect(throws: InputError.malformed(source: noText, line: 1, what: "CSV header has no \"text\" column (found: topic, body)")) {
            try CorpusReader.readAll(path: noText)
        }
        let unclosed = try temporaryCorpus("text\n\"never closed\nstill open\n", suffix: ".csv")
        #expect(throws: InputError.malformed(source: unclosed, line: 2, what: "CSV: a quoted field is not closed before the end of the file")) {
            try CorpusReader.readAll(path: unclosed)
        }
        let wrongCount = try temporaryCorpus("text,topic\nonly one\n", suffix: ".csv")
        #expect(throws: InputError.malformed(source: wrongCount, line: 2, what: "CSV: 1 fields, but the header has 2")) {
            try CorpusReader.readAll(path: wrongCount)
        }
    }

    @Test func deeplyNestedJSONIsRefusedNotCrashed() throws {
        let path = try temporaryCorpus(String(repeating: "[", count: 1_000_000) + "\n", suffix: ".jsonl")
        #expect(throws: InputError.self) { try CorpusReader.readAll(path: path) }
    }

    @Test func invalidUTF8NamesLineAndByte() throws {
        let path = NSTemporaryDirectory() + "copygen-corpus-\(UUID().uuidString).txt"
        try Data(Array("good\nba".utf8) + [0xFE] + Array("d\n".utf8)).write(to: URL(fileURLWithPath: path))
        #expect(throws: InputError.invalidUTF8(source: path, line: 2, byte: 2, fileOffset: 7)) {
            try CorpusReader.readAll(path: path)
        }
        #expect(try CorpusReader.readAll(path: path, lossy: true).last?.text == "ba\u{FFFD}d")
    }
}

@Suite struct CSVRecordParserTests {
    @Test(arguments: [
        ("a,b,c", CSVRecordParser.Outcome.complete(["a", "b", "c"])),
        ("\"a,b\",c", .complete(["a,b", "c"])),
        ("\"say \"\"hi\"\"\",", .complete(["say \"hi\"", ""])),
        ("\"open", .needsMoreInput),
        ("ab\"c", .malformed("a quote inside an unquoted field (quote the whole field and double inner quotes)")),
        ("\"a\"b", .malformed("text after a closing quote")),
        ("", .complete([""])),
    ])
    func parsesRecords(input: String, expected: CSVRecordParser.Outcome) {
        #expect(CSVRecordParser.parse(input) == expected)
    }
}
