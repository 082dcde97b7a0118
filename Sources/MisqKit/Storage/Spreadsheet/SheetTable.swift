import Foundation

/// Which table of a workbook to load: a sheet (by name; the first when
/// nil) and where on it the table is (`SheetLayout.Request`).
public struct SheetSelection: Hashable, Sendable {
    public var sheet: String?
    var request = SheetLayout.Request()
    public init(sheet: String? = nil, headerRow: Int? = nil, range: String? = nil) throws {
        self.sheet = sheet
        request.headerRow = headerRow.map { $0 - 1 }
        if let r = range {
            guard let parsed = CellReference.range(r) else {
                throw MisqError(.value, "'\(r)' is not a range of cells", expected: "a range such as A4:H52")
            }
            request.range = parsed
        }
        if let h = headerRow, !(1...SheetGrid.maxRows).contains(h) {
            throw MisqError(.value, "header row \(h) is not a row of a sheet", expected: "a row number from 1 to \(SheetGrid.maxRows)")
        }
    }

    /// The selection as an error names it: `sheet 'Types'`, `the first
    /// sheet`, with the header row and range when given.
    public var label: String {
        var s = sheet.map { "sheet '\($0)'" } ?? "the first sheet"
        if let h = request.headerRow { s += ", header row \(h + 1)" }
        if let r = request.range {
            s += ", range " + CellReference.name(row: r.r0, column: r.c0) + ":" + CellReference.name(row: r.r1, column: r.c1)
        }
        return s
    }

    /// What the column cache keys on besides the file: another sheet or
    /// range is another table.
    var cacheKey: String { "sheet:" + (sheet ?? "") + "|" + request.key + "|v\(SheetTable.version)" }
}

/// A table read from a spreadsheet: names, typed columns and what was
/// left out, all at once (a sheet's XML is one stream; its columns are
/// not parsed apart as a CSV's are).
final class SheetTable: @unchecked Sendable {
    /// Bump on any change to how a sheet is read: the cache key has it.
    static let version = 10
    let path: String
    let sheetName: String
    let header: [String]
    let rowCount: Int
    let columns: [Column]
    /// What `describe` says: rows and cells left out, markers, names given.
    let notes: [String]
    /// What every result says: rows that look like data but were not
    /// loaded (`SheetLayout.dropped`); also among `notes`.
    let loadNotes: [String]
    /// Per column name with markers, what an answer measuring it says.
    let markerNotes: [String: String]

    /// The widest table whose columns get a cache file each. A file per
    /// column of a 16,383-column sheet was 16,384 files, 67 MB and 3.5 s
    /// of system time on the first run to spare a later run 0.8 s of
    /// reading the sheet again; a wider table keeps only the header and
    /// row count in the cache, and reads its sheet when a query needs a
    /// column. A sheet of a million rows is narrow and keeps its files.
    static let cachedColumns = 1_024

    /// Markers of suppressed or unavailable values in published tables
    /// (the GSS standard's `[c]` confidential, `[x]` not available, `[z]`
    /// not applicable; older tables' `..` and `-`): missing, and counted.
    static let markers: Set<String> = ["[c]", "[x]", "[z]", "..", "-"]

    /// The marker `s` is (spaces around it allowed), or nil. Most text is
    /// longer than any marker and is not trimmed.
    static func marker(_ s: String) -> String? {
        // Bytes, not Foundation's trimming: this runs for every text cell.
        let u = s.utf8
        guard u.count <= 8 else { return nil }
        var lo = u.startIndex, hi = u.endIndex
        while lo < hi, u[lo] == 32 || u[lo] == 9 { lo = u.index(after: lo) }
        while hi > lo, u[u.index(before: hi)] == 32 || u[u.index(before: hi)] == 9 { hi = u.index(before: hi) }
        guard lo < hi, [UInt8(ascii: "["), UInt8(ascii: "."), UInt8(ascii: "-")].contains(u[lo]) else { return nil }
        let t = String(decoding: u[lo..<hi], as: UTF8.self)
        return markers.contains(t) ? t : nil
    }

