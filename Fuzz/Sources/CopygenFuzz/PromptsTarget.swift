import Captions
import Foundation

/// The Prompts/ readers. First byte: 0 = a platform file (read as `instagram.yaml`, so its `name`
/// must be instagram), 1 = a template file, 2 = `tones.yaml`. What loads is then used: the
/// platform counts characters, the template renders.
enum PromptsTarget {
    static let target = FuzzTarget(name: "prompts", run: run, seeds: seeds)

    static func run(_ input: UnsafeRawBufferPointer) {
        let (mode, payload) = splitMode(input, count: 3)
        switch mode {
        case 0:
            guard let rules = try? PromptLibrary.loadPlatform(path: Scratch.write(payload, to: "instagram.yaml")) else { return }
            require(rules.hashtags.lowerBound >= 0, "negative hashtag count")
            let text = "Cold brew ☕ 日本 https://example.com/x and more 🧊"
            let count = rules.characterCount(text)
            require(count >= 0 && count <= 4 * text.count + 1000 * 2, "character count \(count) out of bounds")
        case 1:
            guard let template = try? PromptLibrary.loadTemplate(path: Scratch.write(payload, to: "template.yaml")) else { return }
            _ = template.render(["post": "A post.", "call_to_action": "Shop now", "hashtags": "#a #b", "topic": "tea"])
            _ = template.render([:])
        default:
            guard let tones = try? PromptLibrary.loadTones(path: Scratch.write(payload, to: "tones.yaml")) else { return }
            for tone in tones.values { require((0.05...2).contains(tone.temperature), "temperature \(tone.temperature) out of range") }
        }
    }

    static func seeds() throws -> [(name: String, bytes: [UInt8])] {
        var seeds: [(String, [UInt8])] = []
        for platform in ["instagram", "x", "linkedin"] {
            // Each platform file renamed to instagram, the name the target reads it under.
            let text = String(decoding: try repositoryFile("Prompts/platforms/\(platform).yaml"), as: UTF8.self)
                .replacingOccurrences(of: "name: \(platform)\n", with: "name: instagram\n")
            seeds.append(("platform-\(platform)", [0] + Array(text.utf8)))
        }
        for template in ["hook-body-cta", "plain", "short"] {
            seeds.append(("template-\(template)", [1] + (try repositoryFile("Prompts/templates/\(template).yaml"))))
        }
        seeds.append(("tones", [2] + (try repositoryLines("Prompts/tones.yaml", count: 40))))
        return seeds
    }
}
