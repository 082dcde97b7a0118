import XCTest
@testable import MisqKit

/// `load` of a spreadsheet: the words that say where the table is, and a
/// published-table-shaped sheet (Fixtures/sheets/published.*, written by
/// Tests/Spreadsheets/make_corpus.py: openpyxl, and LibreOffice for the
/// .ods) loaded every way the user can name it. Expected rows and names are
/// counted by hand from the sheet: title rows 1–2, a header over rows 3–4
/// (2022 and 2023 merged over Officers and Staff), data rows 5–8, a blank
/// row 9, a source and a note in rows 10–11.
final class SpreadsheetLoadTests: XCTestCase {
    static let dir = Fixtures.testsDirectory.appendingPathComponent("Fixtures/sheets").path

    func run(_ text: String) throws -> Session {
        let s = Session()
        s.baseDirectory = Self.dir
        _ = try ScriptRunner(session: s).run(SourceFile(name: "t", text: text), mode: .run)
        return s
    }

    func failure(_ text: String) -> MisqError? {
        do { _ = try run(text); return nil } catch { return error.misqErrors.first }
    }

    func testTheWordsParseAndPrintBack() throws {
        for (text, sheet, row, range) in [
            ("load \"t.xlsx\" sheet \"Table 3\" as t", "Table 3", nil, nil),
            ("load \"t.xlsx\" header row 4 as t", nil, 4, nil),
            ("load \"t.ods\" range A4:H52 as t", nil, nil, "A4:H52"),
            ("load \"t.ods\" as t sheet \"S\" range \"b2:c9\"", "S", nil, "B2:C9"),
            ("load \"t.ods\" sheet \"S\" header row 2 range A1:C9 as t period d", "S", 2, "A1:C9"),
        ] as [(String, String?, Int?, String?)] {
            let p = try Parser.parse(SourceFile(name: "t", text: text))
            guard case .load(_, _, _, _, let t) = p.statements[0].kind else { return XCTFail(text) }
            XCTAssertEqual(t.sheet, sheet, text); XCTAssertEqual(t.headerRow, row, text); XCTAssertEqual(t.range, range, text)
            let printed = p.statements[0].description
            let again = try Parser.parse(SourceFile(name: "p", text: printed))
            guard case .load(_, _, _, _, let t2) = again.statements[0].kind else { return XCTFail(printed) }
            XCTAssertEqual(LoadTable(copying: t), LoadTable(copying: t2), printed)
        }
    }

    func testBadWordsAreLocatedErrors() {
        for (text, points) in [("load \"t.xlsx\" header row 0 as t", "0"), ("load \"t.xlsx\" range A4 as t", "A4"),
                               ("load \"t.xlsx\" sheet \"a\" sheet \"b\" as t", "sheet"), ("load \"t.xlsx\" sheet Table as t", "Table")] {
            do { _ = try Parser.parse(SourceFile(name: "t", text: text)); XCTFail("parsed: \(text)") } catch {
                let e = error.misqErrors.first
                XCTAssertEqual(e?.source.map { $0.text(e?.span ?? .none) }, points, "\(text): \(e?.message ?? "")")
            }
        }
    }

    func testThePublishedTableLoadsItsDataRowsEveryWay() throws {
        for file in ["published.xlsx", "published.ods"] {
            let s = try run("""
                load "\(file)" sheet "Table 3" as found
                load "\(file)" sheet "table 3" header row 3 as byrow
                load "\(file)" sheet "Table 3" range A3:E7 as ranged
                load "\(file)" sheet "Table 3" range A5:C8 as bare
                """)
            let names = ["Force", "2022 Officers", "2022 Staff", "2023 Officers", "2023 Staff"]
            // calamine reads Table 3's row 3 as ['Force', '2022', '', '2023', '']
            // (B3:C3 and D3:E3 merged) and row 4 as ['', 'Officers', 'Staff',
            // 'Officers', 'Staff']. A range's first row is its one header
            // row, as the docs say: rows 4–7 are data, 4 rows, and the
            // merged names repeat (2022, 2022_2).
            let rangedNames = ["Force", "2022", "2022_2", "2023", "2023_2"]
            for (name, rows, columns) in [("found", 4, names), ("byrow", 4, names), ("ranged", 4, rangedNames), ("bare", 3, ["Avon", "3000", "2000"])] {
                let d = try XCTUnwrap(s.dataset(named: name), name)
                XCTAssertEqual(try d.rowCount, rows, "\(file) \(name)")
                XCTAssertEqual(d.columnNames, columns, "\(file) \(name)")
            }
            let found = try XCTUnwrap(s.dataset(named: "found"))
            guard case .number(let staff2022) = try found.column(2) else { return XCTFail("2022 Staff is not a number column") }
            XCTAssertEqual(staff2022.values.map { $0.isNaN ? -1 : $0 }, [2000, -1, 800, 700], file)
            let ranged = try XCTUnwrap(s.dataset(named: "ranged"))
            XCTAssertTrue(ranged.headerNotes.contains { $0.contains("cells outside the range A3:E7 are not loaded") }, "\(ranged.headerNotes)")
            XCTAssertTrue(ranged.headerNotes.contains("row 4 looks like a second header row (text under row 3's merged or blank cells), but `range` takes one header row: "
                                                      + "it is loaded as a data row; to take rows 3–4 as the header, load with `header row 3` instead of `range`"), "\(ranged.headerNotes)")
        }
    }

    func testTheFirstSheetAndTheHashForm() throws {
        let s = Session()
        try s.addCSV(Self.dir + "/published.xlsx#Table 3")
        let d = try XCTUnwrap(s.dataset(named: "published"))
        XCTAssertEqual(try d.rowCount, 4)
        // The first sheet is the cover: one line of text, which is its header.
        let first = Session()
        try first.addCSV(Self.dir + "/published.ods")
        XCTAssertEqual(try first.dataset(named: "published")?.rowCount, 0)
    }

    func testAnUnknownSheetPointsAtTheSheetWords() throws {
        let text = "load \"published.xlsx\" sheet \"Tabel 3\" as t"
        let e = try XCTUnwrap(failure(text))
        XCTAssertTrue(e.message.contains("has no sheet 'Tabel 3'"), e.message)
        XCTAssertEqual(e.source.map { $0.text(e.span) }, "sheet \"Tabel 3\"")
        XCTAssertEqual(e.suggestion, "did you mean 'Table 3'?")
    }
}

extension LoadTable {
    /// The same words with no span, to compare what was said.
    init(copying t: LoadTable) { self.init(); sheet = t.sheet; headerRow = t.headerRow; range = t.range; span = nil }
}
