import Foundation
@testable import MisqKit

// Several measures in one table and measures combined per group (issue 17,
// item 3). Each measure's own `where` is SQL's `FILTER (WHERE …)` over the
// same groups; a zero divisor is `NULLIF(…, 0)`, missing on both sides.
// The expectation's `cells` give one row per group (keys, then one value a
// column); its `total` one row of each column's total, which for a combined
// column is the expression of the measures' totals.
extension DifferentialShapes {
    static let measureShapes: [Shape] = [
        Shape(name: "several measures") { rng, p in
            var units: [Piece] = []
            while units.count < Int.random(in: 2...3, using: &rng) {
                let u = rng.pick(Pieces.units)
                if !units.contains(where: { $0.misq == u.misq }) { units.append(u) }
            }
            let own = units.map { _ in rng.chance(0.4) ? p.condition(&rng) : nil }
            let misqMeasures = zip(units, own).map { u, c in "count \(u.misq)\(clause("where", c))" }
            let sqlMeasures = zip(units, own).map { u, c in u.sql + (c.map { " FILTER (WHERE \($0.sql))" } ?? "") }
            let kinds = units.map { _ in ValueKind.count }
            guard rng.chance(0.85) else {
                // Without `by`: one row.
                let sql = "SELECT \(sqlMeasures.joined(separator: ", ")) FROM complaints"
                return DiffCase(shape: "several measures", misq: misqMeasures.joined(separator: ", "),
                                expect: .grouped(GroupedExpectation(cells: sql, keyCount: 0, total: sql, columns: kinds)))
            }
            let k = rng.pick(Pieces.keys), total = rng.chance(0.5)
            let order = rng.chance(0.3) ? Int.random(in: 0..<units.count, using: &rng) : nil
            // `order by` a column by its heading: the unit, with its own where.
            let orderClause = order.map { j in " order by " + Identifier.source(units[j].misq + (own[j].map { " where \($0.misq)" } ?? "")) + " desc" } ?? ""
            let m = matched("complaints", keys: [k], across: nil, where: nil)
            return DiffCase(shape: "several measures",
                            misq: misqMeasures.joined(separator: ", ") + " by \(k.misq)\(orderClause)\(with(percent: false, total: total))",
                            expect: .grouped(GroupedExpectation(cells: m + "SELECT k0, \(sqlMeasures.joined(separator: ", ")) FROM m GROUP BY ALL", keyCount: 1,
                                                                total: m + "SELECT \(sqlMeasures.joined(separator: ", ")) FROM m", withTotal: total,
                                                                columns: kinds, orderColumn: order)))
        },
        Shape(name: "per-group ratio") { rng, p in
            if rng.chance(0.5) {
                // A share per group: percent(count U where C, count U [where D]) by K.
                let u = rng.pick(Pieces.units), part = p.condition(&rng)
                let whole = rng.chance(0.3) ? Piece(misq: "reported is not missing", sql: "reported IS NOT NULL") : nil
                let k = rng.pick(Pieces.keys), total = rng.chance(0.5)
                let expr = "100 * CAST(\(u.sql) FILTER (WHERE \(part.sql)) AS DOUBLE) / NULLIF(\(u.sql)\(whole.map { " FILTER (WHERE \($0.sql))" } ?? ""), 0)"
                let m = matched("complaints", keys: [k], across: nil, where: nil)
                return DiffCase(shape: "per-group ratio",
                                misq: "percent(count \(u.misq) where \(part.misq), count \(u.misq)\(clause("where", whole))) by \(k.misq)\(with(percent: false, total: total))",
                                expect: .grouped(GroupedExpectation(cells: m + "SELECT k0, \(expr) FROM m GROUP BY ALL", keyCount: 1,
                                                                    total: m + "SELECT \(expr) FROM m", withTotal: total, columns: [.number])))
            }
            // A rate per group of the per-force table, ordered by it: forces with no
            // staff reported, or a region filtered to none, divide by nothing.
            let a = rng.pick(forceNumbers), b = rng.pick(forceNumbers.filter { $0 != a })
            let scale = rng.pick([1, 100, 1000]), c = rng.chance(0.4) ? p.forceCondition(&rng) : nil
            let own = c.map { " FILTER (WHERE \($0.sql))" } ?? ""
            let expr = "\(scale) * CAST(sum(\(a)) AS DOUBLE) / NULLIF(sum(\(b))\(own), 0)"
            let m = matched("forces", keys: [Piece(misq: "region", sql: "region")], across: nil, where: nil)
            let byValue = rng.chance(0.6)
            return DiffCase(shape: "per-group ratio",
                            misq: "\(scale) * sum \(a) / sum \(b)\(clause("where", c)) from forces by region" + (byValue ? " order by value desc" : ""),
                            expect: .grouped(GroupedExpectation(cells: m + "SELECT k0, \(expr) FROM m GROUP BY ALL", keyCount: 1,
                                                                total: m + "SELECT \(expr) FROM m", columns: [.number], orderColumn: byValue ? 0 : nil)))
        },
    ]
}

