import Foundation

/// One cell as the workbook stores it: its type and value, not what a
/// spreadsheet program would display.
enum CellValue: Equatable, Sendable {
    case number(Double)
    /// A day number (days since 1970-01-01); `timeOfDay` when the cell also
    /// held a time, which a date column does not keep.
    case date(Int, timeOfDay: Bool)
    case bool(Bool)
    /// A time of day or a duration, in seconds (a duration may pass a
    /// day, or be negative): XLSX's fraction of a day under a time format,
    /// ODS's `office:time-value`. misq has no time type: a column of them
    /// is text `hh:mm:ss` (`SheetTimes.text`), the same from either format.
    case time(Double)
    case text(String)
    /// A formula's error (`#DIV/0!`, `#N/A`): missing, the error kept.
    case error(String)
}

/// A run of equal cells along a row: ODS writes one cell element with
/// `number-columns-repeated`, and it stays one run here.
struct CellRun: Sendable {
    var column: Int
    var count: Int
    var value: CellValue
}

/// A sheet's non-empty rows, each a run of identical rows (ODS's
/// `number-rows-repeated`; one row for XLSX). Empty cells and empty rows
/// are not stored at all, so a sheet that claims 16,384 × 1,048,576 empty
/// cells costs nothing; rows and columns are 0-based.
struct SheetGrid: Sendable {
    struct RowRun: Sendable {
        var row: Int
        var count: Int
        var cells: [CellRun]
    }
    var runs: [RowRun] = []
    /// Merged areas (first row, first column, last row, last column), 0-based inclusive.
    var merges: [(r0: Int, c0: Int, r1: Int, c1: Int)] = []
    /// Formula cells with no saved value (a workbook written by a program
    /// and never calculated): empty here, and named by `describe`.
    var uncalculated: [(row: Int, column: Int)] = []

    /// The largest sheet either format allows.
    static let maxRows = 1 << 20
    static let maxColumns = 1 << 14

    /// One past the last non-empty row.
    var rowEnd: Int { runs.last.map { $0.row + $0.count } ?? 0 }

    /// The cells of row `r` (empty if it has none), by binary search.
    func cells(ofRow r: Int) -> [CellRun] {
        var lo = 0, hi = runs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if runs[mid].row + runs[mid].count <= r { lo = mid + 1 } else { hi = mid }
        }
        guard lo < runs.count, runs[lo].row <= r else { return [] }
        return runs[lo].cells
    }

    /// Row `r`'s values in columns `columns`, nil where empty.
    func values(ofRow r: Int, columns: Range<Int>) -> [CellValue?] {
        var out = [CellValue?](repeating: nil, count: columns.count)
        for run in cells(ofRow: r) {
            let lo = max(run.column, columns.lowerBound), hi = min(run.column + run.count, columns.upperBound)
            if lo < hi { for c in lo..<hi { out[c - columns.lowerBound] = run.value } }
        }
        return out
    }

    /// How many non-empty cells row `r` has within `columns`.
    func filled(_ r: Int, in columns: Range<Int>) -> Int {
        cells(ofRow: r).reduce(0) { n, run in n + max(0, min(run.column + run.count, columns.upperBound) - max(run.column, columns.lowerBound)) }
    }

    /// One past the rightmost non-empty column of any row.
    var columnEnd: Int { runs.lazy.flatMap { $0.cells }.map { $0.column + $0.count }.max() ?? 0 }
}

/// A1-style references: `C7`, `A4:H52`.
enum CellReference {
    /// 0-based (row, column) of `C7`; nil if it is not a reference in range.
    static func parse(_ s: Substring) -> (row: Int, column: Int)? {
        var col = 0, row = 0, k = s.startIndex, letters = 0, digits = 0
        while k < s.endIndex, let a = s[k].asciiValue, (65...90).contains(a & ~0x20), letters < 4 {
            col = col * 26 + Int((a & ~0x20) - 64); letters += 1; k = s.index(after: k)
        }
        while k < s.endIndex, let a = s[k].asciiValue, (48...57).contains(a), digits < 8 {
            row = row * 10 + Int(a - 48); digits += 1; k = s.index(after: k)
        }
        guard k == s.endIndex, letters > 0, digits > 0, row >= 1, row <= SheetGrid.maxRows, col <= SheetGrid.maxColumns else { return nil }
        return (row - 1, col - 1)
    }

    /// The same for bytes in the parser's buffer (an XLSX cell's `r`).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (row: Int, column: Int)? {
        var col = 0, row = 0, k = 0, letters = 0
        while k < bytes.count, (65...90).contains(bytes[k]), letters < 4 { col = col * 26 + Int(bytes[k] - 64); letters += 1; k += 1 }
        let digitsStart = k
        while k < bytes.count, (48...57).contains(bytes[k]), k - digitsStart < 8 { row = row * 10 + Int(bytes[k] - 48); k += 1 }
        guard k == bytes.count, letters > 0, k > digitsStart, row >= 1, row <= SheetGrid.maxRows, col <= SheetGrid.maxColumns else { return nil }
        return (row - 1, col - 1)
    }

    /// `A4:H52` as 0-based inclusive bounds.
    static func range(_ s: String) -> (r0: Int, c0: Int, r1: Int, c1: Int)? {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = parse(parts[0]), let b = parse(parts[1]) else { return nil }
        return (min(a.row, b.row), min(a.column, b.column), max(a.row, b.row), max(a.column, b.column))
    }

    /// Column letters of 0-based column `c`: 0 → A, 27 → AB.
    static func letters(_ c: Int) -> String {
        var n = c + 1, s = ""
        while n > 0 { let r = (n - 1) % 26; s = String(UnicodeScalar(UInt8(65 + r))) + s; n = (n - 1) / 26 }
        return s
    }

    static func name(row: Int, column: Int) -> String { letters(column) + String(row + 1) }
}
