import XCTest
@testable import MisqKit

/// Published-table shapes in Fixtures/sheets/layout.xlsx (openpyxl) and
/// layout.ods (the same converted by LibreOffice), written by
/// Tests/Spreadsheets/make_layout_fixtures.py. python-calamine reads the
/// same cells from both (its rows quoted in each test); the expected rows,
/// names and sums are counted by hand from them.
final class SpreadsheetLayoutTests: XCTestCase {
    static let dir = Fixtures.testsDirectory.appendingPathComponent("Fixtures/sheets").path
    static let files = ["layout.xlsx", "layout.ods"]

    func run(_ text: String) throws -> (Session, [QueryResult]) {
        let s = Session()
        s.baseDirectory = Self.dir
        var results: [QueryResult] = []
        _ = try ScriptRunner(session: s).run(SourceFile(name: "t", text: text), mode: .run) { event in
            if case .result(let r, _, _, _) = event { results.append(r) }
        }
        return (s, results)
    }

    /// Gap, as calamine reads it: ['Force', 'Cases', 'Officers'] in row 3,
    /// Avon 10 12 and Bedford 20 22 in rows 4–5, a blank row 6, Cleveland
    /// 30 33 and Dorset 40 44 in rows 7–8, a blank row 9, ['Source:',
    /// 'corpus generator, not the Home Office'] and a note in rows 10–11.
    /// The table ends at the blank row: rows 7–8 are not loaded, and every
    /// answer says so (not only `describe`); the Source: line, two cells
    /// wide, is a note; the suggested range loads all four rows.
    func testRowsBelowABlankRowAreSaidInEveryAnswer() throws {
        for file in Self.files {
            let (s, results) = try run("""
                load "\(file)" sheet "Gap" as gap
                sum Cases from gap
                """)
            let d = try XCTUnwrap(s.dataset(named: "gap"))
            XCTAssertEqual(try d.rowCount, 2, file)
            XCTAssertEqual(results.first?.scalarValue, 30, file)  // 10 + 20
            let said = "sheet 'Gap': 2 rows below the table (rows 7–8) are not loaded: the table ends at the blank row 6, so its data is rows 4–5; "
                + "to load them as part of the table, add `range A3:C8` to the load"
            XCTAssertEqual(d.provenance.notes, [said], file)
            XCTAssertTrue(results.first?.footer.lines.contains("note: " + said) == true, "\(file): \(results.first?.footer.lines ?? [])")
            let notes = d.headerNotes.joined(separator: "\n")
            XCTAssertTrue(notes.contains("row 10 below the data is a note, not data: 'Source: | corpus generator, not the Home Office'"), "\(file): \(notes)")
            XCTAssertTrue(notes.contains("row 11 below the data is a note, not data: 'Note 1: figures are cases finalised'"), "\(file): \(notes)")

            // The suggestion, taken: all four rows, 10 + 20 + 30 + 40.
            let (again, sums) = try run("""
                load "\(file)" sheet "Gap" range A3:C8 as gap
                sum Cases from gap
                """)
            XCTAssertEqual(try again.dataset(named: "gap")?.rowCount, 5, file)  // with the blank row 6, loaded as asked
            XCTAssertEqual(sums.first?.scalarValue, 100, file)
        }
    }

    /// A blank row straight under the header (built here: a b c in row 1,
    /// row 2 blank, 1 2 3 and 4 5 6 in rows 3–4): no data rows, and the
    /// note says so rather than "rows 2–1".
    func testABlankRowUnderTheHeaderLeavesNoDataAndSaysSo() throws {
        func row(_ r: Int, _ cells: [String]) -> String {
            "<row r=\"\(r)\">" + cells.enumerated().map { k, v in
                let ref = CellReference.name(row: r - 1, column: k)
                return Double(v) != nil ? "<c r=\"\(ref)\"><v>\(v)</v></c>" : "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(v)</t></is></c>"
            }.joined() + "</row>"
        }
        let zip = try SpreadsheetHostileTests.zip([
            ("xl/workbook.xml", SpreadsheetHostileTests.workbook),
            ("xl/worksheets/sheet1.xml", SpreadsheetHostileTests.sheet(row(1, ["a", "b", "c"]) + row(3, ["1", "2", "3"]) + row(4, ["4", "5", "6"]))),
        ])
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("gap.xlsx").path
        try zip.write(to: URL(fileURLWithPath: path))
        let d = try Dataset.bare(name: "g", path: path, sheet: SheetSelection())
        XCTAssertEqual(try d.rowCount, 0)
        XCTAssertEqual(d.provenance.notes, ["sheet 'Data': 2 rows below the table (rows 3–4) are not loaded: the table ends at the blank row 2, so it has no data rows; "
                                            + "to load them as part of the table, add `range A1:C4` to the load"])
    }

