import XCTest
@testable import MisqKit

/// misq against DuckDB (issue 17, "How it will be checked"): seeded CSVs
/// in the shapes of real exports, a few hundred generated questions of the
/// shapes in DifferentialShapes.swift, each asked of misq in-process and of
/// DuckDB (through `Tests/Differential/duckdb_runner.py`) as SQL written from
/// the same parameters, every cell compared. Without DuckDB for python3 the
/// test is skipped, unless MISQ_REQUIRE_DUCKDB=1 (as `.ci/run` sets), when
/// it fails.
final class DifferentialTests: XCTestCase {
    /// MISQ_DIFFERENTIAL_SEED asks other questions of other data (the seed is
    /// printed with every mismatch); CI keeps this one.
    static let seed: UInt64 = ProcessInfo.processInfo.environment["MISQ_DIFFERENTIAL_SEED"].flatMap { UInt64($0) } ?? 20_261_201
    /// Questions per shape: 25 shapes × 16 = 400.
    static let perShape = 16

    static let runner = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Differential/duckdb_runner.py")

    func testMisqAgreesWithDuckDB() throws {
        try requireDuckDB()
        // MISQ_DIFFERENTIAL_DIR keeps the CSVs there, to ask a failing question by hand.
        let keep = ProcessInfo.processInfo.environment["MISQ_DIFFERENTIAL_DIR"].map { URL(fileURLWithPath: $0) }
        let dir = try keep ?? Fixtures.temporaryDirectory()
        defer { if keep == nil { try? FileManager.default.removeItem(at: dir) } }
        let data = DifferentialData(seed: Self.seed)
        let complaints = dir.appendingPathComponent("complaints.csv").path, forces = dir.appendingPathComponent("forces.csv").path
        try data.complaintsCSV.write(toFile: complaints, atomically: true, encoding: .utf8)
        try data.forcesCSV.write(toFile: forces, atomically: true, encoding: .utf8)
        let personnel = dir.appendingPathComponent("personnel.csv").path
        try data.personnelCSV.write(toFile: personnel, atomically: true, encoding: .utf8)

        var rng = SeededRandom(seed: Self.seed)
        let pieces = Pieces(data: data)
        var cases: [DiffCase] = []
        for _ in 0..<Self.perShape { for shape in DifferentialShapes.all { cases.append(shape.make(&rng, pieces)) } }
        if ProcessInfo.processInfo.environment["MISQ_DIFFERENTIAL_LIST"] == "1" {
            for (i, c) in cases.enumerated() { print("\(i + 1) [\(c.shape)] \(c.misq.replacingOccurrences(of: "\n", with: "; "))") }
        }
        XCTAssertGreaterThanOrEqual(cases.count, 200)
        XCTAssertGreaterThanOrEqual(Set(cases.map(\.shape)).count, 10)

        // DuckDB: every statement of every case in one run.
        var statements: [String] = [], firstStatement: [Int] = []
        for c in cases {
            firstStatement.append(statements.count)
            switch c.expect {
            case .scalar(let sql, _), .rows(let sql): statements.append(sql)
            case .grouped(let g): statements += g.statements
            }
        }
        let answers = try runDuckDB(setup: DifferentialData.duckdbSetup(complaints: complaints, forces: forces, personnel: personnel), queries: statements)
        XCTAssertEqual(answers.count, statements.count)
        guard answers.count == statements.count else { return }

        // misq: one session with the CSVs loaded, every question in turn.
        let session = Session()
        _ = try Fixtures.results(DifferentialData.misqSetup(complaints: complaints, forces: forces, personnel: personnel), session: session)
        var failures = 0
        for (i, c) in cases.enumerated() {
            let count: Int
            switch c.expect {
            case .scalar, .rows: count = 1
            case .grouped(let g): count = g.statements.count
            }
            let part = answers[firstStatement[i]..<(firstStatement[i] + count)]
            let sql = statements[firstStatement[i]..<(firstStatement[i] + count)]
            var found: [String]
            if let e = part.first(where: { $0.error != nil })?.error {
                found = ["DuckDB error: \(e)"]
            } else {
                do {
                    guard let r = try Fixtures.results(c.misq, session: session).last else { throw MisqError(.runtime, "no result") }
                    found = differences(c, misq: r, duck: part.map { $0.rows ?? [] })
                } catch {
                    found = ["misq error: \(error.misqErrors.first?.message ?? "\(error)")"]
                }
            }
            if !found.isEmpty {
                failures += 1
                XCTFail("""
                    [\(c.shape)] seed \(Self.seed), question \(i + 1)
                    misq: \(c.misq)
                    SQL:  \(sql.joined(separator: "\n      "))
                    misq answer:   \(describe(try? Fixtures.results(c.misq, session: session).last))
                    DuckDB answer: \(part.map { ($0.rows ?? []).map { $0.map(String.init(describing:)) } })
                    \(found.prefix(8).joined(separator: "\n"))
                    """)
            }
        }
        // The rules that differ from a naive answer were asked about, not just passed.
        let tiedTops = cases.indices.filter { i in
            guard case .grouped(let g) = cases[i].expect, let n = g.top else { return false }
            return answers[firstStatement[i]].rows?.count ?? 0 > n
        }
        XCTAssertGreaterThan(tiedTops.count, 0, "no top N question had groups tied at the Nth")
        let empty = cases.indices.filter { i in
            let rows = answers[firstStatement[i]].rows ?? []
            if case .scalar = cases[i].expect, case .number(0)? = rows.first?.first { return true }
            return rows.isEmpty
        }.count
        print("differential: \(cases.count) questions of \(Set(cases.map(\.shape)).count) shapes, \(failures) disagreeing; \(tiedTops.count) top N with ties; \(empty) with an empty or zero answer")
    }

