import Foundation

/// An Office Open XML workbook (.xlsx, .xlsm): the sheets the workbook part
/// lists, its date system, and each sheet's cells typed by the cell's `t`
/// and its style's number format.
final class XLSXBook {
    let archive: WorkbookArchive
    private(set) var sheetNames: [String] = []
    /// Sheets the workbook hides (`state="hidden"` or `"veryHidden"`).
    private(set) var hidden: [Bool] = []
    private var sheetParts: [String] = []
    private(set) var date1904 = false

    init(archive: WorkbookArchive) throws {
        self.archive = archive
        let book = WorkbookPart()
        try archive.parse("xl/workbook.xml", with: book)
        date1904 = book.date1904
        let rels = RelsPart()
        if archive.has("xl/_rels/workbook.xml.rels") { try archive.parse("xl/_rels/workbook.xml.rels", with: rels) }
        for (name, id, isHidden) in book.sheets {
            // Without a relationship, Excel's own naming is the fallback.
            let target = rels.targets[id] ?? "worksheets/sheet\(sheetNames.count + 1).xml"
            sheetNames.append(name)
            hidden.append(isHidden)
            sheetParts.append(XLSXBook.resolve(target))
        }
        sharedStringsPart = rels.byType("sharedStrings").map(XLSXBook.resolve) ?? "xl/sharedStrings.xml"
        stylesPart = rels.byType("styles").map(XLSXBook.resolve) ?? "xl/styles.xml"
    }

    private var sharedStringsPart: String
    private var stylesPart: String

    /// A relationship target relative to `xl/` (or absolute from the root).
    static func resolve(_ target: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = ["xl"]
        for p in target.split(separator: "/") {
            if p == ".." { if !parts.isEmpty { parts.removeLast() } } else if p != "." { parts.append(String(p)) }
        }
        return parts.joined(separator: "/")
    }

    /// The cells of sheet `index`.
    func grid(sheet index: Int) throws -> SheetGrid {
        let styles = StylesPart()
        if archive.has(stylesPart) { try archive.parse(stylesPart, with: styles) }
        let strings = SharedStringsPart()
        if archive.has(sharedStringsPart) { try archive.parse(sharedStringsPart, with: strings) }
        let sheet = SheetPart(strings: strings.strings, styleKinds: styles.kinds, date1904: date1904,
                              place: "\(archive.path) (sheet '\(sheetNames[index])')")
        try archive.parse(sheetParts[index], with: sheet)
        var grid = sheet.grid
        grid.runs.sort { $0.row < $1.row }
        return grid
    }
}

private let relationshipsNS: StaticString = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
private let strictRelationshipsNS: StaticString = "http://purl.oclc.org/ooxml/officeDocument/relationships"

/// xl/workbook.xml: sheet names with their relationship ids, the date system.
private final class WorkbookPart: XMLStream.Handler {
    var sheets: [(String, String, Bool)] = []
    var date1904 = false
    var wantsText: Bool { false }
    func start(_ name: XMLName, _ a: XMLAttributes) throws {
        if name.is("workbookPr"), let v = a.value("date1904") { date1904 = v.equals("1") || v.equals("true") }
        if name.is("sheet"), let n = a.value("name") {
            let id = a.value("id", in: relationshipsNS) ?? a.value("id", in: strictRelationshipsNS)
            let state = a.value("state")?.string ?? "visible"
            sheets.append((n.string, id?.string ?? "", state == "hidden" || state == "veryHidden"))
        }
    }
    func end(_ name: XMLName) throws {}
    func text(_ bytes: UnsafeBufferPointer<UInt8>) {}
}

/// xl/_rels/workbook.xml.rels: relationship id → part, and part by type.
private final class RelsPart: XMLStream.Handler {
    var targets: [String: String] = [:]
    var types: [(String, String)] = []
    var wantsText: Bool { false }
    func start(_ name: XMLName, _ a: XMLAttributes) throws {
        guard name.is("Relationship"), let id = a.value("Id"), let t = a.value("Target") else { return }
        targets[id.string] = t.string
        types.append((a.value("Type")?.string ?? "", t.string))
    }
    func byType(_ suffix: String) -> String? { types.first { $0.0.hasSuffix("/" + suffix) }?.1 }
    func end(_ name: XMLName) throws {}
    func text(_ bytes: UnsafeBufferPointer<UInt8>) {}
}

/// xl/styles.xml: which cell formats (`s` of a cell, an index into
/// `cellXfs`) show dates.
private final class StylesPart: XMLStream.Handler {
    var codes: [Int: String] = [:]
    var formatIDs: [Int] = []
    var inCellXfs = false
    var wantsText: Bool { false }
    var kinds: [SheetDates.FormatKind] { formatIDs.map { SheetDates.kind(id: $0, code: codes[$0]) } }
    func start(_ name: XMLName, _ a: XMLAttributes) throws {
        if name.is("numFmt"), let id = a.value("numFmtId")?.count(limit: 1 << 20), let code = a.value("formatCode") { codes[id] = code.string }
        if name.is("cellXfs") { inCellXfs = true }
        if inCellXfs, name.is("xf") { formatIDs.append(a.value("numFmtId")?.count(limit: 1 << 20) ?? 0) }
    }
    func end(_ name: XMLName) throws { if name.is("cellXfs") { inCellXfs = false } }
    func text(_ bytes: UnsafeBufferPointer<UInt8>) {}
}

