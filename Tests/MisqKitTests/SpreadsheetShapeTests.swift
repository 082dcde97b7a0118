import XCTest
@testable import MisqKit

/// Published-table shapes the first cold test of issue 22 found read
/// wrongly, rebuilt here cell for cell from its generators (openpyxl; the
/// rows as openpyxl reads them back are quoted in each test). Expected
/// rows and values are counted by hand from those rows.
final class SpreadsheetShapeTests: XCTestCase {
    func load(_ path: String, _ selection: SheetSelection? = nil) throws -> Dataset {
        try Dataset.bare(name: "t", path: path, sheet: selection ?? SheetSelection())
    }

    func labels(_ d: Dataset, _ k: Int) throws -> [String] {
        guard case .category(let c) = try d.column(k) else { throw MisqError(.runtime, "column \(k) is not text") }
        return (0..<(try d.rowCount)).map { c.codes[$0] == CategoryColumn.missing ? "" : c.labels[Int(c.codes[$0])] }
    }

    func numbers(_ d: Dataset, _ k: Int) throws -> [Double] {
        guard case .number(let c) = try d.column(k) else { throw MisqError(.runtime, "column \(k) is not numbers") }
        return (0..<(try d.rowCount)).map { c.values[$0] }
    }

    /// title2_w4.xlsx / title2_w3.xlsx: openpyxl reads ('Table 1:
    /// Dismissals by force', None, None, 'Back to contents'), ('Published 1
    /// May 2024', 'Next update: May 2025', None, None), a blank row 3,
    /// ('Force', 'Y2021', 'Y2022', 'Y2023') and Avon, Beds, Cambs with
    /// 1 2 3 in rows 5–7 (the 3-wide one without D and Y2023). The title
    /// block fills two cells, half the table's width: it was the header,
    /// and the table was left out. The header is row 4, the data 3 rows.
    func testATitleBlockOfTwoCellsAboveABlankRowIsNotTheHeader() throws {
        for width in [4, 3] {
            var rows: [[String?]] = [
                ["Table 1: Dismissals by force"] + Array(repeating: nil, count: width - 2) + ["Back to contents"],
                ["Published 1 May 2024", "Next update: May 2025"], [],
                ["Force"] + (0..<(width - 1)).map { "Y\(2021 + $0)" },
            ]
            for force in ["Avon", "Beds", "Cambs"] { rows.append([force] + (1..<width).map { String($0) }) }
            let d = try load(try SheetMaker.xlsx(rows, sheetName: "Table 1", name: "title2_w\(width).xlsx"))
            XCTAssertEqual(d.columnNames, ["Force"] + (0..<(width - 1)).map { "Y\(2021 + $0)" }, "width \(width)")
            XCTAssertEqual(try d.rowCount, 3, "width \(width)")
            XCTAssertEqual(try labels(d, 0), ["Avon", "Beds", "Cambs"])
            XCTAssertEqual(try numbers(d, 1), [1, 1, 1])
            XCTAssertEqual(d.provenance.notes, [], "width \(width): nothing below the table is left out")
            let notes = d.headerNotes
            XCTAssertTrue(notes.contains("sheet 'Table 1', header in row 4, data in rows 5–7, columns A–\(CellReference.letters(width - 1))"), "\(notes)")
            XCTAssertTrue(notes.contains("rows 1–2, above a blank row, fill at most 2 cells, fewer than the \(width) of the rows from row 4: "
                                         + "taken as a title, not the table; if the table's header is row 1, add `header row 1` to the load"), "\(notes)")
            XCTAssertTrue(notes.contains("row 1 above the header is not data: 'Table 1: Dismissals by force | Back to contents'"), "\(notes)")
        }
    }

    /// A block of figures is never passed over for a wider block below:
    /// Force n in row 1, Avon 1 and Beds 2, a blank row, then a 3-wide
    /// block with a text first row. The table is rows 1–3; the rows below
    /// are said in every answer, and the note gives both ways to take them.
    func testATableAboveAWiderBlockStaysAndTheNoteOffersTheHeaderRow() throws {
        let path = try SheetMaker.xlsx([["Force", "n"], ["Avon", "1"], ["Beds", "2"], [], ["Force", "n", "m"], ["Cambs", "3", "4"]], name: "below.xlsx")
        let d = try load(path)
        XCTAssertEqual(try d.rowCount, 2)
        XCTAssertEqual(d.provenance.notes, ["sheet 'Data': 2 rows below the table (rows 5–6) are not loaded: the table ends at the blank row 4, so its data is rows 2–3; "
                                            + "to load them as part of the table, add `range A1:C6` to the load; or, if row 5 is the table's header, add `header row 5`"])
        let taken = try load(path, try SheetSelection(headerRow: 5))
        XCTAssertEqual(taken.columnNames, ["Force", "n", "m"])
        XCTAssertEqual(try labels(taken, 0), ["Cambs"])
    }

