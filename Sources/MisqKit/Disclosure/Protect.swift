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
    /// cells hidden; no secondary suppression or audit (the rounding hides
    /// what a total minus the other cells would give), which the footer says.
    public static func protect(_ r: QueryResult, rule: SuppressionRule, sensitivity: QueryResult? = nil, rounding: Rounding? = nil) throws -> QueryResult {
        guard case .groups(var g) = r.body else { return r }
        var r = r
        var statedSum: Double?
        for case .overlap(_, _, let sum, _) in r.footer.notes { statedSum = sum }
        let model = TableModel(g, statedSum: statedSum)
        var primary = model.cells.map { rule.isSensitive($0.value) }
        if let s = sensitivity {
            guard case .groups(let sg) = s.body, let aligned = aligned(sg, to: g) else {
                throw MisqError(.runtime, "suppression \(rule.text): the table counted in \(rule.unit?.text ?? "its unit") does not have the table's groups")
            }
            primary = TableModel(aligned, statedSum: nil).cells.map { rule.isSensitive($0.value) }
        }
        if let rounding {
            var pattern = model.pattern(primary.map { $0 ? CellStatus.primary : .published }, rule: rule, across: g.acrossName != nil)
            pattern.rounding = rounding
            g.suppression = pattern
            r.body = .groups(g)
            r.footer.total = r.footer.total.map { t in var t = t; t.value.value = rounding.apply(t.value.value); return t }
            if pattern.grandTotal.isHidden { r.footer.total = nil }
            r.footer.notes = r.footer.notes.filter { if case .overlap = $0 { return false } else { return true } }
            r.footer.notes.append(.suppressed(rule: rule.setBy.map { "\(rule.text) (the rule \($0)'s data package sets)" } ?? rule.text, hides: rule.hides,
                                              primary: pattern.primaryCount, secondary: 0, method: nil))
            r.footer.notes.append(.rounded(base: rounding.base))
            return r
        }
        var status = GaussElimination.suppress(model, primary: primary)
        var audit = Audit.run(model, status, requiredWidth: requiredWidth)
        // Elimination rules out exact solutions of the equations; counts
        // cannot be negative, which can still pin a cell (hidden zeros in a
        // total of 0). Hide one more cell beside each such cell and audit again.
        var repairs = 0
        while !audit.passed, repairs < 4 * model.cells.count, let extra = nextToHide(model, status, audit) {
            status[extra] = .secondary
            repairs += 1
            audit = Audit.run(model, status, requiredWidth: requiredWidth)
        }
        var pattern = model.pattern(status, rule: rule, across: g.acrossName != nil)
        pattern.secondaryMethod = GaussElimination.name
        pattern.audit = audit
        guard audit.passed else {
            let f = audit.failures[0]
            throw MisqError(.runtime, "suppression \(rule.text) could not hide every small count: \(f.cell) can still be worked out from the published figures",
                            suggestion: "publish fewer breakdowns (drop a key), or a coarser one")
        }
        g.suppression = pattern
        r.body = .groups(g)
        // The footer's total, when no Total row shows it, is a published cell too.
        if pattern.grandTotal.isHidden { r.footer.total = nil }
        let ruleText = rule.setBy.map { "\(rule.text) (the rule \($0)'s data package sets)" } ?? rule.text
        r.footer.notes.append(.suppressed(rule: ruleText, hides: rule.hides, primary: pattern.primaryCount, secondary: pattern.secondaryCount,
                                          method: pattern.secondaryMethod))
        if !audit.intervals.isEmpty { r.footer.notes.append(.suppressionAudit(audit)) }
        return r
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
    /// inner cell (a non-zero one first) of a published total that holds
    /// one of its hidden cells, or failing that the total itself.
    static func nextToHide(_ model: TableModel, _ status: [CellStatus], _ audit: SuppressionAudit) -> Int? {
        for f in audit.failures {
            guard let cell = model.cells.firstIndex(where: { $0.label == f.cell }) else { continue }
            let hidden = Set(model.cells[cell].members.filter { status[$0].isHidden })
            var best: Int?
            func better(_ a: Int, than b: Int?) -> Bool {
                guard let b else { return true }
                let va = model.cells[a].value, vb = model.cells[b].value
                if (va == 0) != (vb == 0) { return vb == 0 }
                return va < vb
            }
            var totals: [Int] = []
            for (i, c) in model.cells.enumerated() where i >= model.inner.count && !status[i].isHidden && c.members.contains(where: hidden.contains) {
                totals.append(i)
                for m in c.members where !status[m].isHidden && better(m, than: best) { best = m }
            }
            if let b = best { return b }
            if let t = totals.min(by: { model.cells[$0].value < model.cells[$1].value }) { return t }
        }
        return nil
    }
}
