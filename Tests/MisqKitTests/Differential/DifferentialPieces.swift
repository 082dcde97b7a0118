import Foundation
@testable import MisqKit

/// A piece of a question said both ways: misq text and the DuckDB SQL with
/// the same meaning, each written from the same parameters.
struct Piece {
    var misq: String
    var sql: String
}

/// The pieces shapes are built from: units, keys, conditions, periods,
/// measures. SQL conditions are two-valued (`COALESCE(…, FALSE)` on every
/// comparison), as misq's are: a comparison with a missing value is false,
/// so `not (outcome = "Upheld")` keeps the rows with no outcome.
struct Pieces {
    let data: DifferentialData

    // MARK: units (what `count` counts)

    static let units = [
        Piece(misq: "allegations", sql: "count(*)"),
        Piece(misq: "cases", sql: "count(DISTINCT case_id)"),
        Piece(misq: "officers", sql: "count(DISTINCT officer_id)"),
        Piece(misq: "complaints", sql: "count(*)"),
    ]
    static let distinctColumns = ["officer_id", "case_id", "force", "outcome"]

    // MARK: group keys

    /// Time buckets of a date column, labelled as misq labels them
    /// (2022, 2022-Q2, 2022-05, FY2022/23).
    static func bucket(_ kind: String, _ column: String) -> String {
        let fyStart = "(year(\(column)) - CASE WHEN month(\(column)) < 4 THEN 1 ELSE 0 END)"
        switch kind {
        case "year": return "CAST(year(\(column)) AS VARCHAR)"
        case "quarter": return "CAST(year(\(column)) AS VARCHAR) || '-Q' || CAST(quarter(\(column)) AS VARCHAR)"
        case "month": return "strftime(\(column), '%Y-%m')"
        default: return "'FY' || CAST(\(fyStart) AS VARCHAR) || '/' || lpad(CAST((\(fyStart) + 1) % 100 AS VARCHAR), 2, '0')"
        }
    }

    static let categoryKeys = ["outcome", "allegation_type", "force", "suspended"].map { Piece(misq: $0, sql: $0) }
    static let timeKeys = ["year", "quarter", "month", "fy"].map { Piece(misq: $0, sql: bucket($0, "reported")) }
        + ["year", "quarter", "fy"].map { Piece(misq: "\($0)(finalised)", sql: bucket($0, "finalised")) }
    static let numberKeys = [Piece(misq: "days_to_close", sql: "days_to_close")]
    static var keys: [Piece] { categoryKeys + timeKeys }

    // MARK: periods

    /// A period literal and its days, [start, end).
    struct Period { var text: String; var start: Int; var end: Int }

