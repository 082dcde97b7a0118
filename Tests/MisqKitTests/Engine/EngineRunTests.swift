import XCTest
import MisqCLI
@testable import MisqKit

/// `--engine`: every saved query in `queries/` run on the SQLite and DuckDB
/// files `misq export` writes from `datasets/` prints exactly what the
/// in-process engine prints (tables, footers, provenance, notes; the
/// assertions' lines), in each format; `misq test` passes there, and fails
/// on a mutated figure exactly as it does in process. The databases answer
/// with their own SQL engines (the system libsqlite3; DuckDB's CLI), so a
/// figure the compiled SQL got wrong would differ here. DuckDB's CLI is
/// required under MISQ_REQUIRE_DUCKDB=1 (as `.ci/run` sets), else its half
/// is skipped.
final class EngineRunTests: XCTestCase {
    static let datasets = SQLCompileTests.root.appendingPathComponent("datasets").path
    static let queries = SQLCompileTests.root.appendingPathComponent("queries").path

    /// The two exports, written once for the class.
    static let exported: (dir: URL, sqlite: String, duckdb: String?)? = {
        guard let dir = try? Fixtures.temporaryDirectory(), let session = try? Session.open(datasetsDirectory: datasets) else { return nil }
        let sqlite = dir.appendingPathComponent("misq.db").path
        let duckdb = dir.appendingPathComponent("misq.duckdb").path
        guard (try? session.exportDatabase(to: "sqlite:" + sqlite)) != nil else { return nil }
        let hasDuck = Subprocess.find("duckdb", override: "MISQ_DUCKDB") != nil && (try? session.exportDatabase(to: "duckdb:" + duckdb)) != nil
        return (dir, sqlite, hasDuck ? duckdb : nil)
    }()

    func engines() throws -> [String] {
        guard let e = Self.exported else { throw MisqError(.runtime, "the datasets could not be exported") }
        guard let duck = e.duckdb else {
            if ProcessInfo.processInfo.environment["MISQ_REQUIRE_DUCKDB"] == "1" {
                throw MisqError(.runtime, "MISQ_REQUIRE_DUCKDB=1, and DuckDB's CLI (duckdb) is not on PATH or could not export")
            }
            return ["sqlite:" + e.sqlite]
        }
        return ["sqlite:" + e.sqlite, "duckdb:" + duck]
    }

