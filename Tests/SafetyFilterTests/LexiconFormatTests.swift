import Support
import Testing
@testable import SafetyFilter

/// The lexicon line format, for the built-in file and users' `--lexicon FILE`.
@Suite struct LexiconFormatTests {
    @Test func parsesAllFieldsAndDefaults() throws {
        let entries = try LexiconFormat.parse("""
            # a comment

            acme sucks, acmesucks | brand | medium | inside | acme sucks less
            competitorname
            """, source: "mine.txt")
        #expect(entries.count == 2)
        #expect(entries[0] == LexiconEntry(forms: ["acme sucks", "acmesucks"], category: "brand", severity: .medium,
                                           matchesInsideWords: true, exceptions: ["acme sucks less"]))
        #expect(entries[1] == LexiconEntry(forms: ["competitorname"], category: "custom", severity: .high,
                                           matchesInsideWords: false, exceptions: []))
    }

    @Test(arguments: [
        ("ok\nbad | cat | extreme", 2, "unknown severity 'extreme'"),
        ("x | cat | low | anywhere", 1, "unknown match mode 'anywhere'"),
        ("a | b | low | word | e | f", 1, "expected at most 5 fields"),
        ("# c\n | cat", 2, "no forms"),
        ("!!! | cat", 1, "has no letters"),
        ("w | two words", 1, "must be one word"),
    ])
    func malformedLinesAreNamed(_ text: String, _ line: Int, _ message: String) {
        do {
            _ = try LexiconFormat.parse(text, source: "mine.txt")
            Issue.record("no error for \(text)")
        } catch let error as InputError {
            #expect(error.description.hasPrefix("mine.txt:\(line): "), "\(error)")
            #expect(error.description.contains(message), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func userEntriesAreMatchedWithEvasions() throws {
        let extra = try LexiconFormat.parse("megacorp | competitor | low", source: "mine.txt")
        let filter = try SafetyFilter(extraLexicon: extra)
        for text in ["try MegaCorp instead", "m e g a c o r p", "m3gac0rp", "ｍｅｇａｃｏｒｐ"] {
            let finding = filter.findings(in: text).first
            #expect(finding?.category == "competitor", "\(text)")
            #expect(finding?.severity == .low)
        }
        #expect(filter.findings(in: "megacorporation").isEmpty)
    }

    @Test func builtInLexiconCoversEveryCategory() throws {
        let entries = try SafetyFilter.builtInLexicon()
        #expect(Set(entries.map(\.category)).isSuperset(of: ["profanity", "slur", "sexual", "violence", "drugs"]))
        #expect(entries.flatMap(\.forms).count > 200)
    }
}
