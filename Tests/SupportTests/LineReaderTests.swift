import Foundation
import Testing
@testable import Support

@Suite struct LineReaderTests {
    func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "copygen-linereader-\(UUID().uuidString)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func lines(_ bytes: [UInt8], lossy: Bool = false) throws -> [String] {
        let path = try temporaryFile(bytes)
        defer { unlink(path) }
        let reader = try LineReader(path: path, lossy: lossy)
        var result: [String] = []
        while let line = try reader.nextLine() { result.append(line) }
        return result
    }

    @Test func splitsLinesAndDropsCarriageReturns() throws {
        #expect(try lines(Array("a\r\nbé\n\nlast".utf8)) == ["a", "bé", "", "last"])
        #expect(try lines(Array("one\n".utf8)) == ["one"])
        #expect(try lines([]) == [])
    }

    @Test func longLinesCrossBufferBoundaries() throws {
        let long = String(repeating: "xyz🙂", count: 40_000)
        #expect(try lines(Array((long + "\n" + long).utf8)) == [long, long])
    }

    @Test func invalidUTF8NamesLineAndByte() throws {
        let path = try temporaryFile(Array("ok\nab\u{E9}".utf8) + [0xFF] + Array("cd\n".utf8))
        defer { unlink(path) }
        let reader = try LineReader(path: path)
        #expect(try reader.nextLine() == "ok")
        #expect(throws: InputError.invalidUTF8(source: path, line: 2, byte: 4, fileOffset: 7)) {
            try reader.nextLine()
        }
    }

    @Test func lossyReplacesBadBytes() throws {
        #expect(try lines([0x61, 0xC3, 0x62], lossy: true) == ["a\u{FFFD}b"])
    }

    @Test(arguments: [
        ([0xC0, 0x80] as [UInt8], 0),  // overlong NUL
        ([0x61, 0xED, 0xA0, 0x80], 1),  // UTF-16 surrogate
        ([0xF4, 0x90, 0x80, 0x80], 0),  // past U+10FFFF
        ([0x61, 0x62, 0xE2, 0x82], 2),  // truncated sequence
        ([0x80], 0),  // lone continuation byte
    ])
    func validatorFindsFirstBadByte(bytes: [UInt8], offset: Int) {
        #expect(UTF8Validation.firstInvalidOffset(bytes) == offset)
    }

    @Test func validatorAcceptsValidText() {
        #expect(UTF8Validation.firstInvalidOffset(Array("héllo 👩‍👩‍👧 日本".utf8)) == nil)
    }

    @Test func missingFileIsAnError() {
        #expect(throws: InputError.self) { try LineReader(path: "/nonexistent/copygen-file") }
    }
}

@Suite struct AtomicFileTests {
    @Test func writesAndReplaces() throws {
        let dir = NSTemporaryDirectory() + "copygen-atomic-\(UUID().uuidString)"
        try AtomicFile.createDirectory(dir + "/nested")
        let path = dir + "/nested/out.txt"
        try AtomicFile.write("first", to: path)
        try AtomicFile.write("second", to: path)
        #expect(try FileContents.readText(path) == "second")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir + "/nested")
        #expect(leftovers == ["out.txt"])
    }

    @Test func failedFillKeepsOldContent() throws {
        struct Boom: Error {}
        let dir = NSTemporaryDirectory() + "copygen-atomic-\(UUID().uuidString)"
        try AtomicFile.createDirectory(dir)
        let path = dir + "/keep.txt"
        try AtomicFile.write("old", to: path)
        #expect(throws: Boom.self) {
            try AtomicFile.write(to: path) { sink in
                try sink.append("partial")
                throw Boom()
            }
        }
        #expect(try FileContents.readText(path) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["keep.txt"])
    }

    @Test func unwritableDirectoryIsAnError() {
        #expect(throws: FileWriteError.self) { try AtomicFile.write("x", to: "/proc/copygen-no/x.txt") }
    }
}
