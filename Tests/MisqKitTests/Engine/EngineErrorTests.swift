import XCTest
import MisqCLI
@testable import MisqKit

/// What goes wrong with `--engine` is a located error, never a crash or a
/// wrong answer: a missing file, a database misq did not write, a table or
/// column its side tables name that is gone, a column of another type, a
/// form the compiler refuses (named with the engine), a grouped let; and
/// an address that may hold a password is never repeated. The broken
/// databases are copies of an export altered by python's sqlite3.
final class EngineErrorTests: XCTestCase {
    var dir: URL!
    var exported = ""

    override func setUpWithError() throws {
        dir = try Fixtures.temporaryDirectory()
        exported = dir.appendingPathComponent("misq.db").path
        _ = try Session.open(datasetsDirectory: Fixtures.small).exportDatabase(to: "sqlite:" + exported)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    /// A copy of the export with `sql` run on it by python's sqlite3.
    func altered(_ name: String, _ sql: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try FileManager.default.copyItem(atPath: exported, toPath: path)
        let run = try SQLCompileTests.python(["-c", "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.executescript(sys.argv[2])\nc.commit()", path, sql], input: Data())
        XCTAssertEqual(run.status, 0, String(decoding: run.stderr, as: UTF8.self))
        return path
    }

    func error(_ engine: String, _ statement: String = "count cases", answered: Bool = false) -> String {
        let r = MisqCLI.capture(["-e", statement, "--engine", engine])
        XCTAssertEqual(r.code, 2, r.out)
        if !answered { XCTAssertEqual(r.out, "") }
        return r.err
    }

    func testConnectionErrorsPointAtTheOption() throws {
        let missing = dir.appendingPathComponent("none.db").path
        XCTAssertEqual(error("sqlite:" + missing), """
            error: no database file '\(missing)'
             --> <command line>:1:1
              |
            1 | --engine sqlite:\(missing)
              | ^^^^^^^^
              = help: write one from the datasets first: misq export --to sqlite:\(missing)

            """)
        let plain = try altered("plain.db", "DROP TABLE misq_catalog; DROP TABLE misq_definitions;")
        XCTAssertEqual(error("sqlite:" + plain), """
            error: '\(plain)' is not a database misq export wrote: it has no table misq_catalog
             --> <command line>:1:1
              |
            1 | --engine sqlite:\(plain)
              | ^^^^^^^^
              = help: write one from the datasets: misq export --to sqlite:FILE, then --engine sqlite:FILE

            """)
        let noTable = try altered("notable.db", "DROP TABLE npcc;")
        XCTAssertTrue(error("sqlite:" + noTable).hasPrefix("error: '\(noTable)' has no table npcc, which its misq_datasets lists\n"))
        let noColumn = try altered("nocolumn.db", "ALTER TABLE allegations DROP COLUMN outcome;")
        XCTAssertTrue(error("sqlite:" + noColumn).hasPrefix("error: table allegations of '\(noColumn)' has no column outcome, which misq_columns lists\n"))
        let retyped = try altered("retyped.db", "UPDATE misq_columns SET type = 'category' WHERE dataset = 'npcc' AND name = 'value';")
        XCTAssertTrue(error("sqlite:" + retyped).hasPrefix("error: column npcc.value of '\(retyped)' is REAL, which does not hold misq's category values\n"),
                      error("sqlite:" + retyped))
        // A folder, and a file that is not a database at all.
        XCTAssertTrue(error("sqlite:" + dir.path).hasPrefix("error: '\(dir.path)' is a folder, not a SQLite database file\n"))
        let text = dir.appendingPathComponent("text.db").path
        try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: URL(fileURLWithPath: text))
        XCTAssertTrue(error("sqlite:" + text).hasPrefix("error: the SQLite database '\(text)' refused a query: file is not a database\n"))
    }

