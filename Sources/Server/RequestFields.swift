import Foundation
import Hummingbird

/// A request's JSON object, read field by field. Each accessor throws an `APIError` naming the
/// field (400) when it has the wrong type or is out of range; `finish` refuses fields the
/// endpoint does not know, so that a misspelt option is not silently ignored.
struct RequestFields {
    private let values: [String: JSONValue]
    private var read: Set<String> = []

    /// Reads the body (at most `ServerConfiguration.maximumBodyBytes`, else 413), checks that it
    /// is UTF-8 and parses it as one JSON object.
    static func read(_ request: Request) async throws -> RequestFields {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > ServerConfiguration.maximumBodyBytes {
            throw APIError.tooLarge()
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: ServerConfiguration.maximumBodyBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.tooLarge()
        }
        return try parse(Array(buffer.readableBytesView))
    }

    static func parse(_ bytes: [UInt8]) throws -> RequestFields {
        if bytes.isEmpty { throw APIError(.badRequest, "the request body is empty; send a JSON object") }
        if String(validating: bytes, as: UTF8.self) == nil {
            let offset = Self.firstInvalidUTF8(bytes)
            throw APIError(.badRequest, "the request body is not valid UTF-8 (first bad byte at offset \(offset))")
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw APIError(.badRequest, "the request body is not valid JSON: \(Self.describe(error))")
        }
        guard case .object(let values) = value else {
            throw APIError(.badRequest, "the request body must be a JSON object, not \(value.kind)")
        }
        return RequestFields(values: values)
    }

    /// The offset of the first byte that does not start or continue a valid UTF-8 character.
    /// Valid UTF-8 is a run of whole characters of 1 to 4 bytes, none a prefix of another.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            guard let length = (1...4).first(where: { i + $0 <= bytes.count && String(validating: bytes[i..<(i + $0)], as: UTF8.self) != nil })
            else { return i }
            i += length
        }
        return i
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        }
        return "\(error)"
    }

    private mutating func value(_ name: String) -> JSONValue? {
        read.insert(name)
        guard let value = values[name], value != .null else { return nil }
        return value
    }

    mutating func string(_ name: String) throws -> String? {
        guard let value = value(name) else { return nil }
        guard case .string(let text) = value else { throw APIError.badField(name, "must be a string, got \(value.kind)") }
        return text
    }

    mutating func requiredString(_ name: String) throws -> String {
        guard let text = try string(name) else { throw APIError.badField(name, "is required") }
        return text
    }

    mutating func bool(_ name: String) throws -> Bool? {
        guard let value = value(name) else { return nil }
        guard case .bool(let flag) = value else { throw APIError.badField(name, "must be true or false, got \(value.kind)") }
        return flag
    }

    mutating func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = value(name) else { return nil }
        guard case .number(_, let integer?, _) = value else {
            throw APIError.badField(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound), got \(value.kind == "a number" ? "a fraction or a number too large" : value.kind)")
        }
        guard integer >= range.lowerBound && integer <= range.upperBound else {
            throw APIError.badField(name, "must be from \(range.lowerBound) to \(range.upperBound), got \(integer)")
        }
        return Int(integer)
    }

    mutating func seed(_ name: String) throws -> UInt64? {
        guard let value = value(name) else { return nil }
        guard case .number(_, _, let unsigned?) = value else {
            throw APIError.badField(name, "must be a whole number from 0 to \(UInt64.max), got \(value.kind)")
        }
        return unsigned
    }

    /// A number, checked by `problem` (which returns why it is unusable, or nil).
    mutating func float(_ name: String, problem: (Float) -> String? = { _ in nil }) throws -> Float? {
        guard let value = value(name) else { return nil }
        guard case .number(let number, _, _) = value else { throw APIError.badField(name, "must be a number, got \(value.kind)") }
        let float = Float(number)
        if let problem = problem(float) { throw APIError.badField(name, problem) }
        return float
    }

    mutating func strings(_ name: String) throws -> [String]? {
        guard let value = value(name) else { return nil }
        guard case .array(let items) = value else { throw APIError.badField(name, "must be an array of strings, got \(value.kind)") }
        return try items.map { item in
            guard case .string(let text) = item else { throw APIError.badField(name, "must be an array of strings, got \(item.kind) in it") }
            return text
        }
    }

    /// Refuses fields that were never asked for.
    func finish() throws {
        if let unknown = values.keys.sorted().first(where: { !read.contains($0) }) {
            throw APIError.badField(unknown, "unknown field (known: \(read.sorted().joined(separator: ", ")))")
        }
    }
}
