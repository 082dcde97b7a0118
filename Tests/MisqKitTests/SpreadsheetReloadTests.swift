import XCTest
@testable import MisqKit

/// Another table of a workbook under a name already taken by the same file
/// (cold test of issue 22): `load` reads the new selection in place of the
/// old one, and two `--data` sheets of one name are an error, as two CSVs
/// of one name are. Before, both silently kept the first selection. The
/// workbook is built here: sheet Data holds 2 rows, sheet Other 3 (hand
/// counts of the rows written below).
final class SpreadsheetReloadTests: XCTestCase {
    func workbook() throws -> String {
        let book = """
            <?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
            <sheet name="Data" sheetId="1" r:id="rId1"/><sheet name="Other" sheetId="2" r:id="rId2"/></sheets></workbook>
            """
        func row(_ r: Int, _ a: String, _ b: Int) -> String {
            "<row r=\"\(r)\"><c r=\"A\(r)\" t=\"inlineStr\"><is><t>\(a)</t></is></c><c r=\"B\(r)\"><v>\(b)</v></c></row>"
        }
        let head = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>force</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>n</t></is></c></row>"
        let data = SpreadsheetHostileTests.sheet(head + row(2, "Kent", 1) + row(3, "Essex", 2))
        let other = SpreadsheetHostileTests.sheet(head + row(2, "Kent", 10) + row(3, "Essex", 20) + row(4, "Surrey", 30))
        let zip = try SpreadsheetHostileTests.zip([("xl/workbook.xml", book), ("xl/worksheets/sheet1.xml", data),
                                                   ("xl/worksheets/sheet2.xml", other)])
        let dir = try Fixtures.temporaryDirectory()
        let path = dir.appendingPathComponent("two.xlsx").path
        try zip.write(to: URL(fileURLWithPath: path))
        return path
    }

    func testASecondLoadOfAnotherSheetReadsIt() throws {
        let path = try workbook()
        let s = Session()
        let results = try Fixtures.results("""
            load "\(path)" sheet "Data" as a
            count a
            load "\(path)" sheet "Other" as a
            count a
            sum n from a
            load "\(path)" range A1:B3 as a
            count a
            load "\(path)" as a
            count a
            """, session: s)
        XCTAssertEqual(results.map(\.scalarValue), [2, 3, 60, 2, 2])
    }

    func testTwoDataSheetsOfOneNameAreAnError() throws {
        let path = try workbook()
        let s = Session()
        try s.addCSV(path + "#Data")
        XCTAssertThrowsError(try s.addCSV(path + "#Other")) { e in
            let m = (e as? MisqError)?.message ?? "\(e)"
            XCTAssertTrue(m.contains("two datasets would be named 'two'"), m)
            XCTAssertTrue(m.contains("sheet 'Data'") && m.contains("sheet 'Other'"), m)
        }
        XCTAssertEqual(try s.dataset(named: "two")?.rowCount, 2)
        // The same sheet twice is the same dataset, as the same CSV is.
        XCTAssertNoThrow(try s.addCSV(path + "#Data"))
    }
}
