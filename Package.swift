// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "misq",
    products: [
        // The language and engine, importable by another package's tests so
        // published figures can be asserted through an API as well as files.
        .library(name: "MisqKit", targets: ["MisqKit"]),
        .executable(name: "misq", targets: ["misq"]),
        // The seeded generator of the synthetic case-level dataset.
        .executable(name: "misq-synth", targets: ["misq-synth"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .target(name: "MisqKit", dependencies: ["CScan"]),
        // The vector first stage of the CSV scan (see cscan.c for why C).
        .target(name: "CScan"),
        // GNU readline, linked from the system (Debian: libreadline-dev); no
        // pkgConfig, which only adds warnings here.
        .systemLibrary(name: "CReadline", path: "Sources/CReadline"),
        .target(name: "MisqCLI", dependencies: [
            "MisqKit", "CReadline",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "misq", dependencies: ["MisqCLI"]),
        .target(name: "MisqSynth", dependencies: ["MisqKit"]),
        // What the fuzzers (fuzz/run.sh) and FuzzReplayTests feed bytes
        // through; kept out of the library, reaching its internals by
        // `package` access only.
        .target(name: "MisqFuzz", dependencies: ["MisqKit"]),
        .executableTarget(name: "misq-synth", dependencies: ["MisqSynth", "MisqKit"]),
        .testTarget(name: "MisqKitTests", dependencies: ["MisqKit", "MisqCLI", "MisqSynth", "MisqFuzz",
                                                         .product(name: "PropertyBased", package: "swift-property-based")],
                    exclude: ["Fixtures", "Golden", "Malformed", "FuzzRegressions"]),
    ],
    swiftLanguageModes: [.v5]
)
