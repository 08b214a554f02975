// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way (docs/architecture.md):
//   CICU -> ICU, CBLAS, Support  <-  Tokenizer, Transformer  <-  Corpus, Training, Generation
//     <-  Captions  <-  Measurement, Server  <-  copygen, CopygenBench.
//   SafetyFilter stands alone (on ICU) and Captions uses it.
let package = Package(
    name: "copygen",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "copygen", targets: ["copygen"]),
        .library(name: "Tokenizer", targets: ["Tokenizer"]),
        .library(name: "Transformer", targets: ["Transformer"]),
        .library(name: "SafetyFilter", targets: ["SafetyFilter"]),
        .library(name: "Captions", targets: ["Captions"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // YAML for the Prompts/ files (platforms, tones, templates): human-editable, with line marks.
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // The HTTP server behind `copygen serve` (SwiftNIO underneath, async/await handlers).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        // Signals and graceful shutdown for the server; its logger. Both already come with Hummingbird.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
    ],
    targets: [
        // C shim over ICU: plain, unversioned C functions (ICU renames its own symbols per version).
        .target(
            name: "CICU",
            linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata")]
        ),
        // OpenBLAS's cblas.h as a Swift module.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // A header-only shim: software prefetch for the decoding kernels.
        .systemLibrary(name: "CPrefetch"),

        // Swift face of the ICU shim: normalization, confusable skeletons, word segments.
        .target(name: "ICU", dependencies: ["CICU"]),

        // Line-by-line UTF-8 input, atomic file writes, progress on stderr: shared by every module.
        .target(name: "Support"),

        .target(name: "Tokenizer", dependencies: ["ICU", "Support"]),
        .target(name: "Corpus", dependencies: ["Tokenizer", "Support"]),
        .target(name: "Transformer", dependencies: ["CBLAS", "CPrefetch", "Support"]),
        .target(name: "Training", dependencies: ["Transformer", "Tokenizer", "Corpus"]),
        .target(name: "Generation", dependencies: ["Transformer", "Tokenizer"]),
        .target(name: "SafetyFilter", dependencies: ["ICU", "Support"], resources: [.embedInCode("Data/lexicon.txt"), .embedInCode("Data/bias-rules.txt")]),
        .target(
            name: "Captions",
            dependencies: ["Generation", "Transformer", "Tokenizer", "Corpus", "SafetyFilter", "Support", "Yams"]
        ),
        // Benchmarks and quality figures: what `copygen bench` and CopygenBench both run.
        .target(name: "Measurement", dependencies: ["CBLAS", "Support", "Corpus", "Transformer", "Training", "Captions"]),
        // `copygen serve`: the JSON API and the page, with concurrent requests decoded as one batch.
        .target(
            name: "Server",
            dependencies: [
                "Captions", "Generation", "Transformer", "Tokenizer", "SafetyFilter", "Support",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("Resources/index.html")]
        ),
        .executableTarget(
            name: "copygen",
            dependencies: [
                "Support", "Tokenizer", "Corpus", "Transformer", "Training", "Generation", "SafetyFilter", "Captions", "Measurement", "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `make bench`: a plain executable, release build, writes Benchmarks/results/latest.json.
        .executableTarget(
            name: "CopygenBench",
            dependencies: [
                "Support", "Tokenizer", "Corpus", "SafetyFilter", "Measurement",
            ],
            path: "Benchmarks/Sources"
        ),

        .testTarget(name: "ICUTests", dependencies: ["ICU"]),
        .testTarget(name: "SupportTests", dependencies: ["Support"]),
        .testTarget(name: "TokenizerTests", dependencies: ["Tokenizer", "Support"]),
        .testTarget(name: "CorpusTests", dependencies: ["Corpus"]),
        .testTarget(name: "TransformerTests", dependencies: ["Transformer"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Tokenizer", "Corpus", "Transformer", "Support"]),
        .testTarget(name: "GenerationTests", dependencies: ["Generation", "Support"]),
        .testTarget(name: "SafetyFilterTests", dependencies: ["SafetyFilter"]),
        .testTarget(name: "CaptionsTests", dependencies: ["Captions", "Measurement"]),
        // A plain HTTP client over a loopback socket, for the server's and the command's tests.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // Starts the real server on a loopback port and talks HTTP to it.
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Captions", "Generation", "Transformer", "Tokenizer", "Support", "TestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Runs the built `copygen` binary as a user would: exit codes, stdin/stdout, error lines.
        .testTarget(name: "CLITests", dependencies: ["copygen", "TestSupport"]),
    ]
)