/// xl/sharedStrings.xml: each `si`'s text, its runs joined, phonetic
/// guides (`rPh`) left out.
private final class SharedStringsPart: XMLStream.Handler {
    var strings: [String] = []
    var buffer: [UInt8] = []
    var inT = false, inPhonetic = false
    var wantsText: Bool { inT && !inPhonetic }
    func start(_ name: XMLName, _ a: XMLAttributes) throws {
        if name.is("si") { buffer.removeAll(keepingCapacity: true) }
        else if name.is("t") { inT = true }
        else if name.is("rPh") { inPhonetic = true }
    }
    func end(_ name: XMLName) throws {
        if name.is("si") { strings.append(XLSXEscapes.decode(buffer)) }
        else if name.is("t") { inT = false }
        else if name.is("rPh") { inPhonetic = false }
    }
    func text(_ bytes: UnsafeBufferPointer<UInt8>) { buffer.append(contentsOf: bytes) }
}

/// A worksheet part: rows of cells into a grid.
private final class SheetPart: XMLStream.Handler {
    let strings: [String]
    let styleKinds: [SheetDates.FormatKind]
    let date1904: Bool
    let place: String
    var grid = SheetGrid()

    private var row = -1
    private var cells: [CellRun] = []
    private var nextColumn = 0
    // The cell being read.
    private var column = 0
    private var type: CellType = .number
    private var style = 0
    private var value: [UInt8] = []
    private var collecting = false
    private var inInline = false
    private var hasFormula = false

    enum CellType { case number, shared, string, inline, boolean, error, date }

    init(strings: [String], styleKinds: [SheetDates.FormatKind], date1904: Bool, place: String) {
        self.strings = strings; self.styleKinds = styleKinds; self.date1904 = date1904; self.place = place
    }

    var wantsText: Bool { collecting }

    func fail(_ message: String, _ cell: String, expected: String? = nil) -> MisqError {
        MisqError(.data, "\(place) cell \(cell): \(message)", expected: expected,
                  suggestion: "the file is damaged or was not written by a spreadsheet program; open it in one and save it again")
    }

    func start(_ name: XMLName, _ a: XMLAttributes) throws {
        if name.is("c") {
            if let r = a.value("r") {
                guard let ref = CellReference.parse(r.bytes) else { throw fail("'\(r.string)' is not a cell reference", "after \(CellReference.name(row: max(row, 0), column: nextColumn))") }
                guard ref.row == row else { throw fail("it is not in its row \(row + 1)", r.string) }
                column = ref.column
            } else {
                column = nextColumn
            }
            guard column < SheetGrid.maxColumns else { throw fail("past the last column a sheet can have", "in row \(row + 1)") }
            nextColumn = column + 1
            style = a.value("s")?.count(limit: 1 << 24) ?? 0
            type = .number
            if let t = a.value("t") {
                if t.equals("s") { type = .shared } else if t.equals("str") { type = .string } else if t.equals("inlineStr") { type = .inline }
                else if t.equals("b") { type = .boolean } else if t.equals("e") { type = .error } else if t.equals("d") { type = .date }
                else if !t.equals("n") { throw fail("unknown cell type '\(t.string)'", CellReference.name(row: row, column: column), expected: "s, str, inlineStr, b, e, d or n") }
            }
            value.removeAll(keepingCapacity: true)
            inInline = false
            hasFormula = false
        } else if name.is("v") {
            collecting = true
        } else if name.is("f") {
            hasFormula = true
        } else if name.is("is") {
            inInline = true
        } else if name.is("t"), inInline {
            collecting = true
        } else if name.is("row") {
            if let r = a.value("r") {
                guard let n = r.count(limit: SheetGrid.maxRows), n >= 1 else { throw fail("'\(r.string)' is not a row number", "row after \(row + 1)") }
                guard n - 1 > row else { throw fail("row \(n) comes after row \(row + 1)", "row \(n)") }
                row = n - 1
            } else {
                row += 1
            }
            guard row < SheetGrid.maxRows else { throw fail("past the last row a sheet can have", "row \(row + 1)") }
            cells.removeAll(keepingCapacity: true)
            nextColumn = 0
        } else if name.is("mergeCell"), let ref = a.value("ref") {
            guard let m = CellReference.range(ref.string) else { throw fail("'\(ref.string)' is not a range", "merge") }
            grid.merges.append(m)
        }
    }

