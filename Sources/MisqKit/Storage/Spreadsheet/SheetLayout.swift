import Foundation

/// Where the table is on a sheet, as the user said (`header row 4`,
/// `range A4:H52`) or as worked out from a published table's shape: title
/// and notes rows above the header, a header of one or two rows, data rows
/// to the first blank row, notes and a "Source:" line below. Everything on
/// the sheet that is not loaded is named in `skipped`, with why.
struct SheetLayout: Sendable {
    /// 0-based rows holding the header (one or two).
    var headerRows: [Int]
    var dataRows: Range<Int>
    var columns: Range<Int>
    /// One sentence per thing left out, for `describe`.
    var skipped: [String] = []
    /// Rows that look like data but are not loaded (below a blank row
    /// that ended the table): said at load and in every result's footer,
    /// not only by `describe`, since a count without them is a different
    /// count.
    var dropped: [String] = []

    /// What the user said of where the table is.
    struct Request: Hashable, Sendable {
        var headerRow: Int?
        var range: (r0: Int, c0: Int, r1: Int, c1: Int)?
        static func == (a: Request, b: Request) -> Bool { a.key == b.key }
        func hash(into h: inout Hasher) { h.combine(key) }
        var key: String {
            (headerRow.map { "h\($0)" } ?? "") + (range.map { "r\($0.r0),\($0.c0),\($0.r1),\($0.c1)" } ?? "")
        }
    }

    /// The text a cell shows in a header or a note.
    static func text(_ v: CellValue) -> String {
        switch v {
        case .text(let s), .error(let s): return s
        case .number(let x): return SheetLayout.numberText(x)
        case .date(let d, _): let c = Day.civil(d); return String(format: "%@-%02d-%02d", Day.year(c.year), c.month, c.day)
        case .bool(let b): return b ? "true" : "false"
        case .time(let t): return SheetTimes.text(t)
        }
    }

