import XCTest
@testable import MisqKit
import MisqFuzz

/// Replays the fuzzers' seed corpora (fuzz/corpus) and every input kept as a
/// regression (FuzzRegressions: hostile inputs, and any input a fuzzer ever
/// failed on) through the same harness the fuzzers run. Passing means no
/// crash, hang or trap: each input gives an answer or a MisqError, and for
/// CSV the same one however the file is cut into chunks.
final class FuzzReplayTests: XCTestCase {
    static let root = Fixtures.testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    func inputs(_ folders: [URL]) throws -> [URL] {
        try folders.flatMap { dir -> [URL] in
            guard FileManager.default.fileExists(atPath: dir.path) else { return [] }
            return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil).filter { !$0.lastPathComponent.hasPrefix(".") }
        }.sorted { $0.path < $1.path }
    }

    func testQueryInputs() throws {
        let files = try inputs([Self.root.appendingPathComponent("fuzz/corpus/query"),
                                Fixtures.testsDirectory.appendingPathComponent("FuzzRegressions/query")])
        XCTAssertGreaterThan(files.count, 50)
        for f in files { FuzzHarness.query(Array(try Data(contentsOf: f))) }
    }

    func testCSVInputs() throws {
        let files = try inputs([Self.root.appendingPathComponent("fuzz/corpus/csv"),
                                Fixtures.testsDirectory.appendingPathComponent("FuzzRegressions/csv")])
        XCTAssertGreaterThan(files.count, 8)
        for f in files {
            // Also: the same answer whether the first pass runs as one chunk or many.
            XCTAssertNil(FuzzHarness.csv(Array(try Data(contentsOf: f))), f.lastPathComponent)
        }
    }

    /// Workbooks and workbook parts (SheetFuzzHarness): no crash, and the
    /// seeds that are whole workbooks load.
    func testSheetInputs() throws {
        let files = try inputs([Self.root.appendingPathComponent("fuzz/corpus/sheet"),
                                Fixtures.testsDirectory.appendingPathComponent("FuzzRegressions/sheet")])
        XCTAssertGreaterThan(files.count, 8)
        for f in files { SheetFuzzHarness.run(Array(try Data(contentsOf: f))) }
    }

    /// Cache files, whole (the answer must be the CSV's) and sealed with
    /// the user's key (no crash).
    func testCacheInputs() throws {
        let files = try inputs([Self.root.appendingPathComponent("fuzz/corpus/cache"),
                                Fixtures.testsDirectory.appendingPathComponent("FuzzRegressions/cache")])
        XCTAssertGreaterThanOrEqual(files.count, 8)
        for f in files { XCTAssertNil(CacheFuzzHarness.input(Array(try Data(contentsOf: f))), f.lastPathComponent) }
    }

    /// The seed corpus has a whole and a sealed seed for every file of the
    /// fixture's cache (a new kind of file needs seeds); with
    /// MISQ_WRITE_CACHE_SEEDS set, writes them afresh.
    func testCacheSeedsCoverEveryFile() throws {
        let dir = Self.root.appendingPathComponent("fuzz/corpus/cache")
        let seeds = CacheFuzzHarness.seeds()
        XCTAssertGreaterThanOrEqual(seeds.count, 8)
        if ProcessInfo.processInfo.environment["MISQ_WRITE_CACHE_SEEDS"] != nil {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for (i, s) in seeds.enumerated() { try Data(s).write(to: dir.appendingPathComponent(String(format: "seed-%02d", i))) }
        }
        let committed = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("seed-") }
        XCTAssertEqual(committed.count, seeds.count, "regenerate with MISQ_WRITE_CACHE_SEEDS=1 swift test --filter testCacheSeeds")
    }
}
