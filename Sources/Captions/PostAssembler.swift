import Foundation
/// Turns the model's text into a finished post for one platform: hashtags moved into the block
/// and sized to the platform's range, a call to action, the template's layout, and the whole
/// within the platform's character limit (always: the last step cuts until it fits).
public struct PostAssembler: Sendable {
    public let rules: PlatformRules
    public let template: PostTemplate
    public let topic: String
    /// Hashtags to add, after the model's own and the topic's, when the platform wants more.
    public let extraHashtags: [String]

    public init(rules: PlatformRules, template: PostTemplate, topic: String, extraHashtags: [String] = []) {
        self.rules = rules
        self.template = template
        self.topic = topic
        self.extraHashtags = extraHashtags
    }

    /// The `plain` template (layout exactly `{post}`): the model's text is kept as written.
    public var isPlain: Bool { template.layout.trimmingCharacters(in: .whitespacesAndNewlines) == "{post}" }

    /// What the model's text leaves room for: the platform's limit less the template around it
    /// (with `callToAction` and a block of up to three hashtags, or the platform's minimum if higher).
    public func textBudget(callToAction: String) -> Int {
        guard !isPlain else { return rules.maxCharacters }
        let tags = Array((Hashtags.fromTopic(topic) + extraHashtags + Array(repeating: "#PlaceholderTag", count: 30))
            .prefix(min(rules.hashtags.upperBound, max(rules.hashtags.lowerBound, 3))))
        let frame = render(body: "x", tags: tags, callToAction: callToAction)
        return max(20, rules.maxCharacters - (rules.characterCount(frame) - 1))
    }

    /// The parts of an assembled post.
    public struct Assembly: Sendable, Equatable {
        /// The finished post, within the platform's limit.
        public var text: String
        /// The model's words in it (hashtags moved out), for the score.
        public var body: String
        /// The hashtags the model wrote itself (trailing and inline).
        public var modelHashtagCount: Int
    }

    /// The finished post for `draft` (the model's text, already cut at a boundary), or nil when
    /// nothing of it fits.
    public func assemble(draft: String, callToAction: String) -> Assembly? {
        let limit = rules.maxCharacters
        if isPlain {
            let text = TextBoundaries.cut(draft, toFit: limit, count: rules.characterCount)
            return text.isEmpty ? nil : Assembly(text: text, body: text, modelHashtagCount: Hashtags.all(in: text).count)
        }
        var (body, modelTags) = Hashtags.splitTrailing(draft)
        body = styled(Hashtags.limitingInline(body, maximum: rules.hashtags.upperBound))
        let inline = Hashtags.all(in: body)
        let modelCount = modelTags.count + inline.count
        // Most of the model's closing tags are about something else ("#Headphones" under a
        // lavender farm's post; Benchmarks/results/README.md): only those about the topic, or the
        // tone's own, stay, and the topic's tags fill the block up to the platform's minimum.
        let toneTags = Set(extraHashtags.map { $0.lowercased() })
        let keptTags = modelTags.filter { Hashtags.isAbout($0, topic: topic) || toneTags.contains($0.lowercased()) }
        var tags = Hashtags.block(modelTags: keptTags, fallback: Hashtags.fromTopic(topic) + extraHashtags,
                                  inline: inline, range: rules.hashtags)
        var callToAction = rules.callToAction == .none ? "" : callToAction
        guard !body.isEmpty else { return nil }

        // Shrink until it fits: hashtags down to the minimum, then the body (at a boundary), then
        // without the call to action, then without hashtags.
        var text = render(body: body, tags: tags, callToAction: callToAction)
        if rules.characterCount(text) > limit {
            tags = Array(tags.prefix(max(0, rules.hashtags.lowerBound - inline.count)))
            text = render(body: body, tags: tags, callToAction: callToAction)
        }
        for attempt in 0..<4 where rules.characterCount(text) > limit {
            if attempt == 2 { callToAction = "" }
            if attempt == 3 { tags = [] }
            let frame = rules.characterCount(render(body: "x", tags: tags, callToAction: callToAction)) - 1
            let shorter = TextBoundaries.cut(body, toFit: limit - frame, count: rules.characterCount)
            if !shorter.isEmpty { body = shorter }
            text = render(body: body, tags: tags, callToAction: callToAction)
        }
        if rules.characterCount(text) > limit {
            text = TextBoundaries.cut(text, toFit: limit, count: rules.characterCount)
        }
        return text.isEmpty ? nil : Assembly(text: text, body: body, modelHashtagCount: modelCount)
    }

    func render(body: String, tags: [String], callToAction: String) -> String {
        template.render(["post": body, "call_to_action": callToAction, "hashtags": tags.joined(separator: " "), "topic": topic])
    }

    /// The body in the platform's style: one paragraph where line breaks are not used; no emoji
    /// where the platform uses none.
    func styled(_ body: String) -> String {
        var text = body
        if rules.emoji == .none {
            text = String(text.filter { character in
                !character.unicodeScalars.contains(where: { scalar in
                    scalar.properties.isEmojiPresentation || (scalar.properties.isEmoji && scalar.value > 0xFF)
                })
            })
        }
        if rules.lineBreaks == .none {
            text = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.joined(separator: " ")
        }
        // Runs of spaces left by the edits above.
        while text.contains("  ") { text = text.replacingOccurrences(of: "  ", with: " ") }
        return TextBoundaries.trimmingTrailingWhitespace(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
