import XCTest
@testable import MisqKit

/// `misq export --to postgres://…` as a user meets it: the password of the
/// URL never printed, in a note or in any error; tables never written over
/// unless `--replace`, and a failed export leaving the database as it was;
/// text exactly as misq read it (tabs, line feeds, backslashes survive
/// COPY), read back by psql. And the address shown without its secrets, for
/// every way a URL can hold one (no server needed).
final class PostgresExportTests: XCTestCase {
    func testAddressIsShownWithoutItsSecrets() throws {
        let cases: [(url: String, shown: String)] = [
            ("postgres://misq:s3cret@127.0.0.1:5432/db", "postgres://misq@127.0.0.1:5432/db"),
            ("postgresql://misq:s3cret@host/db?sslmode=require", "postgresql://misq@host/db?sslmode=require"),
            ("postgres://misq@host/db", "postgres://misq@host/db"),
            ("postgres://host:5433", "postgres://host:5433"),
            // An unencoded @ in the password: the last @ ends the user part.
            ("postgres://misq:p@ss:word@host/db", "postgres://misq@host/db"),
            ("postgres://misq@host/db?password=s3cret&connect_timeout=2", "postgres://misq@host/db?connect_timeout=2"),
            ("postgres://misq@host/db?sslmode=require&PassWord=s3cret", "postgres://misq@host/db?sslmode=require"),
            ("postgres://misq@host/db?sslpassword=s3cret", "postgres://misq@host/db"),
            ("postgres://misq@host/db?%70assword=s3cret", "postgres://misq@host/db"),
            ("POSTGRES://misq:s3cret@host/db#frag", "POSTGRES://misq@host/db#…"),
        ]
        for c in cases {
            let a = try PostgresAddress(c.url)
            XCTAssertEqual(a.shown, c.shown, c.url)
            XCTAssertEqual(a.scrub("failed for \(c.url) and s3cret"), "failed for \(c.shown) and " + (c.url.contains("s3cret") ? "…" : "s3cret"), c.url)
        }
        // Not a PostgreSQL URL: the error repeats none of it.
        XCTAssertThrowsError(try PostgresAddress("mysql://u:s3cret@h/db")) { e in
            XCTAssertFalse("\(e.misqErrors.map { "\($0.message) \($0.suggestion ?? "")" })".contains("s3cret"))
        }
    }

    func testExportNeverWritesOverTablesUnlessToldAndFailsWhole() throws {
        let db = try PostgresScratch()
        defer { db.drop() }
        let session = Fixtures.smallSession.fork()
        let first = try session.exportDatabase(to: db.url)
        XCTAssertEqual(first.written, ["allegations", "npcc"])
        let rows = try PostgresScratch.psql(db.url, "SELECT count(*) FROM allegations")
        XCTAssertThrowsError(try session.exportDatabase(to: db.url)) { e in
            let m = e.misqErrors.first?.message ?? ""
            XCTAssertTrue(m.contains("it never writes over a table unless told") && m.contains("misq_datasets, misq_columns, misq_catalog, misq_definitions, allegations, npcc"), m)
        }
        let again = try session.exportDatabase(to: db.url, replace: true)
        XCTAssertEqual(again.replaced, ["misq_datasets", "misq_columns", "misq_catalog", "misq_definitions", "allegations", "npcc"])
        XCTAssertEqual(try PostgresScratch.psql(db.url, "SELECT count(*) FROM allegations"), rows, "replaced, not appended to")
        XCTAssertEqual(try PostgresScratch.psql(db.url, "SELECT count(*) FROM misq_datasets"), ["2"])

        // A view of a dataset's name is never dropped, and the export that
        // met it leaves everything as it was: the tables dropped before it
        // came back (one transaction).
        _ = try PostgresScratch.psql(db.url, "DROP TABLE npcc; CREATE VIEW npcc AS SELECT 1 AS one; DELETE FROM misq_datasets WHERE name = 'allegations'")
        XCTAssertThrowsError(try session.exportDatabase(to: db.url, replace: true)) { e in
            XCTAssertTrue(e.misqErrors.first?.message.contains("'npcc' in schema public of postgres://") == true, "\(e)")
        }
        XCTAssertEqual(try PostgresScratch.psql(db.url, "SELECT relkind FROM pg_class WHERE relname = 'npcc'"), ["v"])
        XCTAssertEqual(try PostgresScratch.psql(db.url, "SELECT count(*) FROM misq_datasets"), ["1"], "the side table as it was")
        XCTAssertEqual(try PostgresScratch.psql(db.url, "SELECT count(*) FROM allegations"), rows)
    }

