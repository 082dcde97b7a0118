/// `with suppression …`: what a table must be for its small cells to be
/// hidden and proved hidden. Each refusal is located, since a clause that
/// protected less than it seemed to would be worse than none.
extension Checker {
    func checkSuppression(_ q: Query, measure: PlanMeasure) throws -> SuppressionRule? {
        guard let rule = q.suppression else { return nil }
        func refuse(_ what: String, _ suggestion: String, at span: SourceSpan? = nil) -> MisqError {
            MisqError(.syntax, what, source: source, span: span ?? rule.span, expected: "count UNIT by KEY [across KEY] with suppression …",
                      suggestion: suggestion)
        }
        switch measure {
        case .rows, .distinct, .weighted: break
        case .aggregate(let a, _):
            throw refuse("suppression hides small counts; '\(a.text)' is not a count", "count the unit instead, or drop 'suppression'")
        case .show:
            throw refuse("suppression hides small counts; 'show' lists rows", "count … by … with suppression under 5")
        }
        if q.keys.isEmpty && q.across == nil {
            throw refuse("'with suppression' acts on a table of groups, and this query gives one figure", "add by KEY (e.g. by force)")
        }
        // Rows left out still count in the column totals, so the published
        // figures would not be the table the protection was worked out on.
        if q.hasTop || q.limit != nil {
            throw refuse("suppression protects a whole table, and '\(q.hasTop ? "top" : "limit")' leaves rows out that its totals still count",
                         "drop '\(q.hasTop ? "top" : "limit")': a reader may sort the published table", at: q.topSpan)
        }
        if q.withBars {
            throw refuse("'with bars' would draw the hidden cells' sizes", "drop 'bars', or 'suppression'")
        }
        if let p = q.per {
            throw refuse("a rate from a suppressed count is not protected yet: 'per' with 'suppression'", "publish the counts with suppression, and the rates without small counts separately",
                         at: p.span)
        }
        if rule.individuals {
            throw refuse("'individuals' (a rule on the people behind each cell) is not available yet", "use a rule on the counts: with suppression under 5")
        }
        return rule
    }
}
