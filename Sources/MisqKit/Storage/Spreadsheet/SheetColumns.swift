import Foundation

/// A sheet's table as typed columns. A column's type is its cells' type:
/// all numbers make a number column, all dates a date column, all booleans
/// a yes/no column, all text a category; a column mixing them is text, and
/// `describe` says so. Markers (`[c]` …) and formula errors are missing,
/// counted per column. Two passes over the grid's runs, never a cell per
/// empty cell or per repeated column.
enum SheetColumns {
    private struct Kinds {
        var numbers = 0, dates = 0, bools = 0, texts = 0
        var firstText: (row: Int, text: String)?
        var firstOther: (row: Int, text: String)?
        var markers: [String: Int] = [:]
        var errors: [String: Int] = [:]
        var timeOfDay = false
        var allIntegers = true
    }

    static func build(_ grid: SheetGrid, _ layout: SheetLayout, header: [String], place: String) throws -> (columns: [Column], notes: [String]) {
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
                    case .error(let e): kinds[k].errors[e, default: 0] += r1 - r0
                    case .text(let s):
                        let t = s.trimmingCharacters(in: .whitespaces)
                        if SheetTable.markers.contains(t) { kinds[k].markers[t, default: 0] += r1 - r0 }
                        else { kinds[k].texts += 1; if kinds[k].firstText == nil { kinds[k].firstText = (r0, s) } }
                    }
                }
            }
        }

        var notes: [String] = []
        var columns: [Column] = []
        for k in 0..<width {
            let c = cols.lowerBound + k, kind = kinds[k], name = header[k]
            let typesPresent = [kind.numbers, kind.dates, kind.bools, kind.texts].filter { $0 > 0 }.count
            if typesPresent > 1, let t = kind.firstText ?? kind.firstOther {
                notes.append("'\(name)' holds " + [kind.numbers > 0 ? "numbers" : nil, kind.dates > 0 ? "dates" : nil, kind.bools > 0 ? "true/false values" : nil,
                                                  kind.texts > 0 ? "text" : nil].compactMap { $0 }.joined(separator: " and ")
                             + " (row \(t.row + 1): \(SheetLayout.quote(t.text))): read as text")
            }
            for (m, count) in kind.markers.sorted(by: { $0.key < $1.key }) {
                notes.append("'\(name)': \(count) cell\(count == 1 ? "" : "s") '\(m)' read as missing (\(markerMeaning(m)))")
            }
            for (e, count) in kind.errors.sorted(by: { $0.key < $1.key }) {
                notes.append("'\(name)': \(count) formula error\(count == 1 ? "" : "s") '\(e)' read as missing")
            }
            if kind.timeOfDay, typesPresent == 1, kind.dates > 0 { notes.append("'\(name)': times of day are not kept, only the dates") }

            func fill<T>(_ blank: T, _ value: (CellValue) -> T?) -> [T] {
                var out = [T](repeating: blank, count: n)
                for run in inRows {
                    let r0 = max(run.row, rows.lowerBound), r1 = min(run.row + run.count, rows.upperBound)
                    for cell in run.cells where cell.column <= c && c < cell.column + cell.count {
                        if let v = value(cell.value) { for r in r0..<r1 { out[r - rows.lowerBound] = v } }
                    }
                }
                return out
            }
            if typesPresent == 1, kind.numbers > 0 {
                let v = fill(Double.nan) { if case .number(let x) = $0 { return x }; return nil }
                columns.append(.number(NumberColumn(values: ColumnValues(v), allIntegers: kind.allIntegers)))
            } else if typesPresent == 1, kind.dates > 0 {
                let v = fill(DateColumn.missing) { if case .date(let d, _) = $0 { return Int32(d) }; return nil }
                columns.append(.date(DateColumn(days: ColumnValues(v))))
            } else if typesPresent == 1, kind.bools > 0 {
                let v = fill(UInt8(2)) { if case .bool(let b) = $0 { return b ? 1 : 0 }; return nil }
                var value = Bitmap(count: n), known = Bitmap(count: n)
                for (r, s) in v.enumerated() where s != 2 {
                    known.words[r >> 6] |= 1 &<< UInt64(r & 63)
                    if s == 1 { value.words[r >> 6] |= 1 &<< UInt64(r & 63) }
                }
                columns.append(.boolean(BoolColumn(value: PackedBits(value), known: PackedBits(known))))
            } else {
                var codes: [String: UInt32] = [:]
                var labels: [String] = []
                let v = fill(CategoryColumn.missing) { value -> UInt32? in
                    let s: String
                    switch value {
                    case .error: return nil
                    case .text(let t): if SheetTable.markers.contains(t.trimmingCharacters(in: .whitespaces)) { return nil }; s = t
                    default: s = SheetLayout.text(value)
                    }
                    if let k = codes[s] { return k }
                    let k = UInt32(labels.count)
                    codes[s] = k; labels.append(s)
                    return k
                }
                let narrow: CategoryCodes
                switch CategoryCodes.width(labels: labels.count) {
                case 1: narrow = .u8(ColumnValues(v.map { $0 == CategoryColumn.missing ? UInt8.max : UInt8(truncatingIfNeeded: $0) }))
                case 2: narrow = .u16(ColumnValues(v.map { $0 == CategoryColumn.missing ? UInt16.max : UInt16(truncatingIfNeeded: $0) }))
                default: narrow = .u32(ColumnValues(v))
                }
                columns.append(.category(CategoryColumn(codes: narrow, labels: labels)))
            }
        }
        return (columns, notes)
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

    static func markerMeaning(_ m: String) -> String {
        switch m {
        case "[c]": return "confidential, suppressed"
        case "[x]", "..": return "not available"
        case "[z]": return "not applicable"
        default: return "nil or not available"
        }
    }
}
