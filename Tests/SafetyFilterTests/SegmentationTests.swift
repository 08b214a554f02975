import Foundation
import Testing
@testable import SafetyFilter

/// The fast path's word segments must be ICU's: the same words at the same offsets.
@Suite struct SegmentationTests {
    static func words(_ segments: [Segment]) -> [[Int]] {
        segments.filter(\.isWord).map { [$0.start, $0.end] }
    }

    static let samples = [
        "Hi, world 42!", "don't stop", "e.g. f.u.c.k", "f_u_c_k", "3.14 and 1,000,000", "a:b c;d",
        "line\r\nbreak", "tabs\tand  spaces", "it’s “quoted” — ok…", "emoji 👍🏽 and 👨‍👩‍👧 family",
        "a\u{FE0F}b", "price: $5.99!", "#hashtag @mention", "snake_case and kebab-case", "x.y.z.", "U.S.A.",
        "¿que? ¡no!", "100% · great", "can’t’ve", "'quoted'", "a''b", "1.2.3", "a.1", "1.a",
    ]

    @Test(arguments: samples)
    func fastPathAgreesWithICU(_ text: String) throws {
        let scalars = Array(text.unicodeScalars)
        try #require(WordSegmentation.isSimple(scalars) || text.utf8.allSatisfy { $0 < 0x80 })
        #expect(Self.words(WordSegmentation.simpleSegments(scalars)) == Self.words(WordSegmentation.icuSegments(text, scalars: scalars)))
    }

    @Test func lettersOutsideASCIILeaveTheFastPath() {
        #expect(!WordSegmentation.isSimple(Array("café".unicodeScalars)))
        #expect(!WordSegmentation.isSimple(Array("fu\u{200B}ck".unicodeScalars)))
        #expect(WordSegmentation.isSimple(Array("it’s 👍".unicodeScalars)))
    }

    /// Real tweets (../shared/data), when present: every line on the fast path must agree with ICU.
    @Test(.enabled(if: SharedData.brandTweets != nil, "../shared/data/corpora/brand_tweets.jsonl not found; skipped"))
    func fastPathAgreesWithICUOnBrandTweets() throws {
        var checked = 0
        for text in SharedData.brandTweets ?? [] {
            let scalars = Array(text.unicodeScalars)
            guard WordSegmentation.isSimple(scalars) else { continue }
            #expect(Self.words(WordSegmentation.simpleSegments(scalars)) == Self.words(WordSegmentation.icuSegments(text, scalars: scalars)), "\(text)")
            checked += 1
        }
        #expect(checked > 1000)
    }
}

/// Reference data outside the repository (../shared/data), when present.
enum SharedData {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("../shared/data").standardizedFileURL

    /// The `text` fields of corpora/brand_tweets.jsonl, or nil when the file is absent.
    static let brandTweets: [String]? = {
        guard let data = FileManager.default.contents(atPath: root.appendingPathComponent("corpora/brand_tweets.jsonl").path) else {
            print("SharedData: ../shared/data/corpora/brand_tweets.jsonl not found; tests that need it are skipped")
            return nil
        }
        return data.split(separator: UInt8(ascii: "\n")).compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])?["text"] as? String
        }
    }()
}