    /// Notes straight under the data (note0–8.xlsx, trail.xlsx): openpyxl
    /// reads ('Force', 'n'), ('Avon', 1), ('Beds', 2), then the note alone
    /// in A4. Each is a note by its shape: 2 rows, and describe names it.
    func testOneCellNotesUnderTheDataAreNotesByTheirShape() throws {
        let notes = ["1. Figures exclude British Transport Police.", "* Provisional figures", "[note 3] Data for Wiltshire are estimated.",
                     "Notes", "Figures may not sum due to rounding.", "Data source: Home Office", "Sources: ONS", "NOTE: revised",
                     "Footnote 2: x", "Wiltshire figures are not available for 2023"]
        for (i, note) in notes.enumerated() {
            let d = try load(try SheetMaker.xlsx([["Force", "n"], ["Avon", "1"], ["Beds", "2"], [note]], name: "note\(i).xlsx"))
            XCTAssertEqual(try d.rowCount, 2, note)
            XCTAssertEqual(try labels(d, 0), ["Avon", "Beds"], note)
            XCTAssertTrue(d.headerNotes.contains("row 4 below the data is a note, not data: '\(note)'"), "\(note): \(d.headerNotes)")
        }
        // Under a column of years (numbers), any text alone is a note.
        let years = try load(try SheetMaker.xlsx([["Year", "n"], ["2022", "1"], ["2023", "2"], ["Provisional"]], name: "years.xlsx"))
        XCTAssertEqual(try years.rowCount, 2)
    }

    /// A last row filling only its first cell with a short label like the
    /// column's others is a data row: never dropped, and describe says how
    /// it was read and the range that leaves it out. Hand count: 3 rows,
    /// n summing 1 + 2 = 3 with one missing.
    func testAShortLabelAloneStaysData() throws {
        for label in ["Devon and Cornwall", "Cambs"] {
            let d = try load(try SheetMaker.xlsx([["Force", "n"], ["Avon", "1"], ["Beds", "2"], [label]], name: "label.xlsx"))
            XCTAssertEqual(try d.rowCount, 3, label)
            XCTAssertEqual(try labels(d, 0), ["Avon", "Beds", label])
            XCTAssertEqual(try numbers(d, 1).prefix(2), [1, 2])
            XCTAssertTrue(try numbers(d, 1)[2].isNaN)
            XCTAssertTrue(d.headerNotes.contains("row 4 fills only its first cell ('\(label)') and reads as a value of the column, so it is loaded as a data row "
                                                 + "with its other cells missing; to leave it out, add `range A1:B3` to the load"), "\(d.headerNotes)")
        }
    }

    /// `range`: its first row the header, every other row data (docs).
    /// A two-row header's shape (cold test's pub_lo, rows as openpyxl reads
    /// them): ('Force', '2022', None), (None, 'Officers', 'Staff'), Avon
    /// 12 3, Beds 7 4, with B4:C4 merged. `range A4:C7` loads 3 data rows
    /// (rows 5–7, the Officers/Staff row among them); `range A4:C4` has
    /// none and names its columns from row 4 alone, not from row 5 below it
    /// (C4, under the merge, holds no value: column C is left out, and said).
    func testARangesFirstRowIsItsOneHeaderRow() throws {
        let path = try SheetMaker.xlsx([["Title"], [], [], ["Force", "2022", nil], [nil, "Officers", "Staff"], ["Avon", "12", "3"], ["Beds", "7", "4"]],
                                       merges: ["B4:C4"], name: "range.xlsx")
        let whole = try load(path, try SheetSelection(range: "A4:C7"))
        XCTAssertEqual(whole.columnNames, ["Force", "2022", "2022_2"])
        XCTAssertEqual(try whole.rowCount, 3)
        XCTAssertEqual(try labels(whole, 1), ["Officers", "12", "7"])
        let one = try load(path, try SheetSelection(range: "A4:C4"))
        XCTAssertEqual(one.columnNames, ["Force", "2022"])  // C4 holds no value: left out, and said
        XCTAssertTrue(one.headerNotes.contains("column C of the range A4:C4 holds no values: not loaded"), "\(one.headerNotes)")
        XCTAssertEqual(try one.rowCount, 0)
        // With `header row` inside the range, that row is the one header.
        let five = try load(path, try SheetSelection(headerRow: 5, range: "A4:C7"))
        XCTAssertEqual(five.columnNames, ["column1", "Officers", "Staff"])
        XCTAssertEqual(try numbers(five, 1), [12, 7])
        // Without `range`, the two-row header is found as before.
        let found = try load(path)
        XCTAssertEqual(found.columnNames, ["Force", "2022 Officers", "2022 Staff"])
        XCTAssertEqual(try found.rowCount, 2)
    }

