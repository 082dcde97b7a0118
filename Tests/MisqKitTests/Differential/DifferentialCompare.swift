import Foundation
@testable import MisqKit

/// One generated question: the misq text, and what DuckDB must answer for
/// it, as SQL written from the same parameters (never from the misq text).
struct DiffCase {
    var shape: String
    var misq: String
    var expect: Expectation
}

/// How a value is compared: counts exactly, numbers to 1e-9 relative, dates
/// as ISO days.
enum ValueKind { case count, number, date }

enum Expectation {
    /// SQL giving one row of one value.
    case scalar(sql: String, kind: ValueKind)
    case grouped(GroupedExpectation)
    /// SQL giving the rows a `show` lists, in its order.
    case rows(sql: String)
}

struct GroupedExpectation {
    /// One row per group (per cell with `across`): the row keys, then the
    /// across key if any, then the value, then the percent if `percent`.
    var cells: String
    var keyCount: Int
    var across = false
    var kind: ValueKind = .count
    /// One value over every matched row: the footer's total (for distinct
    /// units the distinct count, not the sum of the groups), and the total
    /// row or corner with `with total`.
    var total: String
    var withTotal = false
    var percent = false
    /// With `across`: rows of (row keys…, value), each row's total.
    var rowTotals: String? = nil
    /// With `across`: rows of (across key, value), each column's total.
    var columnTotals: String? = nil
    /// Groups are listed by value, largest first (`top`, `order by count desc`).
    var byValueDescending = false
    /// With `top`: one value, how many groups there were before it.
    var groupCount: String? = nil
    /// `top N`'s N, to see that ties at the Nth were asked about.
    var top: Int? = nil
    /// Several value columns (`DifferentialMeasures.swift`), one kind each:
    /// `cells` rows are the keys then a value per column, `total` one row.
    var columns: [ValueKind]? = nil
    /// With `columns`: groups are listed by this column, largest first.
    var orderColumn: Int? = nil
    /// The value of a crosstab cell no row falls in.
    var emptyCell: Value { kind == .count ? .number(0) : .missing }

    /// Every SQL statement, in the order `DiffAnswers` reads them back.
    var statements: [String] { [cells, total] + [rowTotals, columnTotals, groupCount].compactMap { $0 } }
}

enum Value: Equatable, CustomStringConvertible {
    case number(Double), text(String), missing

    var description: String {
        switch self {
        case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .text(let s): return s
        case .missing: return "(missing)"
        }
    }

    /// A DuckDB cell as a value: dates arrive as ISO text.
    init(duck: DuckCell) {
        switch duck {
        case .number(let d): self = .number(d)
        case .text(let s): self = .text(s)
        case .bool, .null: self = .missing
        }
    }

    /// A misq value: NaN is missing; a date is a day number.
    init(misq v: Double, isDate: Bool) {
        if v.isNaN { self = .missing } else if isDate { self = .text(DifferentialData.iso(Int(v))) } else { self = .number(v) }
    }

    func matches(_ other: Value, _ kind: ValueKind) -> Bool {
        switch (self, other) {
        case (.number(let a), .number(let b)):
            if kind == .count { return a == b }
            return a == b || abs(a - b) <= 1e-9 * max(abs(a), abs(b))
        default: return self == other
        }
    }
}

/// A group's key as both engines label it; nil is missing. DuckDB's
/// booleans read as misq's yes/no, numbers in their shortest form.
typealias GroupKey = [String?]

func keyLabel(duck: DuckCell) -> String? {
    switch duck {
    case .bool(let b): return b ? "yes" : "no"
    case .number(let d): return Value.number(d).description
    case .text(let s): return s
    case .null: return nil
    }
}

/// A cell of the runner's JSON.
enum DuckCell: Decodable {
    case bool(Bool), number(Double), text(String), null

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else { self = .text(try c.decode(String.self)) }
    }
}

/// misq's key label: nil is missing (a group's keys are typed); an across
/// column's header is text, where "(missing)" names the blank column.
func keyLabel(misq s: String?) -> String? {
    guard let s = s, s != "(missing)" else { return nil }
    if let d = Double(s) { return Value.number(d).description }
    return s
}

