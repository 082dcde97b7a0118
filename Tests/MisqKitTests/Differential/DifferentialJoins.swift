import Foundation
@testable import MisqKit

// Joins (issue 18): allegations joined to one row per officer (`personnel`,
// which lacks some officers, so an inner join leaves rows out and a left
// join keeps them with its columns missing) and to one row per force
// (`forces`), a rate per 1,000 staff. In SQL the joined rows are a
// subquery with the joined columns under other names (p_rank, …), as misq
// names them `personnel.rank`.
extension DifferentialShapes {
    static func personnelJoin(_ kind: String) -> String {
        "(SELECT c.*, p.rank AS p_rank, p.grade AS p_grade, p.joined_on AS p_joined FROM complaints c \(kind == "left" ? "LEFT" : "INNER") JOIN personnel p ON c.officer_id = p.officer_id)"
    }

    static let joinedKeys = [Piece(misq: "personnel.rank", sql: "p_rank"), Piece(misq: "rank", sql: "p_rank"),
                             Piece(misq: "personnel.grade", sql: "p_grade")]

    static func joinedCondition(_ rng: inout SeededRandom) -> Piece {
        switch Int.random(in: 0..<3, using: &rng) {
        case 0:
            let r = rng.pick(DifferentialData.ranks)
            return Piece(misq: "personnel.rank = \"\(r)\"", sql: "COALESCE(p_rank = '\(r)', FALSE)")
        case 1:
            let g = Int.random(in: 1...9, using: &rng)
            return Piece(misq: "personnel.grade >= \(g)", sql: "COALESCE(p_grade >= \(g), FALSE)")
        default:
            return Piece(misq: "personnel.rank is missing", sql: "p_rank IS NULL")
        }
    }

