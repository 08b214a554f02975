import Foundation
import Support

/// Finds copygen's data (Prompts/, Models/default/, Corpora/) without being told where the
/// repository is. Looks, in order, in `$COPYGEN_HOME`, the current directory, then the
/// executable's directory and each directory above it (the binary lives in `.build/release`
/// inside the repository).
public enum ResourceLocator {
    /// The shipped model, which `generate` and `serve` use when no --model is given.
    public static let defaultModel = "Models/default"
    /// The platforms, tones and templates.
    public static let defaultPrompts = "Prompts"
    /// The shipped captions, the source of a missing no-copy index or word list.
    public static let defaultCorpus = "Corpora/captions.jsonl"

    /// `given` when there is one (it is used as given), else `defaultPath` found by `find`.
    /// Throws `NotFound`, naming `what` and the places searched.
    public static func locate(_ given: String?, default defaultPath: String, what: String,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let given { return given }
        guard let found = find(defaultPath, environment: environment) else { throw NotFound(what: what, relativePath: defaultPath) }
        return found
    }

    /// No file or directory given and none found at the default place.
    public struct NotFound: Error, CustomStringConvertible, Equatable {
        public var what: String
        public var relativePath: String
        public var description: String {
            "no \(what) given and none found at \(relativePath) in $COPYGEN_HOME, the current directory or above the executable"
        }
    }

    /// The first place where `relativePath` exists, or nil.
    public static func find(_ relativePath: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        candidates(for: relativePath, environment: environment).first(where: FileContents.exists)
    }

    /// Every place searched, in order (for messages).
    public static func candidates(for relativePath: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var roots: [String] = []
        if let home = environment["COPYGEN_HOME"], !home.isEmpty { roots.append(home) }
        roots.append(FileManager.default.currentDirectoryPath)
        var directory = executableURL().deletingLastPathComponent()
        while true {
            roots.append(directory.path)
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path || directory.path == "/" { break }
            directory = parent
        }
        var seen = Set<String>()
        return roots.filter { seen.insert($0).inserted }.map { ($0 == "/" ? "" : $0) + "/" + relativePath }
    }

    static func executableURL() -> URL {
        #if os(Linux)
        let link = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if link.path != "/proc/self/exe" { return link }
        #endif
        return URL(fileURLWithPath: CommandLine.arguments.first ?? ".").standardizedFileURL.resolvingSymlinksInPath()
    }
}
