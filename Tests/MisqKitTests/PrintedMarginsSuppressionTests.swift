import XCTest
@testable import MisqKit

/// A table is protected against the figures it prints, no more and no
/// fewer (`TableModel.Margins`). Records made here, counted by hand:
///
///     force  a   b   c    (row totals 22, 23: not printed without `with total`)
///     f1     2  10  10
///     f2     3  10  10
///
/// Under 5 hides f1/a (2) and f2/a (3). Without `with total` the reader
/// sees the four 10s and the footer's `total: 45` (in CSV on stderr, in the
/// table, Markdown and JSON below it): the hidden cells add up to
/// 45 − 40 = 5, so each lies in [0, 5], and nothing else need be hidden.
/// (Assuming the row totals were printed, 22 − 20 gave f1/a = 2, and four
/// secondary cells were hidden for nothing.) scipy's linprog over the CSV
/// and the footer's total (Differential/linked_lp.py) is the check.
final class PrintedMarginsSuppressionTests: XCTestCase {
    func records() throws -> String {
        var lines = ["id,force,rank"]
        for (f, r, n) in [("f1", "a", 2), ("f1", "b", 10), ("f1", "c", 10), ("f2", "a", 3), ("f2", "b", 10), ("f2", "c", 10)] {
            for _ in 0..<n { lines.append("\(lines.count),\(f),\(r)") }
        }
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("ranks.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func session(_ path: String) throws -> Session {
        let s = Session()
        try s.add(Dataset.bare(name: "recs", path: path))
        return s
    }

    func testWithoutTotalsOnlyThePrintedFiguresAndTheFootersTotalAreModelled() throws {
        let path = try records()
        let query = "count recs by force across rank with suppression under 5"
        let r = try XCTUnwrap(Fixtures.results(query, session: try session(path)).last)
        let csv = Renderer.render(r, as: .csv)
        XCTAssertEqual(csv, "force,a,b,c\nf1,[c],10,10\nf2,[c],10,10\n")
        // The grand total is printed in every format but CSV's table (its footer goes to stderr).
        for format in [OutputFormat.table, .json, .markdown] {
            XCTAssertTrue(Renderer.render(r, as: format).contains("total: 45 recs"), "\(format)")
        }
        let notes = r.footer.noteTexts
        XCTAssertTrue(notes.contains { $0.contains("(2 cells); no other cell needed hiding") }, "\(notes)")
        guard case .groups(let g) = r.body, let audit = g.suppression?.audit else { return XCTFail("no audit") }
        XCTAssertEqual(audit.intervals.map { "\($0.cell) [\($0.low), \($0.high)]" },
                       ["force=f1, rank=a [0.0, 5.0]", "force=f2, rank=a [0.0, 5.0]"])

        // scipy's attacker over the CSV and the footer's total (a table of no keys) agrees.
        let tables: [[String: Any]] = [["keys": ["force"], "across": "rank", "csv": csv],
                                       ["keys": [String](), "across": NSNull(), "csv": "recs\n45\n"]]
        let attacks = try LinkedSuppressionTests.lp(["records": path, "tables": tables])
        XCTAssertEqual(attacks.map { "\($0.cell) [\($0.low), \($0.high)]" }, ["f1 | a [0.0, 5.0]", "f2 | a [0.0, 5.0]"])

        // misq audit, from the published pattern, gives the same.
        let s = try session(path)
        _ = try ScriptRunner(session: s).run(SourceFile(name: "t", text: query), mode: .run)
        let run = try RunAudit.run(s)
        XCTAssertTrue(run.passed, run.text)
        XCTAssertEqual(run.tables.first?.intervals.map { "[\($0.low), \($0.high)]" }, ["[0.0, 5.0]", "[0.0, 5.0]"], run.text)
    }

    func testWithTotalsPrintedTheyAreModelledAndTheSmallCellsNeedCompanions() throws {
        // With the row totals 22 and 23 printed, f1/a = 22 − 10 − 10 unless
        // a second cell of the row is hidden: by hand, one of b or c per row.
        let path = try records()
        let r = try XCTUnwrap(Fixtures.results("count recs by force across rank with total, suppression under 5", session: try session(path)).last)
        let csv = Renderer.render(r, as: .csv)
        let tables: [[String: Any]] = [["keys": ["force"], "across": "rank", "csv": csv]]
        let attacks = try LinkedSuppressionTests.lp(["records": path, "tables": tables])
        XCTAssertEqual(attacks.filter { $0.value < 5 }.count, 2, csv)
        for a in attacks where a.value < 5 { XCTAssertGreaterThanOrEqual(a.high - a.low, 1, "\(a)\n\(csv)") }
        XCTAssertGreaterThan(attacks.filter { $0.value >= 5 }.count, 0, csv)
    }

    func testADistinctCountWithoutTotalsHidesNoCompanions() throws {
        // Officers o1…: each cell of force by rank holds distinct officers;
        // under 5 hides f1/a (2) and f2/a (3) and, with no row total printed,
        // nothing beside them (as the allegation counts above).
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("officers.csv").path
        var lines = ["officer,force,rank"]
        for (f, r, n) in [("f1", "a", 2), ("f1", "b", 10), ("f1", "c", 10), ("f2", "a", 3), ("f2", "b", 10), ("f2", "c", 10)] {
            for k in 0..<n { lines.append("\(f)\(r)\(k),\(f),\(r)") }
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let r = try XCTUnwrap(Fixtures.results("count distinct officer by force across rank with suppression under 5", session: try session(path)).last)
        XCTAssertEqual(Renderer.render(r, as: .csv), "force,a,b,c\nf1,[c],10,10\nf2,[c],10,10\n")
    }
}