/// A table of several value columns (`GroupedExpectation.columns`) against DuckDB's rows.
func measureDifferences(_ e: GroupedExpectation, _ kinds: [ValueKind], misq r: QueryResult, duck: [[[DuckCell]]]) -> [String] {
    guard case .groups(let g) = r.body else { return ["misq gave one value, DuckDB a table"] }
    var out: [String] = []
    let n = kinds.count, k = e.keyCount
    if g.valueColumns.count != n { out.append("value columns: misq \(g.valueColumns.map(\.name)), DuckDB \(n)") }
    func misqValues(_ values: [Double]) -> [Value] {
        values.enumerated().map { j, v in Value(misq: v, isDate: j < g.valueColumns.count && g.valueColumns[j].isDate) }
    }
    var want: [GroupKey: [Value]] = [:], wantOrder: [GroupKey] = []
    for row in duck[0] where row.count >= k + n {
        let key = row.prefix(k).map(keyLabel(duck:))
        want[key] = row[k..<(k + n)].map(Value.init(duck:))
        wantOrder.append(key)
    }
    var got: [GroupKey: [Value]] = [:]
    for row in g.rows { got[row.keys.map(keyLabel(misq:))] = misqValues(row.values) }
    for key in Set(want.keys).subtracting(got.keys) { out.append("group \(show(key)) missing from misq") }
    for key in Set(got.keys).subtracting(want.keys) { out.append("group \(show(key)) only in misq") }
    for (key, values) in got {
        guard let w = want[key] else { continue }
        for j in 0..<min(n, values.count) where !values[j].matches(w[j], kinds[j]) {
            out.append("cell \(show(key)) column \(j + 1): misq \(values[j]), DuckDB \(w[j])")
        }
    }
    let wantTotals = duck[1].first.map { $0.prefix(n).map(Value.init(duck:)) } ?? []
    let gotTotals = misqValues(g.totals ?? [])
    for j in 0..<min(n, wantTotals.count, gotTotals.count) where !gotTotals[j].matches(wantTotals[j], kinds[j]) {
        out.append("total of column \(j + 1): misq \(gotTotals[j]), DuckDB \(wantTotals[j])")
    }
    if gotTotals.count != n { out.append("totals: misq \(gotTotals), DuckDB \(wantTotals)") }
    if let c = e.orderColumn {
        // Largest first, a missing value last (NULLS LAST); ties in either engine's key order.
        let gotValues = g.rows.map { misqValues($0.values)[c].description }
        let wantValues = wantOrder.compactMap { want[$0]?[c] }.sorted { a, b in
            switch (a, b) {
            case (.number(let x), .number(let y)): return x > y
            case (.number, _): return true
            default: return false
            }
        }.map(\.description)
        if gotValues != wantValues { out.append("order by column \(c + 1): misq \(gotValues), DuckDB \(wantValues)") }
    }
    return out
}
