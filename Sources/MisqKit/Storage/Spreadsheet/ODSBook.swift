import Foundation

/// An OpenDocument spreadsheet (.ods): every sheet is a `table:table` in
/// content.xml, its cells typed by `office:value-type`. One pass reads the
/// wanted sheet's cells and every sheet's name.
///
/// Repeats stay runs: a row with `table:number-rows-repeated="1048000"` is
/// one `RowRun` (none at all when empty), a cell with
/// `table:number-columns-repeated="16000"` one `CellRun`.
final class ODSBook {
    let archive: WorkbookArchive

    init(archive: WorkbookArchive) { self.archive = archive }

    /// The sheet named `name` (any case), else the first; with every
    /// sheet's name (for an error listing them).
    func read(sheet name: String?) throws -> (grid: SheetGrid?, names: [String], found: String?, hidden: [String]) {
        let part = ContentPart(wanted: name, place: "\(archive.path) (content.xml)")
        try archive.parse("content.xml", with: part)
        return (part.found == nil ? nil : part.grid, part.names, part.found, part.hiddenPassed)
    }
}

private let tableNS: StaticString = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
private let officeNS: StaticString = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
private let textNS: StaticString = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
private let styleNS: StaticString = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
private let calcextNS: StaticString = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"

private final class ContentPart: XMLStream.Handler {
    let wanted: String?
    let place: String
    var names: [String] = []
    var found: String?
    var grid = SheetGrid()
    /// Table styles with `table:display="false"`: a sheet in one is
    /// hidden. Automatic styles come before the body in content.xml.
    private var hiddenStyles = Set<String>()
    private var styleName: String?
    /// Hidden sheets passed over for the first visible one (no sheet named).
    var hiddenPassed: [String] = []

    /// Inside the wanted sheet (nested tables, in a drawing, are not rows of it).
    private var reading = false
    private var tableDepth = 0
    private var row = 0
    private var rowRepeat = 1
    private var cells: [CellRun] = []
    private var column = 0
    // The cell being read.
    private var cellRepeat = 1
    private var kind: Kind = .empty
    private var number = 0.0
    private var date: (day: Int, timeOfDay: Bool)?
    private var time = 0.0
    private var boolean = false
    private var isError = false
    private var stringValue: String?
    private var text: [UInt8] = []
    private var paragraphs = 0
    private var inParagraph = 0
    private var inAnnotation = 0

    enum Kind { case empty, number, date, time, boolean, string, other }

    init(wanted: String?, place: String) { self.wanted = wanted; self.place = place }

    var wantsText: Bool { inParagraph > 0 && inAnnotation == 0 }

    func fail(_ message: String) -> MisqError {
        MisqError(.data, "\(place) sheet '\(found ?? "")' \(CellReference.name(row: min(row, SheetGrid.maxRows - 1), column: min(column, SheetGrid.maxColumns - 1))): \(message)",
                  suggestion: "the file is damaged or was not written by a spreadsheet program; open it in one and save it again")
    }

