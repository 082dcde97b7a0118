import Foundation
@testable import MisqKit

/// misq's answer against the rows of the SQL `misq sql` wrote (long form:
/// keys, across key, value columns, percent, then `misq_row`), cell by
/// cell: counts exactly, other numbers to 1e-9 relative, dates as ISO days,
/// missing as missing; groups in misq's order.
enum SQLAnswerCompare {
    static func differences(_ r: QueryResult, rows: [[Any]]) -> [String] {
        switch r.body {
        case .scalar(let v):
            guard rows.count == 1, let cell = rows[0].first else { return ["\(rows.count) rows for one figure"] }
            return same(v, cell, date: r.valueIsDate) ? [] : ["figure: misq \(show(v, r.valueIsDate)), SQL \(cell)"]
        case .rows(let shown):
            // Rows that tie on the order come in the file's order in misq
            // and in any order from a table: compared as a multiset.
            func key(_ r: [String?]) -> String { r.map { $0 ?? "\u{0}" }.joined(separator: "\u{1}") }
            let sqlRows = rows.map { $0.map(text) }.sorted { key($0) < key($1) }
            let misqRows = shown.rows.sorted { key($0) < key($1) }
            guard sqlRows.count == misqRows.count else { return ["\(misqRows.count) rows in misq, \(sqlRows.count) in SQL"] }
            for (a, b) in zip(misqRows, sqlRows) where a != b { return ["row: misq \(a), SQL \(b)"] }
            return []
        case .groups(let g) where g.keyNames.isEmpty && g.acrossName == nil:
            // Several measures with no keys: one row of figures, no totals.
            guard rows.count == 1, let m = g.rows.first else { return ["\(rows.count) rows for one row of figures"] }
            return zip(m.values, rows[0]).compactMap { a, b in same(a, b, date: r.valueIsDate) ? nil : "figure: misq \(show(a, r.valueIsDate)), SQL \(b)" }
        case .groups(let g):
            return grouped(g, rows, date: r.valueIsDate)
        }
    }

    static func grouped(_ g: GroupedResult, _ rows: [[Any]], date: Bool) -> [String] {
        var out: [String] = []
        let nk = g.keyNames.count
        let across = g.acrossName != nil
        func kind(_ row: [Any]) -> String { row.last as? String ?? "" }
        func keys(_ row: [Any]) -> [String?] { Array(row.prefix(nk)).map(text) }
        let width = rows.first.map { $0.count - nk - (across ? 1 : 0) - (g.withPercent ? 1 : 0) - 1 } ?? 1
        let v0 = nk + (across ? 1 : 0)
        func values(_ row: [Any]) -> [Any] { Array(row[v0..<(v0 + max(width, 0))]) }
        if !across {
            let groups = rows.filter { kind($0) == "group" }
            if groups.count != g.rows.count { out.append("\(g.rows.count) groups in misq, \(groups.count) in SQL") }
            for (m, s) in zip(g.rows, groups) {
                if m.keys != keys(s) { out.append("group order or keys: misq \(m.keys), SQL \(keys(s))"); break }
                for (a, b) in zip(m.values, values(s)) where !same(a, b, date: date) {
                    out.append("\(m.keys): misq \(show(a, date)), SQL \(b)")
                }
                if g.withPercent, let p = s[v0 + width] as Any?, let v = m.values.first {
                    let base = g.percentBase.first ?? .nan
                    let expected = base == 0 ? Double.nan : 100 * v / base
                    if !same(expected, p, date: false) { out.append("\(m.keys) percent: misq \(expected), SQL \(p)") }
                }
            }
            if let total = rows.first(where: { kind($0) == "total" }) {
                let expected = width == 1 ? [g.grandTotal] : (g.totals ?? [])
                for (a, b) in zip(expected, values(total)) where !same(a, b, date: date) { out.append("total: misq \(show(a, date)), SQL \(b)") }
            } else {
                out.append("no total row")
            }
            return out
        }
        // Across: cells by (row keys, across label); absent cells are misq's zeros.
        var cells: [String: Any] = [:], rowTotals: [String: Any] = [:], colTotals: [String: Any] = [:]
        var rowOrder: [[String?]] = []
        for row in rows {
            let k = keys(row), a = text(row[nk]) ?? "(missing)", v = values(row).first ?? NSNull()
            switch kind(row) {
            case "cell":
                cells["\(k)|\(a)"] = v
                if nk > 0, rowOrder.last != k { rowOrder.append(k) }
            case "row total": rowTotals["\(k)"] = v
            case "column total": colTotals[a] = v
            case "total": if !same(g.grandTotal, v, date: date) { out.append("total: misq \(show(g.grandTotal, date)), SQL \(v)") }
            default: out.append("unknown row kind \(kind(row))")
            }
        }
        if nk > 0, rowOrder != g.rows.map(\.keys) { out.append("row order: misq \(g.rows.map(\.keys)), SQL \(rowOrder)") }
        for m in g.rows {
            for (j, label) in g.acrossLabels.enumerated() where j < m.values.count {
                let sql = cells["\(m.keys)|\(label)"] ?? (m.values[j] == 0 ? 0 : NSNull())
                if !same(m.values[j], sql, date: date) { out.append("\(m.keys) × \(label): misq \(show(m.values[j], date)), SQL \(sql)") }
            }
            if nk > 0, let t = m.rowTotal, !same(t, rowTotals["\(m.keys)"] ?? NSNull(), date: date) {
                out.append("\(m.keys) row total: misq \(t), SQL \(rowTotals["\(m.keys)"] ?? "none")")
            }
        }
        if nk > 0, let totals = g.totals {
            for (j, label) in g.acrossLabels.enumerated() where j < totals.count {
                if !same(totals[j], colTotals[label] ?? 0, date: date) { out.append("\(label) column total: misq \(totals[j]), SQL \(colTotals[label] ?? "none")") }
            }
        }
        return out
    }

    static func text(_ v: Any) -> String? {
        switch v {
        case is NSNull: return nil
        case let s as String: return s
        case let n as NSNumber: return NumberFormat.plain(n.doubleValue)
        default: return "\(v)"
        }
    }

    static func same(_ a: Double, _ b: Any, date: Bool) -> Bool {
        if a.isNaN { return b is NSNull }
        if date { return (b as? String) == Day.iso(Int(a)) }
        guard let n = b as? NSNumber else { return false }
        let x = n.doubleValue
        return a == x || abs(a - x) <= 1e-9 * max(abs(a), abs(x))
    }

    static func show(_ v: Double, _ date: Bool) -> String { date && !v.isNaN ? Day.iso(Int(v)) : NumberFormat.plain(v) }
}