    static func isSpreadsheet(_ path: String) -> Bool {
        let l = path.lowercased()
        // .xls and .xlsb are not read, but named so that loading one says
        // what it is rather than reading its bytes as CSV.
        return l.hasSuffix(".xlsx") || l.hasSuffix(".xlsm") || l.hasSuffix(".ods") || l.hasSuffix(".xls") || l.hasSuffix(".xlsb")
    }

    static func read(path: String, selection: SheetSelection) throws -> SheetTable {
        try read(archive: WorkbookArchive(path: path), selection: selection)
    }

    static func read(archive: WorkbookArchive, selection: SheetSelection) throws -> SheetTable {
        let path = archive.path
        let (sheetGrid, name, sheetNotes) = try SheetTable.grid(archive, sheet: selection.sheet)
        let layout: SheetLayout
        do { layout = try SheetLayout.find(sheetGrid, selection.request) }
        catch var e as MisqError { e.message = "\(path) sheet '\(name)': " + e.message; throw e }
        let (grid, mergeNotes) = try SheetMerges.fill(sheetGrid, layout, place: "\(path) sheet '\(name)'")
        try SheetColumns.checkSize(grid, layout, place: "\(path) sheet '\(name)'")
        let (header, headerNotes) = layout.names(grid)
        let built = try SheetColumns.build(grid, layout, header: header, place: "\(path) sheet '\(name)'")
        var notes = ["sheet '\(name)', header in row\(layout.headerRows.count > 1 ? "s" : "") " + layout.headerRows.map { String($0 + 1) }.joined(separator: "–")
                     + (layout.dataRows.isEmpty ? ", no data rows" : layout.dataRows.count == 1 ? ", data in row \(layout.dataRows.upperBound)" : ", data in rows \(layout.dataRows.lowerBound + 1)–\(layout.dataRows.upperBound)") + ", columns \(CellReference.letters(layout.columns.lowerBound))–\(CellReference.letters(layout.columns.upperBound - 1))"]
        notes += sheetNotes + layout.dropped + layout.skipped + headerNotes + mergeNotes + built.notes
        let blank = grid.uncalculated.filter { layout.dataRows.contains($0.row) && layout.columns.contains($0.column) }
        if let first = blank.first {
            notes.append("\(blank.count) formula cell\(blank.count == 1 ? " has" : "s have") no saved value (first \(CellReference.name(row: first.row, column: first.column))): read as missing; "
                         + "the workbook was saved without calculating, so open and save it in a spreadsheet program to store them")
        }
        return SheetTable(path: path, sheetName: name, header: header, rowCount: layout.dataRows.count, columns: built.columns, notes: notes,
                          loadNotes: sheetNotes + layout.dropped.map { "sheet '\(name)': " + $0 }, markerNotes: built.markers)
    }

    private init(path: String, sheetName: String, header: [String], rowCount: Int, columns: [Column], notes: [String], loadNotes: [String], markerNotes: [String: String]) {
        self.path = path; self.sheetName = sheetName; self.header = header; self.rowCount = rowCount
        self.columns = columns; self.notes = notes; self.loadNotes = loadNotes; self.markerNotes = markerNotes
    }

