import Foundation
import XCTest
@testable import MisqKit

/// Several measures in one table, and measures combined per group (issue
/// 17, item 3), on CSVs made here in the issue's shapes (allegation-level,
/// complaints by year, per-force staff). Every expected figure is computed
/// by DuckDB on the same file (`count(*) FILTER (WHERE …)`, `count(DISTINCT
/// …)`, `nullif` for division by zero); the tests skip when python3 cannot
/// import duckdb.
final class MeasureTableTests: XCTestCase {
    static let dir: URL = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("misq-measures-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        var seed: UInt64 = 20_261_201
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        var a = "allegation_id,case_id,officer_id,outcome\n"
        let outcomes = ["Upheld", "Not upheld", "No case to answer", ""]
        for i in 1...400 { a += "\(i),C\(next(90)),O\(next(70)),\(outcomes[next(4)])\n" }
        var c = "complaint_id,year_received,disposition\n"
        let dispositions = ["Substantiated", "Substantiated (Reprimand)", "Unsubstantiated", "Exonerated", "Unfounded"]
        for i in 1...500 {
            let year = 2015 + next(6)
            // 2020 has no substantiated complaint: a group whose part is 0.
            c += "\(i),\(year),\(year == 2020 ? "Unfounded" : dispositions[next(5)])\n"
        }
        var f = "force,region,cases_to_answer,staff\n"
        let regions = ["North", "South", "East", "West", "Wales"]
        for i in 1...40 {
            let region = regions[i % 5]
            // Wales has no staff (a divisor of 0); some forces did not report staff.
            let staff = region == "Wales" ? "0" : (i % 7 == 0 ? "" : "\(500 + next(20_000))")
            f += "Force \(i),\(region),\(next(90)),\(staff)\n"
        }
        for (name, text) in [("allegations", a), ("complaints", c), ("forces", f)] {
            try? text.write(to: d.appendingPathComponent(name + ".csv"), atomically: true, encoding: .utf8)
        }
        return d
    }()

    func path(_ name: String) -> String { MeasureTableTests.dir.appendingPathComponent(name + ".csv").path }

    /// A session with the three CSVs loaded and the allegations' units declared.
    func run(_ query: String) throws -> QueryResult {
        let script = """
        load "\(path("allegations"))" as allegations
        unit cases = distinct case_id from allegations
        unit individuals = distinct officer_id from allegations
        load "\(path("complaints"))" as complaints
        load "\(path("forces"))" as forces
        \(query)
        """
        guard let r = try Fixtures.results(script, session: Session()).last else { throw MisqError(.runtime, "no result") }
        return r
    }

    func grouped(_ query: String) throws -> (GroupedResult, QueryResult) {
        let r = try run(query)
        guard case .groups(let g) = r.body else { throw MisqError(.runtime, "not grouped: \(query)") }
        return (g, r)
    }

