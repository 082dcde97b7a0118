import Foundation

/// A sheet's table as typed columns. A column's type is its cells' type:
/// all numbers make a number column, all dates a date column, all booleans
/// a yes/no column, all text a category; a column mixing them is text, and
/// `describe` says so. Markers (`[c]` …) and formula errors are missing,
/// counted per column. Two passes over the grid's runs, never a cell per
/// empty cell or per repeated column.
enum SheetColumns {
    private struct Kinds {
        var numbers = 0, dates = 0, bools = 0, texts = 0, times = 0
        var firstText: (row: Int, text: String)?
        var firstOther: (row: Int, text: String)?
        var markers: [String: Int] = [:]
        var errors: [String: Int] = [:]
        var timeOfDay = false
        var allIntegers = true
    }

    static func build(_ grid: SheetGrid, _ layout: SheetLayout, header: [String], place: String) throws -> (columns: [Column], notes: [String], markers: [String: String]) {
        let rows = layout.dataRows, cols = layout.columns
        let n = rows.count, width = cols.count
        var kinds = [Kinds](repeating: Kinds(), count: width)
        // Which runs touch the data rows (runs are sorted by row).
        let inRows = grid.runs.filter { $0.row + $0.count > rows.lowerBound && $0.row < rows.upperBound }

        // Pass 1: each column's kinds.
        for run in inRows {
            let r0 = max(run.row, rows.lowerBound), r1 = min(run.row + run.count, rows.upperBound)
            for cell in run.cells {
                let lo = max(cell.column, cols.lowerBound), hi = min(cell.column + cell.count, cols.upperBound)
                guard lo < hi else { continue }
                for c in lo..<hi {
                    let k = c - cols.lowerBound
                    switch cell.value {
                    case .number(let x): kinds[k].numbers += 1; if x.rounded() != x { kinds[k].allIntegers = false }
                        if kinds[k].firstOther == nil { kinds[k].firstOther = (r0, SheetLayout.numberText(x)) }
                    case .date(_, let t): kinds[k].dates += 1; if t { kinds[k].timeOfDay = true }
                        if kinds[k].firstOther == nil { kinds[k].firstOther = (r0, SheetLayout.text(cell.value)) }
                    case .bool: kinds[k].bools += 1
                        if kinds[k].firstOther == nil { kinds[k].firstOther = (r0, SheetLayout.text(cell.value)) }
                    case .time: kinds[k].times += 1
                        if kinds[k].firstOther == nil { kinds[k].firstOther = (r0, SheetLayout.text(cell.value)) }
                    case .error(let e): kinds[k].errors[e, default: 0] += r1 - r0
                    case .text(let s):
                        if let t = SheetTable.marker(s) { kinds[k].markers[t, default: 0] += r1 - r0 }
                        else { kinds[k].texts += 1; if kinds[k].firstText == nil { kinds[k].firstText = (r0, s) } }
                    }
                }
            }
        }

        var notes: [String] = []
        var markerNotes: [String: String] = [:]
        var columns: [Column] = []
        var sinks: [CellSink] = []
        for k in 0..<width {
            let kind = kinds[k], name = header[k]
            let typesPresent = [kind.numbers, kind.dates, kind.bools, kind.texts, kind.times].filter { $0 > 0 }.count
            if typesPresent > 1, let t = kind.firstText ?? kind.firstOther {
                notes.append("'\(name)' holds " + [kind.numbers > 0 ? "numbers" : nil, kind.dates > 0 ? "dates" : nil, kind.bools > 0 ? "true/false values" : nil,
                                                  kind.times > 0 ? "times" : nil, kind.texts > 0 ? "text" : nil].compactMap { $0 }.joined(separator: " and ")
                             + " (row \(t.row + 1): \(SheetLayout.quote(t.text))): read as text")
            }
            for (m, count) in kind.markers.sorted(by: { $0.key < $1.key }) {
                notes.append("'\(name)': \(count) cell\(count == 1 ? "" : "s") '\(m)' read as missing (\(markerMeaning(m)))")
            }
            // What an answer measuring the column says (`Executor.markerNote`):
            // a sum over a column of [c] cells is a sum of what was shown.
            let marked = kind.markers.values.reduce(0, +)
            if marked > 0 {
                markerNotes[name] = "\(Identifier.source(name)): \(NumberFormat.count(marked)) of \(NumberFormat.count(n)) cells were markers ("
                    + kind.markers.sorted(by: { (markerOrder.firstIndex(of: $0.key) ?? 9, $0.key) < (markerOrder.firstIndex(of: $1.key) ?? 9, $1.key) }).map { "\($0.key) \(NumberFormat.count($0.value))" }.joined(separator: ", ") + "), read as missing"
            }
            for (e, count) in kind.errors.sorted(by: { $0.key < $1.key }) {
                notes.append("'\(name)': \(count) formula error\(count == 1 ? "" : "s") '\(e)' read as missing")
            }
            if kind.timeOfDay, typesPresent == 1, kind.dates > 0 { notes.append("'\(name)': times of day are not kept, only the dates") }
            if typesPresent == 1, kind.times > 0 {
                notes.append("'\(name)': times (of day, or durations) read as text hh:mm:ss, since misq has no time type")
            }

            if typesPresent == 1, kind.numbers > 0 { sinks.append(NumberSink(n, allIntegers: kind.allIntegers)) }
            else if typesPresent == 1, kind.dates > 0 { sinks.append(DateSink(n)) }
            else if typesPresent == 1, kind.bools > 0 { sinks.append(BoolSink(n)) }
            else { sinks.append(TextSink(n)) }
        }
        // Pass 2: every cell into its column, one walk over the runs.
        for run in inRows {
            let r0 = max(run.row, rows.lowerBound) - rows.lowerBound, r1 = min(run.row + run.count, rows.upperBound) - rows.lowerBound
            for cell in run.cells {
                let lo = max(cell.column, cols.lowerBound), hi = min(cell.column + cell.count, cols.upperBound)
                guard lo < hi else { continue }
                for c in lo..<hi { sinks[c - cols.lowerBound].put(cell.value, r0..<r1) }
            }
        }
        columns = sinks.map { $0.column() }
        return (columns, notes, markerNotes)
    }

