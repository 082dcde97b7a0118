import XCTest
@testable import MisqKit

/// Which sheet is read without `sheet`, and that every answer names it
/// (cold test of issue 22: `--data pub_lo.ods` read its cover sheet and
/// the footer said only the file). Workbooks built here; the expected
/// sheets and rows are read off the XML written.
final class SpreadsheetSheetChoiceTests: XCTestCase {
    /// An XLSX of several sheets, each (name, state, rows XML); no
    /// relationships part, so sheet N is xl/worksheets/sheetN.xml.
    func xlsx(_ sheets: [(String, String?, String)], name: String) throws -> String {
        let list = sheets.enumerated().map { k, s in
            "<sheet name=\"\(s.0.replacingOccurrences(of: "\"", with: "&quot;"))\" sheetId=\"\(k + 1)\" r:id=\"rId\(k + 1)\"\(s.1.map { " state=\"\($0)\"" } ?? "")/>"
        }.joined()
        let book = """
            <?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\(list)</sheets></workbook>
            """
        var entries = [("xl/workbook.xml", book)]
        for (k, s) in sheets.enumerated() { entries.append(("xl/worksheets/sheet\(k + 1).xml", SpreadsheetHostileTests.sheet(s.2))) }
        let path = try Fixtures.temporaryDirectory().appendingPathComponent(name).path
        try SpreadsheetHostileTests.zip(entries).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let text = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Police workforce tables</t></is></c></row>"
        + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Contents: Table 1</t></is></c></row>"
    static let table = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>force</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>n</t></is></c></row>"
        + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Avon</t></is></c><c r=\"B2\"><v>7</v></c></row>"

    /// Hidden first sheets (hidden, veryHidden) are passed over for the
    /// first visible one, 'Table 1' (1 row, n = 7), and the note says so.
    func testAHiddenFirstSheetIsPassedOver() throws {
        for state in ["hidden", "veryHidden"] {
            let path = try xlsx([("Lookup", state, Self.table.replacingOccurrences(of: "<v>7</v>", with: "<v>1</v>")), ("Table 1", nil, Self.table)], name: "hidden_\(state).xlsx")
            let d = try Dataset.bare(name: "h", path: path)
            XCTAssertEqual(try d.rowCount, 1)
            guard case .number(let n) = try d.column(1) else { return XCTFail("n is not numbers") }
            XCTAssertEqual(n.values[0], 7, state)
            XCTAssertEqual(d.provenance.title, path + ", sheet 'Table 1'")
            XCTAssertEqual(d.provenance.notes, ["the first sheet, 'Lookup', is hidden: read the first visible sheet, 'Table 1'; to read a hidden one, name it with `sheet \"Lookup\"`"])
            // Named, the hidden sheet is read, and no note is given.
            let named = try Dataset.bare(name: "h", path: path, sheet: try SheetSelection(sheet: "lookup"))
            XCTAssertEqual(named.provenance.title, path + ", sheet 'Lookup'", "the workbook's spelling, not the user's")
            XCTAssertEqual(named.provenance.notes, [])
        }
    }

    /// ODS: a table in a style with table:display="false" is hidden.
    func testAHiddenFirstODSSheetIsPassedOver() throws {
        func cell(_ s: String) -> String { "<table:table-cell office:value-type=\"string\"><text:p>\(s)</text:p></table:table-cell>" }
        let rows = "<table:table-row>\(cell("force"))\(cell("n"))</table:table-row><table:table-row>\(cell("Avon"))\(SpreadsheetHostileTests.cell(7))</table:table-row>"
        let content = """
            <?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
            xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" \
            xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">\
            <office:automatic-styles><style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style>\
            <style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style></office:automatic-styles>\
            <office:body><office:spreadsheet><table:table table:name="Secret" table:style-name="ta2">\(rows.replacingOccurrences(of: "7", with: "1"))</table:table>\
            <table:table table:name="Shown" table:style-name="ta1">\(rows)</table:table></office:spreadsheet></office:body></office:document-content>
            """
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("hidden.ods").path
        try SpreadsheetHostileTests.zip([("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", content)]).write(to: URL(fileURLWithPath: path))
        let d = try Dataset.bare(name: "h", path: path)
        guard case .number(let n) = try d.column(1) else { return XCTFail("n is not numbers") }
        XCTAssertEqual(n.values[0], 7)
        XCTAssertEqual(d.provenance.title, path + ", sheet 'Shown'")
        XCTAssertEqual(d.provenance.notes, ["the first sheet, 'Secret', is hidden: read the first visible sheet, 'Shown'; to read a hidden one, name it with `sheet \"Secret\"`"])
    }

    /// A first sheet of text only, with other sheets: the note names them
    /// and the words that read one; every answer's footer names the sheet.
    func testACoverSheetSaysWhereTheTablesAre() throws {
        let path = try xlsx([("Cover", nil, Self.text), ("Table 1", nil, Self.table), ("It's \"Q\" 1", nil, Self.table)], name: "cover.xlsx")
        let s = Session()
        s.baseDirectory = (path as NSString).deletingLastPathComponent
        var results: [QueryResult] = []
        _ = try ScriptRunner(session: s).run(SourceFile(name: "t", text: "load \"cover.xlsx\" as c\ncount c"), mode: .run) { event in
            if case .result(let r, _, _, _) = event { results.append(r) }
        }
        let said = "sheet 'Cover' holds only text (a cover or contents page?); the workbook's other sheets: 'Table 1', 'It's \"Q\" 1'; to read one, name it with `sheet \"Table 1\"`"
        let lines = results.first?.footer.lines ?? []
        XCTAssertTrue(lines.contains("note: " + said), "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasSuffix("— \(path), sheet 'Cover'") || $0.hasSuffix("— cover.xlsx, sheet 'Cover'") }, "\(lines)")
        // A sheet that is not there: the names as they can be written.
        do { _ = try Dataset.bare(name: "c", path: path, sheet: try SheetSelection(sheet: "Table 9")); XCTFail("loaded") } catch let e as MisqError {
            XCTAssertEqual(e.expected, "one of its sheets: \"Cover\", \"Table 1\", \"It's \"\"Q\"\" 1\"")
        }
    }
}
