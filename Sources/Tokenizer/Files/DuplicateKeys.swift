import Foundation

/// Finds a key that appears twice in one JSON object. Foundation's parser keeps one of the two
/// silently, so a vocabulary listing the same token twice would load with whichever id it kept;
/// copygen refuses such a file instead.
enum DuplicateKeys {
    /// The first repeated key (decoded) and the byte offset of its second appearance, or nil.
    /// `bytes` must already have parsed as JSON: this scan checks keys only, not syntax.
    static func first(in bytes: [UInt8]) -> (key: String, offset: Int)? {
        // One frame per open object or array; arrays carry no keys.
        struct Frame { var keys: Set<[UInt8]>?; var expectingKey: Bool }
        var stack: [Frame] = []
        var i = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "{"): stack.append(Frame(keys: [], expectingKey: true))
            case UInt8(ascii: "["): stack.append(Frame(keys: nil, expectingKey: false))
            case UInt8(ascii: "}"), UInt8(ascii: "]"): if !stack.isEmpty { stack.removeLast() }
            case UInt8(ascii: ","): if let top = stack.indices.last, stack[top].keys != nil { stack[top].expectingKey = true }
            case UInt8(ascii: "\""):
                let start = i
                var escaped = false
                i += 1
                while i < bytes.count {
                    if bytes[i] == UInt8(ascii: "\\") { escaped = true; i += 2; continue }
                    if bytes[i] == UInt8(ascii: "\"") { break }
                    i += 1
                }
                if let top = stack.indices.last, stack[top].keys != nil, stack[top].expectingKey {
                    stack[top].expectingKey = false
                    let quoted = Array(bytes[start...min(i, bytes.count - 1)])
                    // Keys are compared as text: escapes spell one key several ways ("a", "\u0061").
                    let key = escaped ? Array(decode(quoted).utf8) : Array(quoted.dropFirst().dropLast())
                    if !stack[top].keys!.insert(key).inserted {
                        return (String(decoding: key, as: UTF8.self), start)
                    }
                }
            default: break
            }
            i += 1
        }
        return nil
    }

    /// The text of a quoted JSON string with escapes.
    private static func decode(_ quoted: [UInt8]) -> String {
        (try? JSONSerialization.jsonObject(with: Data(quoted), options: .fragmentsAllowed)) as? String
            ?? String(decoding: quoted, as: UTF8.self)
    }
}
