import Foundation

/// `misq audit TABLE.csv`: a table published elsewhere, audited as a reader
/// could attack it. The CSV is as misq writes one (`--format csv`) or a
/// spreadsheet exports one: a header row, key columns first (text), then
/// figures with `[c]` for a hidden cell; a last column headed `Total`
/// holds row totals, and a row whose first cell is `Total` the column
/// totals. Every figure published is an equation; a hidden cell is an
/// unknown of at least 0. A published table does not say which `[c]` a
/// rule hid and which hide others, so every hidden cell is held to the
/// width: more than one value (`required`).
extension RunAudit {
    public static func csv(_ path: String, required: Double = 1) throws -> RunAudit {
        let text = String(decoding: try CSVFile.read(path), as: UTF8.self)
        let rows = PublishedCSV.records(text)
        let name = (path as NSString).lastPathComponent
        guard let header = rows.first, rows.count >= 2 else {
            throw MisqError(.data, "'\(name)' has no table to audit: a header row and at least one row of figures are needed",
                            suggestion: "misq run FILE.misq --format csv writes one")
        }
        func figure(_ s: String) -> Double? { Double(s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")) }
        func hidden(_ s: String) -> Bool { s.trimmingCharacters(in: .whitespaces).lowercased() == "[c]" }
        let body = rows.dropFirst().filter { !$0.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        let isTotalRow = { (r: [String]) in r.first?.trimmingCharacters(in: .whitespaces).lowercased() == "total" }
        let data = body.filter { !isTotalRow($0) }
        // Key columns: the first (a table has one: it may hold numbers, such
        // as years), then each leading one with no figure or [c] in any data row.
        var keys = 1
        while keys < header.count, data.allSatisfy({ keys >= $0.count || (figure($0[keys]) == nil && !hidden($0[keys])) }) { keys += 1 }
        guard keys >= 1, keys < header.count else {
            throw MisqError(.data, "'\(name)': no column of figures after the key columns (a figure is a number, or [c] for one hidden)",
                            suggestion: "a header row, then e.g. force,allegations and Kent,12 or Kent,[c]")
        }
        let hasRowTotals = header.count - keys >= 2 && header.last?.trimmingCharacters(in: .whitespaces).lowercased() == "total"
        // `with percent` writes `NAME %` after `NAME`: a share of its
        // column's total, not a count. Not an equation of the counts (as one
        // it made every programme infeasible, and every cell "ok"); a
        // percentage published beside a hidden count states that count, which
        // is checked below.
        let trimmed = header.map { $0.trimmingCharacters(in: .whitespaces) }
        var percentOf: [Int: Int] = [:]
        for c in keys..<(header.count - (hasRowTotals ? 1 : 0)) where c > keys && trimmed[c].hasSuffix(" %") && String(trimmed[c].dropLast(2)) == trimmed[c - 1] {
            percentOf[c] = c - 1
        }
        let countColumns = (keys..<(header.count - (hasRowTotals ? 1 : 0))).filter { percentOf[$0] == nil }
        let width = countColumns.count
        var values: [Double] = [], cells: [TableModel.Cell] = [], status: [CellStatus] = []
        func add(_ text: String, _ members: [Int], _ label: String, total: Bool, at line: Int) throws {
            if hidden(text) { status.append(.primary); cells.append(.init(value: 0, members: members, additive: true, label: label, isTotal: total)); return }
            guard let v = figure(text) else {
                throw MisqError(.data, "'\(name)' line \(line): '\(text)' under \(label) is neither a figure nor [c]",
                                suggestion: "write the figure, or [c] where it is hidden")
            }
            status.append(.published)
            cells.append(.init(value: v, members: members, additive: true, label: label, isTotal: total))
        }
        let lineOf = { (r: [String]) in (rows.firstIndex { $0 == r } ?? 0) + 1 }
        for (i, r) in data.enumerated() {
            let key = zip(header.prefix(keys), r.prefix(keys)).map { "\($0)=\($1)" }.joined(separator: ", ")
            for (j, c) in countColumns.enumerated() {
                values.append(0)
                let label = width > 1 ? "\(key), \(header[c])" : key
                try add(c < r.count ? r[c] : "", [i * width + j], label, total: false, at: lineOf(r))
            }
        }
        // Inner cells stated outright are known; a hidden one is a value the audit solves for.
        for (k, s) in status.enumerated() where s == .published { values[k] = cells[k].value }
        if hasRowTotals {
            for (i, r) in data.enumerated() where header.count - 1 < r.count {
                let key = zip(header.prefix(keys), r.prefix(keys)).map { "\($0)=\($1)" }.joined(separator: ", ")
                try add(r[header.count - 1], Array(i * width..<(i + 1) * width), key + ", Total", total: true, at: lineOf(r))
            }
        }
        for r in body where isTotalRow(r) {
            for (j, c) in countColumns.enumerated() where c < r.count {
                try add(r[c], data.indices.map { $0 * width + j }, width > 1 ? "Total, \(header[c])" : "Total", total: true, at: lineOf(r))
            }
            if hasRowTotals, header.count - 1 < r.count, width > 1 {
                try add(r[header.count - 1], Array(values.indices), "Total", total: true, at: lineOf(r))
            }
        }
        let model = TableModel(values: values, cells: cells)
        var audit = Audit.run(model, status, requiredWidth: required)
        // No table of counts agrees with the published figures (a column that
        // is not counts, a total that is not its cells' sum): an error, never "ok".
        if audit.intervals.contains(where: { !$0.low.isFinite || $0.high.isNaN }) {
            throw MisqError(.data, "'\(name)': no table of counts agrees with its published figures, so it cannot be audited: a Total is not the sum of its cells, or a column holds something other than counts ("
                            + countColumns.map { "'\(header[$0])'" }.joined(separator: ", ") + " were read as counts)",
                            suggestion: "audit the CSV misq wrote (misq run FILE.misq --format csv), or remove the columns that are not counts")
        }
        // A percentage published beside a hidden count gives the count back:
        // the column's total times it, or another published count of the
        // column scaled by their percentages' ratio.
        for (pc, cc) in percentOf.sorted(by: { $0.key < $1.key }) {
            guard let j = countColumns.firstIndex(of: cc) else { continue }
            let total = body.first(where: isTotalRow).flatMap { cc < $0.count ? figure($0[cc]) : nil }
            let base = data.lazy.compactMap { r -> Double? in
                guard cc < r.count, pc < r.count, let c = figure(r[cc]), let p = figure(r[pc]), p > 0 else { return nil }
                return c / p * 100
            }.first
            for (i, r) in data.enumerated() where cc < r.count && pc < r.count && hidden(r[cc]) {
                guard let p = figure(r[pc]), let at = audit.intervals.firstIndex(where: { $0.index == i * width + j }) else { continue }
                let v = (total ?? base).map { Audit.whole(p * $0 / 100) } ?? .nan
                audit.intervals[at].cell += " (its '\(header[pc])' is published: \(r[pc]))"
                audit.intervals[at].low = v
                audit.intervals[at].high = v
            }
        }
        var table = TableAudit(label: name + " (every [c] held to the width: a published table does not say which cells a rule hid)",
                               together: [], intervals: audit.intervals)
        table.markersOnly = true
        return RunAudit(tables: [table])
    }
}

/// Records of a CSV text (RFC 4180: quoted fields, doubled quotes, CRLF).
enum PublishedCSV {
    static func records(_ text: String) -> [[String]] {
        var out: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if quoted {
                if c == "\"" {
                    let n = text.index(after: i)
                    if n < text.endIndex, text[n] == "\"" { field.append("\""); i = n } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\n" || c == "\r\n" || c == "\r" { row.append(field); out.append(row); row = []; field = "" }
            else { field.append(c) }
            i = text.index(after: i)
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); out.append(row) }
        return out
    }
}
