import XCTest
import MisqCLI
@testable import MisqKit

/// `--engine postgres://…`: the saved queries run on a real PostgreSQL (the
/// throwaway cluster `.ci/run` starts) over the tables `misq export` wrote
/// from `datasets/`, printing exactly what the in-process engine prints, in
/// each format; `misq test queries/` passes there and fails on a mutated
/// figure exactly as in process; and the password of the URL is printed
/// nowhere. PostgreSQL answers with its own SQL engine, so a figure the
/// compiled SQL got wrong would differ here.
final class EnginePostgresTests: XCTestCase {
    static let datasets = SQLCompileTests.root.appendingPathComponent("datasets").path
    static let queries = SQLCompileTests.root.appendingPathComponent("queries").path

    /// One database for the class, exported once, dropped after its tests.
    static let exported: Swift.Result<PostgresScratch, Error> = {
        Swift.Result {
            let db = try PostgresScratch()
            do {
                _ = try Session.open(datasetsDirectory: datasets).exportDatabase(to: db.url)
            } catch {
                db.drop()
                throw error
            }
            return db
        }
    }()

    override class func tearDown() {
        if case .success(let db) = exported { db.drop() }
        super.tearDown()
    }

    func engine() throws -> (url: String, password: String) {
        _ = try PostgresScratch.serverURL()   // skips, or fails under MISQ_REQUIRE_POSTGRES=1, with no server
        let db = try Self.exported.get()
        return (db.url, try XCTUnwrap(PostgresScratch.password(of: db.url), "MISQ_POSTGRES_URL has no password to check for"))
    }

    func testSavedQueriesPrintTheSameOnPostgres() throws {
        let (url, password) = try engine()
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.queries).filter { $0.hasSuffix(".misq") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 5)
        for f in files {
            for format in ["table", "json", "csv"] {
                let path = Self.queries + "/" + f
                let here = MisqCLI.capture(["run", path, "--datasets", Self.datasets, "--format", format])
                XCTAssertEqual(here.code, 0, "\(f): \(here.err)")
                let there = MisqCLI.capture(["run", path, "--engine", url, "--format", format])
                XCTAssertEqual(there.code, here.code, "\(f): \(there.err)")
                XCTAssertEqual(there.out, here.out, "\(f) --format \(format) on PostgreSQL")
                XCTAssertEqual(there.err, here.err, "\(f) --format \(format) on PostgreSQL")
                XCTAssertFalse((there.out + there.err).contains(password))
            }
        }
    }

    /// `misq test queries/ --engine postgres://…` passes with the in-process
    /// report, and a copy with two figures changed (a scalar and a table
    /// literal's cell) fails there exactly as it fails in process.
    func testAssertionsPassAndFailOnPostgresAsInProcess() throws {
        let (url, password) = try engine()
        let here = MisqCLI.capture(["test", Self.queries, "--datasets", Self.datasets])
        XCTAssertEqual(here.code, 0, here.err)
        let there = MisqCLI.capture(["test", Self.queries, "--engine", url])
        XCTAssertEqual(there.code, 0, there.err)
        XCTAssertEqual(there.out, here.out)
        XCTAssertTrue(there.out.contains(" passed, 0 failed"), there.out)

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
        let failedThere = MisqCLI.capture(["test", copy, "--engine", url])
        XCTAssertEqual(failedThere.code, 1, failedThere.err)
        XCTAssertEqual(failedThere.out, failedHere.out)
        XCTAssertEqual(failedThere.err, failedHere.err)
        XCTAssertFalse((failedThere.out + failedThere.err).contains(password))
    }

    /// Shapes the in-process engine cuts itself, a median of dates (which
    /// PostgreSQL, unlike SQLite, has exactly), and errors: a column that is
    /// not there, and a server that refuses the password, never printing it.
    func testOtherShapesAndErrorsOnPostgres() throws {
        let (url, password) = try engine()
        let statements = [
            "count cases by outcome top 3",
            "count cases by outcome order by count desc limit 4",
            "count individuals where vawg by severity across fy with total, percent",
            "count allegations by year with percent",
            "max reported",
            "median finalised by severity",
            "count cases where vawg and period FY2022/23 by source across quarter with total",
            "show case_id, outcome, reported where daso and outcome = dismissal_without_notice and period 2023-06",
        ]
        for s in statements {
            let here = MisqCLI.capture(["-e", s, "--datasets", Self.datasets])
            XCTAssertEqual(here.code, 0, "\(s): \(here.err)")
            let there = MisqCLI.capture(["-e", s, "--engine", url])
            XCTAssertEqual(there.out, here.out, "\(s) on PostgreSQL: \(there.err)")
            XCTAssertEqual(there.err, here.err, s)
        }
        let unknown = MisqCLI.capture(["-e", "count cases where outcom = x", "--engine", url])
        XCTAssertEqual(unknown.code, 2)
        XCTAssertTrue(unknown.err.contains("did you mean 'outcome'?"), unknown.err)

        var wrong = try XCTUnwrap(URLComponents(string: url))
        wrong.password = "not-" + password
        let refused = MisqCLI.capture(["-e", "count cases", "--engine", try XCTUnwrap(wrong.string)])
        XCTAssertEqual(refused.code, 2)
        XCTAssertTrue(refused.err.contains("password authentication failed"), refused.err)
        XCTAssertTrue(refused.err.contains(try PostgresAddress(url).shown), refused.err)
        XCTAssertFalse((refused.out + refused.err).contains(password), refused.err)
    }
}
