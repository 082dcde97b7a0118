/// A grouped answer of one value column written as CSV or TSV straight
/// from its groups into the output buffer, a row at a time: no grid of
/// cells and no one text of the whole answer. A count by an id has a group
/// per row (`count allegations by allegation_id`: a million groups), and
/// its grid and text were a third of the run. The cells are the grid's
/// (`Grid.Cell.key`, `Grid.value`, `Grid.percent`) printed by the same
/// `Renderer.cell`, so every byte is the one `Renderer` writes;
/// `GroupStreamTests` hold the two to each other.
public enum GroupStream {
    /// The answers written this way: one value column, no crosstab, no
    /// suppression, no bars (those keep their grid).
    public static func streams(_ r: QueryResult, _ format: OutputFormat) -> Bool {
        guard format == .csv || format == .tsv, case .groups(let g) = r.body else { return false }
        return g.suppression == nil && g.valueColumns.isEmpty && g.acrossName == nil && !r.withBars
    }

    /// Writes `r` after `before`; false when `sink` refused a buffer (the
    /// output failed) or `r` is not an answer `streams` takes.
    @discardableResult
    public static func write(_ r: QueryResult, as format: OutputFormat, rawCells: Bool = false, before: String = "",
                             to sink: @escaping (UnsafeRawBufferPointer) -> Bool) -> Bool {
        guard streams(r, format), case .groups(let g) = r.body else { return false }
        let out = OutputBuffer(sink)
        let sep: Character = format == .tsv ? "\t" : ","
        let sepByte = UInt8(ascii: format == .tsv ? "\t" : ",")
        out.append(before)
        let header = g.keyNames + [r.valueName] + (g.withPercent ? ["percent"] : [])
        out.append(header.map { Renderer.field($0, separator: sep, rawCells: rawCells) }.joined(separator: String(sep)) + "\n")
        let integer = r.valueIsInteger, date = r.valueIsDate
        func cell(_ c: Grid.Cell, first: Bool) {
            if !first { out.byte(sepByte) }
            out.append(Renderer.cell(c, separator: sep, rawCells: rawCells))
        }
        func value(_ v: Double) -> Grid.Cell {
            // A finite number prints raw, so its grouped text is not made.
            guard !date, v.isFinite else { return Grid.value(v, integer: integer, date: date) }
            return Grid.Cell("", number: v)
        }
        if let c = g.codes {
            // Straight from the codes: no row, label array or number text
            // per group. A label's cell is written once and copied after,
            // where labels repeat (an officer's outcomes); an id key with
            // a label a group is written as it comes.
            let kept = (0..<c.width).map { k in c.labels[k].count * 2 <= c.count ? KeptCells(c.labels[k].count) : nil }
            for i in 0..<c.count {
                for k in 0..<c.width {
                    if k > 0 { out.byte(sepByte) }
                    let code = c.code(i, key: k)
                    func text() -> String {
                        Renderer.cell(.key(c.isMissing(code, key: k) ? nil : c.labels[k][code], numeric: g.numericKeys.contains(k)),
                                      separator: sep, rawCells: rawCells)
                    }
                    if let cells = kept[k] {
                        if !cells.has(code) { cells.set(code, text(), width: 0) }
                        cells.write(code, out)
                    } else {
                        out.append(text())
                    }
                }
                let v = c.value(i)
                if c.width > 0 { out.byte(sepByte) }
                // A whole number as NumberFormat.exact writes it.
                if !date, v.isFinite, v.rounded() == v, abs(v) < 9_007_199_254_740_992 { out.integer(Int64(v)) }
                else { out.append(Renderer.cell(value(v), separator: sep, rawCells: rawCells)) }
                if g.withPercent { cell(Grid.percent(v, of: g.grandTotal), first: false) }
                out.byte(UInt8(ascii: "\n"))
                if out.failed { return out.finish() }
            }
        }
        for row in g.codes == nil ? g.rows : [] {
            for (k, key) in row.keys.enumerated() { cell(.key(key, numeric: g.numericKeys.contains(k)), first: k == 0) }
            cell(value(row.values[0]), first: row.keys.isEmpty)
            if g.withPercent { cell(Grid.percent(row.values[0], of: g.grandTotal), first: false) }
            out.byte(UInt8(ascii: "\n"))
            if out.failed { return out.finish() }
        }
        if g.withTotal {
            cell(Grid.Cell("Total"), first: true)
            for _ in 0..<max(0, g.keyNames.count - 1) { cell(Grid.Cell(""), first: false) }
            cell(value(g.grandTotal), first: false)
            if g.withPercent { cell(Grid.percent(g.grandTotal, of: g.grandTotal), first: false) }
            out.byte(UInt8(ascii: "\n"))
        }
        return out.finish()
    }
}
