// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for copygen's readers and text paths (`make fuzz`; docs/reliability-fuzzing.md).
// A package of its own, so the main package's normal builds never see an executable without a
// `main`: here libFuzzer supplies `main` and calls `LLVMFuzzerTestOneInput`.
// Build: swift build -c release --sanitize fuzzer --sanitize address (from this directory).
let package = Package(
    name: "copygen-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "copygen", path: "..")],
    targets: [
        .executableTarget(
            name: "CopygenFuzz",
            dependencies: [
                .product(name: "Tokenizer", package: "copygen"),
                .product(name: "Transformer", package: "copygen"),
                .product(name: "SafetyFilter", package: "copygen"),
                .product(name: "Captions", package: "copygen"),
            ],
            // No top-level code: libFuzzer's main drives the process.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
