/// `with suppression`: hides a grouped result's sensitive cells (primary
/// suppression), then those that would give them away (secondary, by
/// Gaussian elimination: `GaussElimination.swift`), and audits what is
/// left (`Audit.swift`). The figures stay in the result; the pattern says
/// which may be shown (`Result/Suppression.swift`).
public enum Disclosure {
    /// A primary cell's interval must be at least this wide: it cannot be
    /// worked out to one value.
    static let requiredWidth = 1.0

    /// Throws when the audit still finds a primary cell worked out after
    /// the repairs: such a table is never returned to be published.
    /// `sensitivity`: the same table counted in the rule's unit (`under 5
    /// individuals`), which decides the primary cells; nil: the figures.
    /// `rounding`: the figures are published rounded, and the primary
    /// cells hidden; no secondary suppression (the rounding blurs what a
    /// total minus the other cells would give), which the footer says, and
    /// an audit of what the rounded figures and the rule still give away
    /// (`RoundedAudit`): a table whose small count they pin is refused.
    public static func protect(_ r: QueryResult, rule: SuppressionRule, sensitivity: QueryResult? = nil, rounding: Rounding? = nil,
                               linkage: Linkage? = nil) throws -> QueryResult {
        guard case .groups(var g) = r.body else { return r }
        var r = r
        var statedSum: Double?
        for case .overlap(_, _, let sum, _) in r.footer.notes { statedSum = sum }
        let margins = TableModel.Margins(g, footerTotal: r.footer.total != nil)
        let model = TableModel(g, statedSum: statedSum, margins: margins)
        // A margin not printed is not published, so no rule hides it.
        var primary = model.cells.map { $0.printed && rule.isSensitive($0.value) }
        if let s = sensitivity {
            guard case .groups(let sg) = s.body, let aligned = aligned(sg, to: g) else {
                throw MisqError(.runtime, "suppression \(rule.text): the table counted in \(rule.unit?.text ?? "its unit") does not have the table's groups")
            }
            primary = zip(model.cells, TableModel(aligned, statedSum: nil, margins: margins).cells).map { $0.printed && rule.isSensitive($1.value) }
        }
        if let rounding {
            let status = primary.map { $0 ? CellStatus.primary : .published }
            var pattern = model.pattern(status, rule: rule, across: g.acrossName != nil)
            pattern.rounding = rounding
            // What the rounded figures and the rule still give away.
            let audit = RoundedAudit.run(model, status, rounding: rounding, rule: rule, ruleOnFigures: sensitivity == nil,
                                         required: model.cells.map { rule.requiredWidth($0.value) })
            guard audit.passed else {
                let f = audit.failures[0]
                throw MisqError(.runtime, "suppression \(rule.text), rounding \(rounding.base) could not hide every small count: \(f.cell) " + leak(f)
                                + " (the figures rounded to the nearest \(rounding.base) and the rule's range of [c] cells)",
                                suggestion: "publish without rounding (with suppression \(rule.text)), which hides more cells beside the small ones, or fewer breakdowns")
            }
            pattern.audit = audit
            g.suppression = pattern
            r.body = .groups(g)
            r.footer.total = r.footer.total.map { t in var t = t; t.value.value = rounding.apply(t.value.value); return t }
            if pattern.grandTotal.isHidden { r.footer.total = nil }
            r.footer.notes = r.footer.notes.filter { if case .overlap = $0 { return false } else { return true } }
            r.footer.notes.append(.suppressed(rule: rule.setBy.map { "\(rule.text) (the rule \($0)'s data package sets)" } ?? rule.text, hides: rule.hides,
                                              primary: pattern.primaryCount, secondary: 0, method: nil))
            r.footer.notes.append(.rounded(base: rounding.base))
            if !audit.intervals.isEmpty { r.footer.notes.append(.suppressionAudit(audit)) }
            return r
        }
        let required = model.cells.map { rule.requiredWidth($0.value) }
        var status: [CellStatus]
        var audit: SuppressionAudit
        var together: [String] = []
        var overlapping = false
        var narrowestTogether: SuppressionAudit.Interval?
        var apart: (tables: [String], why: String)?
        let linked = linkage.flatMap { l in
            l.apart != nil ? nil : LinkedModel(l.earlier.indices.map { (l.earlier[$0].table, l.positions[$0], l.earlier[$0].margins) } + [(g, l.positions.last ?? [], margins)], atoms: l.atoms,
                                               filters: l.atomFilters.flatMap { a in l.tableFilters.map { (a, $0) } })
        }
        if let l = linkage, let lm = linked, lm.refusal == nil, let mine = lm.ranges.last {
            // The earlier tables' cells as published; this table's to decide.
            var fixed = [CellStatus?](repeating: nil, count: lm.model.cells.count)
            var requiredAll = [Double](repeating: requiredWidth, count: lm.model.cells.count)
            var primaryAll = [Bool](repeating: false, count: lm.model.cells.count)
            var audited: [Int] = []
            for (t, e) in l.earlier.enumerated() {
                guard let p = e.table.suppression else { continue }
                let s = LinkedModel.statuses(p, across: e.table.acrossName != nil)
                for (k, i) in lm.ranges[t].enumerated() where k < s.count {
                    fixed[i] = s[k]
                    requiredAll[i] = e.rule.requiredWidth(lm.model.cells[i].value)
                    if s[k] == .primary { audited.append(i) }
                }
            }
            for (k, i) in mine.enumerated() { primaryAll[i] = primary[k]; requiredAll[i] = required[k]; audited.append(i) }
            let (all, whole) = solve(lm.model, primary: primaryAll, fixed: fixed, required: requiredAll, audited: audited)
            status = Array(all[mine])
            // This table's footer shows its own cells; the earlier tables'
            // primary cells were audited with them and must still pass.
            audit = SuppressionAudit(intervals: whole.intervals.filter { mine.contains($0.index) }.map { i in
                var i = i; i.index -= mine.lowerBound; return i
            }, requiredWidth: rule.requiredWidth(0))
            guard whole.passed else {
                let f = whole.failures[0]
                throw MisqError(.runtime, "suppression \(rule.text) could not hide every small count of the tables protected together: \(f.cell) " + leak(f),
                                suggestion: "publish fewer breakdowns (drop a key), or a coarser one")
            }
            together = l.earlier.map(\.label)
            overlapping = l.atomFilters != nil
            narrowestTogether = whole.narrowest
        } else {
            if let l = linkage, let why = l.apart {
                apart = (l.earlier.map(\.label), why)
            } else if let l = linkage, let why = linked?.refusal {
                let whose = why.table < l.earlier.count ? "the cell \(why.cell) of \(l.earlier[why.table].label)" : "this table's cell \(why.cell)"
                apart = (l.earlier.map(\.label), whose + " is not the sum of the finest groups of the tables (a unit counted once each can be in more than one of them)")
            }
            (status, audit) = solve(model, primary: primary, fixed: [], required: required, audited: nil)
            audit.requiredWidth = rule.requiredWidth(0)
        }
        audit.requirement = rule.requirement
        var pattern = model.pattern(status, rule: rule, across: g.acrossName != nil)
        pattern.secondaryMethod = GaussElimination.name
        pattern.audit = audit
        guard audit.passed else {
            let f = audit.failures[0]
            throw MisqError(.runtime, "suppression \(rule.text) could not hide every small count: \(f.cell) " + leak(f),
                            suggestion: "publish fewer breakdowns (drop a key), or a coarser one" + (rule.protection == nil ? "" : ", or a narrower 'protect'"))
        }
        g.suppression = pattern
        r.body = .groups(g)
        // The footer's total, when no Total row shows it, is a published cell too.
        if pattern.grandTotal.isHidden { r.footer.total = nil }
        let ruleText = rule.setBy.map { "\(rule.text) (the rule \($0)'s data package sets)" } ?? rule.text
        r.footer.notes.append(.suppressed(rule: ruleText, hides: rule.hides, primary: pattern.primaryCount, secondary: pattern.secondaryCount,
                                          method: pattern.secondaryMethod))
        if !together.isEmpty { r.footer.notes.append(.protectedTogether(tables: together, narrowest: narrowestTogether, overlapping: overlapping)) }
        if let a = apart { r.footer.notes.append(.protectedApart(tables: a.tables, reason: a.why)) }
        if !audit.intervals.isEmpty { r.footer.notes.append(.suppressionAudit(audit)) }
        return r
    }

