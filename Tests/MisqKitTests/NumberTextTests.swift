import XCTest
@testable import MisqKit

/// Numbers in notes and scalars read like the tables (issue 15, item 5).
final class NumberTextTests: XCTestCase {
    func testRatiosKeepTheirSignificantDigits() {
        XCTAssertEqual(NumberFormat.significant(0.02412, digits: 3, minDecimals: 2), "0.0241")
        XCTAssertEqual(NumberFormat.significant(0.7091, digits: 3, minDecimals: 2), "0.709")
        XCTAssertEqual(NumberFormat.significant(1.25, digits: 3, minDecimals: 2), "1.25")
        XCTAssertEqual(NumberFormat.significant(0.5, digits: 3, minDecimals: 2), "0.50")
        XCTAssertEqual(NumberFormat.significant(1234.567, digits: 3, minDecimals: 2), "1,234.57")
        XCTAssertEqual(NumberFormat.significant(-0.0012345, digits: 3, minDecimals: 2), "-0.00123")
        XCTAssertEqual(NumberFormat.significant(28.14, digits: 2, minDecimals: 1), "28.1")
        XCTAssertEqual(NumberFormat.significant(0.0241, digits: 2, minDecimals: 1), "0.024")
    }

    /// Fixture: 3 cases with a dismissal, 20 allegations (hand-counted):
    /// 3 / 200 = 0.015, which two decimals showed as 0.02.
    func testAScalarRatioIsNotRoundedAway() throws {
        let events = try ScriptRunner(session: Fixtures.smallSession.fork())
            .run(SourceFile(name: "t", text: "(count cases where dismissed) / (count allegations * 10)"), mode: .run)
        guard case .result(let r, _, _, _)? = events.last else { return XCTFail("no result") }
        XCTAssertEqual(Grid(r).rows[0][0].text, "0.015")
        XCTAssertEqual(ScalarValue(1636).text, "1,636")
        XCTAssertEqual(ScalarValue(0.15, isPercent: true).text, "0.15%")
    }

    /// 1 January 2017 to 30 June 2022: 66 months, 2,007 days (PeriodTests).
    func testPeriodSizesGroupThousands() {
        XCTAssertEqual(DayInterval(start: Day.number(2017, 1, 1), end: Day.number(2022, 7, 1)).description,
                       "2017-01-01 to 2022-06-30 (66 months, 2,007 days)")
    }

    /// 1,500 distinct ids: the note groups its thousands.
    func testNotesGroupThousands() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("ids.csv").path
        try ("id\n" + (1...1_500).map { "x\($0)\n" }.joined()).write(toFile: csv, atomically: true, encoding: .utf8)
        let s = Session()
        try s.add(Dataset.bare(name: "ids", path: csv))
        let top = try Fixtures.results("count ids by id top 2", session: s).last
        XCTAssertEqual(top?.footer.notes, ["top 2 of 1,500 groups shown; the total counts all 1,500"])
        let limit = try Fixtures.results("count ids by id limit 2", session: s).last
        XCTAssertEqual(limit?.footer.notes, ["2 of 1,500 groups shown (limit 2); the total counts all"])
        XCTAssertThrowsError(try Fixtures.results("count ids where id = nothing_like_it", session: s)) { error in
            XCTAssertTrue(error.misqErrors[0].notes.contains { $0.hasSuffix("… (1,500 in all)") }, "\(error.misqErrors[0].notes)")
        }
    }
}
