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
        let width = header.count - keys - (hasRowTotals ? 1 : 0)
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
            for j in 0..<width {
                values.append(0)
                let label = width > 1 ? "\(key), \(header[keys + j])" : key
                try add(keys + j < r.count ? r[keys + j] : "", [i * width + j], label, total: false, at: lineOf(r))
            }
        }
        // Inner cells stated outright are known; a hidden one is a value the audit solves for.
        for (k, s) in status.enumerated() where s == .published { values[k] = cells[k].value }
        if hasRowTotals {
            for (i, r) in data.enumerated() where keys + width < r.count {
                let key = zip(header.prefix(keys), r.prefix(keys)).map { "\($0)=\($1)" }.joined(separator: ", ")
                try add(r[keys + width], Array(i * width..<(i + 1) * width), key + ", Total", total: true, at: lineOf(r))
            }
        }
        for r in body where isTotalRow(r) {
            for j in 0..<width where keys + j < r.count {
                try add(r[keys + j], data.indices.map { $0 * width + j }, width > 1 ? "Total, \(header[keys + j])" : "Total", total: true, at: lineOf(r))
            }
            if hasRowTotals, keys + width < r.count, width > 1 {
                try add(r[keys + width], Array(values.indices), "Total", total: true, at: lineOf(r))
            }
        }
        let model = TableModel(values: values, cells: cells)
        let audit = Audit.run(model, status, requiredWidth: required)
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
