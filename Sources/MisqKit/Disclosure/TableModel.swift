/// A grouped result as the cells a reader sees and the linear relations
/// between them: every published figure is the sum of some inner cells
/// (an inner cell is itself; a row total, a column total and the grand
/// total are sums of theirs). This is the model matrix of the
/// disclosure-control literature (Langsrud 2024; tau-Argus's "table"),
/// over which the secondary suppression and the audit both work.
struct TableModel {
    struct Cell {
        var value: Double
        /// The inner cells it adds up, by index into `inner`.
        var members: [Int]
        /// The figure is the sum of its members. A distinct count's total
        /// counts a unit in several cells once, so it is not, and gives no
        /// equation: only bounds (`Audit`).
        var additive: Bool
        /// Where it is, for the audit: `force=Kent, outcome=dismissed`.
        var label: String
        /// A row, column or grand total of its table (not an inner cell).
        var isTotal = false
        /// The figure is printed when published. A margin the table does
        /// not print (a crosstab's row totals without `with total`) is no
        /// published figure: not an equation for the attacker, never
        /// hidden (nothing to hide), not a candidate, not a primary cell.
        var printed = true
    }

    /// Which margins a table prints besides its inner cells, in any format:
    /// `with total` prints the Total column and row; a share (`with
    /// percent`) of a published cell gives its base, the column total (the
    /// grand total without across); the footer states the grand total when
    /// no Total row does (`total: 632 allegations`; not in CSV, but in the
    /// table, Markdown and JSON of the same run).
    struct Margins: Equatable {
        var rowTotals: Bool
        var columnTotals: Bool
        var grand: Bool
        static let all = Margins(rowTotals: true, columnTotals: true, grand: true)

        init(rowTotals: Bool, columnTotals: Bool, grand: Bool) {
            self.rowTotals = rowTotals; self.columnTotals = columnTotals; self.grand = grand
        }

        /// What `g` prints, with `footerTotal` the footer's total line.
        init(_ g: GroupedResult, footerTotal: Bool) {
            let across = g.acrossName != nil
            rowTotals = across && g.withTotal
            columnTotals = across && (g.withTotal || g.withPercent)
            grand = g.withTotal || footerTotal || (!across && g.withPercent)
        }
    }
    /// The unknowns' values: a single table's inner cells, rows × width;
    /// for tables protected together (`LinkedTables`), the finest groups
    /// they are all sums of, which no table need publish.
    var inner: [Double]
    /// Inner cells first (cell i is inner cell i), then row totals, column
    /// totals and the grand total, as `Place` locates them.
    var cells: [Cell]
    var rows: Int
    var width: Int
    /// Where each kind of cell starts in `cells`.
    var rowTotalStart: Int
    var columnTotalStart: Int
    var grandIndex: Int
    /// The groups' values added up, stated in the footer when distinct
    /// units overlap (`Fact.overlap`): one more published equation.
    var statedSum: Double?

    init(_ g: GroupedResult, statedSum: Double?, margins: Margins) {
        let width = max(1, g.acrossName == nil ? 1 : g.acrossLabels.count)
        let rows = g.rows.count
        let inner = g.rows.flatMap { $0.values.count == width ? $0.values : Array(($0.values + Array(repeating: 0, count: width)).prefix(width)) }
        func keyText(_ i: Int) -> String {
            zip(g.keyNames, g.rows[i].keys).map { "\($0)=\($1 ?? "(missing)")" }.joined(separator: ", ")
        }
        var cells: [Cell] = []
        for i in 0..<rows {
            for j in 0..<width {
                let across = g.acrossName.map { ", \($0)=\(g.acrossLabels[j])" } ?? ""
                cells.append(Cell(value: inner[i * width + j], members: [i * width + j], additive: true, label: keyText(i) + across))
            }
        }
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(a), abs(b)) }
        func sum(_ ms: [Int]) -> Double { ms.reduce(0) { $0 + inner[$1] } }
        let rowTotalStart = cells.count
        if g.acrossName != nil {
            for i in 0..<rows {
                let ms = Array(i * width..<(i + 1) * width)
                let v = g.rows[i].rowTotal ?? sum(ms)
                cells.append(Cell(value: v, members: ms, additive: close(v, sum(ms)), label: keyText(i) + ", Total", isTotal: true, printed: margins.rowTotals))
            }
        }
        let columnTotalStart = cells.count
        if g.acrossName != nil {
            for j in 0..<width {
                let ms = (0..<rows).map { $0 * width + j }
                let v = g.totals?[j] ?? sum(ms)
                cells.append(Cell(value: v, members: ms, additive: close(v, sum(ms)), label: "Total, \(g.acrossName ?? "")=\(g.acrossLabels[j])", isTotal: true,
                                  printed: margins.columnTotals))
            }
        }
        let grandIndex = cells.count
        let all = Array(0..<inner.count)
        cells.append(Cell(value: g.grandTotal, members: all, additive: close(g.grandTotal, sum(all)), label: "Total", isTotal: true, printed: margins.grand))
        self.cells = cells; self.inner = inner; self.rows = rows; self.width = width; self.statedSum = statedSum
        self.rowTotalStart = rowTotalStart; self.columnTotalStart = columnTotalStart; self.grandIndex = grandIndex
    }

    /// Tables protected together: the cells of all of them over the finest
    /// groups (`LinkedTables.swift`); no row or column structure of its own.
    init(values: [Double], cells: [Cell]) {
        inner = values; self.cells = cells
        rows = 0; width = 0; rowTotalStart = cells.count; columnTotalStart = cells.count; grandIndex = cells.count
    }

    /// The unknowns a published cell of one member states outright.
    func known(_ status: [CellStatus]) -> [Bool] {
        var k = [Bool](repeating: false, count: inner.count)
        for (i, c) in cells.enumerated() where c.printed && !status[i].isHidden && c.additive && c.members.count == 1 { k[c.members[0]] = true }
        return k
    }

    /// The pattern a status per model cell makes.
    func pattern(_ status: [CellStatus], rule: SuppressionRule, across: Bool) -> SuppressionPattern {
        let cellsPart = Array(status[0..<inner.count])
        let rowPart = across ? Array(status[rowTotalStart..<columnTotalStart]) : []
        let colPart = across ? Array(status[columnTotalStart..<grandIndex]) : [status[grandIndex]]
        return SuppressionPattern(rule: rule, width: width, cells: cellsPart, rowTotals: rowPart, columnTotals: colPart, grandTotal: status[grandIndex])
    }
}