    func end(_ name: XMLName) throws {
        if name.is("v") || name.is("t") { collecting = false }
        else if name.is("is") { inInline = false }
        else if name.is("c") { try endCell() }
        else if name.is("row") {
            guard !cells.isEmpty else { return }
            if !zip(cells, cells.dropFirst()).allSatisfy({ $0.column < $1.column }) {
                cells.sort { $0.column < $1.column }
                if let dup = zip(cells, cells.dropFirst()).first(where: { $0.column == $1.column }) {
                    throw fail("it is given twice", CellReference.name(row: row, column: dup.0.column))
                }
            }
            grid.runs.append(.init(row: row, count: 1, cells: cells))
            cells.removeAll(keepingCapacity: true)
        }
    }

    func text(_ bytes: UnsafeBufferPointer<UInt8>) { value.append(contentsOf: bytes) }

    private func endCell() throws {
        guard row >= 0 else { throw fail("a cell outside any row", CellReference.letters(column)) }
        let ref = { CellReference.name(row: self.row, column: self.column) }
        // A cell with no value (a styled blank, or a formula never
        // calculated) is empty.
        guard !value.isEmpty else {
            if hasFormula { grid.uncalculated.append((row, column)) }
            return
        }
        let v: CellValue
        switch type {
        case .shared:
            guard let k = value.withUnsafeBufferPointer({ XMLValue(bytes: $0).count(limit: Int(Int32.max)) }) else {
                throw fail("'\(String(decoding: value, as: UTF8.self))' is not a shared string index", ref())
            }
            guard k < strings.count else { throw fail("shared string \(k) does not exist (the workbook has \(strings.count))", ref()) }
            v = .text(strings[k])
        case .string, .inline:
            v = .text(XLSXEscapes.decode(value))
        case .boolean:
            guard value == [48] || value == [49] else { throw fail("'\(String(decoding: value, as: UTF8.self))' is not a boolean", ref(), expected: "0 or 1") }
            v = .bool(value == [49])
        case .error:
            v = .error(String(decoding: value, as: UTF8.self))
        case .date:
            guard let d = value.withUnsafeBufferPointer({ SheetDates.day(iso: $0) }) else {
                throw fail("'\(String(decoding: value, as: UTF8.self))' is not an ISO date", ref())
            }
            v = .date(d.day, timeOfDay: d.timeOfDay)
        case .number:
            guard let x = value.withUnsafeBufferPointer({ SheetNumber.parse($0) }) else {
                throw fail("'\(String(decoding: value, as: UTF8.self))' is not a number", ref())
            }
            switch style < styleKinds.count ? styleKinds[style] : .number {
            case .number: v = .number(x)
            case .elapsed: v = .time(SheetTimes.seconds(serial: x))
            case .date, .time:
                // Under a day, with no date part: a time of day, as
                // python-calamine reads it (a date format on 0.25 too).
                // A date or time format on a serial no calendar has
                // (negative in the 1900 system, past 9999): the number, as
                // a program shows ####.
                if x >= 0, x < 1 { v = .time(SheetTimes.seconds(serial: x)) }
                else if let d = SheetDates.day(serial: x, date1904: date1904) { v = .date(d.day, timeOfDay: d.timeOfDay) } else { v = .number(x) }
            }
        }
        cells.append(CellRun(column: column, count: 1, value: v))
    }
}

/// ECMA-376 Part 1, the ST_Xstring type: a character XML cannot carry
/// (a carriage return, a control character) is written `_xHHHH_`, its
/// UTF-16 code in hex, and a literal `_x` that would read as one is
/// escaped as `_x005F_`. Excel writes `_x000D_` for the return of a
/// pasted Windows line break. Decoded as python-calamine decodes them
/// (the lower-case `x`, exactly four hex digits of either case); openpyxl
/// leaves them as written (it only drops `x005F_`), LibreOffice decodes
/// control characters only: the specification decides.
enum XLSXEscapes {
    static func decode(_ bytes: [UInt8]) -> String {
        // Most strings have no `_x`: one scan, no copy.
        guard bytes.count >= 7, bytes.indices.dropLast().contains(where: { bytes[$0] == 95 && bytes[$0 + 1] == 120 }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var k = 0
        while k < bytes.count {
            if bytes[k] == 95, k + 6 < bytes.count, bytes[k + 1] == 120, bytes[k + 6] == 95,
               let code = hex(bytes[(k + 2)..<(k + 6)]), let scalar = Unicode.Scalar(code) {
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
                k += 7
            } else {
                out.append(bytes[k]); k += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex(_ digits: ArraySlice<UInt8>) -> UInt32? {
        var v: UInt32 = 0
        for d in digits {
            switch d {
            case 48...57: v = v << 4 | UInt32(d - 48)
            case 65...70: v = v << 4 | UInt32(d - 55)
            case 97...102: v = v << 4 | UInt32(d - 87)
            default: return nil
            }
        }
        return v
    }
}
