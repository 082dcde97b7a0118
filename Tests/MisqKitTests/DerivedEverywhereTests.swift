import XCTest
@testable import MisqKit

/// Derived values in the places a cold test found them refused: in a table
/// of several measures (as a measure, in a measure's own `where`, as the
/// key), and built on one another on a dataset that is not the default.
/// Expected figures are hand counts on the CSVs written here.
final class DerivedEverywhereTests: XCTestCase {
    func session() throws -> Session {
        let dir = try Fixtures.temporaryDirectory().path
        // Two datasets: complaints (the first, with the unit) and forces.
        try """
        id,year_received,month_received,days
        1,2018,7,10
        2,2018,8,20
        3,2019,6,30
        4,2019,7,40
        5,2019,13,50
        """.write(toFile: dir + "/complaints.csv", atomically: true, encoding: .utf8)
        try "force,staff,cases_to_answer\nA,1000,5\nB,0,3\nC,2000,30\n".write(toFile: dir + "/forces.csv", atomically: true, encoding: .utf8)
        let s = Session()
        try s.addCSV(dir + "/complaints.csv")
        try s.addCSV(dir + "/forces.csv")
        return s
    }

    func groups(_ text: String, _ s: Session) throws -> [String] {
        guard case .groups(let g)? = try Fixtures.results(text, session: s).last?.body else { throw MisqError(.runtime, "not grouped") }
        return g.rows.map { ($0.keys.map { $0 ?? "(missing)" }.joined(separator: "/")) + "=" + $0.values.map(NumberFormat.plain).joined(separator: ",") }
    }

    func testDerivedValuesInATableOfMeasures() throws {
        let s = try session()
        let d = "define received = date(year_received, month_received)\ndefine weeks = days / 7\n"
        // By fy(received), years from 1 April: FY2018/19 holds ids 1, 2
        // (2018-07, 2018-08); FY2019/20 holds 3, 4 (2019-06, 2019-07); id 5
        // (month 13) has no date.
        XCTAssertEqual(try groups(d + "count complaints, sum days from complaints by fy(received)", s),
                       ["FY2018/19=2,30", "FY2019/20=2,70", "(missing)=1,50"])
        // A derived value measured beside a count, and in a measure's own where.
        XCTAssertEqual(try groups(d + "sum weeks, count complaints where received in 2019 from complaints by year_received", s),
                       ["2018=\(NumberFormat.plain(30.0 / 7)),0", "2019=\(NumberFormat.plain(120.0 / 7)),2"])
        let explain = try Explain.text(SourceFile(name: "q", text: d + "sum weeks, count complaints from complaints by fy(received)"), session: s)
        XCTAssertTrue(explain.contains("derive"), explain)
    }

    func testADerivedValueOnAnotherDatasetBuiltOnAnother() throws {
        let s = try session()
        // rate: 5.0, (no value: 0 staff), 15.0; band = round(rate / 10): 1, 2 (halves away from zero).
        XCTAssertEqual(try groups("define rate = round(1000 * cases_to_answer / staff, 1)\ndefine band = round(rate / 10, 0)\ncount forces from forces by band", s),
                       ["1=1", "2=1", "(missing)=1"])
    }

    func testMissingKeysComeLastEitherWay() throws {
        let s = try session()
        let d = "define rate = round(1000 * cases_to_answer / staff, 1)\n"
        XCTAssertEqual(try groups(d + "count forces from forces by rate order by rate desc", s), ["15=1", "5=1", "(missing)=1"])
        XCTAssertEqual(try groups(d + "count forces from forces by rate order by rate", s), ["5=1", "15=1", "(missing)=1"])
    }
}

/// A group with no value (a ratio whose divisor is 0, a median of none) is
/// asserted as the table prints it, `(missing)`; before, `-` meant 0 and
/// `(missing)` was "not a figure", so no table literal could pass. And
/// measures that name no dataset take the first measure's.
final class MissingFigureAssertionTests: XCTestCase {
    func testMissingIsAFigureInATableLiteral() throws {
        let dir = try Fixtures.temporaryDirectory().path
        try "force,region,staff,cases_to_answer\nA,N,1000,5\nB,Z,0,3\nC,N,1000,15\n".write(toFile: dir + "/forces.csv", atomically: true, encoding: .utf8)
        let s = Session()
        try s.addCSV(dir + "/forces.csv")
        // Hand count: N is 1000 * 20 / 2000 = 10; Z has a divisor of 0.
        let pass = """
        assert 1000 * sum cases_to_answer / sum staff by region =
          | region | 1000 * sum cases_to_answer / sum staff |
          |--------|-------|
          | N | 10 |
          | Z | (missing) |
        """
        let events = try ScriptRunner(session: s).run(SourceFile(name: "t", text: pass), mode: .test)
        guard case .assertion(let a)? = events.last else { return XCTFail("no assertion") }
        XCTAssertTrue(a.passed, a.details.joined(separator: "; "))
        let fail = pass.replacingOccurrences(of: "| Z | (missing) |", with: "| Z | 0 |")
        guard case .assertion(let b)? = try ScriptRunner(session: s).run(SourceFile(name: "t", text: fail), mode: .test).last else { return XCTFail("no assertion") }
        XCTAssertFalse(b.passed)
    }

    func testMeasuresWithoutFromTakeTheFirstMeasuresDataset() throws {
        let dir = try Fixtures.temporaryDirectory().path
        try "region,staff\nN,10\nN,20\nS,5\n".write(toFile: dir + "/forces.csv", atomically: true, encoding: .utf8)
        let s = Fixtures.smallSession.fork()
        try s.addCSV(dir + "/forces.csv")
        guard case .groups(let g)? = try Fixtures.results("unit forces = rows from forces\ncount forces, sum staff by region", session: s).last?.body else {
            return XCTFail("not grouped")
        }
        // Hand count: N 2 rows, 30 staff; S 1 row, 5 staff.
        XCTAssertEqual(g.rows.map(\.values), [[2, 30], [1, 5]])
    }
}
