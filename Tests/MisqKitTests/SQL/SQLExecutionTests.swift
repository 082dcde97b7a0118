import XCTest
@testable import MisqKit

/// The SQL `misq sql` writes, run on DuckDB and SQLite (python's `duckdb`
/// and `sqlite3`, through `sql_runner.py`) over the same rows misq reads,
/// every cell compared with misq's own answer: the saved FOI queries over
/// `datasets/`, and the differential corpus (`Differential/`, the same
/// generated questions of every shape that DifferentialTests asks DuckDB
/// with hand-written SQL). A form the compiler refuses is counted, not
/// compared; the corpus must still compile and agree for at least 200
/// questions. Without DuckDB for python3 the test is skipped, unless
/// MISQ_REQUIRE_DUCKDB=1 (as `.ci/run` sets), when it fails.
final class SQLExecutionTests: XCTestCase {
    static let targets: [SQLDialect.Target] = [.duckdb, .sqlite]

    func testSavedQueriesAgreeOnDuckDBAndSQLite() throws {
        try requireDuckDB()
        let base = try Session.open(datasetsDirectory: SQLCompileTests.root.appendingPathComponent("datasets").path)
        let checks = try savedQueryChecks(base)
        let compared = try run(checks, session: base)
        // Every saved file's queries are of forms the compiler writes.
        XCTAssertGreaterThanOrEqual(compared, 40, "queries compared on both engines")
        XCTAssertEqual(checks.filter { !$0.refusals.isEmpty }.map { "\($0.file): \($0.text): \($0.refusals)" }, [])
    }

