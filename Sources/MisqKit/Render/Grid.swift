/// The GSS's symbols for a figure not shown ("Symbols, suppression and
/// rounding", Government Analysis Function guidance).
public enum Marker: String, Sendable {
    /// Confidential: hidden to protect the people counted.
    case confidential = "[c]"
    /// Not available: the data hold no value.
    case notAvailable = "[x]"
    /// Not applicable: a share of a total of 0.
    case notApplicable = "[z]"
}

/// A result laid out as header and cells, shared by every output format.
/// Cells keep their number so CSV and JSON print it raw and the table
/// prints it grouped.
public struct Grid {
    public struct Cell {
        public var text: String
        public var number: Double?
        public var isPercent = false
        /// No value: printed "(missing)" in a table, empty in CSV and TSV,
        /// null in JSON. A text that reads "(missing)" is not missing.
        public var isMissing = false
        /// A Government Statistical Service marker in place of a figure:
        /// `[c]`, `[x]` or `[z]` in every format (never `*`, which screen
        /// readers skip), and never a number.
        public var marker: Marker? = nil
        public init(_ text: String, number: Double? = nil, isPercent: Bool = false) {
            self.text = text; self.number = number; self.isPercent = isPercent
        }
        public static func marked(_ m: Marker) -> Cell { var c = Cell(m.rawValue); c.marker = m; return c }
        public static let missingText = "(missing)"
        public static var missing: Cell { var c = Cell(missingText); c.isMissing = true; return c }
        /// A label or text cell; nil is missing.
        static func label(_ text: String?) -> Cell { text.map { Cell($0) } ?? .missing }
        /// A group's key: a number key's label carries its number.
        static func key(_ text: String?, numeric: Bool) -> Cell {
            guard let t = text else { return .missing }
            return numeric ? Cell(t, number: Double(t)) : Cell(t)
        }
        /// As a table or Markdown shows it: a text that reads like the
        /// missing marker is quoted, so the two cannot be confused; so is a
        /// label with spaces at its start or end ("Met " beside "Met"),
        /// which a table's padding would hide. CSV and JSON keep `text`.
        public var shown: String {
            guard !isMissing, number == nil, marker == nil else { return text }
            // Control characters (a tab) are shown escaped already.
            func blank(_ c: Character?) -> Bool { c.map { $0.isWhitespace && !($0.asciiValue.map { $0 < 0x20 } ?? false) } ?? false }
            let edged = blank(text.first) || blank(text.last)
            return text == Cell.missingText || edged ? "\"" + text + "\"" : text
        }
    }
    public var header: [String]
    public var rows: [[Cell]]
    /// Rows after this index are totals, drawn below a rule.
    public var totalRows: Int = 0
    public var footer: [String]
    /// `with bars`: each row's bar as a share of the largest (nil: none),
    /// drawn as a last column by each format at its own width (Bars.swift).
    public var bars: [Double?]? = nil
    /// Published with suppression or rounding: its footer says what [c]
    /// means and which rule and audit applied, which a CSV or TSV file of
    /// it must carry beside it (`misq run --out`: NAME.notes.txt).
    public var disclosure = false

    static func value(_ v: Double, integer: Bool, date: Bool = false) -> Cell {
        if v.isNaN { return .missing }
        // A date is text in every format: "2024-04-30", never a day number.
        if date { return Cell(Day.isoOrMissing(v)) }
        // Whole values print whole even from an average or median.
        return Cell(integer ? NumberFormat.grouped(v, decimals: 0) : NumberFormat.figure(v), number: v)
    }

    static func percent(_ v: Double, of base: Double) -> Cell {
        guard base != 0, !v.isNaN else { return .missing }
        return percent(100 * v / base)
    }

    /// A value already in percent.
    static func percent(_ p: Double) -> Cell {
        guard !p.isNaN else { return .missing }
        return Cell(NumberFormat.percent(p), number: p, isPercent: true)
    }

    public init(header: [String], rows: [[Cell]], totalRows: Int = 0, footer: [String]) {
        self.header = header; self.rows = rows; self.totalRows = totalRows; self.footer = footer
    }