func show(_ k: GroupKey) -> String { k.map { $0 ?? "(missing)" }.joined(separator: " / ") }

/// The misq answer in the shape compared: built from `QueryResult` in one
/// place, so a change to the result types needs changing only here.
struct MisqAnswer {
    var scalar: Value?
    var rows: [GroupKey] = []
    var columns: [String?] = []
    var cells: [GroupKey: Value] = [:]      // row keys + [across key]
    var percents: [GroupKey: Value] = [:]
    var rowTotals: [GroupKey: Value] = [:]
    var totals: [Value]? = nil
    var grandTotal: Value = .missing
    var groupsBeforeTop = 0
    /// A `show`'s rows, each cell as a key label (nil for missing).
    var shown: [GroupKey]? = nil

    init(_ r: QueryResult) {
        switch r.body {
        case .scalar(let v):
            scalar = Value(misq: v, isDate: r.valueIsDate)
        case .groups(let g):
            let across = g.acrossName != nil
            columns = g.acrossLabels.map { keyLabel(misq: $0) }
            for row in g.rows {
                let key = row.keys.map(keyLabel(misq:))
                rows.append(key)
                for (j, v) in row.values.enumerated() {
                    let cellKey = across ? key + [columns[j]] : key
                    cells[cellKey] = Value(misq: v, isDate: r.valueIsDate)
                    if g.withPercent {
                        // As the table shows it (Grid.percent): the share of the percent base.
                        let base = g.percentBase[across ? j : 0]
                        percents[cellKey] = base == 0 || v.isNaN ? .missing : .number(100 * v / base)
                    }
                }
                if let t = row.rowTotal { rowTotals[key] = Value(misq: t, isDate: r.valueIsDate) }
            }
            totals = g.totals.map { $0.map { Value(misq: $0, isDate: r.valueIsDate) } }
            grandTotal = Value(misq: g.grandTotal, isDate: r.valueIsDate)
            groupsBeforeTop = g.groupsBeforeTop
        case .rows(let rows):
            scalar = nil
            shown = rows.rows.map { $0.map { $0.flatMap(keyLabel(misq:)) } }
        }
    }
}

