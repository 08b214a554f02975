import Foundation

/// A parsed JSON value, so that a request's fields can be checked one by one with messages that
/// name them (a decoder's own errors speak of coding paths).
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    /// A number, with its exact integer value when it has one.
    case number(Double, integer: Int64?, unsigned: UInt64?)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null; return }
        if let value = try? container.decode(Bool.self) { self = .bool(value); return }
        if let value = try? container.decode(Int64.self) { self = .number(Double(value), integer: value, unsigned: value >= 0 ? UInt64(value) : nil); return }
        if let value = try? container.decode(UInt64.self) { self = .number(Double(value), integer: nil, unsigned: value); return }
        if let value = try? container.decode(Double.self) { self = .number(value, integer: nil, unsigned: nil); return }
        if let value = try? container.decode(String.self) { self = .string(value); return }
        if let value = try? container.decode([JSONValue].self) { self = .array(value); return }
        self = .object(try container.decode([String: JSONValue].self))
    }

    /// What the value is, for messages ("got a string").
    var kind: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
