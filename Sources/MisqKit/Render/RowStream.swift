/// A `show`'s rows written straight from the columns into a large output
/// buffer, handed to `sink` each time it fills: no text per row, no grid of
/// cells, so an export of ten million rows takes the memory of one buffer.
/// Every byte is the one `Renderer` writes for the same result (the cells
/// are made by the same functions, each distinct value of a coded column
/// once); `RowStreamTests` hold the two to each other.
public enum RowStream {
    /// The formats written this way; others (Markdown) go through `Grid`.
    public static func streams(_ format: OutputFormat) -> Bool { format != .markdown }

    /// Writes `r`, a `show`'s rows, as `format`. `before` is written first
    /// (a question heading); with JSON, `jsonKeys` go just inside the
    /// object's brace and the object ends without a line break when
    /// `jsonNewline` is false (as `misq run` frames its array). False when
    /// `sink` refused a buffer (the output failed): writing stops there.
    @discardableResult
    public static func write(_ r: QueryResult, as format: OutputFormat, rawCells: Bool = false, before: String = "",
                             jsonKeys: String = "", jsonNewline: Bool = true,
                             to sink: @escaping (UnsafeRawBufferPointer) -> Bool) -> Bool {
        write(r, as: format, rawCells: rawCells, before: before, jsonKeys: jsonKeys, jsonNewline: jsonNewline, cachedCodes: CellWriter.cachedCodes, to: sink)
    }

    /// `cachedCodes`: see `CellWriter` (tests take both paths).
    static func write(_ r: QueryResult, as format: OutputFormat, rawCells: Bool, before: String, jsonKeys: String, jsonNewline: Bool,
                      cachedCodes: Int, to sink: @escaping (UnsafeRawBufferPointer) -> Bool) -> Bool {
        guard case .rows(let rr) = r.body else { return false }
        let out = OutputBuffer(sink)
        out.append(before)
        let footer = r.footer.lines + Grid.shownNote(rr)
        let writer = CellWriter(rr, format: format, rawCells: rawCells, cachedCodes: cachedCodes)
        switch format {
        case .csv, .tsv, .markdown:
            let sep = format == .tsv ? "\t" : ","
            out.append(rr.columns.map { Renderer.field($0, separator: Character(sep), rawCells: rawCells) }.joined(separator: sep) + "\n")
            let sepByte = UInt8(ascii: format == .tsv ? "\t" : ",")
            rr.table.forEachRow { row in
                for k in 0..<writer.columns.count {
                    if k > 0 { out.byte(sepByte) }
                    writer.write(k, row, out)
                }
                out.byte(UInt8(ascii: "\n"))
                return !out.failed
            }
        case .json:
            out.append("{" + jsonKeys + "\n  \"columns\": [" + rr.columns.map(JSONOutput.quote).joined(separator: ", ") + "],\n  \"rows\": [\n")
            let keys = rr.columns.map { JSONOutput.quote($0) + ": " }
            var first = true
            rr.table.forEachRow { row in
                out.append(first ? "    {" : ",\n    {")
                first = false
                for k in 0..<writer.columns.count {
                    if k > 0 { out.append(", ") }
                    out.append(keys[k])
                    writer.write(k, row, out)
                }
                out.byte(UInt8(ascii: "}"))
                return !out.failed
            }
            out.append("\n  ],\n  \"footer\": [" + footer.map(JSONOutput.quote).joined(separator: ", ") + "]\n}" + (jsonNewline ? "\n" : ""))
            return out.finish()
        case .table:
            table(rr, writer, footer, out)
            return out.finish()
        }
        return out.finish()
    }