    /// A number as text: whole numbers without a point, others as Swift's
    /// shortest form that reads back to the same double.
    static func numberText(_ x: Double) -> String {
        if x.rounded() == x, abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    static func quote(_ s: String) -> String {
        let one = s.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return "'" + (one.count > 60 ? String(one.prefix(57)) + "…" : one) + "'"
    }

    /// Works out the table on `grid`.
    static func find(_ grid: SheetGrid, _ request: Request) throws -> SheetLayout {
        if let r = request.range { return try inRange(grid, r, headerRow: request.headerRow) }
        let all = 0..<max(1, grid.columnEnd)
        let firstRow = grid.runs.first?.row ?? 0
        var skipped: [String] = []
        let header: Int
        if let h = request.headerRow {
            header = h
            guard grid.filled(h, in: all) > 0 else {
                throw MisqError(.data, "row \(h + 1) is empty, so it cannot be the header", suggestion: firstRow < grid.rowEnd ? "the first row with values is row \(firstRow + 1)" : "the sheet has no values")
            }
        } else {
            let found = try detectHeader(grid, all)
            header = found.header
            skipped += found.said
        }
        for run in grid.runs where run.row < header {
            for r in run.row..<min(run.row + run.count, header) {
                skipped.append("row \(r + 1) above the header is not data: \(quote(rowText(grid, r, all)))")
            }
        }
        var headerRows = [header]
        if isSubHeader(grid, header, all) { headerRows.append(header + 1) }
        let start = headerRows.last.map { $0 + 1 } ?? header + 1
        // Data runs to the first blank row.
        var end = start
        for run in grid.runs where run.row + run.count > start {
            if run.row > end { break }
            end = run.row + run.count
        }
        // Notes written straight under the data (no blank row): a
        // `Source:`/`Note` line, or a row filling only the table's first
        // cell with text that reads as a sentence, not as one of the
        // column's values (`trailingNote`).
        let firstColumn = grid.cells(ofRow: header).first?.column ?? 0
        while end > start, isSourceOrNote(grid, end - 1) || trailingNote(grid, end - 1, firstColumn: firstColumn, data: start..<(end - 1), all) {
            end -= 1
        }
        // A last row filling only its first cell that was kept as data:
        // said, since a reader may take it for a note.
        let keptOneCell = end > start && grid.filled(end - 1, in: all) == 1 && grid.cells(ofRow: end - 1).first?.column == firstColumn
            && grid.filled(header, in: all) >= 2
        // Columns: from the leftmost to the rightmost column any header or
        // data row fills.
        var lo = Int.max, hi = 0
        for run in grid.runs where run.row + run.count > header && run.row < end {
            if let f = run.cells.first { lo = min(lo, f.column) }
            if let l = run.cells.last { hi = max(hi, l.column + l.count) }
        }
        if lo >= hi { lo = 0; hi = 1 }
        if keptOneCell {
            let range = CellReference.name(row: header, column: lo) + ":" + CellReference.name(row: end - 2, column: hi - 1)
            skipped.append("row \(end) fills only its first cell (\(quote(rowText(grid, end - 1, all)))) and reads as a value of the column, so it is loaded as a data row with its other cells missing; "
                           + "to leave it out, add `range \(range)` to the load")
        }
        // Below the table: notes (one cell, or a "Source:"/"Note" line),
        // and anything else, which may be data the blank row cut off.
        // A run's rows are identical (ODS's repeated rows): one verdict each.
        var unloaded: [ClosedRange<Int>] = [], right = hi
        for run in grid.runs where run.row + run.count > end {
            let from = max(run.row, end), to = run.row + run.count
            let note = grid.filled(from, in: all) <= 1 || isSourceOrNote(grid, from)
            for r in from..<min(to, from + 50) {
                skipped.append(note ? "row \(r + 1) below the data is a note, not data: \(quote(rowText(grid, r, all)))"
                                    : "row \(r + 1) below the table (after a blank row) is not loaded: \(quote(rowText(grid, r, all)))")
            }
            if to - from > 50 { skipped.append("rows \(from + 51)–\(to) below the table repeat row \(from + 1): not loaded") }
            guard !note else { continue }
            if let last = unloaded.last, last.upperBound + 1 == from { unloaded[unloaded.count - 1] = last.lowerBound...(to - 1) }
            else { unloaded.append(from...(to - 1)) }
            if let l = run.cells.last { right = max(right, l.column + l.count) }
        }
        var dropped: [String] = []
        if let last = unloaded.last?.upperBound {
            let count = unloaded.reduce(0) { $0 + $1.count }
            let range = CellReference.name(row: header, column: lo) + ":" + CellReference.name(row: last, column: min(right, SheetGrid.maxColumns) - 1)
            // A first row below that is all text and as wide as the header
            // may be the real table's header: the words that take it.
            let below = unloaded[0].lowerBound
            let belowCells = grid.cells(ofRow: below)
            let headerBelow = grid.filled(below, in: all) >= max(2, grid.filled(header, in: all))
                && belowCells.allSatisfy({ if case .text = $0.value { return true } else { return false } })
                ? "; or, if row \(below + 1) is the table's header, add `header row \(below + 1)`" : ""
            dropped.append("\(Plural.count(count, "row")) below the table (" + rowList(unloaded)
                           + ") \(count == 1 ? "is" : "are") not loaded: the table ends at the \(grid.filled(end, in: all) == 0 ? "blank row" : "note in row") \(end + 1), so " + (end > start ? "its data is rows \(start + 1)–\(end); " : "it has no data rows; ")
                           + "to load \(count == 1 ? "it" : "them") as part of the table, add `range \(range)` to the load" + headerBelow)
        }
        return SheetLayout(headerRows: headerRows, dataRows: start..<end, columns: lo..<hi, skipped: skipped, dropped: dropped)
    }

    /// The header row when the user gave none. The sheet's first rows
    /// fall into blocks between blank rows; the table is the first block
    /// at least half as wide as the widest, passing over a block of title
    /// and notes rows above a blank row when a later block is wider than
    /// any of its rows (a title with "Back to contents" in D1 and
    /// "Published … | Next update …" in row 2 fills two cells, half of a
    /// four-column table: cold test of issue 22 took row 1 as the header
    /// and left the table out). Within the block, the header is the first
    /// row as wide as half its widest: a title straight above it fills one
    /// cell. `said` names a block passed over, with the words that take it.
    static func detectHeader(_ grid: SheetGrid, _ all: Range<Int>) throws -> (header: Int, said: [String]) {
        struct Block { var first: Int; var last: Int; var widest: Int }
        var blocks: [Block] = []
        for run in grid.runs.prefix(200) {
            let w = grid.filled(run.row, in: all), last = run.row + run.count - 1
            if let b = blocks.last, b.last + 1 == run.row { blocks[blocks.count - 1].last = last; blocks[blocks.count - 1].widest = max(b.widest, w) }
            else { blocks.append(Block(first: run.row, last: last, widest: w)) }
        }
        let widest = blocks.map(\.widest).max() ?? 0
        let least = max(widest == 1 ? 1 : 2, (widest + 1) / 2)
        guard widest > 0, var k = blocks.firstIndex(where: { $0.widest >= least }) else {
            throw MisqError(.data, "the sheet has no values", suggestion: "name another sheet with `sheet \"NAME\"`")
        }
        var said: [String] = []
        // Only text: a table's block holds figures, a title's does not.
        func allText(_ b: Block) -> Bool {
            grid.runs.allSatisfy { run in
                run.row < b.first || run.row > b.last || run.cells.allSatisfy { if case .text = $0.value { return true } else { return false } }
            }
        }
        while allText(blocks[k]), let later = blocks[(k + 1)...].firstIndex(where: { $0.widest > blocks[k].widest }) {
            let b = blocks[k]
            let rows = b.first == b.last ? "row \(b.first + 1)" : "rows \(b.first + 1)–\(b.last + 1)"
            said.append("\(rows), above a blank row, \(b.first == b.last ? "fills" : "fill") at most \(Plural.count(b.widest, "cell")), fewer than the \(blocks[later].widest) of the rows from row \(blocks[later].first + 1): "
                        + "taken as a title, not the table; if the table's header is row \(b.first + 1), add `header row \(b.first + 1)` to the load")
            k = later
        }
        let b = blocks[k], half = max(b.widest == 1 ? 1 : 2, (b.widest + 1) / 2)
        let header = grid.runs.first { $0.row >= b.first && $0.row <= b.last && grid.filled($0.row, in: all) >= half }?.row ?? b.first
        return (header, said)
    }

    /// A user's range: the header its first row (or `headerRow`, inside
    /// it), every other row data, blank or not.
    static func inRange(_ grid: SheetGrid, _ r: (r0: Int, c0: Int, r1: Int, c1: Int), headerRow: Int?) throws -> SheetLayout {
        let header = headerRow ?? r.r0
        guard header >= r.r0, header <= r.r1 else {
            throw MisqError(.data, "header row \(header + 1) is outside the range \(CellReference.name(row: r.r0, column: r.c0)):\(CellReference.name(row: r.r1, column: r.c1))",
                            suggestion: "give a header row inside the range, or leave it out: the range's first row is the header")
        }
        let asked = CellReference.name(row: r.r0, column: r.c0) + ":" + CellReference.name(row: r.r1, column: r.c1)
        // Where the sheet's values are, within the range: a range past
        // them loads nothing (an error), and its rows and columns past
        // them would be rows and columns of nothing (left out, and said).
        var lastRow = -1, lastColumn = -1
        for run in grid.runs where run.row <= r.r1 && run.row + run.count > r.r0 {
            let inside = run.cells.filter { $0.column <= r.c1 && $0.column + $0.count > r.c0 }
            guard let right = inside.last else { continue }
            lastRow = min(run.row + run.count - 1, r.r1)
            lastColumn = max(lastColumn, min(right.column + right.count - 1, r.c1))
        }
        guard lastRow >= 0 else {
            let end = grid.columnEnd
            throw MisqError(.value, "the range \(asked) holds no values",
                            suggestion: grid.rowEnd == 0 ? "the sheet has no values" :
                                "the sheet's values are within A1:\(CellReference.name(row: grid.rowEnd - 1, column: max(end, 1) - 1)); leave out `range` to have the table found")
        }
        guard lastRow >= header else {
            throw MisqError(.value, "the range \(asked) has no values from its header row \(header + 1) on (its last row with values is \(lastRow + 1))",
                            suggestion: "give a range that starts at the table's header row")
        }
        let columns = r.c0..<(lastColumn + 1)
        var skipped: [String] = []
        if lastRow < r.r1 {
            skipped.append("rows \(lastRow + 2)–\(r.r1 + 1) of the range \(asked) are past the sheet's last row with values in it (\(lastRow + 1)): not loaded")
        }
        if lastColumn < r.c1 {
            skipped.append((lastColumn + 1 == r.c1 ? "column \(CellReference.letters(r.c1)) of the range \(asked) holds" : "columns \(CellReference.letters(lastColumn + 1))–\(CellReference.letters(r.c1)) of the range \(asked) hold")
                           + " no values: not loaded")
        }
        if header > r.r0 { skipped.append("rows \(r.r0 + 1)–\(header) of the range are above the header row: not loaded") }
        // One header row, every other row data, as the docs promise: a
        // second header row would take a row of the range from the data,
        // or read names from a row outside it (cold test of issue 22:
        // `range A4:G11` took rows 4–5 as the header; `range A4:G4` named
        // its columns from row 5). A row that looks like a second header
        // row is loaded as asked, and said.
        let headerRows = [header]
        if header < r.r1, isSubHeader(grid, header, columns) {
            skipped.append("row \(header + 2) looks like a second header row (text under row \(header + 1)'s merged or blank cells), but `range` takes one header row: it is loaded as a data row; "
                           + "to take rows \(header + 1)–\(header + 2) as the header, load with `header row \(header + 1)` instead of `range`")
        }
        let start = header + 1
        let outside = grid.runs.contains { run in
            run.row + run.count > 0 && run.cells.contains { $0.column + $0.count > columns.upperBound || $0.column < columns.lowerBound }
        } || grid.runs.contains { $0.row < r.r0 || $0.row + $0.count > r.r1 + 1 }
        if outside { skipped.append("cells outside the range \(asked) are not loaded (as asked)") }
        return SheetLayout(headerRows: headerRows, dataRows: start..<max(start, lastRow + 1), columns: columns, skipped: skipped)
    }

    /// Whether row `h + 1` is the second row of a two-row header: all text,
    /// filling columns row `h` leaves blank or merges over, with data
    /// (some number or date) right under it.
    /// A year written as a number (2019) counts as text under a cell merged
    /// across it: "Cases" over 2019 2020 2021 is a header the publisher
    /// laid out by year, and the merge is the evidence (cold test of issue
    /// 22: the years were loaded as a data row, so a sum gained 2,019).
    static func isSubHeader(_ grid: SheetGrid, _ h: Int, _ columns: Range<Int>) -> Bool {
        let sub = grid.values(ofRow: h + 1, columns: columns)
        let spans = grid.merges.filter { $0.r0 == h && $0.r1 == h && $0.c1 > $0.c0 }
        func headerLike(_ v: CellValue?, _ c: Int) -> Bool {
            switch v {
            case nil, .text?: return true
            case .number(let x)?:
                return x.rounded() == x && (1800...2200).contains(x) && spans.contains { $0.c0 <= c && c <= $0.c1 }
            default: return false
            }
        }
        guard sub.contains(where: { $0 != nil }),
              zip(columns, sub).allSatisfy({ headerLike($1, $0) }) else { return false }
        let top = grid.values(ofRow: h, columns: columns)
        let merged = !spans.isEmpty
        let gapsFilled = zip(top, sub).contains { $0 == nil && $1 != nil }
        guard merged || gapsFilled else { return false }
        let next = grid.values(ofRow: h + 2, columns: columns)
        return next.contains { v in
            switch v { case .number?, .date?: return true; default: return false }
        }
    }

    /// Whether row `r`, straight under the data rows `data`, is a note by
    /// its shape: only the table's first cell is filled, most data rows
    /// above fill more, and its text does not read as one of the column's
    /// values: the column above holds no text (numbers, dates), or the
    /// text is a sentence (ends with a full stop, has a `label: ` part, or
    /// five words or more), or opens with a footnote mark (`*`, `(`, `[`,
    /// `1.`), and is longer than every value of the column above. A short
    /// label like the others (`Devon and Cornwall` under force names)
    /// stays data. By shape, not by words: a publisher's notes are worded
    /// every way (cold test of issue 22: "Footnote 2: x" and "Wiltshire
    /// figures are not available for 2023" were loaded as forces).
    static func trailingNote(_ grid: SheetGrid, _ r: Int, firstColumn: Int, data: Range<Int>, _ all: Range<Int>) -> Bool {
        guard grid.filled(r, in: all) == 1, let cell = grid.cells(ofRow: r).first, cell.column == firstColumn,
              case .text(let raw) = cell.value, SheetTable.marker(raw) == nil else { return false }
        let s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !s.isEmpty else { return false }
        var wide = 0, rows = 0, others = 0, longest = 0
        var labels = Set<String>()
        for row in max(data.lowerBound, data.upperBound - 500)..<data.upperBound {
            rows += 1
            if grid.filled(row, in: all) >= 2 { wide += 1 }
            switch grid.values(ofRow: row, columns: firstColumn..<(firstColumn + 1)).first ?? nil {
            case .text(let t)?:
                if SheetTable.marker(t) == nil { labels.insert(t); longest = max(longest, t.count) }
            case nil, .error?: break
            default: others += 1
            }
        }
        guard rows > 0, wide * 2 > rows, !labels.contains(raw) else { return false }
        if labels.isEmpty { return others > 0 }
        let words = s.split(whereSeparator: \.isWhitespace).count
        let chars = Array(s)
        let footnoteMark = "*([†‡#".contains(chars[0]) || (chars[0].isNumber && chars.count > 1 && (chars[1] == "." || chars[1] == ")"))
        let sentence = s.hasSuffix(".") || s.contains(": ") || s.hasSuffix(":") || words >= 5 || footnoteMark
        return sentence && s.count > longest
    }

    /// Whether row `r` is a source or note line whatever its width (a
    /// "Source:" label with its text in the next cell).
    static func isSourceOrNote(_ grid: SheetGrid, _ r: Int) -> Bool {
        guard case .text(let s)? = grid.cells(ofRow: r).first?.value else { return false }
        let l = s.lowercased().trimmingCharacters(in: .whitespaces)
        return ["source", "sources", "note", "notes", "[note", "*"].contains { l == $0 || l.hasPrefix($0 + ":") || l.hasPrefix($0 + " ") || ($0 == "[note" && l.hasPrefix($0)) }
    }

    /// "rows 7–9 and 12", "row 7".
    static func rowList(_ rows: [ClosedRange<Int>]) -> String {
        let parts = rows.map { $0.count == 1 ? "\($0.lowerBound + 1)" : "\($0.lowerBound + 1)–\($0.upperBound + 1)" }
        let list = parts.count == 1 ? parts[0] : parts.dropLast().joined(separator: ", ") + " and " + (parts.last ?? "")
        return (rows.count == 1 && rows[0].count == 1 ? "row " : "rows ") + list
    }

    static func rowText(_ grid: SheetGrid, _ r: Int, _ columns: Range<Int>) -> String {
        grid.values(ofRow: r, columns: columns).compactMap { $0.map(text) }.joined(separator: " | ")
    }

    /// The header's names: a two-row header joins the two ("2022 Officers"),
    /// the upper row's text carried right over the columns it merges over
    /// or leaves blank. Blank and repeated names are named as a CSV's are.
    func names(_ grid: SheetGrid) -> (names: [String], notes: [String]) {
        var fields = [String](repeating: "", count: columns.count)
        // Columns a merge runs down through both header rows: named once,
        // by the upper row, and not carried right (`Force` merged over A3:A4
        // is not the first half of B's name).
        var mergedDown = Set<Int>()
        if headerRows.count == 2 {
            for m in grid.merges where m.r0 <= headerRows[0] && m.r1 >= headerRows[1] {
                for c in max(m.c0, columns.lowerBound)...max(max(m.c0, columns.lowerBound), min(m.c1, columns.upperBound - 1)) { mergedDown.insert(c) }
            }
        }
        for (k, h) in headerRows.enumerated() {
            var row = grid.values(ofRow: h, columns: columns).map { $0.map(SheetLayout.text) ?? "" }
            // Merged header cells: the value across the merge, and down it
            // (an empty header cell under a cell merged down over it, as
            // `header row 4` under `Force` merged over A3:A4), unless the
            // merge's own row is a header row already naming the column.
            for m in grid.merges where m.r0 <= h && m.r1 >= h && (m.c1 > m.c0 || m.r1 > m.r0) {
                if m.r0 != h, headerRows.contains(m.r0) { continue }
                guard m.c0 < columns.upperBound, m.c1 >= columns.lowerBound else { continue }
                let first = (grid.values(ofRow: m.r0, columns: m.c0..<(m.c0 + 1)).first ?? nil).map(SheetLayout.text) ?? ""
                for c in max(m.c0, columns.lowerBound)...min(m.c1, columns.upperBound - 1) where row[c - columns.lowerBound].isEmpty {
                    row[c - columns.lowerBound] = first
                }
            }
            if k == 0, headerRows.count == 2 {
                var carry = ""
                for c in row.indices {
                    if mergedDown.contains(c + columns.lowerBound) { carry = ""; continue }
                    if row[c].isEmpty { row[c] = carry } else { carry = row[c] }
                }
            }
            for c in fields.indices {
                let t = row[c].split(whereSeparator: \.isWhitespace).joined(separator: " ")
                if !t.isEmpty { fields[c] = fields[c].isEmpty ? t : fields[c] + " " + t }
            }
        }
        // Names are counted from the table's first column, as a CSV's
        // fields are (`column2` is the table's second column); the notes
        // name the sheet's column letters and the header row(s).
        let rows = headerRows.map { String($0 + 1) }.joined(separator: "–")
        return CSVFile.columnNames(fields, untrimmed: fields,
                                   sheet: ({ CellReference.letters(columns.lowerBound + $0) }, "row\(headerRows.count > 1 ? "s" : "") \(rows)"))
    }
}
