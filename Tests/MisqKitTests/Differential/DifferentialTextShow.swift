import Foundation
@testable import MisqKit

// Shapes for text matching and `show COL, …` (issue 17, item 2).
extension Pieces {
    /// `outcome starts with "No c"`, `not force contains "SHIRE"`, `allegation_type not ends with "ct"`:
    /// a fragment of a real label (so something matches), its case sometimes
    /// changed. DuckDB's side lowercases both, as misq's rule says
    /// (docs/language.md, Text matching); `not` before the column keeps
    /// missing values, `not` after it does not.
    static func textMatch(_ rng: inout SeededRandom) -> Piece {
        let (column, labels): (String, [String]) = rng.pick([("outcome", DifferentialData.outcomes),
                                                              ("allegation_type", DifferentialData.allegationTypes),
                                                              ("force", DifferentialData.forceNames)])
        let chars = Array(rng.pick(labels))
        let n = Int.random(in: 1...min(7, chars.count), using: &rng)
        let (word, fn): (String, String) = rng.pick([("starts with", "starts_with"), ("ends with", "ends_with"), ("contains", "contains")])
        var fragment: String
        switch fn {
        case "starts_with": fragment = String(chars.prefix(n))
        case "ends_with": fragment = String(chars.suffix(n))
        default:
            let s = Int.random(in: 0...(chars.count - n), using: &rng)
            fragment = String(chars[s..<(s + n)])
        }
        fragment = rng.pick([fragment, fragment.uppercased(), fragment.lowercased()])
        let test = "COALESCE(\(fn)(lower(\(column)), lower(\(sqlText(fragment)))), FALSE)"
        let text = quoted(fragment)
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return Piece(misq: "not \(column) \(word) \(text)", sql: "NOT \(test)")
        case 1: return Piece(misq: "\(column) not \(word) \(text)", sql: "(\(column) IS NOT NULL AND NOT \(test))")
        default: return Piece(misq: "\(column) \(word) \(text)", sql: test)
        }
    }
}

extension DifferentialShapes {
    static let complaintColumns = ["case_id", "officer_id", "outcome", "allegation_type", "force", "suspended", "reported", "finalised",
                                   "days_to_close", "compensation"]
    static let forceColumns = ["force", "region", "staff", "complaints_recorded", "cases_to_answer", "spend_m"]

    static let textAndShow: [Shape] = [
        Shape(name: "text match") { rng, p in
            let u = rng.pick(Pieces.units), t = Pieces.textMatch(&rng)
            let extra = rng.chance(0.4) ? p.atom(&rng) : nil
            let c = extra.map { Piece(misq: "\(t.misq) and \($0.misq)", sql: "(\(t.sql) AND \($0.sql))") } ?? t
            guard rng.chance(0.6) else {
                return DiffCase(shape: "text match", misq: "count \(u.misq) where \(c.misq)",
                                expect: .scalar(sql: "SELECT \(u.sql) FROM complaints WHERE \(c.sql)", kind: .count))
            }
            let k = rng.pick(Pieces.keys)
            return DiffCase(shape: "text match", misq: "count \(u.misq) where \(c.misq) by \(k.misq)",
                            expect: .grouped(grouped(measure: u.sql, keys: [k], where: c)))
        },
        Shape(name: "show columns") { rng, p in
            // Ordered by a number or date column (ties in file order on both
            // sides: misq keeps the file's order, the SQL orders by the row's
            // place), missing values last either way.
            let onForces = rng.chance(0.35)
            let columns = rng.some(onForces ? forceColumns : complaintColumns, Int.random(in: 1...4, using: &rng)).shuffled(using: &rng)
            let key = rng.pick(onForces ? forceNumbers : numberColumns + dateColumns), desc = rng.chance(0.5)
            let n = Int.random(in: 1...15, using: &rng)
            let c = onForces ? (rng.chance(0.5) ? p.forceCondition(&rng) : nil) : p.maybeCondition(&rng)
            let place = onForces ? "list_position([\(DifferentialData.forceNames.map(Pieces.sqlText).joined(separator: ", "))], force)" : "allegation_id"
            let table = onForces ? "forces" : "complaints"
            return DiffCase(shape: "show columns",
                            misq: "show \(columns.joined(separator: ", ")) from \(table)\(clause("where", c)) order by \(key)\(desc ? " desc" : "") limit \(n)",
                            expect: .rows(sql: "SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE \(c?.sql ?? "TRUE") "
                                          + "ORDER BY \(key) \(desc ? "DESC" : "ASC") NULLS LAST, \(place) LIMIT \(n)"))
        },
    ]
}
