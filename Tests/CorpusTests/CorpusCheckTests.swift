import Testing
@testable import Corpus

@Suite struct CorpusCheckTests {
    @Test func reportsCountsWarningsAndErrorsWithoutStopping() throws {
        let path = try temporaryCorpus("""
            {"text": "Cold brew season is here", "topic": "cold brew", "platform": "x", "tone": "playful"}
            {"text": "Cold brew season is here", "topic": "cold brew", "platform": "x", "tone": "playful"}
            {"text": "\(String(repeating: "long ", count: 60))", "platform": "x"}
            {"text": "Meet us at the fair", "platform": "myspace", "tone": "grumpy"}
            not json at all
            {"text": "Last one", "platform": "linkedin", "tone": "professional"}
            """, suffix: ".jsonl")
        let report = try CorpusCheck.run(path: path)
        #expect(report.captions == 5)
        #expect(report.errors.count == 1)
        #expect(report.errors[0].contains(":5: not valid JSON"))
        #expect(report.perPlatform["x"] == 3)
        #expect(report.warnings.contains { $0.contains(":2: the same caption as line 1") })
        #expect(report.warnings.contains { $0.contains(":3: 300 characters, over the x limit of 280") })
        #expect(report.warnings.contains { $0.contains("unknown platform \"myspace\"") })
        #expect(report.warnings.contains { $0.contains("unknown tone \"grumpy\"") })
        #expect(report.rendered().contains("1 errors, 4 warnings"))
    }

    @Test func validationSplitIsDeterministicAndAboutTenPercent() {
        let texts = (0..<5000).map { "caption number \($0) about something" }
        let chosen = texts.filter(ValidationSplit.contains)
        #expect(chosen == texts.filter(ValidationSplit.contains))
        // Binomial(5000, 0.1): mean 500, std ≈ 21; ±100 is almost five standard deviations.
        #expect((400...600).contains(chosen.count))
        // FNV-1a reference values, shared with Corpora/tools/build_corpus.py.
        #expect(ValidationSplit.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(ValidationSplit.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
    }

    @Test func nearDuplicatesFindsSharedWording() {
        let texts = [
            "Our new oat latte is creamy, smooth and ready for your morning commute",
            "Our new oat latte is creamy, smooth and ready for your evening commute",
            "Book a free roof inspection before the winter storms arrive",
        ]
        let found = NearDuplicates.find(texts, threshold: 0.5)
        #expect(found.pairs.map { [$0.first, $0.second] } == [[0, 1]])
        #expect(found.highest!.similarity > 0.6 && found.highest!.similarity < 1)
        #expect(NearDuplicates.find([texts[0], texts[2]]).pairs.isEmpty)
    }
}