    func testAnAddressIsNeverRepeated() throws {
        for address in ["mysql://root:hunter2@localhost/db", "hunter2"] {
            let err = error(address)
            XCTAssertFalse(err.contains("hunter2"), err)
            XCTAssertTrue(err.hasPrefix("error: --engine takes a database as sqlite:FILE.db or duckdb:FILE.db or postgres://USER:PASSWORD@HOST:PORT/DATABASE (the address given is not repeated here: it may hold a password)\n"), err)
        }
        // A PostgreSQL server that is not there (nothing listens on port 1): named without the password.
        for address in ["postgres://analyst:hunter2@127.0.0.1:1/misq", "postgresql://analyst@127.0.0.1:1/misq?password=hunter2"] {
            let err = error(address)
            XCTAssertFalse(err.contains("hunter2"), err)
            XCTAssertTrue(err.hasPrefix("error: cannot connect to postgres"), err)
            XCTAssertTrue(err.contains("analyst@127.0.0.1:1/misq"), err)
        }
        let r = MisqCLI.capture(["-e", "count cases", "--engine", "sqlite:" + exported, "--datasets", Fixtures.small])
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.err.hasPrefix("error: --engine reads the datasets from the database, so --datasets does not apply with it\n"), r.err)
    }

    func testRefusedFormsAreLocatedAndNameTheEngine() throws {
        // The first query's answer is printed; the second is refused at its line.
        XCTAssertEqual(error("sqlite:" + exported, "count cases where vawg\ncount cases by outcome top 10%", answered: true), """
            error: --engine sqlite cannot run top N%: a share of the groups is not compiled yet
             --> <command line>:2:1
              |
            2 | count cases by outcome top 10%
              | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
              = help: run it in misq itself, without --engine

            """)
        XCTAssertTrue(error("sqlite:" + exported, "let by_outcome = count cases by outcome").hasPrefix(
            "error: --engine sqlite cannot keep a grouped let: its groups would be a table made here from the database's answer, and queries on it are not run on the database yet\n"))
        XCTAssertTrue(error("sqlite:" + exported, "define weeks = days(reported, reported) / 7\nmedian weeks").hasPrefix(
            "error: --engine sqlite cannot run a derived value (define … = expression): "))
        // Inside an assertion too, at the query.
        let r = MisqCLI.capture(["test", try script("define weeks = days(reported, reported) / 7\nassert median weeks = 0"), "--engine", "sqlite:" + exported])
        XCTAssertEqual(r.code, 2, r.out + r.err)
        XCTAssertTrue(r.err.contains("error: --engine sqlite cannot run a derived value") && r.err.contains("s.misq:2:8"), r.err)
    }

    func script(_ text: String) throws -> String {
        let path = dir.appendingPathComponent("s.misq").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testDuckDBFileThatMisqDidNotWrite() throws {
        guard let duckdb = Subprocess.find("duckdb", override: "MISQ_DUCKDB") else {
            if ProcessInfo.processInfo.environment["MISQ_REQUIRE_DUCKDB"] == "1" { throw MisqError(.runtime, "MISQ_REQUIRE_DUCKDB=1, and no duckdb on PATH") }
            throw XCTSkip("no duckdb CLI (pip install duckdb-cli)")
        }
        let path = dir.appendingPathComponent("other.duckdb").path
        let made = try Subprocess.run(duckdb, ["-init", "/dev/null", path], input: Data("CREATE TABLE t (a INTEGER);\n".utf8))
        XCTAssertEqual(made.status, 0)
        XCTAssertTrue(error("duckdb:" + path).hasPrefix("error: '\(path)' is not a database misq export wrote: it has no table misq_datasets\n"))
        let text = dir.appendingPathComponent("text.duckdb").path
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: text))
        XCTAssertTrue(error("duckdb:" + text).hasPrefix("error: the DuckDB database '\(text)' refused a query: IO Error: "), error("duckdb:" + text))
    }

    /// At the prompt, Tab offers the database's datasets, columns and
    /// labels (read from it) exactly as it offers the files' on the same data.
    func testCompletionReadsTheDatabase() throws {
        let there = Completer(session: try Session.open(engine: "sqlite:" + exported))
        let here = Completer(session: Fixtures.smallSession.fork())
        for (before, word) in [("count ", ""), ("count cases where ", "outc"), ("count cases where outcome = ", "dism"), ("count cases where ", "vaw"),
                               ("count cases from ", ""), ("count cases where outcome = ", ""), ("count cases where suspended = ", ""), ("count cases by ", "")] {
            let expected = here.candidates(before: before, word: word)
            XCTAssertFalse(expected.isEmpty, before + word)
            XCTAssertEqual(there.candidates(before: before, word: word), expected, before + word)
        }
    }
}