    /// How far a failing cell can be worked out, for the refusal.
    static func leak(_ f: SuppressionAudit.Interval) -> String {
        f.width < 1 ? "can still be worked out from the published figures"
            : "can still be placed in [\(NumberFormat.plain(f.low)), \(NumberFormat.plain(f.high))] from the published figures, narrower than the \(NumberFormat.plain(f.required)) the rule requires"
    }

    /// Secondary suppression, then the audit; a primary cell the bounds
    /// still pin gets one more cell hidden beside it (elimination rules out
    /// exact solutions of the equations, but counts cannot be negative,
    /// which can still pin a cell: hidden zeros in a total of 0), until
    /// the audit passes. Then each cell so added is published again if the
    /// audit passes without it, so every hidden cell is needed.
    static func solve(_ model: TableModel, primary: [Bool], fixed: [CellStatus?], required: [Double], audited: [Int]?) -> ([CellStatus], SuppressionAudit) {
        var status = GaussElimination.suppress(model, primary: primary, fixed: fixed)
        func check() -> SuppressionAudit { Audit.run(model, status, requiredWidth: requiredWidth, required: required, audited: audited) }
        var audit = check()
        var added: [Int] = []
        let free = { (i: Int) in i >= fixed.count || fixed[i] == nil }
        while !audit.passed, added.count < 4 * model.cells.count, let extra = nextToHide(model, status, audit, allowed: free) {
            status[extra] = .secondary
            added.append(extra)
            audit = check()
        }
        if audit.passed {
            for e in added.reversed() {
                status[e] = .published
                let without = check()
                if without.passed { audit = without } else { status[e] = .secondary }
            }
        }
        return (status, audit)
    }

