import XCTest
#if canImport(Glibc)
import Glibc
#endif
import MisqCLI
@testable import MisqKit

/// How files are opened and read, in this process: a mapping truncated
/// under a read, limits on absurd lines, datasets that share a name, one
/// bad file in a folder, a definitions file that is not only definitions,
/// a dataset whose file changes between two queries.
final class FileSafetyTests: XCTestCase {
    func write(_ text: String, _ name: String, in dir: URL) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    /// Truncating a mapped file makes its pages past the new end raise
    /// SIGBUS, which used to kill misq: the read now sees zeros, and the
    /// file says it changed.
    func testTruncatedMappingIsSurvivedAndReported() throws {
        let dir = try Fixtures.temporaryDirectory()
        let path = try write(String(repeating: "a,b\n", count: 50_000), "t.csv", in: dir)  // 200 KB, many pages
        let file = try FileBytes(path: path)
        XCTAssertFalse(file.changed)
        XCTAssertEqual(truncate(path, 0), 0)
        var sum = 0
        for i in stride(from: 0, to: file.count, by: 4096) { sum += Int(file.buffer[i]) }
        XCTAssertEqual(sum, 0, "past the end, a truncated mapping reads as zeros")
        XCTAssertTrue(file.changed)
    }

    /// A row index built, then the file truncated: the next pass (a column
    /// a later query needs) reports the change rather than crash or read
    /// another file's rows.
    func testLaterPassOverATruncatedFileIsAnError() throws {
        let dir = try Fixtures.temporaryDirectory()
        let path = try write("id,outcome\n" + (0..<40_000).map { "\($0),x\($0 % 7)\n" }.joined(), "t.csv", in: dir)
        let csv = try CSVFile(path: path)
        XCTAssertEqual(try csv.rowCount, 40_000)
        XCTAssertEqual(truncate(path, 30), 0)
        XCTAssertThrowsError(try csv.scan(columns: [1])) { e in
            XCTAssertTrue(e.misqErrors[0].message.contains("changed while it was being read"), "\(e)")
        }
    }

    /// A file rewritten in place, keeping its size, is a change too (its
    /// modification time moved), so no column comes from a mix of files.
    func testRewriteInPlaceIsAChange() throws {
        let dir = try Fixtures.temporaryDirectory()
        let path = try write("id,outcome\n1,alpha\n2,bravo\n", "t.csv", in: dir)
        let csv = try CSVFile(path: path)
        XCTAssertEqual(try csv.rowCount, 2)
        usleep(20_000)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        h.seek(toFileOffset: 13); h.write(Data("charl".utf8)); try h.close()
        XCTAssertThrowsError(try csv.scan(columns: [1]))
    }

    /// A header with no line feed within the limit is an error at the
    /// file's start, read no further than the limit (it used to be read
    /// whole, an 8 GB file into 8 GB of memory).
    func testHeaderBeyondTheLimit() throws {
        let saved = CSVFile.headerLimit
        CSVFile.headerLimit = 64 << 10
        defer { CSVFile.headerLimit = saved }
        let dir = try Fixtures.temporaryDirectory()
        let path = try write(String(repeating: "a", count: 1 << 20), "long.csv", in: dir)
        XCTAssertThrowsError(try CSVFile(path: path)) { e in
            let err = e.misqErrors[0]
            XCTAssertEqual(err.message, "the header line is longer than 64 KB")
            XCTAssertEqual(err.location?.description, "\(path):1:1")
        }
        // A quoted header field left open is the same error, not a search to the end.
        let quoted = try write("\"" + String(repeating: "a", count: 1 << 20), "quoted.csv", in: dir)
        XCTAssertThrowsError(try CSVFile(path: quoted)) { e in
            XCTAssertEqual(e.misqErrors[0].message, "the header line is longer than 64 KB")
        }
        // Under the limit a header loads as before.
        CSVFile.headerLimit = 2 << 20
        XCTAssertEqual(try CSVFile(path: path).header.first?.count, 1 << 20)
    }

    /// A row longer than the row limit, with no line feed or inside an
    /// open quote, is an error on its line, whatever chunk it falls in.
    func testRowBeyondTheLimit() throws {
        let saved = CSVFile.rowLimit
        CSVFile.rowLimit = 256 << 10
        defer { CSVFile.rowLimit = saved }
        let dir = try Fixtures.temporaryDirectory()
        let long = String(repeating: "x", count: 3 << 20)
        for (name, text, line) in [("plain.csv", "a,b\n1,2\n" + long, 3),
                                   ("quoted.csv", "a,b\n1,2\n3,\"" + long + "\n", 3),
                                   ("blank.csv", "a,b\n1,2\n" + String(repeating: " ", count: 1 << 20) + "x\n", 3),
                                   ("later.csv", "a,b\n" + String(repeating: "1,2\n", count: 300_000) + long, 300_002)] {
            let path = try write(text, name, in: dir)
            for chunk in [nil, 1 << 16] {
                let csv = try CSVFile(path: path, file: FileBytes(path: path), chunkBytes: chunk)
                XCTAssertThrowsError(try csv.rowCount, name) { e in
                    let err = e.misqErrors[0]
                    XCTAssertEqual(err.message, "line is longer than 256 KB (with any line feeds in its quoted fields)", name)
                    XCTAssertEqual(err.location?.line, line, name)
                }
            }
        }
        // A long row under the limit is a row.
        CSVFile.rowLimit = 4 << 20
        let ok = try write("a,b\n1,\(long)\n", "ok.csv", in: dir)
        XCTAssertEqual(try CSVFile(path: ok).rowCount, 1)
    }

