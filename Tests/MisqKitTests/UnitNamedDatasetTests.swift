import XCTest
@testable import MisqKit

/// A dataset named like another dataset's unit (`--data cases.csv`,
/// `load … as cases`) counted its own rows for `count cases` (issue 16:
/// 2, not the cases of the package). Both readings are now asked for.
final class UnitNamedDatasetTests: XCTestCase {
    func csv() throws -> String {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("cases.csv").path
        try "id\n1\n2\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testBothReadingsAreAnError() throws {
        let load = "load \"\(try csv())\" as cases\n"
        XCTAssertThrowsError(try Fixtures.results(load + "count cases")) { e in
            let m = e.misqErrors.first
            XCTAssertTrue(m?.message.contains("both a dataset and a unit") == true, "\(e)")
            XCTAssertTrue(m?.suggestion?.contains("rows from cases") == true, "\(e)")
        }
        // The forms that decide it: the file's two rows (hand count), and
        // the unit as counted with no dataset named cases.
        XCTAssertEqual(try Fixtures.results(load + "count rows from cases").last?.scalarValue, 2)
        let unit = try Fixtures.results("count cases").last?.scalarValue
        let s = Fixtures.smallSession
        let holder = try XCTUnwrap(s.datasets.first { d in s.units(of: d).keys.contains("cases") }?.name)
        XCTAssertEqual(try Fixtures.results(load + "count cases from \(holder)").last?.scalarValue, unit)
    }

    func testOneReadingIsNoQuestion() throws {
        XCTAssertEqual(try Fixtures.results("load \"\(try csv())\" as cases\ncount cases", session: Session()).last?.scalarValue, 2)
    }
}

/// A dataset that declares a unit of its own name (`cases`, with cases =
/// distinct case_id, as the benchmark's package does) counted its rows for
/// `count cases`: 3 where the file holds 2 cases (hand count).
final class OwnUnitNamedDatasetTests: XCTestCase {
    func testTheDatasetsOwnUnitIsCounted() throws {
        let dir = try Fixtures.temporaryDirectory().path
        try "case_id,outcome\nC1,a\nC1,b\nC2,a\n".write(toFile: dir + "/cases.csv", atomically: true, encoding: .utf8)
        try """
        {"name": "t", "resources": [{"name": "cases", "path": "cases.csv",
          "misq:units": {"cases": {"distinct": "case_id"}, "allegations": "rows"},
          "schema": {"fields": [{"name": "case_id", "type": "string"}, {"name": "outcome", "type": "string"}]}}]}
        """.write(toFile: dir + "/datapackage.json", atomically: true, encoding: .utf8)
        let s = try Session.open(datasetsDirectory: dir)
        XCTAssertEqual(try Fixtures.results("count cases", session: s).last?.scalarValue, 2)
        XCTAssertEqual(try Fixtures.results("count rows from cases", session: s).last?.scalarValue, 3)
        XCTAssertEqual(try Fixtures.results("count allegations", session: s).last?.scalarValue, 3)
        XCTAssertEqual(try Fixtures.results("count cases from cases", session: s).last?.scalarValue, 2)
        // A table's second measure is planned with the first one's dataset
        // named: it counted rows (3), not cases (2). By outcome: a has 2
        // rows and 2 cases, b 1 and 1 (hand count).
        guard case .groups(let g)? = try Fixtures.results("count allegations, count cases by outcome", session: s).last?.body else {
            return XCTFail("not grouped")
        }
        XCTAssertEqual(g.rows.map(\.values), [[2, 2], [1, 1]])
        XCTAssertEqual(g.totals, [3, 2])
    }
}

/// A query with no `by` gives one figure: `with total`, `with percent`,
/// `top`, `limit` and `order by` were accepted and did nothing.
final class ScalarClauseTests: XCTestCase {
    func testClausesThatNeedGroupsAreErrors() {
        for q in ["count cases with total", "count cases with percent", "count cases top 3", "count cases limit 3",
                  "count cases order by count desc", "median days_open with total"] {
            XCTAssertThrowsError(try Fixtures.results(q), q) { e in
                XCTAssertTrue(e.misqErrors.first?.message.contains("this query has no 'by'") == true, "\(q): \(e)")
            }
        }
        XCTAssertNoThrow(try Fixtures.results("count cases by outcome with total, percent top 2"))
    }
}
