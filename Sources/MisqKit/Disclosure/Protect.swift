/// `with suppression`: hides a grouped result's sensitive cells (primary
/// suppression), then those that would give them away (secondary, by
/// Gaussian elimination: `GaussElimination.swift`), and audits what is
/// left (`Audit.swift`). The figures stay in the result; the pattern says
/// which may be shown (`Result/Suppression.swift`).
public enum Disclosure {
    public static func protect(_ r: QueryResult, rule: SuppressionRule) -> QueryResult {
        guard case .groups(var g) = r.body else { return r }
        var r = r
        var statedSum: Double?
        for case .overlap(_, _, let sum, _) in r.footer.notes { statedSum = sum }
        let model = TableModel(g, statedSum: statedSum)
        let status = model.cells.map { rule.isSensitive($0.value) ? CellStatus.primary : .published }
        let pattern = model.pattern(status, rule: rule, across: g.acrossName != nil)
        g.suppression = pattern
        r.body = .groups(g)
        // The footer's total, when no Total row shows it, is a published cell too.
        if pattern.grandTotal.isHidden { r.footer.total = nil }
        r.footer.notes.append(.suppressed(rule: rule.text, hides: rule.hides, primary: pattern.primaryCount, secondary: pattern.secondaryCount,
                                          method: pattern.secondaryMethod))
        return r
    }
}