    /// Two datasets of one name were silently one of them.
    func testDuplicateDatasetNamesAreAnError() throws {
        let dir = try Fixtures.temporaryDirectory()
        for sub in ["a", "b"] { try FileManager.default.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true) }
        let a = try write("k\n1\n", "a/x.csv", in: dir), b = try write("k\n1\n2\n", "b/x.csv", in: dir)
        let (_, err, code) = MisqCLI.capture(["--data", a, "--data", b, "-e", "count rows"])
        XCTAssertEqual(code, 2)
        XCTAssertTrue(err.contains("two datasets would be named 'x': \(a) and \(b)"), err)
        // `load` of another file under a name in use: located at the name.
        let s = Session()
        s.baseDirectory = dir.path
        let script = "load \"a/x.csv\" as x\nload \"b/x.csv\" as x\n"
        XCTAssertThrowsError(try ScriptRunner(session: s).run(SourceFile(name: "s.misq", text: script), mode: .run)) { e in
            XCTAssertEqual(e.misqErrors[0].location?.description, "s.misq:2:19")
        }
        // The same file again under its name (a script run twice at the
        // prompt): kept while unchanged, read afresh once it changed.
        let first = s.dataset(named: "x")
        let again = SourceFile(name: "t.misq", text: "load \"a/x.csv\" as x\n")
        XCTAssertNoThrow(try ScriptRunner(session: s).run(again, mode: .run))
        XCTAssertTrue(s.dataset(named: "x") === first)
        usleep(20_000)
        _ = try write("k\n1\n2\n3\n", "a/x.csv", in: dir)
        XCTAssertNoThrow(try ScriptRunner(session: s).run(again, mode: .run))
        XCTAssertFalse(s.dataset(named: "x") === first)
        XCTAssertEqual(try s.dataset(named: "x")?.rowCount, 3)
    }

    /// One malformed CSV in a folder used to fail `describe` as a whole.
    func testOneBadFileDoesNotBlockAFolder() throws {
        let dir = try Fixtures.temporaryDirectory()
        _ = try write("a,b\n1,2\n3,4\n", "good.csv", in: dir)
        _ = try write("a,b\n1,2\n3\n", "broken.csv", in: dir)
        _ = try write("", "empty.csv", in: dir)
        XCTAssertEqual(mkfifo(dir.appendingPathComponent("pipe.csv").path, 0o600), 0)
        let (out, err, code) = MisqCLI.capture(["--datasets", dir.path, "describe"])
        XCTAssertEqual(code, 2)
        XCTAssertTrue(out.contains("good: 2 rows"), out)
        XCTAssertTrue(out.contains("broken: cannot be read"), out)
        XCTAssertTrue(err.contains("--> \(dir.path)/broken.csv:3:2"), err)
        XCTAssertTrue(err.contains("--> \(dir.path)/empty.csv:1:1"), err)
        XCTAssertTrue(err.contains("pipe.csv' is a named pipe, not a CSV file"), err)
        let good = MisqCLI.capture(["--datasets", dir.path, "--format", "csv", "-e", "count rows from good"])
        XCTAssertEqual(good.code, 0, good.err)
        XCTAssertEqual(good.out, "rows\n2\n")
        let bad = MisqCLI.capture(["--datasets", dir.path, "-e", "count rows from broken"])
        XCTAssertEqual(bad.code, 2)
        XCTAssertTrue(bad.err.contains("broken.csv:3:2"), bad.err)
        // A dataset with no readable header gives its error, not "unknown column".
        let empty = MisqCLI.capture(["--datasets", dir.path, "-e", "count rows from empty where a = 1"])
        XCTAssertEqual(empty.code, 2)
        XCTAssertTrue(empty.err.contains("the file is empty"), empty.err)
    }

    /// A data package whose CSV cannot be read keeps its other datasets.
    func testOneBadResourceDoesNotBlockAPackage() throws {
        let dir = try Fixtures.temporaryDirectory()
        _ = try write("case_id,outcome\nC1,x\nC2,y\n", "cases.csv", in: dir)
        _ = try write("", "table.csv", in: dir)
        _ = try write("""
        {"resources": [
          {"name": "cases", "path": "cases.csv", "misq:units": {"cases": {"distinct": "case_id"}}, "misq:default": true},
          {"name": "table", "path": "table.csv"}
        ]}
        """, "datapackage.json", in: dir)
        let ok = MisqCLI.capture(["--datasets", dir.path, "--format", "csv", "-e", "count cases"])
        XCTAssertEqual(ok.code, 0, ok.err)
        XCTAssertEqual(ok.out, "cases\n2\n")
        let bad = MisqCLI.capture(["--datasets", dir.path, "-e", "count rows from table"])
        XCTAssertEqual(bad.code, 2)
        XCTAssertTrue(bad.err.contains("table.csv:1:1"), bad.err)
    }

    /// A definitions file ran `load` on every command and skipped `count`
    /// and `assert` without a word: only declarations belong there.
    func testDefinitionsFileHoldsOnlyDeclarations() throws {
        let dir = try Fixtures.temporaryDirectory()
        _ = try write("case_id,outcome\nC1,x\nC2,y\n", "cases.csv", in: dir)
        _ = try write("""
        {"resources": [{"name": "cases", "path": "cases.csv", "misq:units": {"cases": {"distinct": "case_id"}}}],
         "misq:definitions": ["defs.misq"]}
        """, "datapackage.json", in: dir)
        for (statement, what) in [("count cases", "a query"), ("assert count cases = 2", "an assertion"),
                                  ("load \"cases.csv\" as again", "a load"), ("let n = count cases", "a let of a figure")] {
            _ = try write("define xs = outcome = x\n\(statement)\n", "defs.misq", in: dir)
            XCTAssertThrowsError(try Session.open(datasetsDirectory: dir.path), statement) { e in
                let err = e.misqErrors[0]
                XCTAssertTrue(err.message.hasPrefix("a definitions file holds only declarations, and this is \(what)"), err.message)
                XCTAssertEqual(err.location?.description, "\(dir.path)/defs.misq:2:1")
            }
        }
        _ = try write("define xs = outcome = x\nunit outcomes = distinct outcome from cases\nparam w = 2022\nlet xcases = cases where xs\n",
                      "defs.misq", in: dir)
        let s = try Session.open(datasetsDirectory: dir.path)
        XCTAssertNotNil(s.defines["xs"])
        XCTAssertEqual(try Fixtures.scalar("count xcases", session: s), 1)
    }

    /// A dataset whose file changed between two statements is read again,
    /// never answered from a mix of the two files' columns.
    func testChangedFileIsReadAgainNotMixed() throws {
        let dir = try Fixtures.temporaryDirectory()
        let path = try write("a,b\nx,1\nx,1\ny,2\n", "t.csv", in: dir)
        let s = Session()
        try s.add(Dataset.bare(name: "t", path: path))
        XCTAssertEqual(try Fixtures.groups("count rows from t by a", session: s), ["x=2", "y=1"])
        usleep(20_000)
        _ = try write("a,b\ny,3\ny,3\ny,4\nz,4\n", "t.csv", in: dir)
        let (notes, errors) = s.reloadChangedDatasets()
        XCTAssertEqual(notes, ["\(path) changed on disk: dataset 't' is read again from it"])
        XCTAssertTrue(errors.isEmpty)
        // Hand count of the new file: a = y on 3 rows, z on 1; b = 3 twice, 4 twice.
        XCTAssertEqual(try Fixtures.groups("count rows from t by a, b", session: s), ["y/3=2", "y/4=1", "z/4=1"])
        XCTAssertTrue(s.reloadChangedDatasets().notes.isEmpty, "unchanged since: nothing to read again")
        // A file that can no longer be read refuses every use until it changes again.
        usleep(20_000)
        _ = try write("", "t.csv", in: dir)
        XCTAssertEqual(s.reloadChangedDatasets().errors.count, 1)
        XCTAssertThrowsError(try Fixtures.results("count rows from t", session: s)) { e in
            XCTAssertTrue(e.misqErrors[0].message.contains("the file is empty"), "\(e)")
        }
        XCTAssertTrue(s.reloadChangedDatasets().errors.isEmpty, "refused once, not on every statement")
        usleep(20_000)
        _ = try write("a,b\nq,1\n", "t.csv", in: dir)
        XCTAssertEqual(s.reloadChangedDatasets().notes.count, 1)
        XCTAssertEqual(try Fixtures.groups("count rows from t by a", session: s), ["q=1"])
    }
}

extension Fixtures {
    static func scalar(_ text: String, session: Session) throws -> Double {
        guard let v = try results(text, session: session).last?.scalarValue else { throw MisqError(.runtime, "not a scalar: \(text)") }
        return v
    }

    static func groups(_ text: String, session: Session) throws -> [String] {
        guard case .groups(let g)? = try results(text, session: session).last?.body else { throw MisqError(.runtime, "not grouped: \(text)") }
        return g.rows.map { $0.keys.map { $0 ?? "(missing)" }.joined(separator: "/") + "=" + $0.values.map(NumberFormat.plain).joined(separator: ",") }
    }
}
