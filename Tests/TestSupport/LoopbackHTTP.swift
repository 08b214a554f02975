import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain HTTP/1.1 client over a loopback socket, written for these tests so that they can send
/// what a well-behaved client library would refuse to (invalid UTF-8, oversized bodies, a
/// connection dropped halfway through a stream). Blocking socket calls run on threads of their
/// own, never on Swift concurrency's pool, which the server in this process needs.
public struct HTTPResult: Sendable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: [UInt8]

    public var text: String { String(decoding: body, as: UTF8.self) }

    public func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw LoopbackError("body is not a JSON object: \(text)")
        }
        return object
    }

    /// `error.message` and `error.field` of an error body.
    public func errorDetail() throws -> (message: String, field: String?) {
        let error = try json()["error"] as? [String: Any]
        guard let message = error?["message"] as? String else { throw LoopbackError("no error message in \(text)") }
        return (message, error?["field"] as? String)
    }
}

public struct LoopbackError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// One TCP connection to 127.0.0.1.
public final class LoopbackConnection: @unchecked Sendable {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var closed = false

    public init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LoopbackError("socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(descriptor)
            throw LoopbackError("connect to port \(port) failed: errno \(errno)")
        }
        // A generous limit that only turns a hang into a failure.
        var timeout = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close() }

    public func close() {
        if !closed { Glibc.close(descriptor); closed = true }
    }

    public func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw LoopbackError("send failed: errno \(errno)") }
            sent += n
        }
    }

    /// Reads more bytes into the buffer; false at end of stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if n < 0 { throw LoopbackError("recv failed: errno \(errno)") }
        if n == 0 { return false }
        buffer += chunk[0..<n]
        return true
    }

    public func readLine() throws -> String? {
        while true {
            if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[..<end]
                buffer.removeFirst(end + 1)
                return String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
            }
            guard try fill() else { return nil }
        }
    }

    public func readBytes(_ count: Int) throws -> [UInt8] {
        while buffer.count < count {
            guard try fill() else { throw LoopbackError("connection closed after \(buffer.count) of \(count) bytes") }
        }
        let bytes = Array(buffer[..<count])
        buffer.removeFirst(count)
        return bytes
    }

    public func readToEnd() throws -> [UInt8] {
        while try fill() {}
        defer { buffer = [] }
        return buffer
    }

    /// The status line and headers.
    public func readHead() throws -> (status: Int, headers: [String: String]) {
        guard let statusLine = try readLine() else { throw LoopbackError("no response") }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw LoopbackError("bad status line: \(statusLine)") }
        var headers: [String: String] = [:]
        while let line = try readLine(), !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers)
    }

    /// The next piece of a chunked body, or nil after the last one.
    public func readChunk() throws -> [UInt8]? {
        guard let sizeLine = try readLine(), let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else {
            throw LoopbackError("bad chunk size line")
        }
        if size == 0 {
            while let line = try readLine(), !line.isEmpty {}
            return nil
        }
        let bytes = try readBytes(size)
        _ = try readLine()
        return bytes
    }

    /// A whole response (the request having said `Connection: close`).
    public func readResponse() throws -> HTTPResult {
        let (status, headers) = try readHead()
        var body: [UInt8] = []
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            while let chunk = try readChunk() { body += chunk }
        } else if let length = headers["content-length"].flatMap(Int.init) {
            body = try readBytes(length)
        } else {
            body = try readToEnd()
        }
        return HTTPResult(status: status, headers: headers, body: body)
    }

    public static func requestBytes(method: String, path: String, body: [UInt8]?, headers: [String: String]) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + (body ?? [])
    }
}

public enum LoopbackHTTP {
    /// `body` on a thread of its own.
    public static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    public static func request(port: Int, _ method: String, _ path: String, body: [UInt8]? = nil,
                        headers: [String: String] = [:]) async throws -> HTTPResult {
        try await onThread {
            let connection = try LoopbackConnection(port: port)
            defer { connection.close() }
            try connection.send(LoopbackConnection.requestBytes(method: method, path: path, body: body, headers: headers))
            return try connection.readResponse()
        }
    }

    public static func post(port: Int, _ path: String, json: [String: Any], headers: [String: String] = [:]) async throws -> HTTPResult {
        let data = try JSONSerialization.data(withJSONObject: json)
        return try await request(port: port, "POST", path, body: Array(data), headers: headers)
    }

    public static func get(port: Int, _ path: String, headers: [String: String] = [:]) async throws -> HTTPResult {
        try await request(port: port, "GET", path, headers: headers)
    }
}

/// One server-sent event.
public struct ServerEvent: Sendable {
    public var name: String?
    public var dataText: String
    public var data: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(dataText.utf8)) as? [String: Any]) ?? [:] }
}

/// Reads a `text/event-stream` response event by event, and can hang up halfway.
public final class StreamReader: @unchecked Sendable {
    public let connection: LoopbackConnection
    public let status: Int
    public let headers: [String: String]
    private var pending: [UInt8] = []
    private var ended = false

    private init(connection: LoopbackConnection, status: Int, headers: [String: String]) {
        self.connection = connection
        self.status = status
        self.headers = headers
    }

    public static func open(port: Int, json: [String: Any], headers: [String: String] = [:]) async throws -> StreamReader {
        let body = Array(try JSONSerialization.data(withJSONObject: json))
        return try await LoopbackHTTP.onThread {
            let connection = try LoopbackConnection(port: port)
            try connection.send(LoopbackConnection.requestBytes(method: "POST", path: "/v1/complete", body: body, headers: headers))
            let (status, headers) = try connection.readHead()
            return StreamReader(connection: connection, status: status, headers: headers)
        }
    }

    /// The next event, or nil at the end of the body. Every byte received must be UTF-8 as it
    /// stands: an event never ends inside a character.
    public func next() async throws -> ServerEvent? {
        try await LoopbackHTTP.onThread { [self] in
            while true {
                if let end = findBlankLine() {
                    let block = Array(pending[..<end])
                    pending.removeFirst(end + 2)
                    guard let text = String(validating: block, as: UTF8.self) else { throw LoopbackError("an event is not whole UTF-8") }
                    var event = ServerEvent(name: nil, dataText: "")
                    for line in text.split(separator: "\n") {
                        if line.hasPrefix("event: ") { event.name = String(line.dropFirst(7)) }
                        if line.hasPrefix("data: ") { event.dataText += line.dropFirst(6) }
                    }
                    return event
                }
                if ended { return nil }
                if let chunk = try connection.readChunk() { pending += chunk } else { ended = true }
            }
        }
    }

    private func findBlankLine() -> Int? {
        guard pending.count >= 2 else { return nil }
        for i in 0..<(pending.count - 1) where pending[i] == 10 && pending[i + 1] == 10 { return i }
        return nil
    }

    public func readAll() async throws -> [ServerEvent] {
        var events: [ServerEvent] = []
        while let event = try await next() { events.append(event) }
        return events
    }

    public func close() { connection.close() }
}
