import XCTest
@testable import MisqKit

/// `min`, `max` and `median` of a date column are dates in every format
/// (issue 15, item 1). Expected figures from DuckDB over the 20-row
/// fixture, reading `reported` as '%Y-%m-%d' or '%d/%m/%Y':
/// `select severity, min(d), max(d), quantile_disc(d, 0.5), median(d) … group by 1`
/// gives Gross misconduct 2021-10-04, 2024-04-29, 2022-05-01, 2022-05-01 and
/// Misconduct 2022-01-20, 2024-04-30, 2022-12-25, 2023-01-26 12:00 (10 dates each).
final class DateMeasureTests: XCTestCase {
    private func grid(_ text: String) throws -> Grid {
        guard let r = try Fixtures.results(text).last else { throw MisqError(.runtime, "no result") }
        return Grid(r)
    }

    func testGroupedDatesShowAsDates() throws {
        let g = try grid("max reported by severity")
        XCTAssertEqual(g.rows.map { $0.map(\.text) }, [["Gross misconduct", "2024-04-29"], ["Misconduct", "2024-04-30"]])
        XCTAssertTrue(g.footer.contains("overall max reported: 2024-04-30"), "\(g.footer)")
        XCTAssertEqual(try grid("min reported by severity").rows.map { $0[1].text }, ["2021-10-04", "2022-01-20"])
    }

    /// An even count of dates: the earlier middle one, as quantile_disc
    /// gives (not DuckDB's median, a half-day timestamp).
    func testMedianOfDatesIsTheLowerMiddleDay() throws {
        XCTAssertEqual(try grid("median reported by severity").rows.map { $0[1].text }, ["2022-05-01", "2022-12-25"])
    }

    func testEveryFormatPrintsTheDate() throws {
        guard let r = try Fixtures.results("max reported by severity").last else { return XCTFail("no result") }
        let csv = Renderer.render(r, as: .csv)
        XCTAssertTrue(csv.contains("Misconduct,2024-04-30"), csv)
        XCTAssertTrue(Renderer.render(r, as: .tsv).contains("Misconduct\t2024-04-30"))
        XCTAssertTrue(Renderer.render(r, as: .json).contains("\"max reported\": \"2024-04-30\""), Renderer.render(r, as: .json))
        XCTAssertTrue(Renderer.render(r, as: .markdown).contains("2024-04-30"))
        XCTAssertFalse(Renderer.render(r, as: .table).contains("19,843"))
        guard let scalar = try Fixtures.results("max reported").last else { return XCTFail("no result") }
        XCTAssertEqual(Grid(scalar).rows[0][0].text, "2024-04-30")
        XCTAssertTrue(Renderer.render(scalar, as: .json).contains("\"2024-04-30\""))
    }

    func testSumAndAverageOfDatesAreErrors() {
        for agg in ["avg", "sum"] {
            XCTAssertThrowsError(try Fixtures.results("\(agg) reported")) { e in
                XCTAssertTrue("\(e)".contains("of a date column has no meaning"), "\(e)")
                XCTAssertEqual(e.misqErrors.first?.suggestion, "median reported gives the middle date, and min or max the first or last")
            }
        }
        XCTAssertThrowsError(try Fixtures.results("max reported - 1"))
    }

    private func assertion(_ text: String) throws -> AssertionOutcome? {
        let events = try ScriptRunner(session: Fixtures.smallSession.fork()).run(SourceFile(name: "t", text: text), mode: .run)
        for case .assertion(let o) in events { return o }
        return nil
    }

    func testAssertionsCompareDates() throws {
        XCTAssertEqual(try assertion("assert max reported = 2024-04-30")?.passed, true)
        let miss = try assertion("assert max reported = 2024-04-29")
        XCTAssertEqual(miss?.passed, false)
        XCTAssertEqual(miss?.actual, "2024-04-30")
        XCTAssertEqual(miss?.difference, "+1 day")
        XCTAssertEqual(try assertion("assert max reported = 2024-04-29 within 1")?.passed, true)
        XCTAssertEqual(try assertion("assert median reported where severity = misconduct = 2022-12-25")?.passed, true)
    }

    /// 19843 is 2024-04-30's day number: it passed before, as a number.
    func testADateAgainstANumberIsAnError() {
        XCTAssertThrowsError(try assertion("assert max reported = 19843")) { e in
            XCTAssertTrue("\(e)".contains("is a date and 19843 is not"), "\(e)")
        }
    }
}
