import Captions
import Foundation
import Support

/// `GET /v1/options`: what a client may choose (platforms, tones, templates from Prompts/) and
/// facts about the loaded model from its directory (config.json and the card's title).
struct OptionsBody: Encodable, Sendable {
    struct Platform: Encodable, Sendable {
        var name: String
        var displayName: String
        var maxCharacters: Int
        var hashtags: [Int]
        var template: String
        enum CodingKeys: String, CodingKey {
            case name, hashtags, template
            case displayName = "display_name", maxCharacters = "max_characters"
        }
    }
    struct Tone: Encodable, Sendable {
        var name: String
        var description: String
        var temperature: Double
    }
    struct Template: Encodable, Sendable {
        var name: String
        var description: String
    }
    struct Model: Encodable, Sendable {
        var name: String
        var title: String?
        var parameters: Int
        var layers, heads, embedding, context, vocabulary: Int
        var trainedSteps: Int?
        var validationLoss: Double?
        var hasWordList: Bool
        var hasNoCopyIndex: Bool
        enum CodingKeys: String, CodingKey {
            case name, title, parameters, layers, heads, embedding, context, vocabulary
            case trainedSteps = "trained_steps", validationLoss = "validation_loss"
            case hasWordList = "word_list", hasNoCopyIndex = "no_copy_index"
        }
    }

    var platforms: [Platform]
    var tones: [Tone]
    var templates: [Template]
    var model: Model
    var limits: [String: Int]

    init(prompts: PromptLibrary, model: CaptionModel) {
        platforms = prompts.platforms.values.sorted { $0.name < $1.name }.map {
            Platform(name: $0.name, displayName: $0.displayName, maxCharacters: $0.maxCharacters,
                     hashtags: [$0.hashtags.lowerBound, $0.hashtags.upperBound], template: $0.template)
        }
        tones = prompts.tones.values.sorted { $0.name < $1.name }.map { Tone(name: $0.name, description: $0.description, temperature: $0.temperature) }
        templates = prompts.templates.values.sorted { $0.name < $1.name }.map { Template(name: $0.name, description: $0.description) }
        let config = model.config
        let card = Self.card(directory: model.directory)
        self.model = Model(
            name: URL(fileURLWithPath: model.directory).standardizedFileURL.lastPathComponent, title: card.title,
            parameters: model.parameters.layout.count, layers: config.layers, heads: config.heads,
            embedding: config.embeddingSize, context: config.contextLength, vocabulary: config.vocabularySize,
            trainedSteps: card.steps, validationLoss: card.loss,
            hasWordList: model.wordList != nil, hasNoCopyIndex: model.regurgitationIndex != nil)
        limits = ["n_max": CaptionGenerator.maximumCount, "body_bytes_max": ServerConfiguration.maximumBodyBytes]
    }

    /// The card's title (README.md's first heading) and the training facts config.json records.
    static func card(directory: String) -> (title: String?, steps: Int?, loss: Double?) {
        let readme = try? FileContents.readText(directory + "/README.md")
        let title = readme?.split(separator: "\n").first { $0.hasPrefix("# ") }.map { String($0.dropFirst(2)) }
        guard let data = FileManager.default.contents(atPath: directory + "/config.json"),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let facts = object["copygen"] as? [String: Any]
        else { return (title, nil, nil) }
        let steps = (facts["trained_steps"] as? String).flatMap(Int.init)
        let loss = (facts["validation_loss"] as? String).flatMap(Double.init)
        return (title, steps, loss)
    }
}
