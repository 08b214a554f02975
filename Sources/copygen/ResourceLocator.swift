import Foundation
import Support

/// Finds the files copygen ships (the default model, tokenizer and Prompts/) for a binary that may
/// run from anywhere: `$COPYGEN_HOME`, then the current directory, then the directories above the
/// executable (in a checkout the binary lives in .build/release inside the repository).
enum ResourceLocator {
    static func find(_ relativePath: String) -> String? {
        for root in roots() {
            let candidate = root + "/" + relativePath
            if FileContents.exists(candidate) { return candidate }
        }
        return nil
    }

    /// Like `find`, but an error naming where it looked when the file is absent.
    static func require(_ relativePath: String, what: String) throws -> String {
        if let path = find(relativePath) { return path }
        throw ResourceError(description: "cannot find the shipped \(what) (\(relativePath)); looked in \(roots().joined(separator: ", ")); set COPYGEN_HOME to the copygen checkout")
    }

    static func roots() -> [String] {
        var roots: [String] = []
        if let home = ProcessInfo.processInfo.environment["COPYGEN_HOME"], !home.isEmpty { roots.append(home) }
        roots.append(FileManager.default.currentDirectoryPath)
        var directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            directory.deleteLastPathComponent()
            roots.append(directory.path)
            if directory.path == "/" { break }
        }
        return roots
    }
}

struct ResourceError: Error, CustomStringConvertible {
    var description: String
}
