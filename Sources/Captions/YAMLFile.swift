import Support
import Yams

/// A problem in a Prompts/ file, naming the file, line and key.
public struct PromptFileError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var key: String?
    public var problem: String

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let key { return "\(place): key '\(key)': \(problem)" }
        return "\(place): \(problem)"
    }
}

/// A YAML mapping read from a file, with typed accessors whose errors say where the value is.
struct YAMLMapping {
    let file: String
    let node: Node
    let pairs: [(key: String, value: Node, line: Int?)]
    /// The key path of this mapping inside its file ("hashtags"), for messages.
    let path: String

    /// Parses `path` and requires its top level to be a mapping.
    static func load(path: String) throws -> YAMLMapping {
        let text = try FileContents.readText(path)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw PromptFileError(file: path, line: Self.line(of: error), key: nil, problem: "not valid YAML: \(Self.problem(of: error))")
        }
        guard let node else { throw PromptFileError(file: path, line: nil, key: nil, problem: "empty file") }
        return try YAMLMapping(file: path, node: node, path: "")
    }

    init(file: String, node: Node, path: String) throws {
        guard let mapping = node.mapping else {
            throw PromptFileError(file: file, line: node.mark.map { $0.line }, key: path.isEmpty ? nil : path, problem: "expected a mapping of keys to values")
        }
        self.file = file
        self.node = node
        self.path = path
        var pairs: [(String, Node, Int?)] = []
        var seen = Set<String>()
        for (key, value) in mapping {
            guard let name = key.string else {
                throw PromptFileError(file: file, line: key.mark?.line, key: nil, problem: "keys must be strings")
            }
            if !seen.insert(name).inserted {
                throw PromptFileError(file: file, line: key.mark?.line, key: qualified(name, path), problem: "appears twice")
            }
            pairs.append((name, value, key.mark?.line))
        }
        self.pairs = pairs
    }

    var keys: [String] { pairs.map(\.key) }
    var line: Int? { node.mark?.line }

    func error(_ key: String?, _ problem: String) -> PromptFileError {
        let line = key.flatMap { k in pairs.first { $0.key == k }?.line } ?? self.line
        return PromptFileError(file: file, line: line, key: key.map { qualified($0, path) }, problem: problem)
    }

    /// Rejects keys outside `allowed`, so that a typo ("max_charcters") is not silently ignored.
    func requireOnly(_ allowed: [String]) throws {
        for pair in pairs where !allowed.contains(pair.key) {
            throw PromptFileError(file: file, line: pair.line, key: qualified(pair.key, path),
                                  problem: "unknown key (known: \(allowed.joined(separator: ", ")))")
        }
    }

    func value(_ key: String) -> Node? { pairs.first { $0.key == key }?.value }

    func string(_ key: String) throws -> String {
        guard let node = value(key) else { throw error(key, "missing") }
        guard node.scalar != nil, let text = node.string, !text.isEmpty else { throw error(key, "expected a non-empty string") }
        return text
    }

    func int(_ key: String, range: ClosedRange<Int>) throws -> Int {
        guard let node = value(key) else { throw error(key, "missing") }
        guard let number = node.int else { throw error(key, "expected a whole number") }
        guard range.contains(number) else { throw error(key, "\(number) is outside \(range.lowerBound)...\(range.upperBound)") }
        return number
    }

    func optionalInt(_ key: String, range: ClosedRange<Int>) throws -> Int? {
        value(key) == nil ? nil : try int(key, range: range)
    }

    func float(_ key: String, range: ClosedRange<Double>) throws -> Double {
        guard let node = value(key) else { throw error(key, "missing") }
        guard let number = node.float else { throw error(key, "expected a number") }
        guard range.contains(number) else { throw error(key, "\(number) is outside \(range.lowerBound)...\(range.upperBound)") }
        return number
    }

    func choice(_ key: String, from options: [String]) throws -> String {
        let text = try string(key)
        guard options.contains(text) else { throw error(key, "'\(text)' is not one of \(options.joined(separator: ", "))") }
        return text
    }

    func mapping(_ key: String) throws -> YAMLMapping {
        guard let node = value(key) else { throw error(key, "missing") }
        return try YAMLMapping(file: file, node: node, path: qualified(key, path))
    }

    func stringList(_ key: String) throws -> [String] {
        guard let node = value(key) else { throw error(key, "missing") }
        guard let sequence = node.sequence else { throw error(key, "expected a list of strings") }
        return try sequence.map { item in
            guard item.scalar != nil, let text = item.string, !text.isEmpty else {
                throw PromptFileError(file: file, line: item.mark?.line, key: qualified(key, path), problem: "expected a list of non-empty strings")
            }
            return text
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _): return problem
        default: return String(describing: error).split(separator: "\n").first.map(String.init) ?? "parse error"
        }
    }
}

private func qualified(_ key: String, _ path: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
