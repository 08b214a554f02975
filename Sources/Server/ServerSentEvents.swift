import Hummingbird

/// Server-sent events (`text/event-stream`): each event is `event:` (when named) and one `data:`
/// line of JSON, then a blank line. JSON never holds a raw newline, so one line always suffices.
enum ServerSentEvents {
    static let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"]

    static func event(_ value: some Encodable, name: String? = nil) -> ByteBuffer {
        var text = ""
        if let name { text += "event: \(name)\n" }
        text += "data: \(JSONOutput.line(value))\n\n"
        return ByteBuffer(string: text)
    }
}
