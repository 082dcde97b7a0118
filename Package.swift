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
        // ZIP for spreadsheets (XLSX and ODS are ZIP archives): a maintained
        // reader that inflates one entry at a time through a consumer
        // closure, so a workbook is never inflated whole into memory.
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        .target(name: "MisqKit", dependencies: ["CScan", "CSheetXML", "CSQLite", "CPostgres", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // The system SQLite (Debian: libsqlite3-dev), which misq export
        // writes a database file with.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        // libpq (Debian: libpq-dev), PostgreSQL's own client, for misq
        // export --to postgres://… and Engine/PostgresConnection.swift. Not
        // vapor/postgres-nio (1.33.2 is listed): misq runs one query at a
        // time and waits for it, so an event loop, futures and the dozen
        // packages under them (swift-nio, -nio-ssl, -crypto, -log, -metrics,
        // -collections …) would add minutes to a clean build on two cores and
        // an async bridge around a blocking engine, for nothing libpq lacks:
        // libpq parses the same URLs, does SCRAM and TLS, COPY, and server-
        // side cancel, and is the client PostgreSQL itself ships and tests.
        .systemLibrary(name: "CPostgres", path: "Sources/CPostgres"),
        // libxml2's SAX2 push parser behind a small C interface, for
        // spreadsheets' XML (Storage/Spreadsheet/XMLStream.swift says why
        // not XMLParser; sheetxml.h why C). Debian: libxml2-dev.
        .target(name: "CSheetXML", cSettings: [.unsafeFlags(["-I/usr/include/libxml2"])], linkerSettings: [.linkedLibrary("xml2")]),
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
        .target(name: "MisqFuzz", dependencies: ["MisqKit", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .executableTarget(name: "misq-synth", dependencies: ["MisqSynth", "MisqKit"]),
        .testTarget(name: "MisqKitTests", dependencies: ["MisqKit", "MisqCLI", "MisqSynth", "MisqFuzz",
                                                         .product(name: "PropertyBased", package: "swift-property-based"),
                                                         .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                    exclude: ["Fixtures", "Golden", "Malformed", "FuzzRegressions", "SQL/sql_runner.py", "SQL/sqlglot_check.py",
                              "Differential/suppression_lp.py", "Differential/linked_lp.py", "Differential/tauargus_check.py"]),
    ],
    swiftLanguageModes: [.v5]
)
