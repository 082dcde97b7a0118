import XCTest
@testable import MisqKit

/// Years print in four digits in every period label (issue 16: data dated
/// 0001-01-01 grouped as `1-01`, `1-Q1`, `FY0/01`). Expected labels by
/// hand: 0001-01-01 is in January, Q1 and FY0000/01 (April–March).
final class EarlyYearLabelTests: XCTestCase {
    func labels(_ by: String) throws -> [String] {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("early.csv").path
        try "dt\n0001-01-01\n0012-07-04\n".write(toFile: path, atomically: true, encoding: .utf8)
        guard case .groups(let g) = try Fixtures.results("load \"\(path)\" as t\ncount t by \(by)", session: Session()).last?.body else {
            XCTFail("not grouped"); return []
        }
        return g.rows.map { $0.keys[0] ?? "(missing)" }
    }

    func testEarlyYearsHaveFourDigits() throws {
        XCTAssertEqual(try labels("year"), ["0001", "0012"])
        XCTAssertEqual(try labels("month"), ["0001-01", "0012-07"])
        XCTAssertEqual(try labels("quarter"), ["0001-Q1", "0012-Q3"])
        XCTAssertEqual(try labels("fy"), ["FY0000/01", "FY0012/13"])
    }

    func testPeriodLiteralsPrintFourDigitYears() {
        XCTAssertEqual(PeriodLiteral.month(1, 1).description, "0001-01")
        XCTAssertEqual(PeriodLiteral.financialYear(99).description, "FY0099/00")
        XCTAssertEqual(PeriodLiteral.year(2022).description, "2022")
    }
}