    /// Throws when the table's cells, repeats expanded, pass
    /// `SpreadsheetLimits.cells`: counted from the runs, before anything
    /// is allocated for them.
    static func checkSize(_ grid: SheetGrid, _ layout: SheetLayout, place: String) throws {
        let rows = layout.dataRows, cols = layout.columns
        var cells = cols.count * layout.headerRows.count
        for run in grid.runs where run.row + run.count > rows.lowerBound && run.row < rows.upperBound {
            let n = min(run.row + run.count, rows.upperBound) - max(run.row, rows.lowerBound)
            for cell in run.cells {
                let w = min(cell.column + cell.count, cols.upperBound) - max(cell.column, cols.lowerBound)
                if w > 0 { cells += w * n }
            }
            if cells > SpreadsheetLimits.cells {
                throw MisqError(.data, "\(place): the table holds more than \(NumberFormat.grouped(Double(SpreadsheetLimits.cells), decimals: 0)) cells, more than misq reads from a sheet",
                                suggestion: "say where the table is with `range A1:H1000`, or save the sheet as CSV")
            }
        }
    }

    /// The GSS markers first, then the older ones.
    static let markerOrder = ["[c]", "[x]", "[z]", "..", "-"]

    static func markerMeaning(_ m: String) -> String {
        switch m {
        case "[c]": return "confidential, suppressed"
        case "[x]", "..": return "not available"
        case "[z]": return "not applicable"
        default: return "nil or not available"
        }
    }
}

/// One column's values as pass 2 of `SheetColumns.build` writes them.
private protocol CellSink: AnyObject {
    func put(_ v: CellValue, _ rows: Range<Int>)
    func column() -> Column
}

private final class NumberSink: CellSink {
    var values: [Double]
    let allIntegers: Bool
    init(_ n: Int, allIntegers: Bool) { values = [Double](repeating: .nan, count: n); self.allIntegers = allIntegers }
    func put(_ v: CellValue, _ rows: Range<Int>) { if case .number(let x) = v { for r in rows { values[r] = x } } }
    func column() -> Column { .number(NumberColumn(values: ColumnValues(values), allIntegers: allIntegers)) }
}

private final class DateSink: CellSink {
    var days: [Int32]
    init(_ n: Int) { days = [Int32](repeating: DateColumn.missing, count: n) }
    func put(_ v: CellValue, _ rows: Range<Int>) { if case .date(let d, _) = v { for r in rows { days[r] = Int32(d) } } }
    func column() -> Column { .date(DateColumn(days: ColumnValues(days))) }
}

private final class BoolSink: CellSink {
    var value: Bitmap, known: Bitmap
    init(_ n: Int) { value = Bitmap(count: n); known = Bitmap(count: n) }
    func put(_ v: CellValue, _ rows: Range<Int>) {
        guard case .bool(let b) = v else { return }
        for r in rows {
            known.words[r >> 6] |= 1 &<< UInt64(r & 63)
            if b { value.words[r >> 6] |= 1 &<< UInt64(r & 63) }
        }
    }
    func column() -> Column { .boolean(BoolColumn(value: PackedBits(value), known: PackedBits(known))) }
}

/// Text, and a mixed column as text; markers and errors missing.
private final class TextSink: CellSink {
    var codes: [UInt32]
    var index: [String: UInt32] = [:]
    var labels: [String] = []
    init(_ n: Int) { codes = [UInt32](repeating: CategoryColumn.missing, count: n) }
    func put(_ v: CellValue, _ rows: Range<Int>) {
        let s: String
        switch v {
        case .error: return
        case .text(let t): if SheetTable.marker(t) != nil { return }; s = t
        default: s = SheetLayout.text(v)
        }
        let k: UInt32
        if let known = index[s] { k = known } else { k = UInt32(labels.count); index[s] = k; labels.append(s) }
        for r in rows { codes[r] = k }
    }
    func column() -> Column {
        let narrow: CategoryCodes
        switch CategoryCodes.width(labels: labels.count) {
        case 1: narrow = .u8(ColumnValues(codes.map { $0 == CategoryColumn.missing ? UInt8.max : UInt8(truncatingIfNeeded: $0) }))
        case 2: narrow = .u16(ColumnValues(codes.map { $0 == CategoryColumn.missing ? UInt16.max : UInt16(truncatingIfNeeded: $0) }))
        default: narrow = .u32(ColumnValues(codes))
        }
        return .category(CategoryColumn(codes: narrow, labels: labels))
    }
}
