/// The terminal table: box lines, numbers right-aligned with thousands
/// separators, a visible "(missing)", long values cut with "…", and an
/// honest count when rows are left out (after DuckDB's box renderer).
public enum BoxTable {
    public static var maxCellWidth = 60

    public static func render(_ g: Grid, maxRows: Int? = nil) -> String {
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
        func cut(_ s: String) -> String { s.count > maxCellWidth ? String(s.prefix(maxCellWidth - 1)) + "…" : s }
        let header = g.header.map(cut)
        let cells = rows.map { $0.map { Grid.Cell(cut($0.text), number: $0.number) } }
        var widths = header.map(\.count)
        for row in cells { for (k, c) in row.enumerated() where k < widths.count { widths[k] = max(widths[k], c.text.count) } }
        let numeric = (0..<widths.count).map { k in cells.contains { k < $0.count && $0[k].number != nil } }
        func line(_ l: String, _ m: String, _ r: String) -> String {
            l + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: m) + r + "\n"
        }
        func pad(_ s: String, _ k: Int, right: Bool) -> String {
            let fill = String(repeating: " ", count: max(0, widths[k] - s.count))
            return right ? fill + s : s + fill
        }
        var out = line("┌", "┬", "┐")
        out += "│" + header.enumerated().map { " " + pad($1, $0, right: numeric[$0]) + " " }.joined(separator: "│") + "│\n"
        out += line("├", "┼", "┤")
        let firstTotal = cells.count - g.totalRows
        for (i, row) in cells.enumerated() {
            if i == firstTotal, i > 0 { out += line("├", "┼", "┤") }
            if elided > 0, i == headCount {
                out += "│" + widths.enumerated().map { " " + pad("·", $0.offset, right: numeric[$0.offset]) + " " }.joined(separator: "│") + "│\n"
            }
            out += "│" + row.enumerated().map { " " + pad($1.text, $0, right: $1.number != nil) + " " }.joined(separator: "│") + "│\n"
        }
        out += line("└", "┴", "┘")
        if elided > 0 {
            out += "\(NumberFormat.grouped(Double(g.rows.count - g.totalRows), decimals: 0)) rows (\(NumberFormat.grouped(Double(g.rows.count - g.totalRows - elided), decimals: 0)) shown)\n"
        }
        for f in g.footer { out += f + "\n" }
        return out
    }
}