    public init(_ r: QueryResult) {
        footer = r.footer.lines
        switch r.body {
        case .scalar(let v):
            header = [r.valueName]
            rows = [[r.valueIsPercent ? Grid.percent(v) : Grid.value(v, integer: r.valueIsInteger, date: r.valueIsDate)]]
        case .rows(let rr):
            header = rr.columns
            rows = rr.rows.map { row in row.enumerated().map { k, t in
                guard let t = t else { return .missing }
                if rr.numericColumns.contains(k), let v = Double(t) { return Cell(t, number: v) }
                return Cell(t)
            } }
            footer += Grid.shownNote(rr)
        case .groups(let g):
            if let p = g.suppression {
                disclosure = true
                (header, rows, totalRows) = Grid.suppressed(g, p, integer: r.valueIsInteger, valueName: r.valueName)
                footer += Grid.markerLines(rows)
                return
            }
            let integer = r.valueIsInteger, date = r.valueIsDate
            let blanks = [Cell](repeating: Cell(""), count: max(0, g.keyNames.count - 1))
            defer { if r.withBars, g.acrossName == nil { addBars(g, r) } }
            if !g.valueColumns.isEmpty {
                (header, rows, totalRows) = Grid.columns(g, blanks: blanks)
            } else if g.acrossName == nil {
                header = g.keyNames + [r.valueName] + (g.withPercent ? ["percent"] : [])
                rows = g.rows.map { row in
                    row.keys.enumerated().map { Cell.key($1, numeric: g.numericKeys.contains($0)) } + [Grid.value(row.values[0], integer: integer, date: date)]
                        + (g.withPercent ? [Grid.percent(row.values[0], of: g.grandTotal)] : [])
                }
                if g.withTotal {
                    rows.append([Cell("Total")] + blanks + [Grid.value(g.grandTotal, integer: integer, date: date)]
                                + (g.withPercent ? [Grid.percent(g.grandTotal, of: g.grandTotal)] : []))
                    totalRows = 1
                }
            } else {
                var head = g.keyNames
                for label in g.acrossLabels { head.append(label); if g.withPercent { head.append(label + " %") } }
                if g.withTotal { head.append("Total") }
                header = head
                rows = g.rows.map { row in
                    var cells = row.keys.enumerated().map { Cell.key($1, numeric: g.numericKeys.contains($0)) }
                    for (j, v) in row.values.enumerated() {
                        cells.append(Grid.value(v, integer: integer, date: date))
                        if g.withPercent { cells.append(Grid.percent(v, of: g.percentBase[j])) }
                    }
                    if g.withTotal { cells.append(Grid.value(row.rowTotal ?? 0, integer: integer, date: date)) }
                    return cells
                }
                if g.withTotal, let totals = g.totals {
                    var cells = [Cell("Total")] + blanks
                    for (j, v) in totals.enumerated() {
                        cells.append(Grid.value(v, integer: integer, date: date))
                        if g.withPercent { cells.append(Grid.percent(v, of: g.percentBase[j])) }
                    }
                    cells.append(Grid.value(g.grandTotal, integer: integer, date: date))
                    rows.append(cells)
                    totalRows = 1
                }
            }
        }
    }

    /// A table with hidden cells: each figure as `published` gives it, a
    /// share hidden with its figure or its base (either would give the
    /// other away), no value `[x]`, a share of 0 `[z]`.
    static func suppressed(_ g: GroupedResult, _ p: SuppressionPattern, integer: Bool, valueName: String) -> ([String], [[Cell]], Int) {
        // With rounding, the figures (and the shares from them) are the rounded ones.
        func shown(_ v: Double) -> Double { p.rounding?.apply(v) ?? v }
        func figure(_ v: Double, _ s: CellStatus) -> Cell {
            if s.isHidden { return .marked(.confidential) }
            if v.isNaN { return .marked(.notAvailable) }
            return value(shown(v), integer: integer)
        }
        func share(_ v: Double, _ s: CellStatus, of base: Double, _ bs: CellStatus) -> Cell {
            if s.isHidden || bs.isHidden { return .marked(.confidential) }
            if v.isNaN || base.isNaN { return .marked(.notAvailable) }
            if shown(base) == 0 { return .marked(.notApplicable) }
            return percent(100 * shown(v) / shown(base))
        }
        let blanks = [Cell](repeating: Cell(""), count: max(0, g.keyNames.count - 1))
        func keys(_ row: GroupRow) -> [Cell] { row.keys.enumerated().map { Cell.key($1, numeric: g.numericKeys.contains($0)) } }
        var rows: [[Cell]] = []
        guard g.acrossName != nil else {
            let header = g.keyNames + [valueName] + (g.withPercent ? ["percent"] : [])
            for (i, row) in g.rows.enumerated() {
                let s = p.cell(i, 0)
                rows.append(keys(row) + [figure(row.values[0], s)] + (g.withPercent ? [share(row.values[0], s, of: g.grandTotal, p.grandTotal)] : []))
            }
            guard g.withTotal else { return (header, rows, 0) }
            rows.append([Cell("Total")] + blanks + [figure(g.grandTotal, p.grandTotal)]
                        + (g.withPercent ? [share(g.grandTotal, p.grandTotal, of: g.grandTotal, p.grandTotal)] : []))
            return (header, rows, 1)
        }
        var header = g.keyNames
        for label in g.acrossLabels { header.append(label); if g.withPercent { header.append(label + " %") } }
        if g.withTotal { header.append("Total") }
        for (i, row) in g.rows.enumerated() {
            var cells = keys(row)
            for (j, v) in row.values.enumerated() {
                cells.append(figure(v, p.cell(i, j)))
                if g.withPercent { cells.append(share(v, p.cell(i, j), of: g.percentBase[j], p.columnTotal(j))) }
            }
            if g.withTotal { cells.append(figure(row.rowTotal ?? .nan, p.rowTotal(i))) }
            rows.append(cells)
        }
        guard g.withTotal, let totals = g.totals else { return (header, rows, 0) }
        var cells = [Cell("Total")] + blanks
        for (j, v) in totals.enumerated() {
            cells.append(figure(v, p.columnTotal(j)))
            if g.withPercent { cells.append(share(v, p.columnTotal(j), of: g.percentBase[j], p.columnTotal(j))) }
        }
        cells.append(figure(g.grandTotal, p.grandTotal))
        rows.append(cells)
        return (header, rows, 1)
    }