    /// The terminal table as `BoxTable` draws it with no row or width
    /// limit: one pass for the columns' widths, one to write.
    static func table(_ rr: RowsResult, _ writer: CellWriter, _ footer: [String], _ out: OutputBuffer) {
        let header = rr.columns.map { BoxTable.cut(TerminalText.escape($0)) }
        var w = header.map(\.width)
        var numeric = [Bool](repeating: false, count: w.count)
        rr.table.forEachRow { row in
            for k in 0..<w.count {
                let (width, number) = writer.tableWidth(k, row)
                if width > w[k] { w[k] = width }
                if number { numeric[k] = true }
            }
            return true
        }
        func line(_ l: String, _ m: String, _ r: String) -> String {
            l + w.map { String(repeating: "─", count: $0 + 2) }.joined(separator: m) + r + "\n"
        }
        func pad(_ text: String, _ width: Int, _ k: Int, right: Bool) -> String {
            let fill = String(repeating: " ", count: max(0, w[k] - width))
            return right ? fill + text : text + fill
        }
        out.append(line("┌", "┬", "┐"))
        out.append("│" + header.enumerated().map { " " + pad($1.text, $1.width, $0, right: numeric[$0]) + " " }.joined(separator: "│") + "│\n")
        out.append(line("├", "┼", "┤"))
        let bar = Array("│".utf8)
        rr.table.forEachRow { row in
            out.bytes(bar)
            for k in 0..<w.count {
                out.byte(UInt8(ascii: " "))
                writer.tableCell(k, row, width: w[k], out)
                out.byte(UInt8(ascii: " "))
                out.bytes(bar)
            }
            out.byte(UInt8(ascii: "\n"))
            return !out.failed
        }
        out.append(line("└", "┴", "┘"))
        for f in footer { out.append(TerminalText.escape(f) + "\n") }
    }
}

/// Writes one format's cells: a coded column's texts made once per code
/// (kept for columns of at most `cachedCodes` codes; an id column's
/// millions of values are each made as they are met, most only once).
final class CellWriter {
    let columns: [RowColumn]
    let numeric: [Bool]
    let format: OutputFormat
    let rawCells: Bool
    static let cachedCodes = 1 << 16
    /// Per column: each code's bytes, made on first use.
    private var cache: [[[UInt8]?]]
    /// Per column, for the table: each code's display width.
    private var widths: [[Int]]

    init(_ rr: RowsResult, format: OutputFormat, rawCells: Bool, cachedCodes: Int) {
        columns = rr.table.columns
        numeric = columns.indices.map { rr.numericColumns.contains($0) }
        self.format = format
        self.rawCells = rawCells
        cache = columns.map { c in
            if case .coded(let n, _, _) = c, n <= cachedCodes { return [[UInt8]?](repeating: nil, count: n) }
            return []
        }
        widths = cache.map { [Int](repeating: -1, count: $0.count) }
    }

    /// The grid cell `Grid` makes for a value: a number column's text
    /// carries its number.
    private func gridCell(_ k: Int, _ text: String?) -> Grid.Cell {
        guard let t = text else { return .missing }
        if numeric[k], let v = Double(t) { return Grid.Cell(t, number: v) }
        return Grid.Cell(t)
    }

    /// The cell as the format writes it (the table: shown and cut, unpadded).
    private func formatted(_ c: Grid.Cell) -> String {
        switch format {
        case .csv, .markdown: return Renderer.cell(c, separator: ",", rawCells: rawCells)
        case .tsv: return Renderer.cell(c, separator: "\t", rawCells: rawCells)
        case .json: return JSONOutput.value(c)
        case .table: return BoxTable.cut(TerminalText.escape(c.shown)).text
        }
    }

    func write(_ k: Int, _ row: Int, _ out: OutputBuffer) {
        switch columns[k] {
        case .number:
            out.append(formatted(gridCell(k, columns[k].text(row))))
        case .coded(_, let text, let code):
            let c = code(row)
            if c < 0 { return out.append(formatted(.missing)) }
            if c < cache[k].count {
                if let b = cache[k][c] { return out.bytes(b) }
                let b = Array(formatted(gridCell(k, text(c))).utf8)
                cache[k][c] = b
                return out.bytes(b)
            }
            let t = text(c)
            if !numeric[k], plain(t) {
                if format == .json { out.byte(UInt8(ascii: "\"")); out.append(t); out.byte(UInt8(ascii: "\"")) } else { out.append(t) }
                return
            }
            out.append(formatted(gridCell(k, t)))
        }
    }

