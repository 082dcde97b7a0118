/// The terminal table: box lines, numbers right-aligned with thousands
/// separators, a visible "(missing)", long values cut with "…", columns
/// left out to fit the terminal and rows elided to head and tail, each with
/// an honest count (after DuckDB's box renderer).
public enum BoxTable {
    public static let maxCellWidth = 60

    public static func render(_ grid: Grid, maxRows: Int? = nil, maxWidth: Int? = nil) -> String {
        // Values from data are shown, never sent to the terminal as controls;
        // widths are measured on what is shown, in terminal columns
        // (DisplayWidth), so CJK and emoji labels keep the borders straight.
        var g = grid
        g.header = g.header.map(TerminalText.escape)
        g.rows = g.rows.map { $0.map { Grid.Cell(TerminalText.escape($0.text), number: $0.number, isPercent: $0.isPercent) } }
        g.footer = g.footer.map(TerminalText.escape)
        var rows = g.rows
        var elided = 0
        var headCount = 0
        if let m = maxRows, rows.count > m, m >= 2 {
            // Head and tail, with the totals kept.
            let body = rows.count - g.totalRows
            let keep = max(1, m - g.totalRows)
            let head = (keep + 1) / 2, tail = keep - head
            elided = body - keep
            headCount = head
            rows = Array(rows.prefix(head)) + Array(rows[(body - tail)..<body]) + Array(rows.suffix(g.totalRows))
        }
        // Narrow long cells first, then leave out columns on the right.
        var cellWidth = maxCellWidth
        var columns = g.header.count
        func widths(_ limit: Int, _ cols: Int) -> [Int] {
            var w = g.header.prefix(cols).map { min(DisplayWidth.of($0), limit) }
            for row in rows { for (k, c) in row.prefix(cols).enumerated() { w[k] = max(w[k], min(DisplayWidth.of(c.text), limit)) } }
            return w
        }
        func total(_ w: [Int]) -> Int { w.reduce(1) { $0 + $1 + 3 } + (columns < g.header.count ? 4 : 0) }
        if let mw = maxWidth {
            while cellWidth > 12, total(widths(cellWidth, columns)) > mw { cellWidth -= 4 }
            while columns > 1, total(widths(cellWidth, columns)) > mw { columns -= 1 }
        }
        let dropped = g.header.count - columns
        func cut(_ s: String) -> String { DisplayWidth.truncate(s, width: cellWidth) }
        var header = g.header.prefix(columns).map(cut)
        var cells = rows.map { $0.prefix(columns).map { Grid.Cell(cut($0.text), number: $0.number) } }
        if dropped > 0 {
            header.append("…")
            cells = cells.map { $0 + [Grid.Cell("…")] }
        }
        var w = header.map(DisplayWidth.of)
        for row in cells { for (k, c) in row.enumerated() where k < w.count { w[k] = max(w[k], DisplayWidth.of(c.text)) } }
        let numeric = (0..<w.count).map { k in cells.contains { k < $0.count && $0[k].number != nil } }
        func line(_ l: String, _ m: String, _ r: String) -> String {
            l + w.map { String(repeating: "─", count: $0 + 2) }.joined(separator: m) + r + "\n"
        }
        func pad(_ s: String, _ k: Int, right: Bool) -> String { DisplayWidth.pad(s, to: w[k], right: right) }
        var out = line("┌", "┬", "┐")
        out += "│" + header.enumerated().map { " " + pad($1, $0, right: numeric[$0]) + " " }.joined(separator: "│") + "│\n"
        out += line("├", "┼", "┤")
        let firstTotal = cells.count - g.totalRows
        for (i, row) in cells.enumerated() {
            if i == firstTotal, i > 0 { out += line("├", "┼", "┤") }
            if elided > 0, i == headCount {
                out += "│" + w.indices.map { " " + pad("·", $0, right: numeric[$0]) + " " }.joined(separator: "│") + "│\n"
            }
            out += "│" + row.enumerated().map { " " + pad($1.text, $0, right: $1.number != nil) + " " }.joined(separator: "│") + "│\n"
        }
        out += line("└", "┴", "┘")
        var notes: [String] = []
        if elided > 0 {
            let body = g.rows.count - g.totalRows
            notes.append("\(Plural.count(body, "row")) (\(NumberFormat.grouped(Double(body - elided), decimals: 0)) shown)")
        }
        if dropped > 0 { notes.append("\(Plural.count(g.header.count, "column")) (\(columns) shown)") }
        if !notes.isEmpty { out += notes.joined(separator: ", ") + ": .last shows all, or try .mode csv\n" }
        for f in g.footer { out += f + "\n" }
        return out
    }
}