    /// What `[x]` and `[z]` mean, when the table uses them (`[c]` is said
    /// by the suppression's own footer line, with its rule).
    static func markerLines(_ rows: [[Cell]]) -> [String] {
        var used = Set<String>()
        for row in rows { for c in row { if let m = c.marker { used.insert(m.rawValue) } } }
        var out: [String] = []
        if used.contains(Marker.notAvailable.rawValue) { out.append("[x] = not available: the data hold no value") }
        if used.contains(Marker.notApplicable.rawValue) { out.append("[z] = not applicable: a share of a total of 0") }
        return out
    }

    /// The bars of `with bars`: the first value column's, scaled to the
    /// largest group shown.
    mutating func addBars(_ g: GroupedResult, _ r: QueryResult) {
        let name = g.valueColumns.first?.name ?? r.valueName
        if g.valueColumns.first?.isDate ?? r.valueIsDate {
            footer.append("bars: none drawn, as '\(name)' holds dates")
            return
        }
        let scaled = Bars.scale(g.rows.map { $0.values.first ?? .nan }, rows: rows.count, valueName: name,
                                firstOf: max(1, g.valueColumns.count))
        bars = scaled.fractions
        footer += scaled.notes
    }

    /// The footer line of a `show` that prints fewer rows than matched.
    static func shownNote(_ rr: RowsResult) -> [String] {
        guard rr.table.count < rr.matched else { return [] }
        return ["note: \(NumberFormat.grouped(Double(rr.table.count), decimals: 0)) of \(NumberFormat.grouped(Double(rr.matched), decimals: 0)) matching rows shown"]
    }

    /// Several value columns, each in its own format; with `with percent`,
    /// each count's share of its own column's total follows it.
    static func columns(_ g: GroupedResult, blanks: [Cell]) -> ([String], [[Cell]], Int) {
        let cols = g.valueColumns
        func cell(_ v: Double, _ c: ValueColumn) -> Cell { c.isPercent ? percent(v) : value(v, integer: c.isInteger, date: c.isDate) }
        func cells(_ values: [Double]) -> [Cell] {
            var out: [Cell] = []
            for (j, c) in cols.enumerated() where j < values.count {
                out.append(cell(values[j], c))
                if g.withPercent { out.append(percent(values[j], of: j < g.percentBase.count ? g.percentBase[j] : .nan)) }
            }
            return out
        }
        let header = g.keyNames + cols.flatMap { g.withPercent ? [$0.name, $0.name + " %"] : [$0.name] }
        var rows = g.rows.map { row in row.keys.enumerated().map { Cell.key($1, numeric: g.numericKeys.contains($0)) } + cells(row.values) }
        if g.withTotal, let totals = g.totals {
            rows.append([Cell("Total")] + blanks + cells(totals))
            return (header, rows, 1)
        }
        return (header, rows, 0)
    }
}
