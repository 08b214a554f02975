import ArgumentParser

/// `copygen bench ...`: measurements on random weights, one JSON object each.
/// Each area adds its subcommand to the list below (train here; decode with generation).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure training and decoding speed on random weights; prints one JSON object.",
        subcommands: [
            BenchTrainCommand.self,
            BenchDecodeCommand.self,
            BenchInteropCommand.self,
            BenchQualityCommand.self,
        ]
    )
}