    /// A misq result in one line, for a failure message.
    func describe(_ r: QueryResult?) -> String {
        guard let r else { return "(none)" }
        let m = MisqAnswer(r)
        if let s = m.scalar { return s.description }
        let rows = m.rows.map { k in
            let vals = m.columns.isEmpty ? [m.cells[k]?.description ?? "-"]
                                         : m.columns.map { m.cells[k + [$0]]?.description ?? "-" }
            return "\(show(k)): \(vals.joined(separator: ", "))"
        }
        return "[\(rows.joined(separator: "; "))] total \(m.grandTotal)\(m.totals.map { ", total row \($0)" } ?? "")"
    }

    // MARK: DuckDB

    struct DuckAnswer: Decodable {
        var rows: [[DuckCell]]?
        var error: String?
    }

    func requireDuckDB() throws {
        let required = ProcessInfo.processInfo.environment["MISQ_REQUIRE_DUCKDB"] == "1"
        let probe = try python(["-c", "import duckdb"], input: Data())
        guard probe.status == 0 else {
            let why = "python3 cannot import duckdb (pip install duckdb): \(String(decoding: probe.stderr, as: UTF8.self).suffix(200))"
            if required { throw MisqError(.runtime, "MISQ_REQUIRE_DUCKDB=1, and " + why) }
            throw XCTSkip(why)
        }
    }

    func runDuckDB(setup: [String], queries: [String]) throws -> [DuckAnswer] {
        let job = try JSONSerialization.data(withJSONObject: ["setup": setup, "queries": queries])
        let run = try python([Self.runner.path], input: job)
        guard run.status == 0 else {
            throw MisqError(.runtime, "duckdb_runner.py exited \(run.status): \(String(decoding: run.stderr, as: UTF8.self))")
        }
        return try JSONDecoder().decode([DuckAnswer].self, from: run.stdout)
    }

    /// Runs python3 with `arguments`, `input` on its standard input. The
    /// runner reads all its input before it writes, so writing first and
    /// then reading cannot stall; standard error goes to a file.
    func python(_ arguments: [String], input: Data) throws -> (status: Int32, stdout: Data, stderr: Data) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + arguments
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("misq-duckdb-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errFile) }
        let stdin = Pipe(), stdout = Pipe(), stderr = try FileHandle(forWritingTo: errFile)
        p.standardInput = stdin; p.standardOutput = stdout; p.standardError = stderr
        try p.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try stderr.close()
        return (p.terminationStatus, out, (try? Data(contentsOf: errFile)) ?? Data())
    }
}
