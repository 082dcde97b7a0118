import XCTest
@testable import MisqKit

/// The words of notes and errors the first cold test of issue 22 found
/// wrong or unclear, and the compression-ratio guard against ZIP bombs.
final class SpreadsheetWordingTests: XCTestCase {
    func message(_ body: () throws -> Void) -> MisqError? {
        do { try body(); return nil } catch let e as MisqError { return e } catch { return MisqError(.runtime, "\(error)") }
    }

    /// A header alone: "no data rows", not "data in rows 2–1"; one data
    /// row: "data in row 2".
    func testAnEmptyTableSaysNoDataRows() throws {
        let empty = try Dataset.bare(name: "e", path: try SheetMaker.xlsx([["a", "b"]], name: "empty.xlsx"))
        XCTAssertTrue(empty.headerNotes.contains("sheet 'Data', header in row 1, no data rows, columns A–B"), "\(empty.headerNotes)")
        let one = try Dataset.bare(name: "o", path: try SheetMaker.xlsx([["a", "b"], ["x", "1"]], name: "one.xlsx"))
        XCTAssertTrue(one.headerNotes.contains("sheet 'Data', header in row 1, data in row 2, columns A–B"), "\(one.headerNotes)")
    }

    /// `sheet` on a CSV says it applies only to spreadsheets.
    func testSheetOnACSVSaysItAppliesToSpreadsheets() throws {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("miss.csv").path
        try "a,b\nx,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        let e = message { _ = try Dataset.bare(name: "m", path: path, sheet: try SheetSelection(sheet: "A")) }
        XCTAssertEqual(e?.message, "sheet \"A\" applies only to spreadsheets (.xlsx, .xlsm, .ods): '\(path)' is read as CSV")
        XCTAssertEqual(e?.suggestion, "leave out `sheet \"A\"` to load the CSV")
    }

    /// A bad number-rows-repeated is located at its row (the second row
    /// element here, after a header row), not at a cell of the row before.
    func testABadRowRepeatIsLocatedAtTheRow() throws {
        let rows = "<table:table-row>\(SpreadsheetHostileTests.cell(1))\(SpreadsheetHostileTests.cell(2))\(SpreadsheetHostileTests.cell(3))</table:table-row>"
            + "<table:table-row table:number-rows-repeated=\"-5\">\(SpreadsheetHostileTests.cell(1))</table:table-row>"
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("neg_rep.ods").path
        try SpreadsheetHostileTests.zip([("content.xml", SpreadsheetHostileTests.ods(rows))]).write(to: URL(fileURLWithPath: path))
        let e = message { _ = try Dataset.bare(name: "n", path: path) }
        XCTAssertEqual(e?.message, "\(path) (content.xml) sheet 'One' row 2: number-rows-repeated='-5' is not a count")
    }

    /// A part inflating past the floor and past the ratio is refused before
    /// it is inflated, naming the ratio; ordinary XML of the same size,
    /// numbers in rows (about 10×, as real workbooks), loads. The limits
    /// are lowered to 1 MB here so the test files stay small.
    func testACompressionRatioPastTheLimitIsABomb() throws {
        let floor = SpreadsheetLimits.ratioFloorBytes
        SpreadsheetLimits.ratioFloorBytes = 1 << 20
        defer { SpreadsheetLimits.ratioFloorBytes = floor }
        let head = "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>n</text:p></table:table-cell></table:table-row>"
        let bomb = SpreadsheetHostileTests.ods(head + "<!--" + String(repeating: " ", count: 3 << 20) + "-->" + "<table:table-row>\(SpreadsheetHostileTests.cell(1))</table:table-row>")
        let dir = try Fixtures.temporaryDirectory()
        let bombPath = dir.appendingPathComponent("bomb.ods").path
        try SpreadsheetHostileTests.zip([("content.xml", bomb)]).write(to: URL(fileURLWithPath: bombPath))
        let e = message { _ = try Dataset.bare(name: "b", path: bombPath) }
        XCTAssertTrue(e?.message.hasPrefix("\(bombPath) (content.xml) would inflate ") == true, e?.message ?? "loaded")
        XCTAssertTrue(e?.message.contains("× (") == true && e?.message.contains("inflating more than 100× is a ZIP bomb") == true, e?.message ?? "")
        var rows = head
        for k in 0..<40_000 { rows += "<table:table-row>\(SpreadsheetHostileTests.cell(Double(k * 7919 % 100_003)))</table:table-row>" }
        let plainPath = dir.appendingPathComponent("plain.ods").path
        let plain = SpreadsheetHostileTests.ods(rows)
        XCTAssertGreaterThan(plain.utf8.count, 1 << 20)
        try SpreadsheetHostileTests.zip([("content.xml", plain)]).write(to: URL(fileURLWithPath: plainPath))
        XCTAssertEqual(try Dataset.bare(name: "p", path: plainPath).rowCount, 40_000)
    }
}