    /// A warm run reads the header and row count from the cache, never the
    /// sheet: the note must come from there too.
    func testAWarmRunSaysItToo() throws {
        let dir = try Fixtures.temporaryDirectory()
        let path = dir.appendingPathComponent("layout.xlsx").path
        try FileManager.default.copyItem(atPath: Self.dir + "/layout.xlsx", toPath: path)
        setenv("MISQ_CACHE_DIR", dir.appendingPathComponent("cache").path, 1)
        defer { unsetenv("MISQ_CACHE_DIR") }
        var notes: [[String]] = []
        for _ in 0..<2 {
            let d = try Dataset.bare(name: "gap", path: path, sheet: try SheetSelection(sheet: "Gap"))
            _ = try d.column(1)
            notes.append(d.provenance.notes)
        }
        XCTAssertEqual(notes[0].count, 1)
        XCTAssertEqual(notes[1], notes[0])
    }

    /// Dates is the second sheet (calamine: ['case_id', 'reported',
    /// 'finalised'], two dates each row): describe's hint names it, and the
    /// hint, run as written, sets the period column.
    func testThePeriodHintNamesTheSheetAndParses() throws {
        for file in Self.files {
            let (s, _) = try run("load \"\(file)\" sheet \"Dates\" as d")
            let text = try Describer.describe("d", in: s)
            guard let line = text.split(separator: "\n").first(where: { $0.contains("declare one: ") }),
                  let from = line.range(of: "declare one: ") else { return XCTFail("\(file): no hint in\n\(text)") }
            let hint = String(line[from.upperBound...].dropLast())
            XCTAssertEqual(hint, "load \"\(Self.dir)/\(file)\" sheet \"Dates\" as d period reported", file)
            let (again, _) = try run(hint)
            XCTAssertEqual(again.dataset(named: "d")?.periodColumn, "reported", file)
            XCTAssertEqual(try again.dataset(named: "d")?.rowCount, 2, file)
        }
    }

    /// Times has one date column, stamp (its times are text): a query on
    /// the period it was taken as says how to declare another, in a
    /// statement that loads the same sheet (it named only the file).
    func testTheInferredPeriodNoteNamesTheSheet() throws {
        for file in Self.files {
            let (_, results) = try run("load \"\(file)\" sheet \"Times\" as t\ncount t where period 2023")
            XCTAssertEqual(results.first?.scalarValue, 2, file)
            let said = "note: period column: 'stamp', the only date column of t (declare another with load \"\(Self.dir)/\(file)\" sheet \"Times\" as t period COLUMN)"
            XCTAssertTrue(results.first?.footer.lines.contains(said) == true, "\(file): \(results.first?.footer.lines ?? [])")
        }
    }

    func labels(_ d: Dataset, _ k: Int) throws -> [String] {
        guard case .category(let c) = try d.column(k) else { throw MisqError(.runtime, "column \(k) is not text") }
        return (0..<(try d.rowCount)).map { c.codes[$0] == CategoryColumn.missing ? "" : c.labels[Int(c.codes[$0])] }
    }

    /// Times: calamine reads the XLSX as time(9, 30), time(0, 0);
    /// time(23, 59, 59), time(12, 0, 1); datetime(2023, 3, 31, 12, 30),
    /// datetime(2023, 4, 1, 0, 0, 5); timedelta(days=1, seconds=44100)
    /// (36:15) and timedelta(seconds=2700). The ODS the same, but for the
    /// durations: 'PT36H15M00S' (its text, unparsed) and time(0, 45).
    /// misq reads both files alike: times and durations as hh:mm:ss text,
    /// date-times as their dates, each said by describe.
    func testTimesReadAlikeFromEitherFormat() throws {
        for file in Self.files {
            let d = try Dataset.bare(name: "t", path: Self.dir + "/" + file, sheet: try SheetSelection(sheet: "Times"))
            XCTAssertEqual(try labels(d, 1), ["09:30:00", "00:00:00"], file)
            XCTAssertEqual(try labels(d, 2), ["23:59:59", "12:00:01"], file)
            XCTAssertEqual(try labels(d, 4), ["36:15:00", "00:45:00"], file)
            guard case .date(let stamp) = try d.column(3) else { return XCTFail("\(file): stamp is not dates") }
            XCTAssertEqual((0..<2).map { Day.iso(Int(stamp.days[$0])) }, ["2023-03-31", "2023-04-01"], file)
            let notes = d.headerNotes
            XCTAssertTrue(notes.contains("'time': times (of day, or durations) read as text hh:mm:ss, since misq has no time type"), "\(file): \(notes)")
            XCTAssertTrue(notes.contains("'stamp': times of day are not kept, only the dates"), "\(file): \(notes)")
        }
    }