    /// `misq export --to sqlite:FILE` writes the datasets so that the SQL
    /// for every saved query, run on the file alone, gives misq's answers;
    /// and the side tables hold each dataset's provenance and types. A file
    /// that is there is refused, or with `--replace` has its tables replaced.
    func testSavedQueriesAgreeOnAnExportedSQLiteFile() throws {
        try requireDuckDB()
        let base = try Session.open(datasetsDirectory: SQLCompileTests.root.appendingPathComponent("datasets").path)
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("misq.db").path
        let names = try base.exportDatabase(to: "sqlite:" + file).written
        XCTAssertEqual(names.count, base.schemas.count)
        XCTAssertThrowsError(try base.exportDatabase(to: "sqlite:" + file), "an existing file is never written over")
        // Unless told: the tables are dropped and written again, not appended to (the row count below).
        XCTAssertEqual(try base.exportDatabase(to: "sqlite:" + file, replace: true).replaced, ["misq_datasets", "misq_columns", "misq_catalog", "misq_definitions"] + names)
        let checks = try savedQueryChecks(base)
        let compared = try run(checks, session: base, targets: [.sqlite], sqliteFile: file)
        XCTAssertGreaterThanOrEqual(compared, 40)
        // The side tables, read back by python's sqlite3.
        let side = try SQLCompileTests.python(["-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            for r in c.execute("SELECT name, synthetic, period_column FROM misq_datasets ORDER BY name"): print("|".join(map(str, r)))
            print(c.execute("SELECT type FROM misq_columns WHERE dataset = 'centurion_synthetic' AND name = 'reported'").fetchone()[0])
            print(c.execute("SELECT count(*) FROM centurion_synthetic").fetchone()[0])
            """, file], input: Data())
        let lines = String(decoding: side.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        XCTAssertEqual(side.status, 0, String(decoding: side.stderr, as: UTF8.self))
        XCTAssertTrue(lines.contains("centurion_synthetic|1|reported"), "\(lines)")
        XCTAssertTrue(lines.contains("date"), "\(lines)")
        // The committed synthetic file's rows (ShippedDataTests counts them too).
        XCTAssertEqual(lines.last, "29365")
    }

    func savedQueryChecks(_ base: Session, targets: [SQLDialect.Target] = SQLExecutionTests.targets) throws -> [Check] {
        let folder = SQLCompileTests.root.appendingPathComponent("queries").path
        var checks: [Check] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder).filter({ $0.hasSuffix(".misq") }).sorted() {
            let session = base.fork()
            session.baseDirectory = folder
            let source = try SourceFile.read(script: folder + "/" + file)
            for stmt in try session.parse(source).statements {
                var queries: [Query] = []
                switch stmt.kind {
                case .query(let q): queries = [q]
                case .expression(let e): queries = Explain.queries(in: e)
                case .assertion(let a): queries = Explain.queries(in: a.actual)
                default: break
                }
                for q in queries {
                    // A table published with suppression is refused by misq
                    // sql (the SQL would print the counts it hides); its
                    // figures, before suppression, are the same query's without it.
                    var plain = q
                    plain.suppression = nil
                    checks.append(try Check.make(file: file, text: q.suppression == nil ? source.text(q.span) : plain.description, session: session, targets: targets))
                }
                if case .query = stmt.kind { continue }
                _ = try ScriptRunner(session: session).run(Program(source: source, statements: [stmt], comments: []), mode: .run)
            }
        }
        return checks
    }

    func testGeneratedCorpusAgreesOnDuckDBAndSQLite() throws {
        try requireDuckDB()
        let corpus = try corpusChecks()
        defer { try? FileManager.default.removeItem(at: corpus.directory) }
        let compared = try run(corpus.checks, session: corpus.session)
        try checkCorpus(corpus.checks, compared: compared, on: "DuckDB and SQLite")
    }

    /// The differential corpus's questions over its generated CSVs (in
    /// `directory`, for the caller to remove), compiled for `targets`.
    func corpusChecks(targets: [SQLDialect.Target] = SQLExecutionTests.targets) throws -> (checks: [Check], session: Session, directory: URL) {
        let dir = try Fixtures.temporaryDirectory()
        let data = DifferentialData(seed: DifferentialTests.seed)
        let complaints = dir.appendingPathComponent("complaints.csv").path, forces = dir.appendingPathComponent("forces.csv").path
        let personnel = dir.appendingPathComponent("personnel.csv").path
        try data.complaintsCSV.write(toFile: complaints, atomically: true, encoding: .utf8)
        try data.forcesCSV.write(toFile: forces, atomically: true, encoding: .utf8)
        try data.personnelCSV.write(toFile: personnel, atomically: true, encoding: .utf8)
        let session = Session()
        _ = try Fixtures.results(DifferentialData.misqSetup(complaints: complaints, forces: forces, personnel: personnel), session: session)

        var rng = SeededRandom(seed: DifferentialTests.seed)
        let pieces = Pieces(data: data)
        var checks: [Check] = []
        for _ in 0..<DifferentialTests.perShape {
            for shape in DifferentialShapes.all {
                let c = shape.make(&rng, pieces)
                // A case's definitions first, in a session of its own; its last statement is the question.
                let s = session.fork()
                let source = SourceFile(name: c.shape, text: c.misq)
                let statements = try s.parse(source).statements
                for stmt in statements.dropLast() {
                    _ = try ScriptRunner(session: s).run(Program(source: source, statements: [stmt], comments: []), mode: .run)
                }
                guard let last = statements.last, case .query(let q) = last.kind else { continue }
                checks.append(try Check.make(file: c.shape, text: source.text(q.span), session: s, targets: targets))
            }
        }
        return (checks, session, dir)
    }

    /// At least 200 generated questions of at least 10 shapes compiled and compared.
    func checkCorpus(_ checks: [Check], compared: Int, on engines: String) throws {
        let refused = checks.filter { !$0.refusals.isEmpty }
        var why: [String: Int] = [:]
        for c in refused { for r in c.refusals { why[String(r.prefix { $0 != ":" }).replacingOccurrences(of: #"\(g_[0-9]+\)"#, with: "(…)", options: .regularExpression), default: 0] += 1 } }
        print("SQLExecutionTests: \(checks.count) generated questions, \(compared) compared on \(engines), \(refused.count) refused: \(why)")
        XCTAssertGreaterThanOrEqual(compared, 200, "generated questions compiled and compared; refused: \(why)")
        XCTAssertGreaterThanOrEqual(Set(checks.filter { $0.refusals.isEmpty }.map(\.file)).count, 10, "shapes compared")
    }

    /// One question: misq's answer, and the SQL for each target (or why not).
    struct Check {
        var file: String
        var text: String
        var result: QueryResult
        var sql: [SQLDialect.Target: String] = [:]
        var refusals: [String] = []

        static func make(file: String, text: String, session: Session, targets: [SQLDialect.Target] = SQLExecutionTests.targets) throws -> Check {
            let results = try Fixtures.results(text, session: session)
            guard let r = results.last else { throw MisqError(.runtime, "no answer to \(text)") }
            var c = Check(file: file, text: text, result: r)
            for t in targets {
                do {
                    let sql = try SQLText.statements(SourceFile(name: file, text: text), session: session, dialect: .for(t))
                    guard sql.count == 1 else { throw MisqError(.runtime, "\(sql.count) SQL statements for one query") }
                    c.sql[t] = sql[0]
                } catch let e as MisqError where e.message.hasPrefix("misq sql cannot compile") {
                    c.refusals.append(e.message)
                }
            }
            return c
        }
    }

    /// Runs every compiled check on both engines and compares; the number compared.
    func run(_ checks: [Check], session: Session, targets: [SQLDialect.Target] = SQLExecutionTests.targets, sqliteFile: String? = nil) throws -> Int {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var tables: [[String: Any]] = []
        for schema in session.schemas where !schema.isMadeByStatement && sqliteFile == nil {
            guard let ds = session.dataset(named: schema.name) else { continue }
            let path = dir.appendingPathComponent("\(tables.count).csv").path
            var columns: [[String]] = []
            var cols: [Column] = []
            for (k, name) in ds.columnNames.enumerated() {
                let c = try ds.column(k)
                cols.append(c)
                columns.append([name, c.type.rawValue])
            }
            var text = ds.columnNames.map(Self.csvField).joined(separator: ",") + "\n"
            for r in 0..<(try ds.rowCount) { text += cols.map { Self.csvField($0.text(r) ?? "") }.joined(separator: ",") + "\n" }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            tables.append(["name": ds.name, "columns": columns, "csv": path])
        }
        // Each question on each target that compiled it (a percentile SQLite
        // refuses is still run on DuckDB).
        let compiled = checks.flatMap { c in targets.compactMap { t in c.sql[t].map { (c, t, $0) } } }
        let queries = compiled.map { ["target": $0.1.rawValue, "sql": $0.2] }
        var request: [String: Any] = ["tables": tables, "queries": queries]
        if let f = sqliteFile { request["sqlite_file"] = f }
        let job = try JSONSerialization.data(withJSONObject: request)
        let run = try SQLCompileTests.python([Fixtures.testsDirectory.appendingPathComponent("SQL/sql_runner.py").path], input: job)
        guard run.status == 0, let answers = try JSONSerialization.jsonObject(with: run.stdout) as? [[String: Any]] else {
            throw MisqError(.runtime, "sql_runner.py exited \(run.status): \(String(decoding: run.stderr, as: UTF8.self).suffix(2000))")
        }
        XCTAssertEqual(answers.count, queries.count)
        compare(compiled, answers.map { answer in
            if let error = answer["error"] as? String { return .failure(Refused(message: error)) }
            return .success(answer["rows"] as? [[Any]] ?? [])
        })
        for t in targets { print("SQLExecutionTests: \(compiled.filter { $0.1 == t }.count) questions compared on \(t.rawValue)" + (sqliteFile == nil ? "" : " (an exported file)")) }
        // Questions compared on every target asked.
        return checks.filter { c in targets.allSatisfy { c.sql[$0] != nil } }.count
    }

    /// An engine's refusal of a statement, in its words.
    struct Refused: Error { var message: String }

    /// Each compiled question's answer from its engine against misq's, cell
    /// by cell; the first differences reported, and none allowed.
    func compare(_ compiled: [(Check, SQLDialect.Target, String)], _ answers: [Swift.Result<[[Any]], Refused>]) {
        XCTAssertEqual(compiled.count, answers.count)
        var failures = 0
        for ((c, t, sql), answer) in zip(compiled, answers) {
            let problems: [String]
            switch answer {
            case .failure(let e): problems = ["the engine refused it: \(e.message)"]
            case .success(let rows): problems = SQLAnswerCompare.differences(c.result, rows: rows)
            }
            if !problems.isEmpty {
                failures += 1
                if failures <= 15 {
                    XCTFail("\(c.file): \(c.text) on \(t.rawValue):\n  " + problems.prefix(6).joined(separator: "\n  ") + "\n" + sql)
                }
            }
        }
        XCTAssertEqual(failures, 0, "answers that differ from misq's")
    }

    static func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    func requireDuckDB() throws {
        let probe = try SQLCompileTests.python(["-c", "import duckdb"], input: Data())
        guard probe.status == 0 else {
            if ProcessInfo.processInfo.environment["MISQ_REQUIRE_DUCKDB"] == "1" { throw MisqError(.runtime, "MISQ_REQUIRE_DUCKDB=1, and python3 cannot import duckdb") }
            throw XCTSkip("python3 cannot import duckdb (pip install duckdb)")
        }
    }
}
