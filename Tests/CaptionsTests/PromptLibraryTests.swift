import Foundation
import Testing
@testable import Captions

/// The repository's Prompts/ directory.
let shippedPrompts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Prompts").path

func writeTemporary(_ text: String, name: String) throws -> String {
    let dir = NSTemporaryDirectory() + "copygen-prompts-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = dir + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite struct PromptLibraryTests {
    @Test func shippedPromptsLoad() throws {
        let library = try PromptLibrary.load(directory: shippedPrompts)
        #expect(Set(library.platforms.keys) == ["instagram", "x", "linkedin", "facebook", "tiktok", "threads"])
        #expect(Set(library.tones.keys) == ["playful", "professional", "urgent", "inspirational", "friendly", "luxury"])
        #expect(library.platforms["x"]?.maxCharacters == 280)
        #expect(library.platforms["instagram"]?.previewCharacters == 125)
        #expect(try library.platform("X").name == "x")
        #expect(throws: UnknownNameError.self) { try library.platform("myspace") }
    }

    @Test func xCountsURLsAndWideCharactersItsWay() throws {
        let x = try PromptLibrary.load(directory: shippedPrompts).platforms["x"]!
        #expect(x.characterCount("hello") == 5)
        #expect(x.characterCount("see https://example.com/a/very/long/path/indeed now") == 4 + 23 + 4)
        #expect(x.characterCount("日本語") == 6)
        #expect(x.characterCount("👩‍👩‍👧") == 1)
    }

    @Test func templateRenderingCollapsesEmptySlots() {
        let template = PostTemplate(name: "t", description: "", layout: "{post}\n\n{call_to_action}\n\n{hashtags}\n")
        #expect(template.render(["post": "Hi there.", "hashtags": "#a #b"]) == "Hi there.\n\n#a #b")
        #expect(template.render(["post": "Hi there."]) == "Hi there.")
    }

    @Test(arguments: [
        ("name: x\ndisplay_name: X\nmax_charcters: 280\n", "x.yaml:3: key 'max_charcters': unknown key"),
        ("name: y\n", "x.yaml:1: key 'name': 'y' does not match the file name 'x'"),
        ("name: x\ndisplay_name: X\nmax_characters: lots\n", "key 'max_characters': expected a whole number"),
        ("name: [x\n", "x.yaml:2: not valid YAML"),
        ("- a\n- b\n", "expected a mapping"),
        ("name: x\ndisplay_name: X\nmax_characters: 280\nhashtags: {min: 4, max: 2}\n", "key 'hashtags.min': min 4 is above max 2"),
    ])
    func brokenPlatformFilesNameFileLineAndKey(yaml: String, expected: String) throws {
        let path = try writeTemporary(yaml, name: "x.yaml")
        do {
            _ = try PromptLibrary.loadPlatform(path: path)
            Issue.record("expected an error")
        } catch let error as PromptFileError {
            #expect(error.description.contains(expected), "\(error.description)")
            #expect(error.description.hasPrefix(path))
        }
    }

    @Test func templateWithUnknownSlotIsRefused() throws {
        let path = try writeTemporary("name: t\ndescription: d\nlayout: \"{post} {hashtag}\"\n", name: "t.yaml")
        #expect(throws: PromptFileError.self) { try PromptLibrary.loadTemplate(path: path) }
        let noPost = try writeTemporary("name: t\ndescription: d\nlayout: \"{hashtags}\"\n", name: "t.yaml")
        #expect(throws: PromptFileError.self) { try PromptLibrary.loadTemplate(path: noPost) }
    }
}
