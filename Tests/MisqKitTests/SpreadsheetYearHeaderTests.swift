import XCTest
@testable import MisqKit

/// A two-row header whose second row holds years as numbers under a merged
/// cell (cold test of issue 22, the tester's gen6.py yearhdr.xlsx, built
/// here byte for byte the way openpyxl writes it): row 2 `Force` and
/// `Cases` merged over B2:D2, row 3 the numbers 2019 2020 2021, data in
/// rows 4–5. python-calamine reads row 3 as ['', 2019.0, 2020.0, 2021.0],
/// the numbers misq took for data. Expected names and sums by hand:
/// Cases 2019 = 1 + 4 = 5, Cases 2021 = 3 + 6 = 9, 2 rows.
final class SpreadsheetYearHeaderTests: XCTestCase {
    func workbook(merged: Bool) throws -> String {
        func text(_ ref: String, _ s: String) -> String { "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(s)</t></is></c>" }
        func num(_ ref: String, _ v: Int) -> String { "<c r=\"\(ref)\"><v>\(v)</v></c>" }
        let rows = "<row r=\"1\">\(text("A1", "Table 2"))</row>"
            + "<row r=\"2\">\(text("A2", "Force"))\(text("B2", "Cases"))</row>"
            + "<row r=\"3\">\(num("B3", 2019))\(num("C3", 2020))\(num("D3", 2021))</row>"
            + "<row r=\"4\">\(text("A4", "A"))\(num("B4", 1))\(num("C4", 2))\(num("D4", 3))</row>"
            + "<row r=\"5\">\(text("A5", "B"))\(num("B5", 4))\(num("C5", 5))\(num("D5", 6))</row>"
        let sheet = "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            + "<sheetData>\(rows)</sheetData>" + (merged ? "<mergeCells count=\"1\"><mergeCell ref=\"B2:D2\"/></mergeCells>" : "") + "</worksheet>"
        let zip = try SpreadsheetHostileTests.zip([("xl/workbook.xml", SpreadsheetHostileTests.workbook), ("xl/worksheets/sheet1.xml", sheet)])
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("yearhdr.xlsx").path
        try zip.write(to: URL(fileURLWithPath: path))
        return path
    }

    func testYearsUnderAMergedHeaderCellNameTheColumns() throws {
        let d = try Dataset.bare(name: "t", path: try workbook(merged: true), sheet: SheetSelection())
        XCTAssertEqual(d.columnNames, ["Force", "Cases 2019", "Cases 2020", "Cases 2021"])
        XCTAssertEqual(try d.rowCount, 2)
        guard case .number(let c)? = try d.column(named: "Cases 2019"), case .number(let e)? = try d.column(named: "Cases 2021") else {
            return XCTFail("number columns")
        }
        XCTAssertEqual(c.values[0] + c.values[1], 5)
        XCTAssertEqual(e.values[0] + e.values[1], 9)
    }

    /// Without the merge there is no evidence the numbers are a header:
    /// they stay a data row, as before.
    func testYearsWithoutAMergeStayData() throws {
        let d = try Dataset.bare(name: "t", path: try workbook(merged: false), sheet: SheetSelection())
        XCTAssertEqual(try d.rowCount, 3)
    }
}