    /// Rows from DuckDB as text: NULL for a missing value, numbers as Python's repr.
    func duckdb(_ sql: String) throws -> [[String]] {
        let p = Process(), out = Pipe(), err = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let program = """
        import sys
        try:
            import duckdb
        except ImportError:
            sys.exit(3)
        for row in duckdb.sql(sys.argv[1]).fetchall():
            print("\\t".join("NULL" if v is None else repr(v) if isinstance(v, float) else str(v) for v in row))
        """
        p.arguments = ["python3", "-c", program, sql]
        p.currentDirectoryURL = MeasureTableTests.dir
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { throw XCTSkip("python3 not found") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        _ = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        if p.terminationStatus == 3 { throw XCTSkip("DuckDB is not installed for python3 (pip install duckdb)") }
        XCTAssertEqual(p.terminationStatus, 0, sql)
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    func number(_ s: String) -> Double { s == "NULL" ? .nan : Double(s) ?? .infinity }

    func assertSame(_ actual: Double, _ expected: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        if expected.isNaN { XCTAssertTrue(actual.isNaN, "\(what): expected missing, got \(actual)", file: file, line: line); return }
        XCTAssertEqual(actual, expected, accuracy: 1e-9 * max(1, abs(expected)), what, file: file, line: line)
    }

    /// `key → values` of a result, the missing key written as DuckDB's NULL.
    func byKey(_ g: GroupedResult) -> [String: [Double]] {
        Dictionary(uniqueKeysWithValues: g.rows.map { ($0.keys.map { $0 ?? "NULL" }.joined(separator: "/"), $0.values) })
    }

    func testSeveralCountsEachKeepTheirUnit() throws {
        let (g, r) = try grouped("count allegations, count individuals, count cases by outcome with total")
        XCTAssertEqual(g.valueColumns.map(\.name), ["allegations", "individuals", "cases"])
        let expected = try duckdb("select outcome, count(*), count(distinct officer_id), count(distinct case_id) from read_csv('allegations.csv', all_varchar=true) group by 1")
        let actual = byKey(g)
        XCTAssertEqual(actual.count, expected.count)
        for row in expected {
            for j in 0..<3 { assertSame(actual[row[0]]?[j] ?? -1, number(row[j + 1]), "\(row[0]) column \(j)") }
        }
        // The totals are true distinct counts over all rows, never sums of the groups.
        let totals = try duckdb("select count(*), count(distinct officer_id), count(distinct case_id) from read_csv('allegations.csv', all_varchar=true)")[0]
        XCTAssertEqual(g.totals ?? [], totals.map(number))
        XCTAssertLessThan(g.totals?[2] ?? 0, g.rows.map { $0.values[2] }.reduce(0, +))
        XCTAssertTrue(r.footer.noteTexts.contains { $0.hasPrefix("groups overlap: some cases appear under more than one outcome") }, "\(r.footer.noteTexts)")
        XCTAssertTrue(r.footer.noteTexts.contains { $0.hasPrefix("groups overlap: some individuals appear") })
        let table = Renderer.render(r, as: .table)
        XCTAssertTrue(table.contains("│ Total "), table)
    }

    func testPercentPerGroupWithItsOwnWhere() throws {
        let q = "percent(count complaints where disposition in (\"Substantiated\", \"Substantiated (Reprimand)\"), count complaints) by year_received"
        let (g, r) = try grouped(q)
        XCTAssertEqual(g.valueColumns.map(\.name), [q.replacingOccurrences(of: " by year_received", with: "")])
        XCTAssertEqual(g.valueColumns.first?.isPercent, true)
        let expected = try duckdb("""
            select year_received, 100.0 * count(*) filter (where disposition in ('Substantiated', 'Substantiated (Reprimand)')) / count(*)
            from read_csv('complaints.csv', all_varchar=true) group by 1
            """)
        let actual = byKey(g)
        XCTAssertEqual(actual.count, expected.count)
        for row in expected { assertSame(actual[row[0]]?[0] ?? -1, number(row[1]), row[0]) }
        XCTAssertEqual(actual["2020"], [0])
        // The total is the percent of the totals, not a sum or mean of the groups' percents.
        let total = try duckdb("""
            select 100.0 * count(*) filter (where disposition in ('Substantiated', 'Substantiated (Reprimand)')) / count(*)
            from read_csv('complaints.csv', all_varchar=true)
            """)[0][0]
        assertSame(g.totals?[0] ?? -1, number(total), "total")
        XCTAssertEqual(r.footer.total?.text, "total: \(NumberFormat.percent(number(total))) (from the measures' totals, not a sum of the groups)")
    }

    /// The issue's statement as written: a text match in one measure's own `where`.
    func testStartsWithInOneMeasure() throws {
        let (g, r) = try grouped("percent(count complaints where disposition starts with \"Substantiated\", count complaints) by year_received")
        let expected = try duckdb("""
            select year_received, 100.0 * count(*) filter (where disposition ilike 'Substantiated%') / count(*)
            from read_csv('complaints.csv', all_varchar=true) group by 1
            """)
        let actual = byKey(g)
        XCTAssertEqual(actual.count, expected.count)
        for row in expected { assertSame(actual[row[0]]?[0] ?? -1, number(row[1]), row[0]) }
        // The footer names the labels the text matched.
        XCTAssertTrue(r.footer.noteTexts.contains("disposition starts with \"Substantiated\": 2 labels matched — \"Substantiated\", \"Substantiated (Reprimand)\""),
                      "\(r.footer.noteTexts)")
    }

    func testRatePerGroupOrderedByValue() throws {
        let (g, r) = try grouped("1000 * sum cases_to_answer / sum staff from forces by region order by value desc")
        XCTAssertEqual(g.valueColumns.map(\.name), ["1000 * sum cases_to_answer / sum staff"])
        let expected = try duckdb("""
            select region, 1000 * sum(cases_to_answer) / nullif(sum(staff), 0) as v from read_csv('forces.csv') group by 1 order by v desc nulls last
            """)
        XCTAssertEqual(g.rows.map { $0.keys[0] }, expected.map { $0[0] })
        for (row, e) in zip(g.rows, expected) { assertSame(row.values[0], number(e[1]), e[0]) }
        // Wales's staff sum to 0: a missing value, counted in a note, not inf or NaN text.
        XCTAssertTrue(g.rows.last?.values[0].isNaN == true)
        XCTAssertTrue(r.footer.noteTexts.contains("'1000 * sum cases_to_answer / sum staff' has no value in 1 of 5 groups: its divisor is 0 there"), "\(r.footer.noteTexts)")
        let csv = Renderer.render(r, as: .csv)
        XCTAssertTrue(csv.contains("\nWales,\n"), csv)
        XCTAssertFalse(csv.lowercased().contains("inf") || csv.contains("nan"), csv)
        let json = Renderer.render(r, as: .json)
        XCTAssertTrue(json.contains("{\"region\": \"Wales\", \"1000 * sum cases_to_answer / sum staff\": null}"), json)
        let total = try duckdb("select 1000 * sum(cases_to_answer) / sum(staff) from read_csv('forces.csv')")[0][0]
        assertSame(g.totals?[0] ?? -1, number(total), "ratio of the totals")
    }

    func testAMeasuresOwnWhereKeepsDistinctTotals() throws {
        let (g, _) = try grouped("count cases where outcome = upheld, count cases by outcome with total")
        XCTAssertEqual(g.valueColumns.map(\.name), ["cases where outcome = upheld", "cases"])
        let expected = try duckdb("""
            select outcome, count(distinct case_id) filter (where outcome = 'Upheld'), count(distinct case_id)
            from read_csv('allegations.csv', all_varchar=true) group by 1
            """)
        let actual = byKey(g)
        for row in expected {
            assertSame(actual[row[0]]?[0] ?? -1, number(row[1]), row[0])
            assertSame(actual[row[0]]?[1] ?? -1, number(row[2]), row[0])
        }
        let totals = try duckdb("""
            select count(distinct case_id) filter (where outcome = 'Upheld'), count(distinct case_id) from read_csv('allegations.csv', all_varchar=true)
            """)[0]
        XCTAssertEqual(g.totals ?? [], totals.map(number))
    }

    func testTopRanksByTheFirstColumnAndSaysSo() throws {
        let (g, r) = try grouped("count allegations, count cases by officer_id top 3")
        let expected = try duckdb("""
            select officer_id, count(*) as n, count(distinct case_id) from read_csv('allegations.csv', all_varchar=true)
            group by 1 order by n desc, officer_id
            """)
        let cut = number(expected[2][1])
        let kept = expected.filter { number($0[1]) >= cut }
        XCTAssertEqual(Set(g.rows.map { $0.keys[0] }), Set(kept.map { $0[0] }))
        XCTAssertTrue(r.footer.noteTexts.contains { $0.hasPrefix("top 3 of \(expected.count) groups") }, "\(r.footer.noteTexts)")
        XCTAssertTrue(r.footer.notes.contains(.topRankedBy(column: "allegations")), "\(r.footer.noteTexts)")
    }

    func testOrderByANamedColumn() throws {
        let (g, _) = try grouped("count allegations, count cases by outcome order by cases desc")
        let expected = try duckdb("""
            select outcome, count(distinct case_id) as n from read_csv('allegations.csv', all_varchar=true) group by 1 order by n desc, outcome nulls last
            """)
        XCTAssertEqual(g.rows.map { $0.values[1] }, expected.map { number($0[1]) })
    }

    func testWithPercentIsEachColumnsShareOfItsOwnTotal() throws {
        let (g, r) = try grouped("count allegations, count cases by outcome with percent")
        let grid = Grid(r)
        XCTAssertEqual(grid.header, ["outcome", "allegations", "allegations %", "cases", "cases %"])
        let expected = try duckdb("""
            select outcome, 100.0 * count(*) / (select count(*) from read_csv('allegations.csv', all_varchar=true)),
                   100.0 * count(distinct case_id) / (select count(distinct case_id) from read_csv('allegations.csv', all_varchar=true))
            from read_csv('allegations.csv', all_varchar=true) group by 1
            """)
        for (k, row) in g.rows.enumerated() {
            let key = row.keys[0] ?? "NULL"
            guard let e = expected.first(where: { $0[0] == key }) else { XCTFail("no \(key)"); continue }
            assertSame(grid.rows[k][2].number ?? -1, number(e[1]), key)
            assertSame(grid.rows[k][4].number ?? -1, number(e[2]), key)
        }
    }

    func testWithoutByOneRow() throws {
        let r = try run("count allegations, count individuals, count cases")
        let grid = Grid(r)
        XCTAssertEqual(grid.header, ["allegations", "individuals", "cases"])
        let expected = try duckdb("select count(*), count(distinct officer_id), count(distinct case_id) from read_csv('allegations.csv', all_varchar=true)")[0]
        XCTAssertEqual(grid.rows.map { $0.compactMap(\.number) }, [expected.map(number)])
        XCTAssertEqual(Renderer.render(r, as: .csv).split(separator: "\n").first, "allegations,individuals,cases")
        XCTAssertEqual(Renderer.render(r, as: .tsv).split(separator: "\n").map(String.init),
                       ["allegations\tindividuals\tcases", expected.joined(separator: "\t")])
    }

    /// `misq run` binds every statement before it runs any (`.check`): a
    /// `let` number used in a table must be known there, though not yet worked out.
    func testALetNumberInATableIsKnownToTheDryPass() throws {
        let script = """
        load "\(path("forces"))" as forces
        let k = 1000
        sum cases_to_answer * k / sum staff from forces by region
        """
        XCTAssertNoThrow(try ScriptRunner(session: Session()).run(SourceFile(name: "t", text: script), mode: .check))
        guard case .groups(let g)? = try Fixtures.results(script, session: Session()).last?.body else { return XCTFail("not grouped") }
        let expected = try duckdb("select region, 1000 * sum(cases_to_answer) / nullif(sum(staff), 0) from read_csv('forces.csv') group by 1")
        let actual = byKey(g)
        for row in expected { assertSame(actual[row[0]]?[0] ?? -1, number(row[1]), row[0]) }
    }

    /// A second measure's own note (a percentile under 1) is kept, not only the first's.
    func testEachMeasuresNoteIsKept() throws {
        let (g, r) = try grouped("count forces, percentile 0.5 staff from forces by region")
        XCTAssertTrue(r.footer.noteTexts.contains { $0.hasPrefix("P is a percent: percentile 0.5") }, "\(r.footer.noteTexts)")
        let expected = try duckdb("select region, count(*), quantile_cont(staff, 0.005) from read_csv('forces.csv') group by 1")
        let actual = byKey(g)
        for row in expected {
            assertSame(actual[row[0]]?[0] ?? -1, number(row[1]), row[0])
            assertSame(actual[row[0]]?[1] ?? -1, number(row[2]), row[0])
        }
    }

    func testOneMeasureIsThePlanItWasBefore() throws {
        let s = Session()
        _ = try Fixtures.results("load \"\(path("allegations"))\" as allegations", session: s)
        let program = try s.parse(SourceFile(name: "t", text: "count allegations where outcome = upheld by outcome"))
        guard case .query(let q)? = program.statements.first?.kind else { return XCTFail("not a query") }
        XCTAssertNil(q.columns)
        XCTAssertNil(try Checker(session: s, source: program.source).plan(q).table)
    }
}