    /// The tables go to the schema the URL's search_path names (libpq's
    /// `options`), and a search_path naming no schema that exists is an
    /// error, not tables written somewhere else.
    func testExportWritesToTheURLsSchema() throws {
        let db = try PostgresScratch()
        defer { db.drop() }
        _ = try PostgresScratch.psql(db.url, "CREATE SCHEMA foi")
        let session = Fixtures.smallSession.fork()
        let done = try session.exportDatabase(to: db.url + "?options=-csearch_path%3Dfoi")
        XCTAssertEqual(done.written, ["allegations", "npcc"])
        XCTAssertEqual(try PostgresScratch.psql(db.url, "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema IN ('foi', 'public') ORDER BY 1"),
                       ["foi.allegations", "foi.misq_catalog", "foi.misq_columns", "foi.misq_datasets", "foi.misq_definitions", "foi.npcc"])
        XCTAssertThrowsError(try session.exportDatabase(to: db.url + "?options=-csearch_path%3Dnope")) { e in
            XCTAssertTrue(e.misqErrors.first?.message.contains("no schema to write in") == true, "\(e)")
        }
    }

    /// Labels with the characters COPY's text format escapes, and a name
    /// longer than PostgreSQL keeps (refused rather than cut).
    func testTextSurvivesExactlyAndLongNamesAreRefused() throws {
        let db = try PostgresScratch()
        defer { db.drop() }
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let labels = ["tab\there", "line\nfeed", "back\\slash", "\\N", "cr\rhere", "quote \"x\"", "Ünïcødé ✓", "plain"]
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("odd"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("wide"), withIntermediateDirectories: true)
        let csv = dir.appendingPathComponent("odd/odd.csv")
        try ("label,n\n" + labels.enumerated().map { "\(SQLExecutionTests.csvField($1)),\($0)" }.joined(separator: "\n") + "\n")
            .write(to: csv, atomically: true, encoding: .utf8)
        let session = try Session.open(datasetsDirectory: dir.appendingPathComponent("odd").path)
        _ = try session.exportDatabase(to: db.url)
        // psql prints the bytes in hex, so line feeds in values cannot split its lines.
        let back = try PostgresScratch.psql(db.url, "SELECT encode(convert_to(label, 'UTF8'), 'hex') FROM odd ORDER BY n")
        XCTAssertEqual(back, labels.map { $0.utf8.map { String(format: "%02x", $0) }.joined() })
        // misq's own client reads the same values back, typed.
        let rows = try PostgresConnection(url: db.url).query("SELECT label, n FROM odd ORDER BY n").rows
        XCTAssertEqual(rows.map { $0[0] }, labels.map { DatabaseValue.text($0) })
        XCTAssertEqual(rows.map { $0[1] }, labels.indices.map { .real(Double($0)) })

        let long = String(repeating: "x", count: 64)
        try "\(long),n\na,1\n".write(to: dir.appendingPathComponent("wide/wide.csv"), atomically: true, encoding: .utf8)
        let wide = try Session.open(datasetsDirectory: dir.appendingPathComponent("wide").path)
        XCTAssertThrowsError(try wide.exportDatabase(to: db.url)) { e in
            XCTAssertTrue(e.misqErrors.first?.message.contains("longer than the 63 bytes PostgreSQL keeps") == true, "\(e)")
        }
        XCTAssertEqual(try PostgresScratch.psql(db.url, "SELECT count(*) FROM pg_class WHERE relname = 'wide'"), ["0"])
    }

