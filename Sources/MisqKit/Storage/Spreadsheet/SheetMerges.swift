import Foundation

/// Merged cells in a table's data rows. A workbook keeps a merge's value
/// in its first cell only (XLSX `mergeCells`; ODS `number-rows-spanned`
/// and `number-columns-spanned`, the other cells `covered-table-cell`),
/// but a publisher who merges `North East` over A2:A4 means each of those
/// rows is in the North East: read as written, rows 3–4 had no region
/// (cold test of issue 22). Every cell of a merge in the data takes its
/// first cell's value, and `describe` lists the merges so filled.
enum SheetMerges {
    /// Rows of merged cells filled, at most: a hostile merge over a
    /// million rows is a million rows of cells, each one entry here.
    static let maxFilledRows = 10_000_000

    static func fill(_ grid: SheetGrid, _ layout: SheetLayout, place: String) throws -> (grid: SheetGrid, notes: [String]) {
        let rows = layout.dataRows, cols = layout.columns
        var adds: [Int: [CellRun]] = [:]
        // Per column of the merge's first cell, and how it was filled.
        var said: [String: [String]] = [:]
        var order: [String] = []
        var total = 0
        for m in grid.merges.sorted(by: { ($0.r0, $0.c0) < ($1.r0, $1.c0) })
        where rows.contains(m.r0) && cols.contains(m.c0) && (m.r1 > m.r0 || m.c1 > m.c0) {
            guard let value = grid.values(ofRow: m.r0, columns: m.c0..<(m.c0 + 1)).first ?? nil else { continue }
            let r1 = min(m.r1, rows.upperBound - 1), c1 = min(m.c1, cols.upperBound - 1)
            total += r1 - m.r0 + 1
            guard total <= maxFilledRows else {
                throw MisqError(.data, "\(place): the table's merged cells cover more than \(NumberFormat.grouped(Double(maxFilledRows), decimals: 0)) rows, more than misq fills",
                                suggestion: "unmerge the cells and save the sheet, or save it as CSV")
            }
            var any = false
            for r in m.r0...r1 {
                let existing = grid.values(ofRow: r, columns: m.c0..<(c1 + 1))
                var c = m.c0
                while c <= c1 {
                    guard existing[c - m.c0] == nil else { c += 1; continue }
                    var e = c
                    while e + 1 <= c1, existing[e + 1 - m.c0] == nil { e += 1 }
                    adds[r, default: []].append(CellRun(column: c, count: e - c + 1, value: value))
                    any = true
                    c = e + 1
                }
            }
            guard any else { continue }
            let how = m.r1 > m.r0 && m.c1 > m.c0 ? "down and across" : m.r1 > m.r0 ? "down" : "across"
            let key = "column \(CellReference.letters(m.c0)): merged ranges filled \(how)"
            if said[key] == nil { order.append(key) }
            said[key, default: []].append(CellReference.name(row: m.r0, column: m.c0) + ":" + CellReference.name(row: r1, column: c1))
        }
        guard !adds.isEmpty else { return (grid, []) }
        var out = grid
        out.runs = merge(grid.runs, adds)
        let notes = order.map { key -> String in
            let ranges = said[key] ?? []
            let shown = ranges.prefix(10).joined(separator: ", ") + (ranges.count > 10 ? ", … (\(ranges.count - 10) more)" : "")
            return key.replacingOccurrences(of: ": merged ranges", with: ": \(ranges.count) merged range\(ranges.count == 1 ? "" : "s")") + ": " + shown
        }
        return (out, notes)
    }

    /// `runs` with the cells `adds` puts in rows, splitting a run of
    /// repeated rows where one of its rows gains cells. The cells added
    /// lie where the row had none, so a row's cells stay apart and sorted.
    static func merge(_ runs: [SheetGrid.RowRun], _ adds: [Int: [CellRun]]) -> [SheetGrid.RowRun] {
        let rows = adds.keys.sorted()
        var out: [SheetGrid.RowRun] = []
        out.reserveCapacity(runs.count + rows.count)
        var i = 0
        func row(_ r: Int, _ cells: [CellRun]) -> SheetGrid.RowRun {
            SheetGrid.RowRun(row: r, count: 1, cells: (cells + (adds[r] ?? [])).sorted { $0.column < $1.column })
        }
        for run in runs {
            while i < rows.count, rows[i] < run.row { out.append(row(rows[i], [])); i += 1 }
            var from = run.row
            while i < rows.count, rows[i] < run.row + run.count {
                let r = rows[i]
                if r > from { out.append(SheetGrid.RowRun(row: from, count: r - from, cells: run.cells)) }
                out.append(row(r, run.cells))
                from = r + 1; i += 1
            }
            if from < run.row + run.count { out.append(SheetGrid.RowRun(row: from, count: run.row + run.count - from, cells: run.cells)) }
        }
        while i < rows.count { out.append(row(rows[i], [])); i += 1 }
        return out
    }
}
