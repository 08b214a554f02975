/// Finds stop strings in text that arrives in pieces, and holds back text that might be the start
/// of one, so that a streamed stop string never appears, not even in part.
///
/// Works on UTF-8 bytes of whole characters (the streaming decoder's output). Everything before a
/// possible stop-string start is released at once; at most (longest stop string − 1) bytes wait.
public struct StopStringMatcher: Sendable {
    private let stops: [[UInt8]]
    private var pending: [UInt8] = []

    public init(_ stopStrings: [String]) {
        stops = stopStrings.map { Array($0.utf8) }.filter { !$0.isEmpty }
    }

    /// What adding `text` gives: the text now safe to show, and the stop string if one completed
    /// (then the text is everything before it, and the rest is discarded).
    public mutating func feed(_ text: String) -> (release: String, stop: String?) {
        if stops.isEmpty { return (text, nil) }
        pending.append(contentsOf: text.utf8)
        // The earliest match wins; a match can only start inside `pending`, since released text
        // never ends with a stop string's beginning.
        var earliest: (offset: Int, stop: Int)? = nil
        for (s, stop) in stops.enumerated() {
            if let offset = firstOffset(of: stop, in: pending), offset < (earliest?.offset ?? .max) { earliest = (offset, s) }
        }
        if let earliest {
            let before = String(decoding: pending[..<earliest.offset], as: UTF8.self)
            pending.removeAll()
            return (before, String(decoding: stops[earliest.stop], as: UTF8.self))
        }
        let hold = stops.map { longestSuffixPrefix(pending, $0) }.max() ?? 0
        let released = String(decoding: pending[..<(pending.count - hold)], as: UTF8.self)
        pending.removeFirst(pending.count - hold)
        return (released, nil)
    }

    /// The held-back text, released when the sequence ends without completing a stop string.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    private func firstOffset(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }

    /// The longest k < needle.count with the last k bytes of `text` equal to needle's first k.
    private func longestSuffixPrefix(_ text: [UInt8], _ needle: [UInt8]) -> Int {
        var k = min(text.count, needle.count - 1)
        while k > 0 {
            if text[(text.count - k)...].elementsEqual(needle[..<k]) { return k }
            k -= 1
        }
        return 0
    }
}