    /// misq's client as `--engine` uses it: the catalog as PostgreSQL
    /// declares it, typed values, and a statement stopped by Ctrl-C on the
    /// server (`Cancellation`) in well under the time it would take.
    func testConnectionReadsTheCatalogAndCancels() throws {
        let db = try PostgresScratch()
        defer { db.drop() }
        _ = try PostgresScratch.psql(db.url, """
            CREATE TABLE t (label text, n double precision, d date, b boolean, k bigint);
            INSERT INTO t VALUES ('a', 1.5, '2022-05-01', true, 7), (NULL, NULL, NULL, NULL, NULL);
            SET DateStyle = 'SQL, DMY'; ALTER DATABASE \(db.name) SET DateStyle = 'SQL, DMY';
            """)
        let c = try PostgresConnection(url: db.url)
        XCTAssertEqual(c.target, .postgres)
        XCTAssertEqual(try c.tables(), ["t"])
        XCTAssertEqual(try c.columns(of: "t"), [DatabaseColumn(name: "label", type: "text"), DatabaseColumn(name: "n", type: "double precision"),
                                                 DatabaseColumn(name: "d", type: "date"), DatabaseColumn(name: "b", type: "boolean"),
                                                 DatabaseColumn(name: "k", type: "bigint")])
        XCTAssertEqual(try c.columns(of: "nope"), [])
        // The database's DateStyle prints 01/05/2022; misq's connection asks for ISO.
        let rows = try c.query("SELECT * FROM t ORDER BY label NULLS LAST")
        XCTAssertEqual(rows.columns, ["label", "n", "d", "b", "k"])
        XCTAssertEqual(rows.rows, [[.text("a"), .real(1.5), .text("2022-05-01"), .boolean(true), .integer(7)], Array(repeating: .null, count: 5)])
        // A located error in the server's words, and the connection still usable after it.
        XCTAssertThrowsError(try c.query("SELECT nope FROM t")) { e in
            XCTAssertTrue(e.misqErrors.first?.message.contains("column \"nope\" does not exist") == true, "\(e)")
        }
        XCTAssertEqual(try c.query("SELECT 1").rows, [[.integer(1)]])

        let start = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { Cancellation.request() }
        XCTAssertThrowsError(try c.query("SELECT pg_sleep(20)")) { e in
            XCTAssertEqual(e.misqErrors.first?.message, "interrupted")
        }
        Cancellation.reset()
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        XCTAssertEqual(try c.query("SELECT 2").rows, [[.integer(2)]], "usable after a cancel")
    }

    /// The misq binary's standard output and error, for every way an export
    /// can go, never hold the password: a note, a refused table, a wrong
    /// password, a server that is not there.
    func testPasswordIsNeverPrinted() throws {
        let db = try PostgresScratch()
        defer { db.drop() }
        let binary = try XCTUnwrap(Fixtures.builtMisqBinary, "misq not built")
        let password = try XCTUnwrap(PostgresScratch.password(of: db.url), "MISQ_POSTGRES_URL has no password to check for")
        let shown = try PostgresAddress(db.url).shown
        var wrong = try XCTUnwrap(URLComponents(string: db.url))
        wrong.password = "not-" + password
        var closed = wrong
        closed.port = 1
        closed.password = password
        let runs: [(url: String, code: Int32, says: String)] = [
            (db.url, 0, "to \(shown)"),
            (db.url, 2, "it never writes over a table unless told"),
            (try XCTUnwrap(wrong.string), 2, "password authentication failed"),
            (try XCTUnwrap(closed.string), 2, "cannot connect to"),
        ]
        for r in runs {
            let p = Process()
            p.executableURL = binary
            p.arguments = ["export", "--datasets", Fixtures.small, "--to", r.url]
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, r.code, e)
            XCTAssertTrue(e.contains(r.says), e)
            XCTAssertFalse((o + e).contains(password), "the password was printed: \(e)")
        }
    }
}