    static func period(_ rng: inout SeededRandom) -> Period {
        let y = Int.random(in: 2018...2024, using: &rng), m = Int.random(in: 1...12, using: &rng)
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return Period(text: "\(y)", start: Day.number(y, 1, 1), end: Day.number(y + 1, 1, 1))
        case 1: return Period(text: String(format: "%04d-%02d", y, m), start: Day.number(y, m, 1),
                              end: m == 12 ? Day.number(y + 1, 1, 1) : Day.number(y, m + 1, 1))
        case 2:
            let q = Int.random(in: 1...4, using: &rng)
            return Period(text: "\(y)-Q\(q)", start: Day.number(y, 3 * q - 2, 1), end: q == 4 ? Day.number(y + 1, 1, 1) : Day.number(y, 3 * q + 1, 1))
        case 3:
            return Period(text: String(format: "FY%04d/%02d", y, (y + 1) % 100), start: Day.number(y, 4, 1), end: Day.number(y + 1, 4, 1))
        default:
            let d = Int.random(in: 1...Day.daysInMonth(y, m), using: &rng)
            return Period(text: String(format: "%04d-%02d-%02d", y, m, d), start: Day.number(y, m, d), end: Day.number(y, m, d) + 1)
        }
    }

    /// A period or a range of two (`a..b` half-open, `a through b` whole).
    static func range(_ rng: inout SeededRandom) -> Period {
        let a = period(&rng)
        guard rng.chance(0.5) else { return a }
        var b = period(&rng)
        while b.start <= a.start { b = period(&rng) }
        return rng.chance(0.5) ? Period(text: "\(a.text)..\(b.text)", start: a.start, end: b.start)
                               : Period(text: "\(a.text) through \(b.text)", start: a.start, end: b.end)
    }

    /// `count` periods of one kind, one after another (sometimes with a
    /// gap), so they never overlap: years, financial years, quarters or
    /// twelve-month ranges such as 2021-05..2022-05.
    static func consecutive(_ rng: inout SeededRandom, count: Int) -> [Period] {
        var out: [Period] = []
        var y = Int.random(in: 2018...2021, using: &rng)
        let m = Int.random(in: 1...12, using: &rng), kind = Int.random(in: 0..<4, using: &rng)
        var q = Int.random(in: 1...4, using: &rng)
        for _ in 0..<count {
            switch kind {
            case 0: out.append(Period(text: "\(y)", start: Day.number(y, 1, 1), end: Day.number(y + 1, 1, 1)))
            case 1: out.append(Period(text: String(format: "FY%04d/%02d", y, (y + 1) % 100), start: Day.number(y, 4, 1), end: Day.number(y + 1, 4, 1)))
            case 2:
                out.append(Period(text: "\(y)-Q\(q)", start: Day.number(y, 3 * q - 2, 1), end: q == 4 ? Day.number(y + 1, 1, 1) : Day.number(y, 3 * q + 1, 1)))
                if q == 4 { q = 1; y += 1 } else { q += 1 }
                continue
            default:
                out.append(Period(text: String(format: "%04d-%02d..%04d-%02d", y, m, y + 1, m), start: Day.number(y, m, 1), end: Day.number(y + 1, m, 1)))
            }
            y += rng.chance(0.3) ? 2 : 1
        }
        return out
    }

    static func date(_ day: Int) -> String { "DATE '\(DifferentialData.iso(day))'" }

    static func inPeriod(_ column: String, _ p: Period) -> String {
        "COALESCE(\(column) >= \(date(p.start)) AND \(column) < \(date(p.end)), FALSE)"
    }

    // MARK: conditions on complaints

    static func quoted(_ label: String) -> String { "\"" + label + "\"" }
    static func sqlText(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    /// The label as a bare word, when it names one label only once case and
    /// punctuation are ignored (else misq rightly asks which one).
    static func bare(_ label: String, among labels: [String]) -> String? {
        func folded(_ s: String) -> String { s.lowercased().filter { $0.isLetter || $0.isNumber } }
        guard labels.filter({ folded($0) == folded(label) }).count == 1 else { return nil }
        let word = label.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        return word.first?.isLetter == true && !Pieces.reserved.contains(word) ? word : nil
    }
    static let reserved: Set<String> = ["count", "sum", "avg", "min", "max", "median", "show", "distinct", "from", "where", "by",
                                        "across", "order", "top", "limit", "with", "and", "or", "not", "in", "is", "missing",
                                        "period", "since", "last", "through", "let", "define", "param", "load", "as", "assert", "within"]

    static func label(_ rng: inout SeededRandom, _ labels: [String]) -> Piece {
        let l = rng.pick(labels)
        if rng.chance(0.4), let word = bare(l, among: labels) { return Piece(misq: word, sql: sqlText(l)) }
        return Piece(misq: quoted(l), sql: sqlText(l))
    }

    static func comparison(_ rng: inout SeededRandom, _ column: String, _ value: String, sqlValue: String) -> Piece {
        let op = rng.pick(["=", "!=", "<", "<=", ">", ">="])
        return Piece(misq: "\(column) \(op) \(value)", sql: "COALESCE(\(column) \(op == "!=" ? "<>" : op) \(sqlValue), FALSE)")
    }

    func atom(_ rng: inout SeededRandom) -> Piece {
        let categories: [(String, [String])] = [("outcome", DifferentialData.outcomes), ("allegation_type", DifferentialData.allegationTypes),
                                                ("force", DifferentialData.forceNames)]
        switch Int.random(in: 0..<12, using: &rng) {
        case 0, 1:
            let (c, labels) = rng.pick(categories)
            let v = Pieces.label(&rng, labels)
            return rng.chance(0.7) ? Piece(misq: "\(c) = \(v.misq)", sql: "COALESCE(\(c) = \(v.sql), FALSE)")
                                   : Piece(misq: "\(c) != \(v.misq)", sql: "COALESCE(\(c) <> \(v.sql), FALSE)")
        case 2:
            let (c, labels) = rng.pick(categories)
            let vs = rng.some(labels, Int.random(in: 2...4, using: &rng)).map { Piece(misq: Pieces.quoted($0), sql: Pieces.sqlText($0)) }
            let not = rng.chance(0.5)
            return Piece(misq: "\(c) \(not ? "not in" : "in") (\(vs.map(\.misq).joined(separator: ", ")))",
                         sql: "COALESCE(\(c) \(not ? "NOT IN" : "IN") (\(vs.map(\.sql).joined(separator: ", "))), FALSE)")
        case 3:
            let c = rng.pick(["outcome", "officer_id", "allegation_type", "suspended", "reported", "finalised", "days_to_close", "compensation"])
            return rng.chance(0.5) ? Piece(misq: "\(c) is missing", sql: "\(c) IS NULL") : Piece(misq: "\(c) is not missing", sql: "\(c) IS NOT NULL")
        case 4:
            return rng.chance(0.7) ? Piece(misq: "suspended", sql: "COALESCE(suspended, FALSE)")
                                   : Piece(misq: "not suspended", sql: "NOT COALESCE(suspended, FALSE)")
        case 5:
            let n = Int.random(in: 0...720, using: &rng)
            return Pieces.comparison(&rng, "days_to_close", String(n), sqlValue: String(n))
        case 6:
            let x = String(format: "%.2f", Double(Int.random(in: 0...250_000, using: &rng)) / 100)
            return Pieces.comparison(&rng, "compensation", x, sqlValue: x)
        case 7, 8:
            let p = Pieces.range(&rng)
            let column = rng.pick(["reported", "finalised"])
            return rng.chance(0.5) && column == "reported" ? Piece(misq: "period \(p.text)", sql: Pieces.inPeriod("reported", p))
                                                           : Piece(misq: "\(column) in \(p.text)", sql: Pieces.inPeriod(column, p))
        case 9:
            // On a date, `<` is before the period starts, `<=` up to its end.
            let p = Pieces.period(&rng), column = rng.pick(["reported", "finalised"])
            let (op, sql): (String, String) = rng.pick([("<", "< \(Pieces.date(p.start))"), ("<=", "< \(Pieces.date(p.end))"),
                                                        (">", ">= \(Pieces.date(p.end))"), (">=", ">= \(Pieces.date(p.start))")])
            return Piece(misq: "\(column) \(op) \(p.text)", sql: "COALESCE(\(column) \(sql), FALSE)")
        case 10:
            let o = rng.pick(data.officerIDs)
            return Piece(misq: "officer_id = \(Pieces.quoted(o))", sql: "COALESCE(officer_id = \(Pieces.sqlText(o)), FALSE)")
        default:
            let v = Pieces.label(&rng, DifferentialData.outcomes)
            return Piece(misq: "not (outcome = \(v.misq))", sql: "NOT COALESCE(outcome = \(v.sql), FALSE)")
        }
    }

    /// An atom, or two or three joined by `and` / `or`, or one negated.
    func condition(_ rng: inout SeededRandom) -> Piece {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0, 1: return atom(&rng)
        case 2:
            let a = atom(&rng), b = atom(&rng)
            return Piece(misq: "\(a.misq) and \(b.misq)", sql: "(\(a.sql) AND \(b.sql))")
        case 3:
            let a = atom(&rng), b = atom(&rng)
            return Piece(misq: "\(a.misq) or \(b.misq)", sql: "(\(a.sql) OR \(b.sql))")
        case 4:
            let a = atom(&rng), b = atom(&rng), c = atom(&rng)
            return Piece(misq: "(\(a.misq) or \(b.misq)) and \(c.misq)", sql: "((\(a.sql) OR \(b.sql)) AND \(c.sql))")
        default:
            let a = atom(&rng), b = atom(&rng)
            return Piece(misq: "not (\(a.misq) and \(b.misq))", sql: "NOT (\(a.sql) AND \(b.sql))")
        }
    }

    /// A condition about half the time, else none (`TRUE`).
    func maybeCondition(_ rng: inout SeededRandom) -> Piece? {
        rng.chance(0.5) ? condition(&rng) : nil
    }

    // MARK: conditions on the per-force table

    func forceCondition(_ rng: inout SeededRandom) -> Piece {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0:
            let v = Pieces.label(&rng, DifferentialData.regions)
            return Piece(misq: "region = \(v.misq)", sql: "COALESCE(region = \(v.sql), FALSE)")
        case 1:
            let n = Int.random(in: 900...45_000, using: &rng)
            return Pieces.comparison(&rng, "staff", String(n), sqlValue: String(n))
        case 2:
            let x = String(format: "%.1f", Double(Int.random(in: 50...9_000, using: &rng)) / 10)
            return Pieces.comparison(&rng, "spend_m", x, sqlValue: x)
        default:
            let c = rng.pick(["staff", "cases_to_answer", "spend_m"])
            return rng.chance(0.5) ? Piece(misq: "\(c) is missing", sql: "\(c) IS NULL") : Piece(misq: "\(c) is not missing", sql: "\(c) IS NOT NULL")
        }
    }
}
