import Foundation
import Support

/// Finds copygen's data (Prompts/, Models/default/, Corpora/) without being told where the
/// repository is. Looks, in order, in `$COPYGEN_HOME`, the current directory, then the
/// executable's directory and each directory above it (the binary lives in `.build/release`
/// inside the repository).
public enum ResourceLocator {
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
