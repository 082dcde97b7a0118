import XCTest
@testable import MisqKit

/// The SQLite connection (`Engine/SQLiteConnection.swift`) on a file
/// `misq export` wrote: its tables, columns and rows as python's sqlite3
/// reads the same file; and the ways opening one fails, each an error.
final class SQLiteConnectionTests: XCTestCase {
    func testReadsWhatPythonsSQLite3Reads() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("misq.db").path
        let session = try Session.open(datasetsDirectory: SQLCompileTests.root.appendingPathComponent("datasets").path)
        _ = try session.exportDatabase(to: "sqlite:" + file)
        let c = try SQLiteConnection(path: file)
        let expected = try SQLCompileTests.python(["-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            print("\\t".join(r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")))
            print("\\t".join(r[1] + " " + r[2] for r in c.execute("PRAGMA table_info(centurion_synthetic)")))
            r = c.execute("SELECT count(*), count(DISTINCT case_id), sum(sexual_element), min(reported) FROM centurion_synthetic").fetchone()
            print("\\t".join(map(str, r)))
            """, file], input: Data())
        XCTAssertEqual(expected.status, 0, String(decoding: expected.stderr, as: UTF8.self))
        let lines = String(decoding: expected.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        XCTAssertEqual(try c.tables().joined(separator: "\t"), lines[0])
        XCTAssertEqual(try c.columns(of: "centurion_synthetic").map { "\($0.name) \($0.type)" }.joined(separator: "\t"), lines[1])
        let r = try c.query("SELECT count(*), count(DISTINCT case_id), sum(sexual_element), min(reported) FROM centurion_synthetic")
        XCTAssertEqual(r.columns, ["count(*)", "count(DISTINCT case_id)", "sum(sexual_element)", "min(reported)"])
        XCTAssertEqual(r.rows.count, 1)
        XCTAssertEqual(r.rows[0].map { $0.text ?? "None" }.joined(separator: "\t"), lines[2])
        XCTAssertEqual(try c.query("SELECT NULL AS a, 1.5 AS b, 'x' AS c").rows, [[.null, .real(1.5), .text("x")]])
    }

    func testOpeningFailsWithAnErrorNotACrash() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("none.db").path
        XCTAssertThrowsError(try SQLiteConnection(path: missing)) { e in
            XCTAssertEqual((e as? MisqError)?.message, "no database file '\(missing)'")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing), "opening never makes a database")
        let text = dir.appendingPathComponent("text.db").path
        try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: URL(fileURLWithPath: text))
        XCTAssertThrowsError(try SQLiteConnection(path: text)) { e in
            XCTAssertEqual((e as? MisqError)?.message, "the SQLite database '\(text)' refused a query: file is not a database")
        }
        XCTAssertThrowsError(try SQLiteConnection(path: dir.path)) { e in
            XCTAssertEqual((e as? MisqError)?.message, "'\(dir.path)' is a folder, not a SQLite database file")
        }
        // An address with a password is never repeated.
        XCTAssertThrowsError(try DatabaseAddress.connect("mysql://user:hunter2@host/db")) { e in
            XCTAssertFalse((e as? MisqError)?.message.contains("hunter2") ?? true)
        }
    }
}