    /// Whether a text value is written as it is in this format: printable
    /// ASCII with none of the format's special bytes, not one a
    /// spreadsheet takes for a formula, not "(missing)" in a table.
    private func plain(_ t: String) -> Bool {
        let check: (UnsafeBufferPointer<UInt8>) -> Bool = { b in
            guard let first = b.first else { return self.format != .table }
            switch self.format {
            case .csv, .tsv, .markdown:
                if !self.rawCells, first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: "@") {
                    return false
                }
                let special: (UInt8, UInt8) = self.format == .tsv ? (UInt8(ascii: "\\"), UInt8(ascii: "\\")) : (UInt8(ascii: ","), UInt8(ascii: "\""))
                for x in b where x < 0x20 || x > 0x7E || x == special.0 || x == special.1 { return false }
                return true
            case .json:
                for x in b where x < 0x20 || x > 0x7E || x == UInt8(ascii: "\"") || x == UInt8(ascii: "\\") { return false }
                return true
            case .table:
                if b.count > BoxTable.maxCellWidth || b.count == 9 { return false }  // "(missing)" is nine
                for x in b where x < 0x20 || x > 0x7E { return false }
                return true
            }
        }
        return t.utf8.withContiguousStorageIfAvailable(check) ?? false
    }

    /// The display width of a table cell, and whether it is a number.
    func tableWidth(_ k: Int, _ row: Int) -> (Int, Bool) {
        switch columns[k] {
        case .number:
            let c = gridCell(k, columns[k].text(row))
            return (BoxTable.cut(TerminalText.escape(c.shown)).width, c.number != nil)
        case .coded(_, let text, let code):
            let c = code(row)
            if c < 0 { return (BoxTable.cut(Grid.Cell.missingText).width, false) }
            if c < widths[k].count {
                if widths[k][c] < 0 { widths[k][c] = tableShown(k, text(c)).width }
                return (widths[k][c], numeric[k] && Double(text(c)) != nil)
            }
            let t = text(c)
            if !numeric[k], plain(t) { return (t.utf8.count, false) }
            let g = gridCell(k, t)
            return (BoxTable.cut(TerminalText.escape(g.shown)).width, g.number != nil)
        }
    }

    private func tableShown(_ k: Int, _ text: String?) -> (text: String, width: Int, number: Bool) {
        let g = gridCell(k, text)
        let s = BoxTable.cut(TerminalText.escape(g.shown))
        return (s.text, s.width, g.number != nil)
    }

    /// A table cell padded to `width`: numbers to the right.
    func tableCell(_ k: Int, _ row: Int, width: Int, _ out: OutputBuffer) {
        let s: (text: String, width: Int, number: Bool)
        if case .coded(_, let text, let code) = columns[k] {
            let c = code(row)
            if c >= 0, c >= widths[k].count, !numeric[k] {
                let t = text(c)
                if plain(t) { out.append(t); out.spaces(width - t.utf8.count); return }
            }
            if c >= 0, c < cache[k].count, !numeric[k] {
                if cache[k][c] == nil { let sh = tableShown(k, text(c)); cache[k][c] = Array(sh.text.utf8); widths[k][c] = sh.width }
                if let b = cache[k][c] { out.bytes(b); out.spaces(width - widths[k][c]); return }
            }
            s = tableShown(k, c < 0 ? nil : text(c))
        } else {
            s = tableShown(k, columns[k].text(row))
        }
        if s.number { out.spaces(width - s.width); out.append(s.text) } else { out.append(s.text); out.spaces(width - s.width) }
    }
}

/// Bytes gathered into one large buffer and handed on when it fills. After
/// the sink refuses a buffer nothing more is gathered.
final class OutputBuffer {
    static let capacity = 1 << 20
    private let sink: (UnsafeRawBufferPointer) -> Bool
    private let base = UnsafeMutablePointer<UInt8>.allocate(capacity: OutputBuffer.capacity)
    private var used = 0
    private(set) var failed = false

    init(_ sink: @escaping (UnsafeRawBufferPointer) -> Bool) { self.sink = sink }
    deinit { base.deallocate() }

    private func flush() {
        if used > 0, !failed, !sink(UnsafeRawBufferPointer(start: base, count: used)) { failed = true }
        used = 0
    }

    /// Hands on what is left; false if any buffer was refused.
    func finish() -> Bool { flush(); return !failed }

    @inline(__always) func byte(_ b: UInt8) {
        if used == OutputBuffer.capacity { flush() }
        base[used] = b
        used &+= 1
    }

    func raw(_ p: UnsafeBufferPointer<UInt8>) {
        guard let src = p.baseAddress, p.count > 0 else { return }
        if used + p.count > OutputBuffer.capacity { flush() }
        if p.count > OutputBuffer.capacity {
            if !failed, !sink(UnsafeRawBufferPointer(p)) { failed = true }
            return
        }
        (base + used).update(from: src, count: p.count)
        used += p.count
    }

    func bytes(_ b: [UInt8]) { b.withUnsafeBufferPointer { raw($0) } }

    func append(_ s: String) {
        if s.utf8.withContiguousStorageIfAvailable({ raw($0) }) == nil { bytes(Array(s.utf8)) }
    }

    func spaces(_ n: Int) { for _ in 0..<max(0, n) { byte(UInt8(ascii: " ")) } }
}
