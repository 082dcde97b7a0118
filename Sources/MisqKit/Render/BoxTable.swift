/// The terminal table: box lines, numbers right-aligned with thousands
/// separators, a visible "(missing)", long values cut with "…", columns
/// left out to fit the terminal and rows elided to head and tail, each with
/// an honest count (after DuckDB's box renderer).
public enum BoxTable {
    public static let maxCellWidth = 60

    /// A shown cell with no width limit but the cell's own: cut with "…"
    /// past `maxCellWidth` columns.
    static func cut(_ s: String) -> (text: String, width: Int) {
        let width = DisplayWidth.of(s)
        guard width > maxCellWidth else { return (s, width) }
        let t = DisplayWidth.truncate(s, width: maxCellWidth)
        return (t, DisplayWidth.of(t))
    }

    public static func render(_ grid: Grid, maxRows: Int? = nil, maxWidth: Int? = nil) -> String {
        // Values from data are shown, never sent to the terminal as controls;
        // widths are measured on what is shown, in terminal columns
        // (DisplayWidth), so CJK and emoji labels keep the borders straight.
        var g = grid.withBarColumn(width: Bars.width(for: grid, maxWidth: maxWidth))
        g.header = g.header.map(TerminalText.escape)
        g.rows = g.rows.map { $0.map { c in
            var e = Grid.Cell(TerminalText.escape(c.shown), number: c.number, isPercent: c.isPercent)
            e.marker = c.marker
            return e
        } }
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
        // Each cell measured once: the fitting below tries several limits.
        let headerWidths = g.header.map(DisplayWidth.of)
        let cellWidths = rows.map { $0.map { DisplayWidth.of($0.text) } }
        func widths(_ limit: Int, _ cols: Int) -> [Int] {
            var w = headerWidths.prefix(cols).map { min($0, limit) }
            for row in cellWidths { for (k, c) in row.prefix(cols).enumerated() { w[k] = max(w[k], min(c, limit)) } }
            return w
        }
        func total(_ w: [Int]) -> Int { w.reduce(1) { $0 + $1 + 3 } + (columns < g.header.count ? 4 : 0) }
        if let mw = maxWidth {
            while cellWidth > 12, total(widths(cellWidth, columns)) > mw { cellWidth -= 4 }
            while columns > 1, total(widths(cellWidth, columns)) > mw { columns -= 1 }
        }
        let dropped = g.header.count - columns
        // What each cell shows, with its width carried along rather than
        // measured again for every border and pad.
        struct Shown { var text: String; var width: Int; var number: Double? = nil }
        func cut(_ s: String, _ width: Int, _ number: Double? = nil) -> Shown {
            guard width > cellWidth else { return Shown(text: s, width: width, number: number) }
            let t = DisplayWidth.truncate(s, width: cellWidth)
            return Shown(text: t, width: DisplayWidth.of(t), number: number)
        }
        var header = g.header.prefix(columns).enumerated().map { cut($1, headerWidths[$0]) }
        // A marker ([c]) stands for a figure: aligned as one, so a column
        // that is all [c] is right-aligned like the numbers beside it.
        var cells = rows.enumerated().map { i, row in row.prefix(columns).enumerated().map { cut($1.text, cellWidths[i][$0], $1.marker != nil ? .nan : $1.number) } }
        if dropped > 0 {
            header.append(Shown(text: "…", width: 1))
            cells = cells.map { $0 + [Shown(text: "…", width: 1)] }
        }
        var w = header.map(\.width)
        for row in cells { for (k, c) in row.enumerated() where k < w.count { w[k] = max(w[k], c.width) } }
        let numeric = (0..<w.count).map { k in cells.contains { k < $0.count && $0[k].number != nil } }
        func line(_ l: String, _ m: String, _ r: String) -> String {
            l + w.map { String(repeating: "─", count: $0 + 2) }.joined(separator: m) + r + "\n"
        }
        func pad(_ c: Shown, _ k: Int, right: Bool) -> String {
            let fill = String(repeating: " ", count: max(0, w[k] - c.width))
            return right ? fill + c.text : c.text + fill
        }
        var out = line("┌", "┬", "┐")
        out += "│" + header.enumerated().map { " " + pad($1, $0, right: numeric[$0]) + " " }.joined(separator: "│") + "│\n"
        out += line("├", "┼", "┤")
        let firstTotal = cells.count - g.totalRows
        let dot = Shown(text: "·", width: 1)
        for (i, row) in cells.enumerated() {
            if i == firstTotal, i > 0 { out += line("├", "┼", "┤") }
            if elided > 0, i == headCount {
                out += "│" + w.indices.map { " " + pad(dot, $0, right: numeric[$0]) + " " }.joined(separator: "│") + "│\n"
            }
            // A marker in place of a figure (`[c]`) sits where the figure would.
            out += "│" + row.enumerated().map { " " + pad($1, $0, right: $1.number != nil || numeric[$0] && Marker(rawValue: $1.text) != nil) + " " }.joined(separator: "│") + "│\n"
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
