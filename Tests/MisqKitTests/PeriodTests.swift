import XCTest
@testable import MisqKit

/// Period expressions resolved to inclusive first and last days. Expected
/// values are calendar facts checked by hand (e.g. 2024 is a leap year,
/// FY2022/23 runs 1 April 2022 – 31 March 2023).
final class PeriodTests: XCTestCase {
    /// Resolves `expr` against a dataset whose as-of date is `asOf`.
    func resolve(_ expr: String, asOf: String = "2024-04-30") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("misq-period-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("d.csv").path
        try "reported\n2020-01-01\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let ds = try Dataset.bare(name: "d", path: csv)
        ds.periodColumn = "reported"
        ds.declaredAsOf = ValueParsing.date(asOf)
        let session = Session()
        try session.add(ds)
        let src = SourceFile(name: "t", text: "count d where period \(expr)")
        let program = try Parser.parse(src)
        guard case .query(let q) = program.statements[0].kind else { throw MisqError(.syntax, "not a query") }
        let plan = try Checker(session: session, source: src).plan(q)
        guard let i = plan.periods.first?.days.intervals.first else { throw MisqError(.period, "no period") }
        return "\(Day.iso(i.start)) \(Day.iso(i.end - 1)) \(i.days)"
    }

    func testTable() throws {
        let cases: [(String, String)] = [
            // Whole calendar units.
            ("2022", "2022-01-01 2022-12-31 365"),
            ("2024", "2024-01-01 2024-12-31 366"),
            ("2022-05", "2022-05-01 2022-05-31 31"),
            ("2023-02", "2023-02-01 2023-02-28 28"),
            ("2024-02", "2024-02-01 2024-02-29 29"),
            ("1900-02", "1900-02-01 1900-02-28 28"),  // divisible by 100, not 400: not leap
            ("2000-02", "2000-02-01 2000-02-29 29"),  // divisible by 400: leap
            ("2022-05-17", "2022-05-17 2022-05-17 1"),
            ("2024-02-29", "2024-02-29 2024-02-29 1"),
            ("2022-Q1", "2022-01-01 2022-03-31 90"),
            ("2024-Q1", "2024-01-01 2024-03-31 91"),
            ("2022-Q2", "2022-04-01 2022-06-30 91"),
            ("2022-Q3", "2022-07-01 2022-09-30 92"),
            ("2022-Q4", "2022-10-01 2022-12-31 92"),
            ("FY2022/23", "2022-04-01 2023-03-31 365"),
            ("FY2023/24", "2023-04-01 2024-03-31 366"),
            // Half-open: the two FOI 01.FOI.23.030744 years never overlap.
            ("2021-05..2022-05", "2021-05-01 2022-04-30 365"),
            ("2022-05..2023-05", "2022-05-01 2023-04-30 365"),
            ("2017-01..2022-07", "2017-01-01 2022-06-30 2007"),
            ("2021-10-01..2022-04-01", "2021-10-01 2022-03-31 182"),
            ("2022..2024", "2022-01-01 2023-12-31 730"),
            // `through` includes the whole end.
            ("2022-05 through 2023-05", "2022-05-01 2023-05-31 396"),
            ("2017 through 2022-06", "2017-01-01 2022-06-30 2007"),
            ("2021-Q4 through 2022-Q1", "2021-10-01 2022-03-31 182"),
            ("FY2021/22 through FY2023/24", "2021-04-01 2024-03-31 1096"),
            // Relative to the as-of date (2024-04-30 unless stated).
            ("since 2021-03", "2021-03-01 2024-04-30 1157"),
            ("last 12 months", "2023-05-01 2024-04-30 366"),
            ("last 6 months", "2023-11-01 2024-04-30 182"),
            ("last 1 years", "2023-05-01 2024-04-30 366"),
            ("last 2 quarters", "2023-11-01 2024-04-30 182"),
            ("last 30 days", "2024-04-01 2024-04-30 30"),
            ("last 2 weeks", "2024-04-17 2024-04-30 14"),
        ]
        for (expr, expected) in cases {
            XCTAssertEqual(try resolve(expr), expected, expr)
        }
        // Seed 004: "since March 2021", retrieved 01/06/2023.
        XCTAssertEqual(try resolve("since 2021-03", asOf: "2023-06-01"), "2021-03-01 2023-06-01 823")
        // A month-end as-of: the month arithmetic clamps (31 March - 1 month).
        XCTAssertEqual(try resolve("last 1 months", asOf: "2024-03-30"), "2024-03-01 2024-03-30 30")
    }

    func testAdjacentRangesShareNoDay() throws {
        // a..b then b..c covers a..c exactly.
        let a = PeriodLiteral.month(2021, 5), b = PeriodLiteral.month(2022, 5), c = PeriodLiteral.month(2023, 5)
        let first = DayInterval(start: a.start, end: b.start), second = DayInterval(start: b.start, end: c.start)
        XCTAssertEqual(first.end, second.start)
        XCTAssertEqual(first.days + second.days, DayInterval(start: a.start, end: c.start).days)
    }

    func testBadPeriods() {
        for (expr, message) in [("2023-05..2022-05", "ends before it starts"), ("2022-05..2022-05", "is empty"),
                                ("2023 through 2022", "ends before it starts"), ("since 2025", "after the data's as-of date"),
                                ("last 0 months", "covers no time"), ("nowhere", "unknown period or param")] {
            XCTAssertThrowsError(try resolve(expr), expr) { XCTAssertTrue($0.misqErrors[0].message.contains(message), "\(expr): \($0.misqErrors[0].message)") }
        }
    }

    func testDayNumbers() {
        XCTAssertEqual(Day.number(1970, 1, 1), 0)
        XCTAssertEqual(Day.number(2000, 3, 1), 11017)  // as `date -d 2000-03-01 +%s` / 86400
        for n in stride(from: -800_000, to: 800_000, by: 997) {
            let (y, m, d) = Day.civil(n)
            XCTAssertEqual(Day.number(y, m, d), n)
        }
        XCTAssertNil(Day.valid(2023, 2, 29))
        XCTAssertNotNil(Day.valid(2024, 2, 29))
        XCTAssertEqual(DayInterval(start: PeriodLiteral.month(2022, 5).start, end: PeriodLiteral.month(2023, 5).start).description,
                       "2022-05-01 to 2023-04-30 (12 months, 365 days)")
    }
}
