/// A query of several measures, or of measures combined (`Query.columns`),
/// to a plan with a `MeasureTable`. Each measure is checked as the scalar
/// query it would be on its own (its verb, its `where`, its `from` or the
/// table's), so it keeps its unit's exact meaning; the table's clauses
/// (`by`, `order`, `top`, `with`) are checked once, for all.
extension Checker {
    func planTable(_ q: Query, _ items: [Expr]) throws -> LogicalPlan {
        var measures: [NamedMeasure] = []
        var valueNames: [String] = []
        var subPlans: [LogicalPlan] = []
        var first: (plan: LogicalPlan, span: SourceSpan)?

        func measureIndex(_ m: Query) throws -> Int {
            let text = source.text(m.span)
            if let i = measures.firstIndex(where: { $0.text == text }) { return i }
            if case .show = m.verb {
                throw MisqError(.syntax, "'show' lists rows; it is not a measure", source: source, span: m.span,
                                suggestion: "use count, sum, avg, min, max or median")
            }
            var sub = Query(verb: m.verb, span: m.span)
            // A measure that names no dataset takes the table's, else the
            // first measure's: `count forces, sum staff by region` measures
            // staff in forces, not in the default dataset.
            sub.from = m.from ?? q.from ?? first.map { Name($0.plan.dataset, m.span) }
            sub.filter = m.filter
            let p = try plan(sub)
            if let f = first, f.plan.dataset != p.dataset {
                throw MisqError(.name, "the measures of one table come from one dataset: this one is from '\(p.dataset)', '\(source.text(f.span))' from '\(f.plan.dataset)'",
                                source: source, span: m.span, expected: "measures of one dataset",
                                suggestion: "say which after the last measure: … from \(f.plan.dataset)")
            }
            if first == nil { first = (p, m.span) }
            measures.append(NamedMeasure(text: text, measure: p.measure, unitName: p.unitName, filter: p.filter, periods: p.periods))
            valueNames.append(p.valueName)
            subPlans.append(p)
            return measures.count - 1
        }

        func lower(_ e: Expr) throws -> MeasureExpr {
            switch e {
            case .query(let m): return .measure(try measureIndex(m))
            case .number(let v, _, let isPercent, _): return .number(isPercent ? v / 100 : v)
            case .percentOf(let a, let b, _): return .percent(try lower(a), try lower(b))
            case .binary(let op, let a, let b): return .binary(op, try lower(a), try lower(b))
            case .negate(let a, _): return .negate(try lower(a))
            case .name(let n):
                guard let v = catalog.number(named: n.text) else {
                    throw MisqError(.name, "unknown name '\(n.text)'", source: source, span: n.span,
                                    expected: "a number, a measure, or a let holding a number")
                }
                if v.isDate { throw MisqError(.type, "'\(n.text)' is a date, not a number", source: source, span: n.span, expected: "a number in arithmetic") }
                return .number(v.value)
            case .date(_, let span):
                throw MisqError(.type, "a date in arithmetic", source: source, span: span, expected: "a number or a measure")
            }
        }

        var columns: [MeasureColumn] = []
        for item in items {
            let expr = try lower(item)
            guard !expr.measures.isEmpty else {
                throw MisqError(.syntax, "this column measures nothing", source: source, span: item.span,
                                expected: "a measure (count, sum, …) or an expression of measures",
                                suggestion: "drop it, or combine it with a measure: e.g. 1000 * sum x / sum y")
            }
            var name = source.text(item.span)
            var isCount = false
            if case .query(let m) = item, case .measure(let i) = expr {
                // `count cases` is headed `cases` as it is alone; a `where` of its own shows.
                let own = source.text(SourceSpan(Checker.verbEnd(m), m.span.end))
                name = valueNames[i] + own
                switch measures[i].measure {
                case .rows, .distinct, .weighted: isCount = true
                default: break
                }
            } else {
                for i in expr.measures where try isDateMeasure(measures[i], in: first?.plan.dataset) {
                    throw MisqError(.type, "'\(measures[i].text)' gives dates, which arithmetic has no meaning for", source: source, span: item.span,
                                    expected: "measures of numbers", suggestion: "show it as a column of its own")
                }
            }
            if let clash = columns.first(where: { $0.name.lowercased() == name.lowercased() }) {
                throw MisqError(.name, "two columns would both be headed '\(clash.name)'", source: source, span: item.span,
                                expected: "each column once", suggestion: "drop one, or give it a 'where' of its own")
            }
            columns.append(MeasureColumn(name: name, expr: expr, isPercent: Checker.isPercent(item), isCount: isCount))
        }
        guard let base = first?.plan, let raw = catalog.schema(named: base.dataset) else {
            throw MisqError(.syntax, "no measure in this table", source: source, span: q.span)
        }
        // The table's keys and rows may name derived values too.
        let ds = derivedView(raw)
        if let a = q.across {
            throw MisqError(.syntax, "'across' with several measures would be ambiguous: which measure fills the cells?", source: source,
                            span: a.span, expected: "one measure with 'across', or several with 'by' only",
                            suggestion: "list the key after 'by' instead: by \(source.text(a.span))")
        }
        // The rows every measure is grouped over: the table's `from` (a
        // subset narrows them) and any period-list key.
        var periods: [ResolvedPeriod] = []
        var conditions: [Predicate] = []
        if let f = q.from {
            for (c, src) in try resolveFrom(f).filters {
                let checker = checker(for: src)
                try checker.checkExpandedSize(c, span: c.span)
                conditions.append(try checker.bind(c, ds, periods: &periods, depth: 0))
            }
        }
        let keys = try q.keys.map { try bindKey($0, ds) }
        for case .periods(let col, let intervals, _) in keys {
            conditions.append(.or(intervals.map { Predicate.dateIn(column: col, lo: $0.start, hi: $0.end) }))
        }
        let filter: Predicate = conditions.isEmpty ? .all : (conditions.count == 1 ? conditions[0] : .and(conditions))
        periods = ResolvedPeriod.scopes(of: filter, in: ds, named: periods)

        if keys.isEmpty, q.withTotal || q.withPercent || q.withBars || !q.order.isEmpty || q.hasTop || q.limit != nil {
            let what = q.withTotal || q.withPercent || q.withBars ? "'with'" : (q.hasTop ? "'top'" : (q.limit != nil ? "'limit'" : "'order by'"))
            throw MisqError(.syntax, "\(what) needs groups: these measures without 'by' give one row", source: source, span: q.span,
                            expected: "by KEY", suggestion: "add by KEY, or drop \(what)")
        }
        if let rule = q.suppression ?? (keys.isEmpty ? nil : ds.suppressionRule) {
            // Each column would need its own pattern, and a hidden cell of
            // one column could be worked out from a ratio in another.
            let what = columns.count == 1 ? "this query's value, \(columns[0].name), is not a count" : "this query has \(columns.count) value columns"
            throw MisqError(.syntax, "suppression protects one table of counts; \(what)", source: source,
                            span: rule.setBy == nil ? rule.span : q.span, expected: "one count by KEY [across KEY]",
                            suggestion: columns.count == 1 ? "publish the counts it is worked out from, each as its own query with suppression (count … by KEY with suppression \(rule.text))"
                                                           : "publish each count as its own query with suppression")
        }
        if q.withPercent, let c = columns.firstIndex(where: { !$0.isCount }) {
            throw MisqError(.syntax, "'with percent' gives each count's share of its column's total; '\(columns[c].name)' is not a count", source: source,
                            span: items[c].span, expected: "counts only", suggestion: "drop 'percent', or write the share as a column: percent(count a where …, count a)")
        }
        var order: [PlanOrder] = []
        for item in q.order {
            let w = item.name.text.lowercased()
            if let k = keys.firstIndex(where: { $0.name.lowercased() == w }) { order.append(PlanOrder(target: .key(k), descending: item.descending)); continue }
            if let c = columns.firstIndex(where: { $0.name.lowercased() == w }) {
                order.append(PlanOrder(target: .valueColumn(c), descending: item.descending)); continue
            }
            let byUnit = columns.indices.filter { c in
                if case .measure(let i) = columns[c].expr { return measures[i].unitName.lowercased() == w } else { return false }
            }
            if byUnit.count == 1 { order.append(PlanOrder(target: .valueColumn(byUnit[0]), descending: item.descending)); continue }
            if columns.count == 1, w == "value" || w == "count" {
                order.append(PlanOrder(target: .valueColumn(0), descending: item.descending)); continue
            }
            let names = columns.map(\.name)
            throw MisqError(.name, (w == "value" || w == "count" || byUnit.count > 1) ? "'\(item.name.text)' could be any of \(columns.count) value columns" : "cannot order by '\(item.name.text)'",
                            source: source, span: item.name.span,
                            expected: "a 'by' key or a value column: " + names.map { "'\($0)'" }.joined(separator: ", "),
                            suggestion: Suggestions.didYouMeanName(item.name.text, keys.map(\.name) + names)
                                ?? "name the column, in backticks if it has spaces: order by " + Identifier.source(names[0]) + " desc")
        }
        if let t = q.top, t == 0 {
            throw MisqError(.value, "'top 0' would show nothing", source: source, span: q.topSpan ?? q.span, expected: "top 1 or more",
                            suggestion: "drop 'top' to show every group")
        }
        var p = LogicalPlan(dataset: ds.name, measure: base.measure, valueName: columns[0].name, unitName: base.unitName, filter: filter,
                            keys: keys, across: nil, order: order, top: q.top, limit: q.limit, withPercent: q.withPercent,
                            withTotal: q.withTotal, periods: periods)
        p.topShare = q.topShare
        p.table = MeasureTable(measures: measures, columns: columns)
        p.withBars = q.withBars
        // The derived values the measures and the keys use, each after those
        // it reads (each list is in that order already), once.
        var steps: [DeriveStep] = []
        for step in subPlans.flatMap(\.derive) + (try (ds as? DerivedSchema)?.steps() ?? []) {
            if let i = steps.firstIndex(where: { $0.name == step.name }) {
                if !step.intermediate { steps[i].intermediate = false }
            } else {
                steps.append(step)
            }
        }
        p.derive = steps
        // The text matches of the table's rows, then of each measure's own `where`.
        var matches = textMatches.matches
        for m in subPlans.flatMap(\.textMatches) where !matches.contains(m) { matches.append(m) }
        p.textMatches = matches
        return p
    }

    /// Where the verb and what it measures end: `count cases| where …`.
    static func verbEnd(_ m: Query) -> Int {
        switch m.verb {
        case .count(let n), .countDistinct(let n), .aggregate(_, let n): return n.span.end
        case .show(let names): return names.last?.span.end ?? m.span.start
        }
    }

    /// Percent as the scalar evaluator reckons it (`Evaluator`).
    static func isPercent(_ e: Expr) -> Bool {
        switch e {
        case .percentOf: return true
        case .number(_, _, let p, _): return p
        case .query, .name, .date: return false
        case .negate(let a, _): return isPercent(a)
        case .binary(let op, let a, let b):
            switch op {
            case "+", "-": return isPercent(a) || isPercent(b)
            case "*": return isPercent(a) != isPercent(b)
            default: return isPercent(a) && !isPercent(b)
            }
        }
    }

    func isDateMeasure(_ m: NamedMeasure, in dataset: String?) throws -> Bool {
        // The checker lets through only the aggregates of a date column that give a date.
        guard case .aggregate(_, let c) = m.measure, let ds = dataset.flatMap(catalog.schema(named:)), let k = ds.columnIndex(c) else { return false }
        return try ds.columnType(k) == .date
    }
}
