import Foundation
@testable import MisqKit

// Composition (issue 18): a grouped result kept as a dataset and queried
// again, `top N%` of rows on it, and joins. In SQL the grouped result is a
// subquery `g` with the keys under their names and the measure under the
// unit's (`allegations`), as misq names its columns.
extension DifferentialShapes {
    /// Keys a grouped result may be kept by: categories, yes/no, whole numbers, ids.
    static let keepKeys = Pieces.categoryKeys + ["officer_id", "case_id", "days_to_close"].map { Piece(misq: $0, sql: $0) }

    /// `let NAME = count UNIT [where C] by K[, K2]` and its SQL subquery.
    static func groupedLet(_ rng: inout SeededRandom, _ p: Pieces) -> (name: String, misq: String, sql: String, unit: String, keys: [Piece]) {
        let name = "g_\(rng.next() % 1_000_000)", u = rng.pick(Pieces.units), c = p.maybeCondition(&rng)
        var keys = [rng.pick(keepKeys)]
        if rng.chance(0.3) {
            var b = rng.pick(Pieces.categoryKeys)
            while b.misq == keys[0].misq { b = rng.pick(Pieces.categoryKeys) }
            keys.append(b)
        }
        let misq = "let \(name) = count \(u.misq)\(clause("where", c)) by \(keys.map(\.misq).joined(separator: ", "))\n"
        let sql = "(SELECT \(keys.map(\.sql).joined(separator: ", ")), \(u.sql) AS \(u.misq) FROM complaints WHERE \(c?.sql ?? "TRUE") GROUP BY ALL)"
        return (name, misq, sql, u.misq, keys)
    }

    static let compositionShapes: [Shape] = [
        Shape(name: "grouped result: count where") { rng, p in
            // Officers (cases, forces…) with more than x allegations.
            let g = groupedLet(&rng, p), v = g.unit
            let x = Int.random(in: 0...6, using: &rng), op = rng.pick([">", ">=", "<", "="])
            return DiffCase(shape: "grouped result: count where", misq: g.misq + "count \(g.name) where \(v) \(op) \(x)",
                            expect: .scalar(sql: "SELECT count(*) FROM \(g.sql) WHERE \(v) \(op) \(x)", kind: .count))
        },
        Shape(name: "grouped result: aggregate") { rng, p in
            // The distribution's median, mean, extremes, sum.
            let g = groupedLet(&rng, p), v = g.unit
            let word = rng.pick(["sum", "avg", "min", "max", "median"])
            let fn = word == "median" ? "quantile_cont(\(v), 0.5)" : "\(word)(\(v))"
            return DiffCase(shape: "grouped result: aggregate", misq: g.misq + "\(word) \(v) from \(g.name)",
                            expect: .scalar(sql: "SELECT \(fn) FROM \(g.sql)", kind: .number))
        },
        Shape(name: "grouped result: grouped again") { rng, p in
            // By the first key of a two-key result, or by the measure itself.
            let g = groupedLet(&rng, p), v = g.unit
            let x = Int.random(in: 0...3, using: &rng)
            let cond = Piece(misq: "\(v) > \(x)", sql: "\(v) > \(x)")
            let key = g.keys.count == 2 ? g.keys[0] : Piece(misq: v, sql: v)
            let total = rng.chance(0.5)
            return DiffCase(shape: "grouped result: grouped again",
                            misq: g.misq + "count \(g.name) where \(cond.misq) by \(key.misq)\(with(percent: false, total: total))",
                            expect: .grouped(grouped(g.sql, measure: "count(*)", keys: [key], where: cond, withTotal: total)))
        },
        Shape(name: "top share of a grouped result") { rng, p in
            // What the largest P% of groups hold: rows ranked by the measure,
            // ⌈n × P / 100⌉ of them with ties (docs/language.md).
            let g = groupedLet(&rng, p), v = g.unit
            let share = rng.pick(["1", "2.5", "5", "10", "12.5", "20", "25", "33.3", "50", "100"])
            let word = rng.pick(["sum", "avg", "min", "median"])
            let fn = word == "median" ? "quantile_cont(\(v), 0.5)" : "\(word)(\(v))"
            let kept = "SELECT * EXCLUDE (n) FROM (SELECT *, count(*) OVER () AS n FROM \(g.sql)) QUALIFY rank() OVER (ORDER BY \(v) DESC NULLS LAST) <= ceil(n * CAST(\(share) AS DECIMAL(18, 6)) / 100)"
            return DiffCase(shape: "top share of a grouped result", misq: g.misq + "\(word) \(v) from \(g.name) top \(share)%",
                            expect: .scalar(sql: "SELECT \(fn) FROM (\(kept))", kind: .number))
        },
    ]
}
