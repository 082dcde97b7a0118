import XCTest
@testable import MisqKit

/// misq's reading of spreadsheets against independent readers: every
/// non-empty cell of every sheet of a corpus of workbooks (made afresh by
/// Tests/Spreadsheets/make_corpus.py with openpyxl, odfpy and LibreOffice)
/// as python-calamine reads it, and for XLSX as openpyxl reads it
/// (Tests/Spreadsheets/reference_cells.py). Skipped when python3 cannot
/// import them, unless MISQ_REQUIRE_SHEETS=1 (as `.ci/run` sets).
final class SpreadsheetDifferentialTests: XCTestCase {
    static let scripts = Fixtures.testsDirectory.deletingLastPathComponent().appendingPathComponent("Spreadsheets")

    /// One corpus for the whole class (LibreOffice takes seconds a file).
    nonisolated(unsafe) static var corpus: Result<URL, Error>?

    func makeCorpus() throws -> URL {
        if let c = Self.corpus { return try c.get() }
        let required = ProcessInfo.processInfo.environment["MISQ_REQUIRE_SHEETS"] == "1"
        let probe = try python(["-c", "import python_calamine, openpyxl, odf"])
        guard probe.status == 0 else {
            let why = "python3 cannot import python_calamine, openpyxl and odf (pip install python-calamine openpyxl odfpy)"
            if required { throw MisqError(.runtime, "MISQ_REQUIRE_SHEETS=1, and " + why) }
            throw XCTSkip(why)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("misq-sheets-\(UUID().uuidString)")
        let made = try python([Self.scripts.appendingPathComponent("make_corpus.py").path, dir.path])
        guard made.status == 0 else { throw MisqError(.runtime, "make_corpus.py failed: \(made.stderr)") }
        Self.corpus = .success(dir)
        return dir
    }

    func workbooks(_ dir: URL) throws -> [String] {
        var out: [String] = []
        for sub in ["", "lo"] {
            let d = dir.appendingPathComponent(sub)
            for f in (try? FileManager.default.contentsOfDirectory(atPath: d.path)) ?? [] where SheetTable.isSpreadsheet(f) {
                out.append(d.appendingPathComponent(f).path)
            }
        }
        return out.sorted()
    }

    struct Reference: Decodable {
        struct Sheet: Decodable { var name: String; var cells: [[Value]] }
        enum Value: Decodable, Equatable {
            case int(Int), double(Double), string(String), bool(Bool), pair([Value])
            init(from d: Decoder) throws {
                let c = try d.singleValueContainer()
                if let b = try? c.decode(Bool.self) { self = .bool(b) }
                else if let i = try? c.decode(Int.self) { self = .int(i) }
                else if let x = try? c.decode(Double.self) { self = .double(x) }
                else if let s = try? c.decode(String.self) { self = .string(s) }
                else { self = .pair(try c.decode([Value].self)) }
            }
        }
        var sheets: [Sheet]
    }

    /// A cell as both sides are compared: "n 1131.0", "d 19447 false", "s 007".
    static func describe(_ v: CellValue) -> String {
        switch v {
        case .number(let x): return "n \(x)"
        case .date(let d, let t): return "d \(d) \(t)"
        case .bool(let b): return "b \(b)"
        case .text(let s): return "s \(s)"
        case .error(let e): return "e \(e)"
        case .time(let t): return "t \(t)"
        }
    }

    static func describe(_ kind: String, _ v: Reference.Value) -> String {
        switch (kind, v) {
        case ("n", .double(let x)): return "n \(x)"
        case ("n", .int(let i)): return "n \(Double(i))"
        case ("d", .pair(let p)):
            if p.count == 2, case .int(let d) = p[0], case .bool(let t) = p[1] { return "d \(d) \(t)" }
        case ("b", .bool(let b)): return "b \(b)"
        case ("s", .string(let s)): return "s \(s)"
        case ("e", .string(let s)): return "e \(s)"
        case ("t", .double(let x)): return "t \(x)"
        case ("t", .int(let i)): return "t \(Double(i))"
        default: break
        }
        return "? \(kind) \(v)"
    }

    func misqCells(_ path: String, sheet: String) throws -> [String: String] {
        let (grid, _, _) = try SheetTable.grid(WorkbookArchive(path: path), sheet: sheet)
        var out: [String: String] = [:]
        for run in grid.runs {
            for r in run.row..<(run.row + run.count) {
                for cell in run.cells { for c in cell.column..<(cell.column + cell.count) { out["\(r),\(c)"] = Self.describe(cell.value) } }
            }
        }
        return out
    }

    func compare(reader: String, _ path: String) throws -> Int {
        let run = try python([Self.scripts.appendingPathComponent("reference_cells.py").path, reader, path])
        guard run.status == 0 else { throw MisqError(.runtime, "reference_cells.py \(reader) \(path): \(String(decoding: run.stderr, as: UTF8.self))") }
        let ref = try JSONDecoder().decode(Reference.self, from: run.stdout)
        var compared = 0
        for sheet in ref.sheets {
            var expected: [String: String] = [:]
            for cell in sheet.cells {
                guard cell.count == 4, case .int(let r) = cell[0], case .int(let c) = cell[1], case .string(let kind) = cell[2] else { continue }
                expected["\(r),\(c)"] = Self.describe(kind, cell[3])
            }
            var got = try misqCells(path, sheet: sheet.name)
            // python-calamine's to_python gives '' for a formula's error, as
            // for an empty cell; openpyxl's comparison checks the error text.
            if reader == "calamine" { for (k, v) in got where v.hasPrefix("e ") && expected[k] == nil { got[k] = nil } }
            let name = "\((path as NSString).lastPathComponent) '\(sheet.name)' (\(reader))"
            for k in Set(expected.keys).union(got.keys).sorted() where expected[k] != got[k] {
                XCTFail("\(name) cell \(k): \(reader) \(expected[k] ?? "empty"), misq \(got[k] ?? "empty")")
            }
            compared += expected.count
        }
        return compared
    }

    func testEveryCellEqualsCalamines() throws {
        let dir = try makeCorpus()
        let books = try workbooks(dir)
        // With LibreOffice (as CI has it) every book is also converted.
        let required = ProcessInfo.processInfo.environment["MISQ_REQUIRE_SHEETS"] == "1"
        XCTAssertGreaterThanOrEqual(books.count, required ? 16 : 6)
        var cells = 0
        for b in books { cells += try compare(reader: "calamine", b) }
        XCTAssertGreaterThan(cells, 150)
    }

    func testEveryXLSXCellEqualsOpenpyxls() throws {
        let dir = try makeCorpus()
        var cells = 0
        for b in try workbooks(dir) where b.hasSuffix(".xlsx") { cells += try compare(reader: "openpyxl", b) }
        XCTAssertGreaterThan(cells, 100)
    }

    /// The published table's data rows, by name, equal calamine's cells
    /// there, and `describe` says what was left out.
    func testPublishedTableLoadsTheDataRowsOnly() throws {
        let dir = try makeCorpus()
        for path in try workbooks(dir) where path.contains("published.") {
            let ds = try Dataset.bare(name: "t", path: path, sheet: try SheetSelection(sheet: "Table 3"))
            XCTAssertEqual(ds.columnNames, ["Force", "2022 Officers", "2022 Staff", "2023 Officers", "2023 Staff"], path)
            XCTAssertEqual(try ds.rowCount, 4, path)
            let cells = try misqCells(path, sheet: "Table 3")
            for (k, name) in ds.columnNames.enumerated() {
                let col = try ds.column(k)
                for r in 0..<4 {
                    let raw = cells["\(r + 4),\(k)"] ?? "empty"
                    let loaded: String
                    switch col {
                    case .number(let n): loaded = n.values[r].isNaN ? "missing" : "n \(n.values[r])"
                    case .category(let c): loaded = c.codes[r] == CategoryColumn.missing ? "missing" : "s " + c.labels[Int(c.codes[r])]
                    default: loaded = "other"
                    }
                    let marker = ["s [c]", "s [x]", "s [z]", "s ..", "s -"].contains(raw)
                    XCTAssertEqual(loaded, marker ? "missing" : raw, "\(path) \(name) row \(r)")
                }
            }
            let notes = ds.headerNotes.joined(separator: "\n")
            for expected in ["row 1 above the header is not data", "row 2 above the header is not data",
                             "row 10 below the data is a note, not data: 'Source: corpus generator",
                             "'2022 Staff': 1 cell '[x]' read as missing", "'2023 Staff': 1 cell '-' read as missing"] {
                XCTAssertTrue(notes.contains(expected), "\(path): describe lacks \(expected):\n\(notes)")
            }
        }
    }

    func python(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: Data) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + arguments
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("misq-sheets-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: err) }
        let stdout = Pipe(), stderr = try FileHandle(forWritingTo: err)
        p.standardInput = FileHandle.nullDevice; p.standardOutput = stdout; p.standardError = stderr
        try p.run()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try stderr.close()
        return (p.terminationStatus, out, (try? Data(contentsOf: err)) ?? Data())
    }
}
