/// A logical plan as text, one step a line: what `misq explain` prints and
/// what the plan snapshots pin down. Columns and labels appear as the data
/// names them (backticked where a name needs it), days as ISO dates with
/// half-open ranges, so the text can be checked by hand against the data.
public enum PlanText {
    /// A long label list is cut here, saying how many there are in all.
    static let labelsShown = 12

    /// Labels and names come from other people's files: each line is
    /// escaped as tables are (`TerminalText`), so a label holding a line
    /// break or an escape sequence neither splits the plan nor acts on the
    /// terminal, and a label is quoted as the language writes it.
    public static func lines(_ p: LogicalPlan) -> [String] { unescapedLines(p).map(TerminalText.escape) }

    static func unescapedLines(_ p: LogicalPlan) -> [String] {
        var out: [String] = []
        func step(_ name: String, _ text: String) { out.append(name.padding(toLength: 9, withPad: " ", startingAt: 0) + text) }
        step("scan", "dataset " + Identifier.source(p.dataset))
        if let j = p.join {
            let on = Identifier.source(j.leftKey) + " = " + Identifier.source(j.dataset + "." + j.rightKey)
            step("join", "\(j.kind.rawValue) join dataset \(Identifier.source(j.dataset)) on \(on) (\(j.dataset) has one row per \(Identifier.source(j.rightKey)): checked); its columns as \(Identifier.source(j.dataset)).COLUMN"
                 + (j.kind == .inner ? "; rows with no partner left out" : "; rows with no partner kept, its columns missing"))
        }
        for d in p.derive {
            // A measure's own expression is named by its text: said once.
            let text = d.expr.description == d.name ? d.name : Identifier.source(d.name) + " = \(d.expr)"
            step("derive", text + (d.type == .date ? " (a date" : " (a number") + (d.intermediate ? ", computed within the values that read it)" : ")"))
        }
        if case .all = p.filter {} else { step("filter", predicate(p.filter)) }
        for m in p.textMatches { step("match", m.note) }
        if !p.keys.isEmpty { step("group", "by " + p.keys.map(key).joined(separator: ", ")) }
        if let a = p.across { step("across", key(a)) }
        if let t = p.table { out += tableLines(t, p) } else {
            step("measure", measure(p.measure) + (p.measure.isShow ? "" : " as " + quoted(p.per?.measureName ?? p.valueName)))
        }
        if let r = p.per, let j = p.join {
            step("per", "\(quoted(r.measureName))\(p.keys.isEmpty && j.kind == .left ? " of the rows with a partner" : "") / (sum \(Identifier.source(r.rightColumn)) of \(Identifier.source(j.dataset))'s rows \(p.keys.isEmpty ? "with a key" : "with the group's key")\(r.denominatorColumns.isEmpty ? "" : " where " + predicate(r.denominatorFilter))) × \(r.multiplierText), as \(quoted(p.valueName))")
        }
        if !p.order.isEmpty {
            step("order", p.order.map { o in
                let what: String
                switch o.target {
                case .value: what = quoted(p.valueName)
                case .key(let k): what = k < p.keys.count ? p.keys[k].name : "key \(k + 1)"
                case .column(let c): what = Identifier.source(c)
                case .valueColumn(let c): what = quoted(p.table.map { c < $0.columns.count ? $0.columns[c].name : "" } ?? "")
                }
                return what + (o.descending ? " desc" : "")
            }.joined(separator: ", "))
        } else if !p.isScalar {
            step("order", p.top == nil && p.topShare == nil ? "by the keys" : quoted(p.valueName) + (p.table.map { $0.columns.count > 1 ? " (the first column)" : "" } ?? "") + " desc, then by the keys")
        }
        let unit = p.isScalar ? "rows" : "groups"
        let by: String
        if p.isScalar, case .aggregate(_, let c) = p.measure { by = " by " + Identifier.source(c) + ", largest first, measured" } else { by = "" }
        if let t = p.top { step("top", "\(t)\(p.isScalar ? " rows" : "")\(by), with any tied with the last kept") }
        if let t = p.topShare { step("top", "\(t.text) of the \(unit)\(by), rounded up to a whole \(unit.dropLast()), with any tied with the last kept") }
        if let l = p.limit { step("limit", "\(l)") }
        if p.withBars { step("bars", "a bar column, each group's " + quoted(p.table?.columns.first?.name ?? p.valueName) + " as a share of the largest shown") }
        if p.withPercent { step("percent", p.across == nil && p.table == nil ? "of the total" : "of each column's total") }
        if let t = p.table, !p.isScalar {
            let combined = t.columns.filter { if case .measure = $0.expr { return false } else { return true } }.map { quoted($0.name) }
            step("total", (p.withTotal ? "as a row" : "in the footer") + ": each column over all groups"
                 + (t.measures.contains { if case .distinct = $0.measure { return true } else { return false } } ? ", distinct counts each counted once" : "")
                 + (combined.isEmpty ? "" : "; " + combined.joined(separator: ", ") + " of the measures' totals, not a sum of the groups"))
        } else if let r = p.per, !p.isScalar {
            step("total", "the overall rate, " + (p.withTotal ? "as a row" : "in the footer") + ": the count of every row with a partner (each counted once) × \(r.multiplierText) / "
                 + "the sum of \(Identifier.source(r.rightColumn)) over every row of \(Identifier.source(p.join?.dataset ?? "")) with a key\(r.denominatorColumns.isEmpty ? "" : " the filter admits"), "
                 + "joined or not; none if one of those rows has no \(Identifier.source(r.rightColumn))")
        } else if !p.isScalar, !p.measure.isShow {
            let distinct: Bool
            if case .distinct = p.measure { distinct = true } else { distinct = false }
            if case .weighted = p.measure {
                step("total", "none: a published table's figures often include their own totals" + (p.withTotal ? "; the total row adds the figures shown" : ""))
            } else if case .aggregate(let a, _) = p.measure {
                step("total", "the \(a.text) over all groups, " + (p.withTotal ? "as a row" : "in the footer"))
            } else {
                step("total", (p.withTotal ? "as a row" : "in the footer") + (distinct ? ", each counted once (not the sum of the groups)" : ""))
            }
        }
        if let s = p.suppression {
            if let r = p.rounding {
                step("suppression", "\(s.text): \(s.hides) hidden [c], the other figures rounded to the nearest \(r.base) (totals from the unrounded figures)")
            } else {
                step("suppression", "\(s.text): \(s.hides) hidden [c], then the cells that would give them away (Gaussian elimination, smallest hidden first), then every hidden cell's interval audited by linear programming" + (s.protection == nil ? "" : " (each small count's at least \(s.requirement) wide)"))
            }
        }
        for period in p.periods { if let s = period.statement { step("period", s) } }
        return out
    }

    static func quoted(_ s: String) -> String { literal(s) }

    /// A string as the language writes it: in double quotes, a quote doubled.
    static func literal(_ s: String) -> String { Identifier.stringLiteral(s) }

    /// Each measure with its own rows, then each value column as an
    /// expression of them: `m2 / m1`.
    static func tableLines(_ t: MeasureTable, _ p: LogicalPlan) -> [String] {
        var out: [String] = []
        for (i, m) in t.measures.enumerated() {
            var own = ""
            if case .all = m.filter {} else { own = ", of rows where " + predicate(m.filter) }
            out.append("measure  m\(i + 1) = " + measure(m.measure) + own)
        }
        for c in t.columns { out.append("column   " + quoted(c.name) + " = " + expression(c.expr, top: true)) }
        return out
    }

    static func expression(_ e: MeasureExpr, top: Bool = false) -> String {
        switch e {
        case .measure(let i): return "m\(i + 1)"
        case .number(let x): return NumberFormat.plain(x)
        case .negate(let a): return "-" + expression(a)
        case .percent(let a, let b): return "percent(" + expression(a, top: true) + ", " + expression(b, top: true) + ")"
        case .binary(let op, let a, let b):
            let s = expression(a) + " \(op) " + expression(b)
            return top ? s : "(" + s + ")"
        }
    }

    static func measure(_ m: PlanMeasure) -> String {
        switch m {
        case .rows: return "count rows"
        case .distinct(let c): return "count distinct " + Identifier.source(c)
        case .weighted(let w): return "sum " + Identifier.source(w) + " (the published figures)"
        case .aggregate(let a, let c): return a.text + " " + Identifier.source(c)
        case .show(let cs): return "show " + cs.map(Identifier.source).joined(separator: ", ")
        }
    }

    static func key(_ k: PlanKey) -> String {
        switch k {
        case .column(let c): return Identifier.source(c)
        case .time(let b, let c, _): return "\(b.rawValue)(\(Identifier.source(c)))"
        case .periods(let c, let intervals, _):
            return Identifier.source(c) + " in (" + intervals.map(interval).joined(separator: ", ") + ")"
        case .condition(let p, let name): return "\(Identifier.source(name)) (yes or no: \(predicate(p)))"
        }
    }

    static func interval(_ i: DayInterval) -> String { range(i.start, i.end) }

    /// `[a, b)` as `a..b`, the language's own half-open form.
    static func range(_ lo: Int, _ hi: Int) -> String { Day.iso(lo) + ".." + Day.iso(hi) }

    static func predicate(_ p: Predicate, depth: Int = 0) -> String {
        guard depth < 64 else { return "…" }
        func inner(_ q: Predicate) -> String {
            let t = predicate(q, depth: depth + 1)
            switch q {
            case .and, .or: return "(" + t + ")"
            default: return t
            }
        }
        switch p {
        case .all: return "every row"
        case .none: return "no row"
        case .isTrue(let c): return Identifier.source(c)
        case .nonZero(let c): return Identifier.source(c) + " != 0"
        case .labelIn(let c, let labels):
            if labels.isEmpty { return Identifier.source(c) + " in () (no row holds the value)" }
            let shown = labels.prefix(labelsShown).map(literal).joined(separator: ", ")
            let more = labels.count > labelsShown ? ", … (\(NumberFormat.count(labels.count)) labels in all)" : ""
            return labels.count == 1 ? Identifier.source(c) + " = " + shown : Identifier.source(c) + " in (" + shown + more + ")"
        case .number(let c, let op, let x): return Identifier.source(c) + " \(op.rawValue) " + NumberFormat.plain(x)
        case .dateIn(let c, let lo, let hi):
            if lo <= DaySet.lowest { return Identifier.source(c) + " < " + Day.iso(hi) }
            if hi >= DaySet.highest { return Identifier.source(c) + " >= " + Day.iso(lo) }
            return Identifier.source(c) + " in " + range(lo, hi)
        case .boolEquals(let c, let b): return Identifier.source(c) + " = " + (b ? "yes" : "no")
        case .missing(let c): return Identifier.source(c) + " is missing"
        case .periodInside(let s, let e, let lo, let hi):
            return "\(Identifier.source(s))..\(Identifier.source(e)) inside " + range(lo, hi)
        case .not(.missing(let c)): return Identifier.source(c) + " is not missing"
        case .not(let q): return "not (" + predicate(q, depth: depth + 1) + ")"
        case .and(let parts): return parts.map(inner).joined(separator: " and ")
        case .or(let parts): return parts.map(inner).joined(separator: " or ")
        }
    }
}

extension PlanMeasure {
    var isShow: Bool { if case .show = self { return true } else { return false } }
}
