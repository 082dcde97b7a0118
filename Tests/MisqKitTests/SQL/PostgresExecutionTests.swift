import XCTest
@testable import MisqKit

/// The SQL `misq sql --target postgres` writes, run on a real PostgreSQL
/// (the throwaway cluster `.ci/run` starts) over the tables `misq export
/// --to postgres://…` wrote, every cell compared with misq's own answer:
/// each saved FOI query, and the differential corpus. psql, PostgreSQL's
/// own client, reads the side tables and row counts back independently.
/// Each test has a database of its own (`PostgresScratch`).
extension SQLExecutionTests {
    func testSavedQueriesAgreeOnPostgres() throws {
        let db = try PostgresScratch()
        defer { db.drop() }
        let base = try Session.open(datasetsDirectory: SQLCompileTests.root.appendingPathComponent("datasets").path)
        let done = try base.exportDatabase(to: db.url)
        XCTAssertEqual(done.written.sorted(), base.schemas.map(\.name).sorted())
        XCTAssertEqual(done.replaced, [])
        XCTAssertFalse(done.shownTarget.contains(PostgresScratch.password(of: db.url) ?? "\u{0}"), done.shownTarget)

        let checks = try savedQueryChecks(base, targets: [.postgres])
        XCTAssertEqual(checks.filter { !$0.refusals.isEmpty }.map { "\($0.file): \($0.text): \($0.refusals)" }, [])
        let compared = try runOnPostgres(checks, url: db.url)
        XCTAssertGreaterThanOrEqual(compared, 40, "saved queries compared on PostgreSQL")

        // psql reads what misq export wrote: the provenance, a column's
        // type, and the committed synthetic file's rows (ShippedDataTests counts them too).
        let side = try PostgresScratch.psql(db.url, """
            SELECT name || '|' || synthetic || '|' || coalesce(period_column, '') FROM misq_datasets WHERE name = 'centurion_synthetic';
            SELECT type FROM misq_columns WHERE dataset = 'centurion_synthetic' AND name = 'reported';
            SELECT data_type FROM information_schema.columns WHERE table_name = 'centurion_synthetic' AND column_name = 'reported';
            SELECT count(*) FROM centurion_synthetic;
            """)
        XCTAssertEqual(side, ["centurion_synthetic|true|reported", "date", "date", "29365"])
    }

    func testGeneratedCorpusAgreesOnPostgres() throws {
        let db = try PostgresScratch()
        defer { db.drop() }
        let corpus = try corpusChecks(targets: [.postgres])
        defer { try? FileManager.default.removeItem(at: corpus.directory) }
        _ = try corpus.session.exportDatabase(to: db.url)
        let compared = try runOnPostgres(corpus.checks, url: db.url)
        try checkCorpus(corpus.checks, compared: compared, on: "PostgreSQL")
    }

    /// Runs each check's PostgreSQL SQL through misq's own client and
    /// compares; the number of questions compared.
    func runOnPostgres(_ checks: [Check], url: String) throws -> Int {
        let connection = try PostgresConnection(url: url)
        let compiled = checks.compactMap { c in c.sql[.postgres].map { (c, SQLDialect.Target.postgres, $0) } }
        let answers = compiled.map { _, _, sql -> Swift.Result<[[Any]], Refused> in
            do {
                return .success(try connection.query(sql).rows.map { $0.map(Self.plain) })
            } catch {
                return .failure(Refused(message: error.misqErrors.map(\.message).joined(separator: "; ")))
            }
        }
        compare(compiled, answers)
        print("SQLExecutionTests: \(compiled.count) questions compared on postgres (an exported database)")
        return compiled.count
    }

    /// A value as sql_runner.py gives DuckDB's and SQLite's: numbers as
    /// numbers, dates as ISO text (as PostgreSQL prints them), yes/no as words.
    static func plain(_ v: DatabaseValue) -> Any {
        switch v {
        case .null: return NSNull()
        case .integer(let x): return NSNumber(value: x)
        case .real(let x): return NSNumber(value: x)
        case .text(let s): return s
        case .boolean(let b): return b ? "yes" : "no"
        }
    }
}
