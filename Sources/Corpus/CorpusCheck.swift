import Support

/// What `copygen corpus check` finds in a corpus: counts, length statistics and problems.
///
/// Errors make a corpus unusable (a line that is not a caption: bad JSON, no text, bad UTF-8);
/// warnings are worth a look but do not stop training (an unknown platform, a post over its
/// platform's limit, the same caption twice).
public struct CorpusReport: Sendable {
    public var source: String
    public var format: CorpusFormat
    public var captions = 0
    public var validationCaptions = 0
    public var perPlatform: [String: Int] = [:]
    public var perTone: [String: Int] = [:]
    public var perIndustry: [String: Int] = [:]
    public var topics = Set<String>()
    /// Characters (grapheme clusters) per caption.
    public var lengths: [Int] = []
    public var errors: [String] = []
    public var warnings: [String] = []
    /// The most similar pair of captions by word 3-shingle Jaccard, when asked for.
    public var highestSimilarity: (Double, String, String)? = nil

    public var hasErrors: Bool { !errors.isEmpty }

    /// A human-readable summary, one fact a line.
    public func rendered(maximumProblems: Int = 20) -> String {
        var out: [String] = []
        out.append("\(source): \(format.rawValue), \(captions) captions (\(validationCaptions) in the validation split), \(topics.count) topics")
        func line(_ title: String, _ counts: [String: Int]) {
            if counts.isEmpty { return }
            let parts = counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }
            out.append("\(title): " + parts.joined(separator: ", "))
        }
        line("platforms", perPlatform)
        line("tones", perTone)
        line("industries", perIndustry)
        if !lengths.isEmpty {
            let sorted = lengths.sorted()
            let mean = Double(sorted.reduce(0, +)) / Double(sorted.count)
            out.append("characters: min \(sorted.first!), median \(sorted[sorted.count / 2]), mean \(Int(mean.rounded())), max \(sorted.last!)")
        }
        if let (similarity, a, b) = highestSimilarity {
            out.append("highest word-3-shingle similarity: \(String(format2: similarity)) (\(a) ~ \(b))")
        }
        for (title, list) in [("error", errors), ("warning", warnings)] {
            for problem in list.prefix(maximumProblems) { out.append("\(title): \(problem)") }
            if list.count > maximumProblems { out.append("… and \(list.count - maximumProblems) more \(title)s") }
        }
        out.append("\(errors.count) errors, \(warnings.count) warnings")
        return out.joined(separator: "\n")
    }
}

extension String {
    init(format2 value: Double) {
        let scaled = Int((value * 1000).rounded())
        self = "\(scaled / 1000).\(String(repeating: "0", count: 3 - String(scaled % 1000).count))\(scaled % 1000)"
    }
}

/// Validates a corpus file against the schema and gathers its statistics.
public enum CorpusCheck {
    /// Reads every line of `path` (nil for standard input), collecting problems instead of
    /// stopping at the first. `nearDuplicates` adds the similarity search (slower on big files).
    public static func run(path: String?, format: CorpusFormat? = nil, lossy: Bool = false,
                           nearDuplicates: Bool = false) throws -> CorpusReport {
        let reader = try CorpusReader(path: path, format: format, lossy: lossy)
        var report = CorpusReport(source: reader.sourceName, format: reader.format)
        var firstSeen: [String: Int] = [:]
        var records: [CaptionRecord] = []
        while let result = try reader.nextResult() {
            switch result {
            case .failure(let error):
                report.errors.append(error.description)
            case .success(let record):
                add(record, to: &report, firstSeen: &firstSeen)
                if nearDuplicates { records.append(record) }
            }
        }
        if report.captions == 0 && report.errors.isEmpty {
            report.errors.append("\(reader.sourceName): no captions")
        }
        if nearDuplicates {
            let found = NearDuplicates.find(records.map(\.text))
            if let best = found.highest {
                report.highestSimilarity = (best.similarity, where_(records[best.first]), where_(records[best.second]))
            }
            for pair in found.pairs {
                report.warnings.append("near-duplicate captions (similarity \(String(format2: pair.similarity))): \(where_(records[pair.first])) and line \(records[pair.second].line)")
            }
        }
        return report
    }

    private static func where_(_ record: CaptionRecord) -> String { "\(record.source):\(record.line)" }

    private static func add(_ record: CaptionRecord, to report: inout CorpusReport, firstSeen: inout [String: Int]) {
        let place = where_(record)
        report.captions += 1
        if record.isValidation { report.validationCaptions += 1 }
        let length = record.text.count
        report.lengths.append(length)
        if let platform = record.platform {
            report.perPlatform[platform, default: 0] += 1
            if !Platform.known.contains(platform) {
                report.warnings.append("\(place): unknown platform \"\(platform)\" (known: \(Platform.known.joined(separator: ", ")))")
            } else if let limit = Platform.characterLimit[platform], length > limit {
                report.warnings.append("\(place): \(length) characters, over the \(platform) limit of \(limit)")
            }
        }
        if let tone = record.tone {
            report.perTone[tone, default: 0] += 1
            if !Tone.known.contains(tone) {
                report.warnings.append("\(place): unknown tone \"\(tone)\" (known: \(Tone.known.joined(separator: ", ")))")
            }
        }
        if let industry = record.industry { report.perIndustry[industry, default: 0] += 1 }
        if let topic = record.topic { report.topics.insert(topic.lowercased()) }
        if let earlier = firstSeen[record.text] {
            report.warnings.append("\(place): the same caption as line \(earlier)")
        } else {
            firstSeen[record.text] = record.line
        }
    }
}
