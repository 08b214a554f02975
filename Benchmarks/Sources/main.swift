// CopygenBench: the benchmarks `make bench` runs (release build). Not tests: nothing here fails
// because a machine is slow. Results go to Benchmarks/results/latest.json (and stdout).
//
//     CopygenBench                 # every group
//     CopygenBench tokenizer ...   # only the named groups
import Foundation
import Measurement

/// A benchmark group: runs its measurements and returns JSON-able results.
typealias BenchmarkGroup = () throws -> [String: Any]

/// Every group, by name. Each area registers one line here and keeps its code in its own file.
let groups: [(name: String, run: BenchmarkGroup)] = [
    ("machine", machineBenchmarks),
    ("tokenizer", tokenizerBenchmarks),
    ("safety_filter", safetyFilterBenchmarks),
]

let requested = Array(CommandLine.arguments.dropFirst())
let unknown = requested.filter { name in !groups.contains { $0.name == name } }
if !unknown.isEmpty {
    FileHandle.standardError.write(Data("CopygenBench: unknown group(s) \(unknown); known: \(groups.map(\.name))\n".utf8))
    exit(2)
}

var results: [String: Any] = [
    "date": ISO8601DateFormatter().string(from: Date()),
    "load_average_at_start": MachineProbe.loadAverage(),
]
for group in groups where requested.isEmpty || requested.contains(group.name) {
    FileHandle.standardError.write(Data("running \(group.name)...\n".utf8))
    do {
        results[group.name] = try group.run()
    } catch {
        results[group.name] = ["error": String(describing: error)]
    }
}
results["load_average_at_end"] = MachineProbe.loadAverage()

let json = try JSONSerialization.data(withJSONObject: results, options: [.prettyPrinted, .sortedKeys])
print(String(decoding: json, as: UTF8.self))
let resultsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("results")
try? FileManager.default.createDirectory(at: resultsDirectory, withIntermediateDirectories: true)
try json.write(to: resultsDirectory.appendingPathComponent("latest.json"), options: .atomic)