    /// `other`'s rows and columns in `g`'s order (matched by their keys and
    /// labels); a group `g` has and `other` lacks counts 0.
    static func aligned(_ other: GroupedResult, to g: GroupedResult) -> GroupedResult? {
        var out = other
        let column = Dictionary(other.acrossLabels.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let order = g.acrossLabels.map { column[$0] }
        func reorder(_ v: [Double]) -> [Double] { g.acrossName == nil ? v : order.map { $0.map { v[$0] } ?? 0 } }
        var byKeys: [[String?]: GroupRow] = [:]
        for row in other.rows { byKeys[row.keys] = row }
        out.rows = g.rows.map { row in
            guard let o = byKeys[row.keys] else { return GroupRow(keys: row.keys, values: row.values.map { _ in 0 }, rowTotal: 0) }
            return GroupRow(keys: o.keys, values: reorder(o.values), rowTotal: o.rowTotal)
        }
        out.acrossLabels = g.acrossLabels
        out.totals = other.totals.map(reorder)
        guard out.rows.allSatisfy({ $0.values.count == (g.rows.first?.values.count ?? 0) }) else { return nil }
        return out
    }

    /// For the first primary cell the audit pins: the smallest published
    /// cell (a non-zero one first) that lies inside a published total
    /// holding some of its unknowns, or failing that such a total itself;
    /// only among the cells `allowed` (not those of a table already published).
    static func nextToHide(_ model: TableModel, _ status: [CellStatus], _ audit: SuppressionAudit, allowed: (Int) -> Bool) -> Int? {
        let known = model.known(status)
        for f in audit.failures {
            guard model.cells.indices.contains(f.index) else { continue }
            let unknown = Set(model.cells[f.index].members.filter { !known[$0] })
            var best: Int?
            func better(_ a: Int, than b: Int?) -> Bool {
                guard let b else { return true }
                let va = model.cells[a].value, vb = model.cells[b].value
                if (va == 0) != (vb == 0) { return vb == 0 }
                return va < vb
            }
            var totals: [Int] = []
            for (i, c) in model.cells.enumerated() where c.printed && c.members.count > 1 && !status[i].isHidden && c.members.contains(where: unknown.contains) {
                if allowed(i) { totals.append(i) }
                let inside = Set(c.members)
                for (k, d) in model.cells.enumerated() where allowed(k) && d.printed && !status[k].isHidden && d.additive && !d.isTotal && k != i
                    && d.members.count < inside.count && !d.members.isEmpty && d.members.allSatisfy(inside.contains) && better(k, than: best) {
                    best = k
                }
            }
            if let b = best { return b }
            if let t = totals.min(by: { model.cells[$0].value < model.cells[$1].value }) { return t }
        }
        return nil
    }
}