    func start(_ name: XMLName, _ a: XMLAttributes) throws {
        if name.is("table", in: tableNS) {
            tableDepth += 1
            guard tableDepth == 1 else { return }
            let n = a.value("name", in: tableNS)?.string ?? "Sheet\(names.count + 1)"
            names.append(n)
            let isHidden = a.value("style-name", in: tableNS).map { hiddenStyles.contains($0.string) } ?? false
            if found == nil, wanted == nil, isHidden { hiddenPassed.append(n); return }
            if found == nil, wanted.map({ $0.lowercased() == n.lowercased() }) ?? true { found = n; reading = true; row = 0 }
            return
        }
        if tableDepth == 0, name.is("style", in: styleNS) {
            styleName = a.value("family", in: styleNS).map { $0.equals("table") } == true ? a.value("name", in: styleNS)?.string : nil
            return
        }
        if tableDepth == 0, name.is("table-properties", in: styleNS), let s = styleName,
           let d = a.value("display", in: tableNS), d.equals("false") {
            hiddenStyles.insert(s)
            return
        }
        guard reading, tableDepth == 1 else { return }
        if name.is("table-row", in: tableNS) {
            rowRepeat = try repeats(a.value("number-rows-repeated", in: tableNS), "number-rows-repeated")
            cells.removeAll(keepingCapacity: true)
            column = 0
        } else if name.is("table-cell", in: tableNS) || name.is("covered-table-cell", in: tableNS) {
            cellRepeat = try repeats(a.value("number-columns-repeated", in: tableNS), "number-columns-repeated")
            kind = .empty; isError = false; stringValue = nil; date = nil
            text.removeAll(keepingCapacity: true); paragraphs = 0
            if let t = a.value("value-type", in: officeNS) {
                if t.equals("float") || t.equals("percentage") || t.equals("currency") {
                    guard let v = a.value("value", in: officeNS), let x = v.double else { throw fail("a number cell without a number value") }
                    kind = .number; number = x
                } else if t.equals("date") {
                    guard let v = a.value("date-value", in: officeNS), let d = SheetDates.day(iso: v.bytes) else { throw fail("a date cell without an ISO date value") }
                    kind = .date; date = d
                } else if t.equals("time"), let v = a.value("time-value", in: officeNS), let seconds = SheetTimes.seconds(iso: v.bytes) {
                    kind = .time; time = seconds
                } else if t.equals("boolean") {
                    guard let v = a.value("boolean-value", in: officeNS), v.equals("true") || v.equals("false") else { throw fail("a boolean cell without true or false") }
                    kind = .boolean; boolean = v.equals("true")
                } else {
                    // string, and a time without a duration misq reads: its text.
                    kind = .string
                    stringValue = a.value("string-value", in: officeNS)?.string
                }
            }
            if let e = a.value("value-type", in: calcextNS), e.equals("error") { isError = true }
            let across = try repeats(a.value("number-columns-spanned", in: tableNS), "number-columns-spanned")
            let down = try repeats(a.value("number-rows-spanned", in: tableNS), "number-rows-spanned")
            if across > 1 || down > 1, row < SheetGrid.maxRows, column < SheetGrid.maxColumns {
                grid.merges.append((row, column, min(row + down, SheetGrid.maxRows) - 1, min(column + across, SheetGrid.maxColumns) - 1))
            }
        } else if name.is("p", in: textNS), inAnnotation == 0 {
            if paragraphs > 0 { text.append(10) }
            paragraphs += 1
            inParagraph += 1
        } else if name.is("annotation", in: officeNS) {
            inAnnotation += 1
        } else if inParagraph > 0, inAnnotation == 0 {
            if name.is("s", in: textNS) {
                let n = try repeats(a.value("c", in: textNS), "text:c")
                text.append(contentsOf: repeatElement(32, count: min(n, 1 << 16)))
            } else if name.is("tab", in: textNS) { text.append(9) }
            else if name.is("line-break", in: textNS) { text.append(10) }
        }
    }

    /// A repeat or span count: 1 when absent; an error when it is not a
    /// whole number (its size is not limited here: runs stay runs).
    private func repeats(_ v: XMLValue?, _ what: String) throws -> Int {
        guard let v = v else { return 1 }
        guard let n = v.count(limit: Int(Int32.max)), n >= 1 else {
            // A row's attribute is the row's, not the cell's the last row
            // left the column at (the cold test was told C2 of a row).
            guard what == "number-rows-repeated" else { throw fail("\(what)='\(v.string)' is not a count") }
            throw MisqError(.data, "\(place) sheet '\(found ?? "")' row \(min(row, SheetGrid.maxRows - 1) + 1): \(what)='\(v.string)' is not a count",
                            suggestion: "the file is damaged or was not written by a spreadsheet program; open it in one and save it again")
        }
        return n
    }

    func end(_ name: XMLName) throws {
        if name.is("table", in: tableNS) {
            if tableDepth == 1 { reading = false }
            tableDepth -= 1
            return
        }
        guard reading, tableDepth == 1 else { return }
        if name.is("p", in: textNS), inParagraph > 0, inAnnotation == 0 { inParagraph -= 1 }
        else if name.is("annotation", in: officeNS) { inAnnotation -= 1 }
        else if name.is("table-cell", in: tableNS) || name.is("covered-table-cell", in: tableNS) { try endCell() }
        else if name.is("table-row", in: tableNS) { try endRow() }
    }

    func text(_ bytes: UnsafeBufferPointer<UInt8>) { text.append(contentsOf: bytes) }

    private func endCell() throws {
        defer { column += cellRepeat }
        let value: CellValue
        if isError {
            value = .error(String(decoding: text, as: UTF8.self))
        } else {
            switch kind {
            case .empty:
                // A cell with text but no value type is still its text.
                guard paragraphs > 0, !text.isEmpty else { return }
                value = .text(String(decoding: text, as: UTF8.self))
            case .number: value = .number(number)
            case .date: guard let d = date else { return }; value = .date(d.day, timeOfDay: d.timeOfDay)
            case .boolean: value = .bool(boolean)
            case .time: value = .time(time)
            case .string, .other:
                let s = stringValue ?? String(decoding: text, as: UTF8.self)
                guard !s.isEmpty else { return }
                value = .text(s)
            }
        }
        guard column < SheetGrid.maxColumns else { throw fail("a value past the last column a sheet can have") }
        let count = min(cellRepeat, SheetGrid.maxColumns - column)
        cells.append(CellRun(column: column, count: count, value: value))
    }

    private func endRow() throws {
        defer { row += rowRepeat }
        guard !cells.isEmpty else { return }
        guard row < SheetGrid.maxRows else { throw fail("a value past the last row a sheet can have") }
        grid.runs.append(.init(row: row, count: min(rowRepeat, SheetGrid.maxRows - row), cells: cells))
    }
}
