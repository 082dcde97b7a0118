/// `count cases by force join workforce on force per 1000
/// workforce.headcount`: each group's count over the group's total of the
/// joined column, times the multiplier. The groups are of whole rows of the
/// joined dataset (the checker saw each key is the join key or one of its
/// columns), so a group's total is the sum of the column over the joined
/// dataset's rows with the group's key values — each row once, however
/// many rows of the dataset joined it, and whether or not any did. That is
/// SQL's `count(…) * 1000.0 / w.headcount … GROUP BY force, w.headcount`.
///
/// The overall rate is one figure for the question, whatever its grouping:
/// the count of rows that found a partner over the column's total across
/// every row of the joined dataset (each key once). Summing only the
/// groups shown would let a force with no case (or a group without a
/// rate) drop out of the denominator, so `by force` and no `by` would
/// answer the same question differently.
enum PerRate {
    /// The counts of `result` (run with no order, top or limit) made rates,
    /// then ordered, cut and totalled as the plan says.
    /// `matched`: the measure over the rows that found a partner (the
    /// overall rate's numerator).
    static func apply(_ plan: LogicalPlan, _ per: PlanPer, _ join: PlanJoin, _ result: QueryResult, matched: Double, right: Dataset) throws -> QueryResult {
        guard let sum = AggregateSpec.named("sum") else { throw MisqError(.runtime, "the sum aggregate is missing") }
        let keys: [PlanKey] = plan.keys.map { key in
            guard case .column(let c) = key else { return key }
            if c == join.leftKey { return .column(join.rightKey) }
            let prefix = join.dataset + "."
            return .column(c.hasPrefix(prefix) ? String(c.dropFirst(prefix.count)) : c)
        }
        func both(_ a: Predicate, _ b: Predicate) -> Predicate { a == .all ? b : .and([a, b]) }
        // A row of the joined dataset with no key joins nothing: its total is
        // no group's, and not in the overall rate's.
        let keyed = both(per.denominatorFilter, .not(.missing(column: join.rightKey)))
        var denominatorPlan = LogicalPlan(dataset: right.name, measure: .aggregate(Aggregate(sum), column: per.rightColumn),
                                          valueName: "sum \(per.rightColumn)", unitName: "sum \(per.rightColumn)", filter: keyed, keys: keys,
                                          across: nil, order: [], top: nil, limit: nil, withPercent: false, withTotal: false, periods: [])
        let denominators = try Executor.run(denominatorPlan, on: right)
        // A group with a row that has no value of the column has no known
        // total (a sum would quietly leave that row out).
        denominatorPlan.measure = .rows
        denominatorPlan.filter = both(keyed, .missing(column: per.rightColumn))
        var unknownTotals: Set<[String?]> = []
        if !keys.isEmpty, case .groups(let bg) = try Executor.run(denominatorPlan, on: right).body {
            for row in bg.rows where (row.values.first ?? 0) > 0 { unknownTotals.insert(row.keys) }
        }
        denominatorPlan.keys = []
        let blank = try Executor.run(denominatorPlan, on: right).footer.matched
        denominatorPlan.filter = keyed
        let admitted = try Executor.run(denominatorPlan, on: right).footer.matched
        denominatorPlan.filter = both(per.denominatorFilter, .missing(column: join.rightKey))
        let keyless = try Executor.run(denominatorPlan, on: right).footer.matched
        denominatorPlan.measure = .aggregate(Aggregate(sum), column: per.rightColumn)
        denominatorPlan.filter = keyed
        let whole = try Executor.run(denominatorPlan, on: right).scalarValue ?? .nan
        let rightRows = try right.rowCount
        let m = per.multiplier
        func rate(_ v: Double, _ d: Double?) -> Double {
            guard let d, d != 0, !d.isNaN, !v.isNaN else { return .nan }
            // v × m is exact for counts, so the one rounding is the division's:
            // the rate is the correctly rounded quotient, as SQL's count * 1000.0 / d.
            return v * m / d
        }
        var out = result
        out.valueName = plan.valueName
        out.valueIsInteger = false
        let overall = blank > 0 ? .nan : rate(matched, whole)
        var overallFact = PerOverall(matched: matched, denominator: whole, rightRows: rightRows, blank: blank,
                                     left: join.kind == .left, dataset: join.dataset, key: join.rightKey)
        overallFact.keyless = keyless
        if !per.denominatorColumns.isEmpty { overallFact.narrowed = (admitted, per.denominatorColumns) }
        switch (result.body, denominators.body) {
        case (.scalar, .scalar):
            out.body = .scalar(overall)
            out.footer.notes.append(.perRate(column: per.column, multiplier: per.multiplierText, measure: per.measureName,
                                             missing: 0, groups: 0, overall: overallFact))
            return out
        case (.groups(var g), .groups(let dg)):
            var byKeys: [[String?]: Double] = [:]
            for row in dg.rows { byKeys[row.keys] = row.values.first }
            var missing = 0
            for i in g.rows.indices {
                // A group with a missing key joined no row: it has no total to divide by.
                let k = g.rows[i].keys
                let d = k.contains { $0 == nil } || unknownTotals.contains(k) ? nil : byKeys[k]
                let r = rate(g.rows[i].values[0], d)
                if r.isNaN { missing += 1 }
                g.rows[i].values = [r]
            }
            out.footer.notes.append(.perRate(column: per.column, multiplier: per.multiplierText, measure: per.measureName,
                                             missing: missing, groups: g.rows.count, overall: overallFact))
            // Order, top and limit act on the rates.
            var order = Array(g.rows.indices)
            if !plan.order.isEmpty {
                order.sort { a, b in
                    for o in plan.order {
                        switch o.target {
                        case .value:
                            if let f = Executor.valueFirst(g.rows[a].values[0], g.rows[b].values[0], descending: o.descending) { return f }
                        default:
                            // The groups came in key order: a key order is theirs, or its reverse.
                            if a != b { return o.descending ? a > b : a < b }
                        }
                    }
                    return a < b
                }
            } else if plan.top != nil || plan.topShare != nil {
                order.sort { a, b in Executor.valueFirst(g.rows[a].values[0], g.rows[b].values[0], descending: true) ?? (a < b) }
            }
            let n = order.count
            if let t = plan.top ?? plan.topShare.map({ $0.count(of: n) }), t > 0, t < n || plan.topShare != nil {
                var kept = Array(order.prefix(t))
                var tied = 0, tiedOut = 0
                let cut = g.rows[order[min(t, n) - 1]].values[0]
                let ties = order.dropFirst(t).filter { Executor.valueFirst(g.rows[$0].values[0], cut, descending: true) == nil }
                if plan.order.isEmpty {
                    kept += ties
                    tied = ties.count
                } else if plan.order.allSatisfy({ $0.target == .value }) {
                    // In the order asked, the cut is exact (group keys are each one group's).
                    tiedOut = ties.count
                }
                out.footer.notes.append(.top(n: t, groups: n, tied: tied, cut: FactValue(cut, .figure), kept: kept.count, overall: .rate,
                                             share: plan.topShare?.text, rounded: plan.topShare?.rounds(n) ?? false,
                                             orderedBy: Executor.topOrderText(plan), tiedOut: tiedOut))
                order = kept
            }
            if let l = plan.limit, l < order.count {
                out.footer.notes.append(.limit(n: l, groups: order.count, overall: .rate))
                order = Array(order.prefix(l))
            }
            g.rows = order.map { g.rows[$0] }
            g.grandTotal = overall
            g.withTotal = plan.withTotal
            g.totals = [overall]
            g.percentBase = [overall]
            out.body = .groups(g)
            out.footer.total = plan.withTotal ? nil : TotalFact(value: FactValue(overall, .figure), measure: plan.valueName, kind: .overall)
            return out
        default:
            return out
        }
    }
}