    /// A sheet's name as a `sheet "…"` string: quotes doubled, so the
    /// words given in an error or a note can be written back as they are.
    static func written(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// The cells of the named sheet (or the first visible one), by the
    /// archive's kind, with the sheet's own spelling of its name and what
    /// every answer must say of the choice: a hidden first sheet passed
    /// over, a first sheet of text only (a cover or contents page) when
    /// others exist (cold test of issue 22: `--data pub_lo.ods` read the
    /// cover, loaded no rows, and nothing said which sheet it was).
    static func grid(_ archive: WorkbookArchive, sheet: String?) throws -> (SheetGrid, String, [String]) {
        func unknown(_ names: [String]) -> MisqError {
            MisqError(.name, "'\(archive.path)' has no sheet '\(sheet ?? "")'",
                      expected: names.isEmpty ? "a sheet" : "one of its sheets: " + names.map(written).joined(separator: ", "),
                      suggestion: Suggestions.didYouMean(sheet ?? "", names))
        }
        func said(_ grid: SheetGrid, _ name: String, names: [String], hidden: [String]) -> [String] {
            guard sheet == nil else { return [] }
            var notes: [String] = []
            if let h = hidden.first {
                notes.append("the first sheet, '\(h)', is hidden\(hidden.count > 1 ? " (and \(hidden.dropFirst().map { "'\($0)'" }.joined(separator: ", ")))" : ""): "
                             + "read the first visible sheet, '\(name)'; to read a hidden one, name it with `sheet \(written(h))`")
            }
            let others = names.filter { $0 != name && !hidden.contains($0) }
            let textOnly = grid.runs.allSatisfy { $0.cells.allSatisfy { if case .text = $0.value { return true } else { return false } } }
            if textOnly, let next = others.first {
                notes.append("sheet '\(name)' holds only text (a cover or contents page?); the workbook's other sheets: "
                             + others.prefix(10).map { "'\($0)'" }.joined(separator: ", ") + (others.count > 10 ? ", …" : "")
                             + "; to read one, name it with `sheet \(written(next))`")
            }
            return notes
        }
        if archive.has("xl/workbook.xml") {
            let book = try XLSXBook(archive: archive)
            guard !book.sheetNames.isEmpty else { throw MisqError(.data, "'\(archive.path)' lists no sheets") }
            let firstVisible = book.hidden.firstIndex(of: false) ?? 0
            let k = sheet.map { s in book.sheetNames.firstIndex { $0.lowercased() == s.lowercased() } } ?? firstVisible
            guard let index = k else { throw unknown(book.sheetNames) }
            let grid = try book.grid(sheet: index), name = book.sheetNames[index]
            let hidden = sheet == nil ? Array(book.sheetNames.prefix(index)) : []
            return (grid, name, said(grid, name, names: book.sheetNames, hidden: hidden))
        }
        if archive.has("content.xml") {
            try WorkbookFormat.refuseEncryptedODS(archive)
            let read = try ODSBook(archive: archive).read(sheet: sheet)
            guard let g = read.grid, let n = read.found else {
                if sheet == nil { throw MisqError(.data, "'\(archive.path)' has no \(read.hidden.isEmpty ? "" : "visible ")sheets") }
                throw unknown(read.names)
            }
            return (g, n, said(g, n, names: read.names, hidden: read.hidden))
        }
        if archive.has("xl/workbook.bin") {
            throw MisqError(.data, "'\(archive.path)' is an Excel binary workbook (.xlsb), which misq does not read",
                            expected: "an .xlsx or .ods file", suggestion: "open it in Excel or LibreOffice and save it as .xlsx or .ods")
        }
        throw MisqError(.data, "'\(archive.path)' is a ZIP archive but not a workbook: it has neither xl/workbook.xml (XLSX) nor content.xml (ODS)",
                        expected: "an .xlsx or .ods file", suggestion: "is it the file you meant?")
    }
}

extension SheetSelection {
    /// `cases.xlsx#Table 3` (`--data`, `.load`): the file and the sheet. A
    /// path that names a file as written stays whole, `#` and all.
    public static func split(_ path: String) -> (path: String, selection: SheetSelection?) {
        guard let hash = path.lastIndex(of: "#"), !FileManager.default.fileExists(atPath: path) else { return (path, nil) }
        let file = String(path[..<hash]), sheet = String(path[path.index(after: hash)...])
        guard SheetTable.isSpreadsheet(file), !sheet.isEmpty, let s = try? SheetSelection(sheet: sheet) else { return (path, nil) }
        return (file, s)
    }
}

extension Dataset {
    /// A workbook's bytes in memory as a dataset, as `load` would read the
    /// file (the fuzzer; tests). Nil when it is not readable: a MisqError
    /// is a correct answer to arbitrary bytes.
    package static func spreadsheet(name: String, path: String, bytes: [UInt8], sheet: String? = nil) throws -> Dataset {
        let selection = try SheetSelection(sheet: sheet)
        let table = try SheetTable.read(archive: WorkbookArchive(path: path, data: Data(bytes)), selection: selection)
        let ds = Dataset(name: name, path: path, source: TableSource(sheet: table, selection: selection), units: ["rows": .rows])
        ds.provenance.notes += table.loadNotes
        return ds
    }
}
