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
            batches(rr.table, writer) { rows in
                for (j, row) in rows.enumerated() {
                    for k in 0..<writer.columns.count {
                        if k > 0 { out.byte(sepByte) }
                        writer.write(k, j, row, out)
                    }
                    out.byte(UInt8(ascii: "\n"))
                }
                return !out.failed
            }
        case .json:
            out.append("{" + jsonKeys + "\n  \"columns\": [" + rr.columns.map(JSONOutput.quote).joined(separator: ", ") + "],\n  \"rows\": [\n")
            let keys = rr.columns.map { JSONOutput.quote($0) + ": " }
            var first = true
            batches(rr.table, writer) { rows in
                for (j, row) in rows.enumerated() {
                    out.append(first ? "    {" : ",\n    {")
                    first = false
                    for k in 0..<writer.columns.count {
                        if k > 0 { out.append(", ") }
                        out.append(keys[k])
                        writer.write(k, j, row, out)
                    }
                    out.byte(UInt8(ascii: "}"))
                }
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

    /// The shown rows a batch at a time, each batch's codes read by the
    /// writer first (one call a column, not one a cell); stops when `body`
    /// returns false.
    static func batches(_ t: RowTable, _ writer: CellWriter, _ body: (UnsafeBufferPointer<Int>) -> Bool) {
        var rows: [Int] = []
        rows.reserveCapacity(CellWriter.batch)
        var going = true
        func flush() {
            rows.withUnsafeBufferPointer { b in
                writer.load(b)
                going = body(b)
            }
            rows.removeAll(keepingCapacity: true)
        }
        t.forEachRow { r in
            rows.append(r)
            if rows.count == CellWriter.batch { flush() }
            return going
        }
        if going, !rows.isEmpty { flush() }
    }

    /// The terminal table as `BoxTable` draws it with no row or width
    /// limit: one pass for the columns' widths, one to write.
    static func table(_ rr: RowsResult, _ writer: CellWriter, _ footer: [String], _ out: OutputBuffer) {
        let header = rr.columns.map { BoxTable.cut(TerminalText.escape($0)) }
        var w = header.map(\.width)
        var numeric = [Bool](repeating: false, count: w.count)
        batches(rr.table, writer) { rows in
            for (j, row) in rows.enumerated() {
                for k in 0..<w.count {
                    let (width, number) = writer.tableWidth(k, j, row)
                    if width > w[k] { w[k] = width }
                    if number { numeric[k] = true }
                }
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
        batches(rr.table, writer) { rows in
            for (j, row) in rows.enumerated() {
                out.bytes(bar)
                for k in 0..<w.count {
                    out.byte(UInt8(ascii: " "))
                    writer.tableCell(k, j, row, width: w[k], out)
                    out.byte(UInt8(ascii: " "))
                    out.bytes(bar)
                }
                out.byte(UInt8(ascii: "\n"))
            }
            return !out.failed
        }
        out.append(line("└", "┴", "┘"))
        for f in footer { out.append(TerminalText.escape(f) + "\n") }
    }
}

/// Writes one format's cells: a coded column's texts made once per code
/// and kept (for columns of at most `cachedCodes` codes; an id column's
/// millions of values are each made as they are met, most only once).
final class CellWriter {
    static let cachedCodes = 1 << 16
    static let batch = 2048
    let columns: [RowColumn]
    let numeric: [Bool]
    let format: OutputFormat
    let rawCells: Bool
    /// Per column, the batch's codes (`load`).
    private let codes: UnsafeMutablePointer<Int32>
    /// Per column kept: each code's bytes and display width, made on first use.
    private let kept: [KeptCells?]

    init(_ rr: RowsResult, format: OutputFormat, rawCells: Bool, cachedCodes: Int) {
        columns = rr.table.columns
        numeric = columns.indices.map { rr.numericColumns.contains($0) }
        self.format = format
        self.rawCells = rawCells
        codes = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, columns.count) * CellWriter.batch)
        kept = columns.enumerated().map { k, c in
            if case .coded(let n, _, _, _) = c, n <= cachedCodes, !rr.numericColumns.contains(k) { return KeptCells(n) }
            return nil
        }
    }

    deinit { codes.deallocate() }

    /// Reads the codes of a batch of rows, column by column.
    func load(_ rows: UnsafeBufferPointer<Int>) {
        for (k, c) in columns.enumerated() {
            if case .coded(_, _, _, let read) = c { read(rows, codes + k * CellWriter.batch) }
        }
    }

    @inline(__always) private func code(_ k: Int, _ j: Int) -> Int { Int(codes[k &* CellWriter.batch &+ j]) }

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

    private func tableShown(_ k: Int, _ text: String?) -> (text: String, width: Int, number: Bool) {
        let g = gridCell(k, text)
        let s = BoxTable.cut(TerminalText.escape(g.shown))
        return (s.text, s.width, g.number != nil)
    }

    /// The kept bytes of code `c` of column `k`, made now if not yet.
    @inline(__always) private func keptCell(_ cells: KeptCells, _ k: Int, _ c: Int) -> Int {
        if cells.has(c) { return c }
        guard case .coded(_, let text, _, _) = columns[k] else { return c }
        if format == .table {
            let s = tableShown(k, text(c))
            cells.set(c, s.text, width: s.width)
        } else {
            cells.set(c, formatted(gridCell(k, text(c))), width: 0)
        }
        return c
    }

    /// Row `row`'s cell of column `k`; `j` is the row's place in the batch.
    func write(_ k: Int, _ j: Int, _ row: Int, _ out: OutputBuffer) {
        switch columns[k] {
        case .number:
            out.append(formatted(gridCell(k, columns[k].text(row))))
        case .coded(_, let text, _, _):
            let c = code(k, j)
            if c < 0 { return out.append(formatted(.missing)) }
            if let cells = kept[k] { return cells.write(keptCell(cells, k, c), out) }
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
        let format = self.format, rawCells = self.rawCells
        return t.utf8.withContiguousStorageIfAvailable { b in
            guard let first = b.first else { return format != .table }
            switch format {
            case .csv, .tsv, .markdown:
                if !rawCells, first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: "@") {
                    return false
                }
                let special: (UInt8, UInt8) = format == .tsv ? (UInt8(ascii: "\\"), UInt8(ascii: "\\")) : (UInt8(ascii: ","), UInt8(ascii: "\""))
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
        } ?? false
    }

    /// The display width of a table cell, and whether it is a number.
    func tableWidth(_ k: Int, _ j: Int, _ row: Int) -> (Int, Bool) {
        switch columns[k] {
        case .number:
            let s = tableShown(k, columns[k].text(row))
            return (s.width, s.number)
        case .coded(_, let text, _, _):
            let c = code(k, j)
            if c < 0 { return (BoxTable.cut(Grid.Cell.missingText).width, false) }
            if let cells = kept[k] { return (cells.width(keptCell(cells, k, c)), false) }
            let t = text(c)
            if !numeric[k], plain(t) { return (t.utf8.count, false) }
            let s = tableShown(k, t)
            return (s.width, s.number)
        }
    }

    /// A table cell padded to `width`: numbers to the right.
    func tableCell(_ k: Int, _ j: Int, _ row: Int, width: Int, _ out: OutputBuffer) {
        let s: (text: String, width: Int, number: Bool)
        if case .coded(_, let text, _, _) = columns[k] {
            let c = code(k, j)
            if c >= 0, let cells = kept[k] {
                let c = keptCell(cells, k, c)
                cells.write(c, out)
                out.spaces(width - cells.width(c))
                return
            }
            if c >= 0, !numeric[k] {
                let t = text(c)
                if plain(t) { out.append(t); out.spaces(width - t.utf8.count); return }
            }
            s = tableShown(k, c < 0 ? nil : text(c))
        } else {
            s = tableShown(k, columns[k].text(row))
        }
        if s.number { out.spaces(width - s.width); out.append(s.text) } else { out.append(s.text); out.spaces(width - s.width) }
    }
}

/// One column's cells as written, by code: the bytes in one growing
/// buffer, each code's place, length and display width beside them.
final class KeptCells {
    private var bytes: [UInt8] = []
    /// Start, length and width of each code; start -1 until made.
    private let spans: UnsafeMutablePointer<Int32>

    init(_ count: Int) {
        spans = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, count) * 3)
        spans.initialize(repeating: -1, count: max(1, count) * 3)
    }

    deinit { spans.deallocate() }

    @inline(__always) func has(_ c: Int) -> Bool { spans[c &* 3] >= 0 }
    @inline(__always) func width(_ c: Int) -> Int { Int(spans[c &* 3 &+ 2]) }

    func set(_ c: Int, _ text: String, width: Int) {
        spans[c * 3] = Int32(truncatingIfNeeded: bytes.count)
        bytes += text.utf8
        spans[c * 3 + 1] = Int32(truncatingIfNeeded: bytes.count) - spans[c * 3]
        spans[c * 3 + 2] = Int32(truncatingIfNeeded: width)
    }

    @inline(__always) func write(_ c: Int, _ out: OutputBuffer) {
        let start = Int(spans[c &* 3]), n = Int(spans[c &* 3 &+ 1])
        bytes.withUnsafeBufferPointer { b in out.raw(UnsafeBufferPointer(rebasing: b[start..<(start + n)])) }
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

    /// A whole number's decimal digits, as `String(v)` writes them, with
    /// no String made.
    func integer(_ v: Int64) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: Int64.min has 20 digits
        var m = v.magnitude
        let n = withUnsafeMutableBytes(of: &digits) { d -> Int in
            var i = d.count
            repeat {
                i -= 1
                d[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: m % 10)
                m /= 10
            } while m > 0
            if v < 0 { i -= 1; d[i] = UInt8(ascii: "-") }
            raw(UnsafeBufferPointer(rebasing: d.bindMemory(to: UInt8.self)[i...]))
            return d.count - i
        }
        _ = n
    }
}
