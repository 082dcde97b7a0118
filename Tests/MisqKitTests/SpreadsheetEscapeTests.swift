import XCTest
@testable import MisqKit

/// XLSX text as the specification escapes it, built here byte for byte
/// (SpreadsheetHostileTests' ZIP writer).
final class SpreadsheetEscapeTests: XCTestCase {
    /// `_xHHHH_` escapes (ECMA-376 Part 1, ST_Xstring) in shared and inline
    /// strings, and in a formula's string result. Expected: python-calamine
    /// 0.9.1 on the same bytes gives 'line\r\nnext', 'under_x000D_score'
    /// (`_x005F_` is a literal underscore), 'tab\tx é _X000d_ _x12_ \r'
    /// (an upper-case X, two digits: not escapes), 'sur_xD800_x' (a lone
    /// surrogate: not a character, kept), 'AB' and 'f\rg'. (openpyxl 3.1.5
    /// leaves every escape as written.)
    func testEscapesAreDecodedAsTheSpecificationSays() throws {
        let texts = ["line_x000D_\nnext", "under_x005F_x000D_score", "tab_x0009_x _x00e9_ _X000d_ _x12_ _x000d_", "sur_xD800_x", "_x0041__x0042_"]
        let expected = ["line\r\nnext", "under_x000D_score", "tab\tx é _X000d_ _x12_ \r", "sur_xD800_x", "AB", "f\rg"]
        let shared = "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            + "<si><t>v</t></si>" + texts.map { "<si><t xml:space=\"preserve\">\($0)</t></si>" }.joined() + "</sst>"
        var rows = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"inlineStr\"><is><t>w</t></is></c></row>"
        for (k, t) in texts.enumerated() {
            rows += "<row r=\"\(k + 2)\"><c r=\"A\(k + 2)\" t=\"s\"><v>\(k + 1)</v></c><c r=\"B\(k + 2)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(t)</t></is></c></row>"
        }
        rows += "<row r=\"7\"><c r=\"A7\" t=\"str\"><f>\"a\"</f><v>f_x000D_g</v></c><c r=\"B7\" t=\"str\"><f>\"a\"</f><v>f_x000D_g</v></c></row>"
        let zip = try SpreadsheetHostileTests.zip([
            ("xl/workbook.xml", SpreadsheetHostileTests.workbook),
            ("xl/sharedStrings.xml", shared),
            ("xl/worksheets/sheet1.xml", SpreadsheetHostileTests.sheet(rows)),
        ])
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("escapes.xlsx").path
        try zip.write(to: URL(fileURLWithPath: path))
        let d = try Dataset.bare(name: "t", path: path, sheet: SheetSelection())
        for k in 0..<2 {
            guard case .category(let c) = try d.column(k) else { return XCTFail("column \(k) is not text") }
            XCTAssertEqual((0..<expected.count).map { c.labels[Int(c.codes[$0])] }, expected, "column \(k)")
        }
    }
}