/// Compares one case; returns each difference found, in words.
func differences(_ c: DiffCase, misq r: QueryResult, duck: [[[DuckCell]]]) -> [String] {
    let m = MisqAnswer(r)
    var out: [String] = []
    switch c.expect {
    case .scalar(_, let kind):
        let want = duck.first?.first?.first.map(Value.init(duck:)) ?? .missing
        guard let got = m.scalar else { return ["misq gave a table, DuckDB one value \(want)"] }
        if !got.matches(want, kind) { out.append("value: misq \(got), DuckDB \(want)") }
    case .rows:
        guard let got = m.shown else { return ["misq gave no rows"] }
        let want = (duck.first ?? []).map { $0.map(keyLabel(duck:)) }
        if got.count != want.count { out.append("rows: misq \(got.count), DuckDB \(want.count)") }
        for (i, (g, w)) in zip(got, want).enumerated() where g != w { out.append("row \(i + 1): misq \(show(g)), DuckDB \(show(w))") }
    case .grouped(let e) where e.columns != nil:
        return measureDifferences(e, e.columns ?? [], misq: r, duck: duck)
    case .grouped(let e):
        guard m.scalar == nil else { return ["misq gave one value \(m.scalar!), DuckDB a table"] }
        let cellRows = duck[0], width = e.keyCount + (e.across ? 1 : 0)
        var want: [GroupKey: Value] = [:], wantPercent: [GroupKey: Value] = [:]
        var wantRows: [GroupKey] = [], wantColumns: [String?] = []
        for row in cellRows {
            let key = row.prefix(width).map(keyLabel(duck:))
            want[key] = Value(duck: row[width])
            if e.percent { wantPercent[key] = Value(duck: row[width + 1]) }
            let rowKey = Array(key.prefix(e.keyCount))
            if !wantRows.contains(rowKey) { wantRows.append(rowKey) }
            if e.across, !wantColumns.contains(key[width - 1]) { wantColumns.append(key[width - 1]) }
        }
        // Group sets: the same groups, no more, no fewer.
        let gotRows = Set(m.rows), expectedRows = Set(wantRows)
        for k in expectedRows.subtracting(gotRows) { out.append("group \(show(k)) missing from misq (DuckDB \(want[k] ?? .missing))") }
        for k in gotRows.subtracting(expectedRows) { out.append("group \(show(k)) only in misq (\(m.cells[k] ?? .missing))") }
        if e.across && Set(m.columns) != Set(wantColumns) {
            out.append("across columns: misq \(m.columns.map { $0 ?? "(missing)" }), DuckDB \(wantColumns.map { $0 ?? "(missing)" })")
        }
        if m.rows.count != gotRows.count { out.append("misq lists a group twice: \(m.rows.map(show))") }
        // The parts after the cells, in `statements` order.
        var next = 1
        let total = duck[next].first?.first.map(Value.init(duck:)) ?? .missing
        next += 1
        let rowTotalRows = e.rowTotals == nil ? nil : duck[next]
        if e.rowTotals != nil { next += 1 }
        var columnTotals: [String?: Value] = [:]
        if e.columnTotals != nil {
            for row in duck[next] { columnTotals[keyLabel(duck: row[0])] = Value(duck: row[1]) }
            next += 1
        }
        let groupCount = e.groupCount == nil ? nil : duck[next].first?.first.map(Value.init(duck:)) ?? .missing

        // Cells: every misq cell against DuckDB's, an absent one being empty
        // (and its share 0%, or missing in a column whose total is 0).
        for (key, got) in m.cells where expectedRows.contains(Array(key.prefix(e.keyCount))) {
            let w = want[key] ?? e.emptyCell
            if !got.matches(w, e.kind) { out.append("cell \(show(key)): misq \(got), DuckDB \(w)") }
            if e.percent {
                let base = e.across ? columnTotals[key[e.keyCount]] ?? .missing : total
                let wp = wantPercent[key] ?? (base == .number(0) || base == .missing ? .missing : .number(0))
                let gp = m.percents[key] ?? .missing
                if !gp.matches(wp, .number) { out.append("percent \(show(key)): misq \(gp), DuckDB \(wp)") }
            }
        }
        if e.byValueDescending {
            // Ties may come in either engine's key order; the values may not.
            let gotValues = m.rows.map { m.cells[$0] ?? .missing }.map(\.description)
            let wantValues = wantRows.map { want[$0] ?? .missing }
                .sorted { if case .number(let a) = $0, case .number(let b) = $1 { return a > b } else { return false } }
                .map(\.description)
            if gotValues != wantValues { out.append("order by value: misq \(gotValues), DuckDB \(wantValues)") }
        }
        if !m.grandTotal.matches(total, e.kind) { out.append("total: misq \(m.grandTotal), DuckDB \(total)") }
        if e.withTotal && !e.across {
            if m.totals?.count != 1 || !(m.totals?[0].matches(total, e.kind) ?? false) {
                out.append("total row: misq \(m.totals.map { $0.map(\.description) } ?? []), DuckDB \(total)")
            }
        }
        if e.withTotal, let rows = rowTotalRows {
            var wantTotals: [GroupKey: Value] = [:]
            for row in rows { wantTotals[row.prefix(e.keyCount).map(keyLabel(duck:))] = Value(duck: row[e.keyCount]) }
            for k in m.rows {
                let got = m.rowTotals[k] ?? .missing, w = wantTotals[k] ?? e.emptyCell
                if !got.matches(w, e.kind) { out.append("row total \(show(k)): misq \(got), DuckDB \(w)") }
            }
        }
        if e.withTotal && e.columnTotals != nil {
            for (j, col) in m.columns.enumerated() {
                let got = m.totals.flatMap { j < $0.count ? $0[j] : nil } ?? .missing
                let w = columnTotals[col] ?? e.emptyCell
                if !got.matches(w, e.kind) { out.append("column total \(col ?? "(missing)"): misq \(got), DuckDB \(w)") }
            }
        }
        if let n = groupCount, !Value.number(Double(m.groupsBeforeTop)).matches(n, .count) {
            out.append("groups before top: misq \(m.groupsBeforeTop), DuckDB \(n)")
        }
    }
    return out
}