    /// Names, as calamine reads it: row 3 ['Force', '', 'Cases', '', ''],
    /// row 4 ['', 'Region', 2022.0, 2023.0, 'Total'], data in rows 5–6;
    /// the workbook merges A3:A4 (Force, down) and C3:D3 (Cases, across).
    func testHeaderNamesFromMergesAndBlanks() throws {
        for file in Self.files {
            func load(_ words: String) throws -> Dataset {
                let (s, _) = try run("load \"\(file)\" sheet \"Names\" \(words) as n")
                return try XCTUnwrap(s.dataset(named: "n"))
            }
            // Two header rows: Force merged down names A once, and is not
            // carried over B, which row 4 names.
            let two = try load("header row 3")
            XCTAssertEqual(two.columnNames, ["Force", "Region", "Cases 2022", "Cases 2023", "Cases Total"], file)
            XCTAssertEqual(try two.rowCount, 2, file)
            // Header row 4: its empty A4 lies under Force merged down over it.
            let four = try load("header row 4")
            XCTAssertEqual(four.columnNames, ["Force", "Region", "2022", "2023", "Total"], file)
            XCTAssertEqual(try labels(four, 0), ["Avon", "Bedford"], file)
            // A header cell with no name and no merge over it: column2,
            // and describe names the sheet's column and row.
            let bare = try load("range A3:B6")
            XCTAssertEqual(bare.columnNames, ["Force", "column2"], file)
            XCTAssertEqual(try labels(bare, 1), ["Region", "South West", "East"], file)
            XCTAssertTrue(bare.headerNotes.contains("column B has no name in the header row 3: it is called 'column2'"), "\(file): \(bare.headerNotes)")
        }
    }

    /// A range past the sheet's values: wholly, an error at the words that
    /// give it; partly, its empty rows and columns left out and said.
    /// Gap holds values in A1:C11, Dates in A1:C3.
    func testARangePastTheValuesIsAnErrorOrANote() throws {
        for file in Self.files {
            let statement = "load \"\(file)\" sheet \"Gap\" range E1:H5 as g"
            do { _ = try run(statement); XCTFail("\(file): loaded \(statement)") } catch {
                let e = try XCTUnwrap(error.misqErrors.first)
                XCTAssertTrue(e.message.hasSuffix("the range E1:H5 holds no values"), e.message)
                XCTAssertEqual(e.suggestion, "the sheet's values are within A1:C11; leave out `range` to have the table found")
                XCTAssertEqual(e.source.map { $0.text(e.span) }, "sheet \"Gap\" range E1:H5", file)
            }
            let (s, sums) = try run("load \"\(file)\" sheet \"Gap\" range A3:E8 as g\nsum Cases from g")
            let g = try XCTUnwrap(s.dataset(named: "g"))
            XCTAssertEqual(g.columnNames, ["Force", "Cases", "Officers"], file)
            XCTAssertEqual(sums.first?.scalarValue, 100, file)
            XCTAssertTrue(g.headerNotes.contains("columns D–E of the range A3:E8 hold no values: not loaded"), "\(file): \(g.headerNotes)")
            let (t, _) = try run("load \"\(file)\" sheet \"Dates\" range A1:C10 as d")
            let d = try XCTUnwrap(t.dataset(named: "d"))
            XCTAssertEqual(try d.rowCount, 2, file)
            XCTAssertTrue(d.headerNotes.contains("rows 4–10 of the range A1:C10 are past the sheet's last row with values in it (3): not loaded"), "\(file): \(d.headerNotes)")
        }
    }
}
