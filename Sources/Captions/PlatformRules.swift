import Foundation

/// A platform's limits and habits, read from `Prompts/platforms/NAME.yaml`.
public struct PlatformRules: Equatable, Sendable {
    public enum EmojiUse: String, Sendable, CaseIterable { case none, sparing, moderate, generous }
    public enum LineBreaks: String, Sendable, CaseIterable { case none, sentences, paragraphs }
    public enum CallToActionPlace: String, Sendable, CaseIterable { case start, end, none }

    public var name: String
    public var displayName: String
    /// The hard limit, counted the platform's way (`characterCount`).
    public var maxCharacters: Int
    /// Characters shown before "more", if the platform folds long posts.
    public var previewCharacters: Int?
    /// What one URL counts for, whatever its length (X: 23).
    public var urlCountsAs: Int?
    /// What a wide (East Asian) character counts for (X: 2).
    public var wideCharactersCountAs: Int
    public var hashtags: ClosedRange<Int>
    public var emoji: EmojiUse
    public var lineBreaks: LineBreaks
    public var callToAction: CallToActionPlace
    /// The template used when the user names none.
    public var template: String

    /// The length of `text` as this platform counts it: characters (grapheme clusters), with wide
    /// characters and URLs weighted as the platform says.
    public func characterCount(_ text: String) -> Int {
        var count = 0
        var remainder = Substring(text)
        if let urlWeight = urlCountsAs {
            // Each URL counts as a fixed weight; count the text around URLs normally.
            var pieces: [Substring] = []
            while let range = Self.firstURL(in: remainder) {
                pieces.append(remainder[remainder.startIndex..<range.lowerBound])
                count += urlWeight
                remainder = remainder[range.upperBound...]
            }
            pieces.append(remainder)
            return count + pieces.reduce(0) { $0 + weightedCount($1) }
        }
        return weightedCount(remainder)
    }

    private func weightedCount(_ text: Substring) -> Int {
        if wideCharactersCountAs == 1 { return text.count }
        return text.reduce(0) { total, character in
            total + (Self.isWide(character) ? wideCharactersCountAs : 1)
        }
    }

    /// East Asian wide characters: CJK ideographs, kana, Hangul, fullwidth forms.
    static func isWide(_ character: Character) -> Bool {
        guard let value = character.unicodeScalars.first?.value else { return false }
        return wideRanges.contains { $0.0 <= value && value <= $0.1 }
    }

    /// East Asian Width "W"/"F" blocks (Hangul Jamo, CJK, kana, Hangul syllables, fullwidth forms).
    private static let wideRanges: [(UInt32, UInt32)] = [
        (0x1100, 0x115F), (0x2E80, 0x303E), (0x3041, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
        (0xA000, 0xA4CF), (0xAC00, 0xD7A3), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFF60),
        (0xFFE0, 0xFFE6), (0x20000, 0x2FFFD), (0x30000, 0x3FFFD),
    ]

    /// The first "http://" or "https://" URL in `text` (up to the next whitespace).
    static func firstURL(in text: Substring) -> Range<Substring.Index>? {
        guard let start = text.range(of: "https://")?.lowerBound ?? text.range(of: "http://")?.lowerBound else { return nil }
        let end = text[start...].firstIndex(where: \.isWhitespace) ?? text.endIndex
        return start..<end
    }
}

/// A tone's definition, from `Prompts/tones.yaml`.
public struct ToneDefinition: Equatable, Sendable {
    public var name: String
    public var description: String
    /// The sampling temperature that suits this tone (used when the user gives none).
    public var temperature: Double
    public var callsToAction: [String]
    /// Hashtags that suit the tone, added after the model's own and the topic's when a platform
    /// wants more hashtags than those give (optional in tones.yaml).
    public var hashtags: [String] = []
}

/// A post's structure around the model's text, from `Prompts/templates/NAME.yaml` or `--template FILE`.
public struct PostTemplate: Equatable, Sendable {
    public static let slots = ["post", "call_to_action", "hashtags", "topic"]
    public var name: String
    public var description: String
    /// The post's shape, with `{slot}` placeholders.
    public var layout: String

    /// Fills the slots; lines that end up empty collapse so no run of blank lines remains.
    public func render(_ values: [String: String]) -> String {
        var text = layout
        for slot in Self.slots { text = text.replacingOccurrences(of: "{\(slot)}", with: values[slot] ?? "") }
        var lines: [String] = []
        for line in text.components(separatedBy: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty && (lines.last?.isEmpty ?? true) { continue }
            lines.append(trimmed.isEmpty ? "" : line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n").trimmingCharacters(in: .whitespaces)
    }
}