    func testSavedQueriesPrintTheSameOnEachEngine() throws {
        let engines = try engines()
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.queries).filter { $0.hasSuffix(".misq") }.sorted()
        XCTAssertEqual(files.count, 5)
        for f in files {
            for format in ["table", "json", "csv"] {
                let path = Self.queries + "/" + f
                let here = MisqCLI.capture(["run", path, "--datasets", Self.datasets, "--format", format])
                XCTAssertEqual(here.code, 0, "\(f): \(here.err)")
                XCTAssertTrue(here.out.contains("rows:") || format != "table", f)
                for e in engines {
                    let there = MisqCLI.capture(["run", path, "--engine", e, "--format", format])
                    XCTAssertEqual(there.code, here.code, "\(f) on \(e): \(there.err)")
                    XCTAssertEqual(there.out, here.out, "\(f) --format \(format) on \(e)")
                    XCTAssertEqual(there.err, here.err, "\(f) --format \(format) on \(e)")
                }
            }
        }
    }

    /// `misq test queries/` passes on each engine with the in-process
    /// engine's report, and a figure changed in a copy (a scalar and a
    /// table literal's cell) fails there exactly as it fails in process.
    func testAssertionsPassAndFailAsInProcess() throws {
        let engines = try engines()
        let here = MisqCLI.capture(["test", Self.queries, "--datasets", Self.datasets])
        XCTAssertEqual(here.code, 0, here.err)
        XCTAssertTrue(here.out.contains("75 assertions in 5 files: 75 passed, 0 failed"), here.out)
        for e in engines {
            let there = MisqCLI.capture(["test", Self.queries, "--engine", e])
            XCTAssertEqual(there.code, 0, there.err)
            XCTAssertEqual(there.out, here.out, e)
        }
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let copy = dir.appendingPathComponent("npcc.misq").path
        let text = try String(contentsOfFile: Self.queries + "/npcc_vawg_2023.misq", encoding: .utf8)
        let mutated = text.replacingOccurrences(of: "period npcc = 1177", with: "period npcc = 1178")
            .replacingOccurrences(of: "| Internal conduct | 653   |", with: "| Internal conduct | 652   |")
        XCTAssertNotEqual(mutated, text)
        try mutated.write(toFile: copy, atomically: true, encoding: .utf8)
        let failedHere = MisqCLI.capture(["test", copy, "--datasets", Self.datasets])
        XCTAssertEqual(failedHere.code, 1)
        XCTAssertTrue(failedHere.out.contains("2 failed"), failedHere.out)
        XCTAssertTrue(failedHere.out.contains("1178"), failedHere.out)
        for e in engines {
            let failedThere = MisqCLI.capture(["test", copy, "--engine", e])
            XCTAssertEqual(failedThere.code, 1, e)
            XCTAssertEqual(failedThere.out, failedHere.out, e)
            XCTAssertEqual(failedThere.err, failedHere.err, e)
        }
    }

    /// Forms the in-process engine cuts itself (`top` with its ties,
    /// `limit`, `across`, `with percent`, a median, published tables) give
    /// the same answers and footers from each database.
    func testOtherShapesPrintTheSame() throws {
        let engines = try engines()
        let statements = [
            "count cases by outcome top 3",
            "count cases by outcome order by count desc limit 4",
            "count cases by outcome order by count desc top 2",
            "count cases by source top 1 order by source",
            "count individuals where vawg by severity across fy with total, percent",
            "count allegations by year with percent",
            "max reported",
            "count allegations where allegation_type starts with \"Abuse\" by outcome",
            "count cases from npcc_vawg_2023 where force = met by source",
            "count cases where vawg and period FY2022/23 by source across quarter with total",
            "show case_id, outcome, reported where daso and outcome = dismissal_without_notice and period 2023-06",
        ]
        for s in statements {
            let here = MisqCLI.capture(["-e", s, "--datasets", Self.datasets])
            XCTAssertEqual(here.code, 0, "\(s): \(here.err)")
            for e in engines {
                let there = MisqCLI.capture(["-e", s, "--engine", e])
                XCTAssertEqual(there.out, here.out, "\(s) on \(e)")
                XCTAssertEqual(there.err, here.err, "\(s) on \(e)")
            }
        }
        // A median of dates: DuckDB has the discrete quantile misq takes;
        // SQLite has none, and says so at the query, naming the engine.
        let median = "median finalised by severity"
        let here = MisqCLI.capture(["-e", median, "--datasets", Self.datasets])
        for e in engines where e.hasPrefix("duckdb:") {
            XCTAssertEqual(MisqCLI.capture(["-e", median, "--engine", e]).out, here.out)
        }
        let refused = MisqCLI.capture(["-e", median, "--engine", engines[0]])
        XCTAssertEqual(refused.code, 2)
        XCTAssertEqual(refused.out, "")
        XCTAssertEqual(refused.err, """
            error: --engine sqlite cannot run median of a date: sqlite has no exact discrete percentile (the value at rank ⌈n·q⌉, as misq takes for dates)
             --> <command line>:1:1
              |
            1 | median finalised by severity
              | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
              = help: run it in misq itself, without --engine

            """)
    }

    /// Rows with every field empty: a count of rows says how many of those
    /// it counted, as in process (a query of its own on the database, over
    /// the rows the filter admits); a condition no blank row meets, or a
    /// count of distinct ids, says nothing. Figures by hand from
    /// Fixtures/wording/messy.csv: 7 rows, 4 of them blank, 2 with NFA.
    func testBlankRowsAreCountedAsInProcess() throws {
        let folder = Fixtures.testsDirectory.appendingPathComponent("Fixtures/wording").path
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let session = try Session.open(datasetsDirectory: folder)
        var dbs = ["sqlite:" + dir.appendingPathComponent("w.db").path]
        try session.exportDatabase(to: dbs[0])
        if (try? engines()).map({ $0.count > 1 }) == true {
            dbs.append("duckdb:" + dir.appendingPathComponent("w.duckdb").path)
            try session.exportDatabase(to: dbs[1])
        }
        let cases: [(String, String?)] = [
            ("count messy", "note: 4 of the 7 rows counted are entirely blank (every field empty)"),
            ("count messy by outcome", "note: 4 of the 7 rows counted are entirely blank (every field empty)"),
            ("count messy where not outcome = NFA", "note: 4 of the 5 rows counted are entirely blank (every field empty)"),
            ("count messy where outcome = NFA", nil),
            ("count distinct ref from messy", nil),
        ]
        for (s, note) in cases {
            let here = MisqCLI.capture(["-e", s, "--datasets", folder])
            XCTAssertEqual(here.code, 0, "\(s): \(here.err)")
            XCTAssertEqual(here.out.contains("entirely blank"), note != nil, "\(s) in process: \(here.out)")
            if let note { XCTAssertTrue(here.out.contains(note), "\(s) in process: \(here.out)") }
            for e in dbs {
                let there = MisqCLI.capture(["-e", s, "--engine", e])
                XCTAssertEqual(there.err, here.err, "\(s) on \(e)")
                // The footer's dataset line names the file in process and the table on the engine; the rest is the same.
                func body(_ t: String) -> [String] { t.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("dataset:") } }
                XCTAssertEqual(body(there.out), body(here.out), "\(s) on \(e)")
            }
        }
    }
}
