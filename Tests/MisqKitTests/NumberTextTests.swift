import XCTest
@testable import MisqKit

/// Numbers in notes and scalars read like the tables (issue 15, item 5).
final class NumberTextTests: XCTestCase {
    func testRatiosKeepTheirSignificantDigits() {
        XCTAssertEqual(NumberFormat.significant(0.02412, digits: 3, minDecimals: 2), "0.0241")
        XCTAssertEqual(NumberFormat.significant(0.7091, digits: 3, minDecimals: 2), "0.709")
        XCTAssertEqual(NumberFormat.significant(1.25, digits: 3, minDecimals: 2), "1.25")
        XCTAssertEqual(NumberFormat.significant(0.5, digits: 3, minDecimals: 2), "0.500")
        XCTAssertEqual(NumberFormat.significant(1234.567, digits: 3, minDecimals: 2), "1,234.57")
        XCTAssertEqual(NumberFormat.significant(-0.0012345, digits: 3, minDecimals: 2), "-0.00123")
        XCTAssertEqual(NumberFormat.significant(28.14, digits: 2, minDecimals: 1), "28.1")
        XCTAssertEqual(NumberFormat.significant(0.0241, digits: 2, minDecimals: 1), "0.024")
    }

    /// One rule for every non-integer shown (issue 15, item 4): a whole
    /// number without a point, else three significant figures with at least
    /// two decimals, zeros kept; percentages two, at least one decimal.
    /// Expected texts are the values rounded by hand.
    func testOneRuleForShownFigures() {
        let cases: [(Double, String)] = [(0.27997, "0.280"), (2, "2"), (2.5, "2.50"), (0.0241, "0.0241"),
                                         (1234.5678, "1,234.57"), (0.000123, "0.000123"), (17765.5, "17,765.50")]
        for (v, text) in cases {
            XCTAssertEqual(NumberFormat.figure(v), text, "\(v)")
            XCTAssertEqual(Grid.value(v, integer: false).text, text, "table cell \(v)")
            XCTAssertEqual(ScalarValue(v).text, text, "scalar \(v)")
        }
        XCTAssertEqual(NumberFormat.percent(14.5), "14.5%")
        XCTAssertEqual(NumberFormat.percent(28), "28.0%")
        XCTAssertEqual(Grid.percent(14.5).text, "14.5%")
        XCTAssertEqual(ScalarValue(14.5, isPercent: true).text, "14.5%")
    }

    /// Scalar statements: 10 / 4 = 2.5 and 2 / 1 = 2 (hand arithmetic).
    func testScalarStatementsFollowTheRule() throws {
        for (text, shown) in [("10 / 4", "2.50"), ("2 / 1", "2")] {
            guard let r = try Fixtures.results(text).last else { return XCTFail("no result for \(text)") }
            XCTAssertEqual(Grid(r).rows[0][0].text, shown, text)
        }
    }

    /// Fixture: 3 cases with a dismissal, 20 allegations (hand-counted):
    /// 3 / 200 = 0.015, which two decimals showed as 0.02.
    func testAScalarRatioIsNotRoundedAway() throws {
        let events = try ScriptRunner(session: Fixtures.smallSession.fork())
            .run(SourceFile(name: "t", text: "(count cases where dismissed) / (count allegations * 10)"), mode: .run)
        guard case .result(let r, _, _, _)? = events.last else { return XCTFail("no result") }
        XCTAssertEqual(Grid(r).rows[0][0].text, "0.0150")
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
        // Every id counts 1, so plain `top 2` keeps all 1,500 as ties; in key order it keeps 2.
        let top = try Fixtures.results("count ids by id order by id top 2", session: s).last
        XCTAssertEqual(top?.footer.noteTexts, ["top 2 of 1,500 groups: the first 2 in the order asked (by id ascending), not the largest shown; the total counts all 1,500"])
        let limit = try Fixtures.results("count ids by id limit 2", session: s).last
        XCTAssertEqual(limit?.footer.noteTexts, ["2 of 1,500 groups shown (limit 2); the total counts all 1,500"])
        XCTAssertThrowsError(try Fixtures.results("count ids where id = nothing_like_it", session: s)) { error in
            XCTAssertTrue(error.misqErrors[0].notes.contains { $0.hasSuffix("… (1,500 in all)") }, "\(error.misqErrors[0].notes)")
        }
    }

    /// A value as the data holds it is written so it reads back as the same
    /// Double, at every magnitude (cold test of issue 22: 1.5E+20 was shown
    /// `150`, 1e300 `1000`, -1E+30 `-1000`, 1E-7 `0`). Property: for doubles
    /// drawn from random bit patterns (every exponent, both signs) and from
    /// hand-picked edges, `Double(exact(v)) == v`, and the shown cell, the
    /// CSV/JSON number and `plain` (which falls back to `exact` past its
    /// 4-decimal range) all agree with it.
    func testDataNumbersRoundTripAtEveryMagnitude() {
        var rng = SeededRandom(seed: 22)
        var values: [Double] = [1.5e20, 1e300, -1e30, 1e-7, 5e-324, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                                1e15, 1e16, 12345678901234567890, 9_007_199_254_740_993, 0.1, -0.00001, 2.5e-20,
                                123.456789012345, 0, 1, -1, 0.00005, 0.000049999]
        for _ in 0..<20_000 {
            let v = Double(bitPattern: rng.next())
            if v.isFinite { values.append(v) }
        }
        for _ in 0..<5_000 { values.append(Double.random(in: -1e6...1e6, using: &rng)) }
        for v in values {
            let s = NumberFormat.exact(v)
            XCTAssertEqual(Double(s), v, "exact(\(v)) = \(s)")
            XCTAssertEqual(Renderer.rawNumber(v), s)
            XCTAssertEqual(Column.number(NumberColumn(values: ColumnValues([v]), allIntegers: false)).text(0), s)
            let p = NumberFormat.plain(v)
            if abs(v) >= 1e15 || (v != 0 && abs(v) < 0.00005) || v.rounded() == v {
                XCTAssertEqual(Double(p), v, "plain(\(v)) = \(p)")
            } else {
                // 4 decimals: within half a unit of the 4th (or of the
                // double's own spacing, where reading the text back rounds).
                XCTAssertLessThanOrEqual(abs((Double(p) ?? .nan) - v), 0.00005 * (1 + 1e-9) + v.ulp, "plain(\(v)) = \(p)")
            }
        }
        // By hand: the tester's values.
        XCTAssertEqual(NumberFormat.exact(1.5e20), "1.5e+20")
        XCTAssertEqual(NumberFormat.exact(-1e30), "-1e+30")
        XCTAssertEqual(NumberFormat.plain(1e300), "1e+300")
        XCTAssertEqual(NumberFormat.plain(1e-7), "1e-07")
        XCTAssertEqual(NumberFormat.plain(0.12345), "0.1235")
    }
}