    /// mergedata.xlsx/.ods: python-calamine reads ['Region', 'Force', 'n'],
    /// ['North East', 'Cleveland', 1.0], ['', 'Durham', 2.0], ['',
    /// 'Northumbria', 3.0], ['London', 'Met', 4.0], ['', 'City', 5.0] from
    /// both, Region merged over A2:A4 and A5:A6: the anchors hold the
    /// values, the covered cells nothing. misq gives each covered cell its
    /// merge's value (hand count: North East 3 rows, London 2), and says so.
    func testMergedCellsInTheDataTakeTheMergesValue() throws {
        let xlsx = try SheetMaker.xlsx([["Region", "Force", "n"], ["North East", "Cleveland", "1"], [nil, "Durham", "2"], [nil, "Northumbria", "3"],
                                        ["London", "Met", "4"], [nil, "City", "5"]], merges: ["A2:A4", "A5:A6"], sheetName: "M", name: "mergedata.xlsx")
        func string(_ s: String, _ attributes: String = "") -> String {
            "<table:table-cell office:value-type=\"string\"\(attributes)><text:p>\(s)</text:p></table:table-cell>"
        }
        let covered = "<table:covered-table-cell/>"
        let odsRows = "<table:table-row>\(string("Region"))\(string("Force"))\(string("n"))</table:table-row>"
            + "<table:table-row>\(string("North East", " table:number-rows-spanned=\"3\""))\(string("Cleveland"))\(SpreadsheetHostileTests.cell(1))</table:table-row>"
            + "<table:table-row>\(covered)\(string("Durham"))\(SpreadsheetHostileTests.cell(2))</table:table-row>"
            + "<table:table-row>\(covered)\(string("Northumbria"))\(SpreadsheetHostileTests.cell(3))</table:table-row>"
            + "<table:table-row>\(string("London", " table:number-rows-spanned=\"2\""))\(string("Met"))\(SpreadsheetHostileTests.cell(4))</table:table-row>"
            + "<table:table-row>\(covered)\(string("City"))\(SpreadsheetHostileTests.cell(5))</table:table-row>"
        let odsPath = try Fixtures.temporaryDirectory().appendingPathComponent("mergedata.ods").path
        try SpreadsheetHostileTests.zip([("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", SpreadsheetHostileTests.ods(odsRows))])
            .write(to: URL(fileURLWithPath: odsPath))
        for path in [xlsx, odsPath] {
            let d = try load(path)
            XCTAssertEqual(try labels(d, 0), ["North East", "North East", "North East", "London", "London"], path)
            XCTAssertEqual(try labels(d, 1), ["Cleveland", "Durham", "Northumbria", "Met", "City"], path)
            XCTAssertTrue(d.headerNotes.contains("column A: 2 merged ranges filled down: A2:A4, A5:A6"), "\(path): \(d.headerNotes)")
        }
        // A merge across columns of a row, among rows of repeated cells:
        // Total merged over B3:C3 fills C3; the other rows are untouched.
        let across = try load(try SheetMaker.xlsx([["k", "a", "b"], ["x", "1", "2"], ["y", "9"], ["z", "3", "4"]], merges: ["B3:C3"], name: "across.xlsx"))
        XCTAssertEqual(try numbers(across, 2), [2, 9, 4])
        XCTAssertTrue(across.headerNotes.contains("column B: 1 merged range filled across: B3:C3"), "\(across.headerNotes)")
    }

    /// A sum over a column with markers says how many cells they were, in
    /// every answer measuring it, warm run or cold. Hand count: `2022
    /// Staff` is 12, [c], 7, .., 3, 5: the sum is 27 over 4 shown cells,
    /// 2 of the 6 were markers; `n` has none and is not named.
    func testAnAggregateOverMarkersSaysSo() throws {
        let path = try SheetMaker.xlsx([["Force", "2022 Staff", "n"], ["Avon", "12", "1"], ["Beds", "[c]", "1"], ["Cambs", "7", "1"],
                                        ["Dorset", "..", "1"], ["Essex", "3", "1"], ["Kent", "5", "1"]], name: "markers.xlsx")
        let dir = try Fixtures.temporaryDirectory()
        setenv("MISQ_CACHE_DIR", dir.appendingPathComponent("cache").path, 1)
        defer { unsetenv("MISQ_CACHE_DIR") }
        let said = "note: `2022 Staff`: 2 of 6 cells were markers ([c] 1, .. 1), read as missing"
        for run in ["cold", "warm"] {
            let s = Session()
            s.baseDirectory = (path as NSString).deletingLastPathComponent
            var results: [QueryResult] = []
            _ = try ScriptRunner(session: s).run(SourceFile(name: "t", text: "load \"markers.xlsx\" as m\nsum `2022 Staff` from m\nsum n from m\nsum `2022 Staff`, sum n from m by Force"), mode: .run) { event in
                if case .result(let r, _, _, _) = event { results.append(r) }
            }
            XCTAssertEqual(results.first?.scalarValue, 27, run)
            XCTAssertTrue(results.first?.footer.lines.contains(said) == true, "\(run): \(results.first?.footer.lines ?? [])")
            XCTAssertFalse(results.dropFirst().first?.footer.lines.contains { $0.contains("were markers") } ?? true, run)
            XCTAssertTrue(results.last?.footer.lines.contains(said) == true, "\(run): \(results.last?.footer.lines ?? [])")
        }
    }
}
