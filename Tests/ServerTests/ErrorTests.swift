import Foundation
@testable import Server
import TestSupport
import Testing

/// Bad requests get a JSON error with the right status and a message naming the field; the
/// server goes on serving afterwards.
@Suite(.serialized) struct ErrorTests {
    /// Posts `body` raw and returns the status and the error's message and field.
    func refusal(_ server: RunningServer, _ path: String, _ body: [UInt8]) async throws -> (status: Int, message: String, field: String?) {
        let response = try await server.raw("POST", path, body: body)
        #expect(response.headers["content-type"]?.hasPrefix("application/json") == true, "\(path): \(response.text)")
        let detail = try response.errorDetail()
        return (response.status, detail.message, detail.field)
    }

    func refusal(_ server: RunningServer, _ path: String, json: String) async throws -> (status: Int, message: String, field: String?) {
        try await refusal(server, path, Array(json.utf8))
    }

    @Test func malformedBodies() async throws {
        try await withServer { server in
            for body in ["{\"topic\": ", "not json", "", "[1, 2]", "\"text\""] {
                let answer = try await refusal(server, "/v1/generate", json: body)
                #expect(answer.status == 400, "\(body): \(answer.message)")
                #expect(answer.field == nil)
            }
            let notObject = try await refusal(server, "/v1/filter", json: "[1, 2]")
            #expect(notObject.message.contains("JSON object"))
        }
    }

    @Test func wrongTypesNameTheField() async throws {
        try await withServer { server in
            let cases: [(String, String, String)] = [
                ("/v1/generate", #"{"topic": 5}"#, "topic"),
                ("/v1/generate", #"{"topic": "tea", "n": "3"}"#, "n"),
                ("/v1/generate", #"{"topic": "tea", "n": 2.5}"#, "n"),
                ("/v1/generate", #"{"topic": "tea", "seed": -1}"#, "seed"),
                ("/v1/generate", #"{"topic": "tea", "temperature": "hot"}"#, "temperature"),
                ("/v1/generate", #"{"topic": "tea", "platform": ["x"]}"#, "platform"),
                ("/v1/filter", #"{"text": true}"#, "text"),
                ("/v1/complete", #"{"prompt": "a", "stream": "yes"}"#, "stream"),
                ("/v1/complete", #"{"prompt": "a", "stop": [1]}"#, "stop"),
            ]
            for (path, body, field) in cases {
                let answer = try await refusal(server, path, json: body)
                #expect(answer.status == 400, "\(body)")
                #expect(answer.field == field, "\(body): \(answer.message)")
                #expect(answer.message.hasPrefix(field + ":"), "\(body): \(answer.message)")
            }
        }
    }

    @Test func missingUnknownAndOutOfRangeValues() async throws {
        try await withServer { server in
            let cases: [(String, String, String, String)] = [
                ("/v1/generate", #"{"platform": "x"}"#, "topic", "required"),
                ("/v1/generate", #"{"topic": "  \n "}"#, "topic", "empty"),
                ("/v1/generate", #"{"topic": "tea", "platform": "myspace"}"#, "platform", "instagram"),
                ("/v1/generate", #"{"topic": "tea", "tone": "grumpy"}"#, "tone", "playful"),
                ("/v1/generate", #"{"topic": "tea", "n": 0}"#, "n", "from 1 to 50"),
                ("/v1/generate", #"{"topic": "tea", "n": 51}"#, "n", "got 51"),
                ("/v1/generate", #"{"topic": "tea", "top_p": 1.5}"#, "top_p", "(0, 1]"),
                ("/v1/generate", #"{"topic": "tea", "temperature": -1}"#, "temperature", "≥ 0"),
                ("/v1/generate", #"{"topic": "tea", "template": "nope"}"#, "template", "unknown template"),
                ("/v1/generate", #"{"topic": "tea", "colour": "red"}"#, "colour", "unknown field"),
                ("/v1/filter", #"{"text": "a", "mode": "erase"}"#, "mode", "flag, mask, fix"),
                ("/v1/complete", #"{"prompt": "a", "max_tokens": 0}"#, "max_tokens", "from 1"),
                ("/v1/complete", #"{"prompt": "a", "stop": [""]}"#, "stop", "empty"),
            ]
            for (path, body, field, words) in cases {
                let answer = try await refusal(server, path, json: body)
                #expect(answer.status == 400, "\(body)")
                #expect(answer.field == field, "\(body): \(answer.message)")
                #expect(answer.message.contains(words), "\(body): \(answer.message)")
            }
        }
    }

    @Test func oversizedBodiesGet413() async throws {
        try await withServer { server in
            let text = String(repeating: "a", count: ServerConfiguration.maximumBodyBytes)
            let big = Array(#"{"text": "\#(text)"}"#.utf8)
            let answer = try await refusal(server, "/v1/filter", big)
            #expect(answer.status == 413)
            #expect(answer.message.contains("64 KB"))
            // Just under the limit is fine.
            let fits = String(repeating: "a", count: ServerConfiguration.maximumBodyBytes - 20)
            let response = try await server.raw("POST", "/v1/filter", body: Array(#"{"text": "\#(fits)"}"#.utf8))
            #expect(response.status == 200)
        }
    }

    @Test func invalidUTF8IsRefusedWithItsOffset() async throws {
        try await withServer { server in
            let body = Array(#"{"topic": "caf"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
            let answer = try await refusal(server, "/v1/generate", body)
            #expect(answer.status == 400)
            #expect(answer.message.contains("not valid UTF-8"))
            #expect(answer.message.contains("offset 14"))
        }
    }

    @Test func unknownRoutesAndMethodsAnswerInJSON() async throws {
        try await withServer { server in
            let missing = try await server.get("/v1/nothing")
            #expect(missing.status == 404)
            #expect(try missing.errorDetail().message.contains("/v1/nothing"))
            let wrongMethod = try await server.get("/v1/generate")
            #expect(wrongMethod.status == 405 || wrongMethod.status == 404)
            #expect(wrongMethod.headers["content-type"]?.hasPrefix("application/json") == true)
            // And the server still works.
            #expect(try await server.get("/health").status == 200)
        }
    }

    @Test func firstInvalidByteOffsets() {
        #expect(RequestFields.firstInvalidUTF8(Array("héllo".utf8)) == 6)
        #expect(RequestFields.firstInvalidUTF8([0x61, 0xFF, 0x62]) == 1)
        #expect(RequestFields.firstInvalidUTF8([0x61, 0xE2, 0x82]) == 1)
        #expect(RequestFields.firstInvalidUTF8(Array("🙂".utf8) + [0x80]) == 4)
    }
}
