import XCTest
@testable import MisqKit

/// `misq sql`: the SQL of a corpus of queries for each target, pinned in
/// `Golden/sql/corpus.TARGET.sql` (re-record with `MISQ_RECORD=1 swift test
/// --filter SQLCompile` and read the diff), and every statement parsed by
/// sqlglot in the target's dialect (`sqlglot_check.py`). Without sqlglot
/// for python3 the parse test is skipped, unless MISQ_REQUIRE_SQLGLOT=1
/// (as `.ci/run` sets), when it fails.
final class SQLCompileTests: XCTestCase {
    static let root = Fixtures.testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    /// Each query of the plan corpus (and its declarations), compiled one
    /// statement at a time so a form the compiler refuses shows as its
    /// error in the snapshot, and the rest still compile.
    static func corpus(_ target: SQLDialect.Target) throws -> [(name: String, sql: String?, error: String?)] {
        let text = try String(contentsOfFile: Fixtures.golden + "/plans/corpus.misq", encoding: .utf8)
        let session = Fixtures.smallSession.fork()
        var out: [(String, String?, String?)] = []
        for (i, line) in text.split(separator: "\n").enumerated() where !line.hasPrefix("--") && !line.isEmpty {
            do {
                let sql = try SQLText.text(SourceFile(name: "corpus.misq:\(i + 1)", text: String(line)), session: session, dialect: .for(target))
                if !sql.isEmpty { out.append((String(line), sql, nil)) }
            } catch {
                out.append((String(line), nil, error.misqErrors.map(\.message).joined(separator: "; ")))
            }
        }
        return out
    }

    func testCorpusSnapshots() throws {
        for target in SQLDialect.Target.allCases {
            let compiled = try Self.corpus(target)
            let actual = compiled.map { c in c.sql ?? "-- misq: \(c.name)\n-- error: \(c.error ?? "")\n" }.joined(separator: "\n")
            let path = Fixtures.golden + "/sql/corpus.\(target.rawValue).sql"
            if ProcessInfo.processInfo.environment["MISQ_RECORD"] == "1" {
                try actual.write(toFile: path, atomically: true, encoding: .utf8)
            }
            let expected = try String(contentsOfFile: path, encoding: .utf8)
            XCTAssertEqual(actual, expected, "Golden/sql/corpus.\(target.rawValue).sql differs: re-record with MISQ_RECORD=1 and read the diff")
            // Most of the corpus compiles for every target: refusals are the exception.
            XCTAssertGreaterThanOrEqual(compiled.filter { $0.sql != nil }.count, compiled.count * 3 / 5, target.rawValue)
        }
    }

    /// Every statement written for every target, from the corpus and from
    /// each saved query file over the shipped datasets, parses in that
    /// target's dialect.
    func testEveryStatementParsesWithSqlglot() throws {
        let required = ProcessInfo.processInfo.environment["MISQ_REQUIRE_SQLGLOT"] == "1"
        let probe = try Self.python(["-c", "import sqlglot"], input: Data())
        guard probe.status == 0 else {
            let why = "python3 cannot import sqlglot (pip install sqlglot)"
            if required { throw MisqError(.runtime, "MISQ_REQUIRE_SQLGLOT=1, and " + why) }
            throw XCTSkip(why)
        }
        var jobs: [[String: String]] = []
        for target in SQLDialect.Target.allCases {
            for c in try Self.corpus(target) { if let sql = c.sql { jobs.append(["target": target.rawValue, "name": c.name, "sql": sql]) } }
            for (name, sql) in try Self.savedQueries(target) { jobs.append(["target": target.rawValue, "name": name, "sql": sql]) }
        }
        XCTAssertGreaterThan(jobs.count, 6 * 40)
        let run = try Self.python([Fixtures.testsDirectory.appendingPathComponent("SQL/sqlglot_check.py").path],
                                  input: try JSONSerialization.data(withJSONObject: jobs))
        XCTAssertEqual(run.status, 0, String(decoding: run.stdout, as: UTF8.self) + String(decoding: run.stderr, as: UTF8.self))
    }

    /// Each query of each saved FOI file, compiled one at a time (a file's
    /// refusals are left out: `testSavedQueriesCompile` counts them).
    static func savedQueries(_ target: SQLDialect.Target) throws -> [(name: String, sql: String)] {
        let base = try Session.open(datasetsDirectory: root.appendingPathComponent("datasets").path)
        let folder = root.appendingPathComponent("queries").path
        var out: [(String, String)] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder).filter({ $0.hasSuffix(".misq") }).sorted() {
            let session = base.fork()
            session.baseDirectory = folder
            let source = try SourceFile.read(script: folder + "/" + file)
            let program = try session.parse(source)
            for stmt in program.statements {
                let one = SourceFile(name: file, text: source.text(stmt.span))
                if let sql = try? SQLText.text(one, session: session, dialect: .for(target)), !sql.isEmpty {
                    for part in sql.components(separatedBy: "\n-- misq: ") where !part.isEmpty {
                        out.append((file, part.hasPrefix("-- misq: ") ? part : "-- misq: " + part))
                    }
                }
            }
        }
        return out
    }

    static func python(_ arguments: [String], input: Data) throws -> (status: Int32, stdout: Data, stderr: Data) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + arguments
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let inFile = dir.appendingPathComponent("in"), outFile = dir.appendingPathComponent("out"), errFile = dir.appendingPathComponent("err")
        try input.write(to: inFile)
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        p.standardInput = try FileHandle(forReadingFrom: inFile)
        p.standardOutput = try FileHandle(forWritingTo: outFile)
        p.standardError = try FileHandle(forWritingTo: errFile)
        try p.run()
        p.waitUntilExit()
        return (p.terminationStatus, (try? Data(contentsOf: outFile)) ?? Data(), (try? Data(contentsOf: errFile)) ?? Data())
    }
}