    static let joinShapes: [Shape] = [
        Shape(name: "join: by a joined column") { rng, p in
            // Units counted by the officer's rank: a case with officers of two
            // ranks is under both, and counted once in the total.
            let kind = rng.pick(["inner", "left"]), u = rng.pick(Pieces.units), k = rng.pick(joinedKeys)
            let c = rng.chance(0.5) ? p.condition(&rng) : nil, total = rng.chance(0.5)
            let joinText = (kind == "left" ? " left join" : rng.pick([" join", " inner join"])) + " personnel on officer_id"
            return DiffCase(shape: "join: by a joined column",
                            misq: "count \(u.misq) from complaints\(joinText)\(clause("where", c)) by \(k.misq)\(with(percent: false, total: total))",
                            expect: .grouped(grouped(personnelJoin(kind), measure: u.sql, keys: [k], where: c, withTotal: total)))
        },
        Shape(name: "join: condition on a joined column") { rng, p in
            let kind = rng.pick(["inner", "left"]), c = joinedCondition(&rng)
            let joinText = (kind == "left" ? " left join" : " join") + " personnel on officer_id"
            if rng.chance(0.5) {
                let u = rng.pick(Pieces.units)
                return DiffCase(shape: "join: condition on a joined column", misq: "count \(u.misq) from complaints\(joinText) where \(c.misq)",
                                expect: .scalar(sql: "SELECT \(u.sql) FROM \(personnelJoin(kind)) WHERE \(c.sql)", kind: .count))
            }
            let col = rng.pick(numberColumns), (word, fn) = numberAggregate(&rng, col), k = rng.pick(Pieces.categoryKeys)
            return DiffCase(shape: "join: condition on a joined column", misq: "\(word) \(col) from complaints\(joinText) where \(c.misq) by \(k.misq)",
                            expect: .grouped(grouped(personnelJoin(kind), measure: fn, kind: .number, keys: [k], where: c)))
        },
        Shape(name: "join: rate per a joined column") { rng, p in
            // Units per 1,000 staff: each group's count over its forces' staff
            // (all forces of the group, each once), NULL staff or 0 giving no
            // rate; the overall rate as without a `by`. A condition on the
            // join key or a forces column narrows both sides (the forces
            // summed as the rows counted); one on the complaints' own columns
            // narrows the count only, and the two kinds are joined by `and`
            // (one condition testing both is an error, `per_mixed_condition`).
            let u = rng.pick(Pieces.units)
            var c = p.maybeCondition(&rng)
            for _ in 0..<8 where c?.misq.contains("force") ?? false { c = p.maybeCondition(&rng) }
            if c?.misq.contains("force") ?? false { c = nil }
            var keyCondition: (misq: String, joined: String, forces: String)?
            switch Int.random(in: 0..<5, using: &rng) {
            case 0:
                let v = Pieces.label(&rng, DifferentialData.forceNames)
                keyCondition = ("force = \(v.misq)", "COALESCE(force = \(v.sql), FALSE)", "COALESCE(force = \(v.sql), FALSE)")
            case 1:
                let r = Pieces.label(&rng, DifferentialData.regions)
                keyCondition = ("forces.region = \(r.misq)", "COALESCE(f_region = \(r.sql), FALSE)", "COALESCE(region = \(r.sql), FALSE)")
            default: keyCondition = nil
            }
            let filter: Piece? = switch (c, keyCondition) {
            case (nil, nil): nil
            case (let c?, nil): c
            case (nil, let k?): Piece(misq: k.misq, sql: k.joined)
            case (let c?, let k?): Piece(misq: "(\(c.misq)) and \(k.misq)", sql: "(\(c.sql) AND \(k.joined))")
            }
            // A force row with no force joins nothing and is in no total.
            let forcesWhere = " WHERE force IS NOT NULL" + (keyCondition.map { " AND \($0.forces)" } ?? "")
            let mult = rng.pick(["1000", "100", "1"])
            let joined = "(SELECT c.*, f.region AS f_region, f.staff AS f_staff FROM complaints c INNER JOIN forces f ON c.force = f.force)"
            let byRegion = rng.chance(0.4)
            let scalar = !byRegion && rng.chance(0.3)
            let key = byRegion ? Piece(misq: rng.pick(["forces.region", "region"]), sql: "f_region") : Piece(misq: "force", sql: "force")
            // A group with a force of unknown staff has no known total (SQL's sum would skip it).
            let den = "(SELECT \(byRegion ? "region" : "force") AS k0, CASE WHEN count(*) FILTER (WHERE staff IS NULL) > 0 THEN NULL ELSE sum(staff) END AS s "
                + "FROM forces\(forcesWhere) GROUP BY ALL)"
            let base = "count \(u.misq) from complaints join forces on force\(clause("where", filter))"
            let per = " per \(mult) forces.staff"
            let m = matched(joined, keys: [key], across: nil, where: filter)
            let numerator = m + "SELECT \(u.sql) FROM m"
            // One overall rate whatever the grouping: the rows with a partner
            // over the staff of every force the key condition admits, none if
            // one of those forces' staff is unknown.
            let overall = "SELECT CASE WHEN (SELECT count(*) FROM forces\(forcesWhere) AND staff IS NULL) > 0 THEN NULL "
                + "ELSE (\(numerator)) * \(mult).0 / NULLIF((SELECT sum(staff) FROM forces\(forcesWhere)), 0) END"
            if scalar {
                return DiffCase(shape: "join: rate per a joined column", misq: base + per,
                                expect: .scalar(sql: overall, kind: .number))
            }
            let g = m + "SELECT k0, \(u.sql) AS v FROM m GROUP BY ALL"
            let cells = "SELECT g.k0, g.v * \(mult).0 / NULLIF(d.s, 0) AS r FROM (\(g)) g LEFT JOIN \(den) d ON g.k0 = d.k0"
            let top = rng.chance(0.3) ? Int.random(in: 1...5, using: &rng) : nil
            return DiffCase(shape: "join: rate per a joined column", misq: base + " by \(key.misq)" + per + (top.map { " top \($0)" } ?? ""),
                            expect: .grouped(GroupedExpectation(
                                cells: top.map { "SELECT * FROM (\(cells)) QUALIFY rank() OVER (ORDER BY r DESC NULLS LAST) <= \($0)" } ?? cells,
                                keyCount: 1, kind: .number, total: overall, byValueDescending: top != nil)))
        },
    ]
}
