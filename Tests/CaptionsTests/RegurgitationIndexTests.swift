import Corpus
import Foundation
import Testing
import Tokenizer
@testable import Captions

@Suite struct RegurgitationIndexTests {
    static let records: [CaptionRecord] = Array(try! CorpusReader.readAll(path: Fixture.corpusPath).prefix(300))
    static let index = RegurgitationIndex.build(records: records, tokenizer: Fixture.tokenizer)

    @Test func aTrainingCaptionAndAnyTwelveOfItsTokensAreCopies() throws {
        let tokens = Fixture.tokenizer.encode(Self.records[7].text)
        try #require(tokens.count >= 20)
        #expect(Self.index.containsCopy(tokens))
        // Twelve of its tokens between novel text are a copy; eleven are not.
        let novel = Fixture.tokenizer.encode("Zebra umbrellas juggle quietly at dawn,")
        #expect(Self.index.containsCopy(novel + Array(tokens[3..<15]) + novel))
        #expect(Self.index.firstCopiedRun(novel + Array(tokens[3..<15])) == novel.count)
        #expect(!Self.index.containsCopy(novel + Array(tokens[3..<14]) + novel))
        #expect(!Self.index.containsCopy(Fixture.tokenizer.encode("A sentence no caption in the corpus has ever contained, written for this test alone.")))
    }

    @Test func savedAndLoadedIsTheSameIndex() throws {
        let path = NSTemporaryDirectory() + "ngrams-\(UUID().uuidString).bin"
        try Self.index.save(to: path)
        let loaded = try RegurgitationIndex.load(from: path)
        #expect(loaded == Self.index)
        #expect(loaded.count > 1000 && loaded.gramLength == 12)
        try loaded.checkMatches(Fixture.tokenizer, path: path)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(size == 32 + 8 * loaded.count)
    }

    @Test func truncatedForeignAndMismatchedFilesAreRefusedInOneLine() throws {
        let path = NSTemporaryDirectory() + "ngrams-\(UUID().uuidString).bin"
        try Self.index.save(to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))

        let truncated = path + ".truncated"
        try bytes.prefix(bytes.count - 5).write(to: URL(fileURLWithPath: truncated))
        let short = path + ".short"
        try bytes.prefix(10).write(to: URL(fileURLWithPath: short))
        let foreign = path + ".foreign"
        try Data("{\"not\": \"an index\", \"padding\": 123456789}".utf8).write(to: URL(fileURLWithPath: foreign))
        for bad in [truncated, short, foreign] {
            #expect {
                _ = try RegurgitationIndex.load(from: bad)
            } throws: { error in
                let text = String(describing: error)
                return error is RegurgitationIndexError && text.hasPrefix(bad + ": ") && !text.contains("\n")
            }
        }
        // An index made with another tokenizer's ids.
        let other = try TokenizerTrainer(minimumPairCount: 1).train(texts: ["fresh coffee every morning", "coffee and cake"], vocabularySize: 270)
        #expect(throws: RegurgitationIndexError.self) { try Self.index.checkMatches(other, path: path) }
    }

    @Test func captionsShorterThanTwelveTokensAddNothing() {
        let index = RegurgitationIndex.build(records: [CaptionRecord(text: "Short and sweet.")], tokenizer: Fixture.tokenizer)
        #expect(index.count == 0)
        #expect(!index.containsCopy(Fixture.tokenizer.encode("Short and sweet.")))
    }
}
