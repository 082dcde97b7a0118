/// `with suppression …`: what a table must be for its small cells to be
/// hidden and proved hidden. Each refusal is located, since a clause that
/// protected less than it seemed to would be worse than none.
extension Checker {
    /// The measure a frequency rule on a unit counts (`under 5 individuals`):
    /// a distinct count of the dataset's, so one person with ten
    /// allegations is one. Nil for a rule on the table's own figures.
    func suppressionMeasure(_ rule: SuppressionRule, in ds: any DatasetSchema) throws -> PlanMeasure? {
        guard let u = rule.unit else { return nil }
        let units = catalog.units(of: ds)
        guard let key = units.keys.first(where: { $0.lowercased() == u.text.lowercased() }) else {
            // Repeating the rule as written would not help: the unit must be
            // declared first, as a distinct count of an identifier column.
            let ids = ds.columnNames.filter { $0.lowercased().hasSuffix("_id") || $0.lowercased() == "id" }
            let person = ["officer", "person", "individual", "complainant", "staff"]
            let id = ids.first { c in person.contains { c.lowercased().contains($0) } } ?? ids.first ?? "COLUMN"
            let declare = "declare it before the query: unit \(u.text) = distinct \(Identifier.source(id)) from \(Identifier.source(ds.name))"
            throw MisqError(.name, "'\(u.text)' is not a unit of \(ds.name)", source: source, span: u.span,
                            expected: "a unit counted once each: " + units.keys.sorted().joined(separator: ", ") + ", or one declared with 'unit NAME = distinct COLUMN from \(ds.name)'",
                            suggestion: Suggestions.didYouMeanName(u.text, Array(units.keys)) ?? declare)
        }
        let (m, extra) = try unitMeasure(key, in: ds, at: u.span)
        guard case .distinct = m, extra.isEmpty else {
            throw MisqError(.syntax, "a suppression rule on '\(u.text)' needs a unit counted once each (a distinct count); '\(key)' counts rows",
                            source: source, span: u.span, expected: "a distinct unit, e.g. individuals", suggestion: "drop '\(u.text)' to apply the rule to the figures shown")
        }
        return m
    }

    /// The query's rule, else its dataset's (`misq:suppression`) for a
    /// table of counts: a grouped count the rule cannot protect (top,
    /// limit, bars, per) is then refused, saying where the rule comes from.
    func checkSuppression(_ q: Query, measure: PlanMeasure, in ds: any DatasetSchema) throws -> SuppressionRule? {
        if q.suppression == nil, var rule = ds.suppressionRule, !(q.keys.isEmpty && q.across == nil) {
            switch measure {
            case .rows, .distinct, .weighted:
                rule.span = q.span
                var q = q
                q.suppression = rule
                do { return try checkSuppression(q, measure: measure) } catch var e as MisqError {
                    e.notes.append("\(ds.name)'s data package publishes its tables of counts with suppression \(rule.text) (misq:suppression)")
                    throw e
                }
            case .aggregate, .show: return nil
            }
        }
        if let mine = q.suppression, let theirs = ds.suppressionRule, let why = mine.weaker(than: theirs) {
            // A query may strengthen its data package's rule, never weaken it,
            // and there is no word to override it: the package is the data
            // owner's statement of what may be published ("a saved FOI file
            // cannot forget them"), and a query that could switch it off
            // would make that false for every file that writes one clause.
            // Publishing below it is an edit to datapackage.json, which a
            // reviewer sees.
            var fixed = q
            fixed.suppression = mine.strengthened(by: theirs)
            throw MisqError(.syntax, "'suppression \(mine.text)' is weaker than the rule \(ds.name)'s data package sets (suppression \(theirs.text), misq:suppression): \(why)",
                            source: source, span: mine.span, expected: "a rule at least as strict as suppression \(theirs.text)",
                            suggestion: fixed.description)
        }
        return try checkSuppression(q, measure: measure)
    }

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
        return rule
    }
}
