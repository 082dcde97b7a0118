import Foundation
@testable import MisqKit

// The shapes of question the differential test asks, one table entry each.
//
// To add a shape (a new clause, aggregate or form of the language):
// 1. Add an entry to `DifferentialShapes.all`: a name and a closure that,
//    from the seeded generator and the pieces (units, keys, conditions,
//    periods in DifferentialPieces.swift), returns a `DiffCase` — the misq
//    text and, written from the SAME parameters (never by translating the
//    misq text), the DuckDB SQL with a comparison kind: `.scalar(sql:kind:)`
//    for one value, or `.grouped(…)` (usually through `grouped(…)` below,
//    which writes the cells, total, row/column totals and group count).
// 2. If the shape needs a column the CSVs lack, add it in
//    DifferentialData.swift to both the CSV and `duckdbSetup` (with its type).
// 3. If it needs a comparison `differences` does not make yet (say, several
//    measures per row), add a case to `Expectation` and compare it there.
// 4. Run `swift test --filter DifferentialTests`; every shape is asked
//    `perShape` times, so the total stays over 200 queries.
// A disagreement that is misq's known bug, not yet fixed, is left out of
// the generator with a comment saying which query and why, never skipped
// silently at comparison time.

struct Shape {
    var name: String
    var make: (inout SeededRandom, Pieces) -> DiffCase
}

enum DifferentialShapes {
    /// The matched rows as a CTE, with the keys as k0, k1, … and the across key as a.
    static func matched(_ table: String, keys: [Piece], across: Piece?, where cond: Piece?) -> String {
        var cols = keys.enumerated().map { "\($1.sql) AS k\($0)" }
        if let a = across { cols.append("\(a.sql) AS a") }
        let select = (["*"] + cols).joined(separator: ", ")
        return "WITH m AS (SELECT \(select) FROM \(table) WHERE \(cond?.sql ?? "TRUE")) "
    }

    /// A grouped question's expectation from its parameters: `measure` is
    /// the SQL aggregate (a count, sum, median…) over the matched rows.
    static func grouped(_ table: String = "complaints", measure: String, kind: ValueKind = .count, keys: [Piece], across: Piece? = nil,
                        where cond: Piece?, percent: Bool = false, withTotal: Bool = false, top: Int? = nil,
                        topShare: String? = nil, byValue: Bool = false) -> GroupedExpectation {
        let m = matched(table, keys: keys, across: across, where: cond)
        let k = keys.indices.map { "k\($0)" }.joined(separator: ", ")
        let groupCols = k + (across == nil ? "" : ", a")
        var cells = "SELECT \(groupCols), \(measure) AS v FROM m GROUP BY ALL"
        if let n = top { cells = "SELECT * FROM (\(cells)) QUALIFY rank() OVER (ORDER BY v DESC) <= \(n)" }
        // `top P%`: the largest ⌈groups × P / 100⌉, with ties (docs/language.md, Queries).
        // P is written as an exact decimal, so DuckDB's ceil is of a DECIMAL, not a double.
        if let share = topShare {
            cells = "SELECT * EXCLUDE (n) FROM (SELECT *, count(*) OVER () AS n FROM (\(cells))) QUALIFY rank() OVER (ORDER BY v DESC NULLS LAST) <= ceil(n * CAST(\(share) AS DECIMAL(18, 6)) / 100)"
        }
        if percent {
            // A share of a total of nothing is missing, as misq shows it.
            cells = across == nil
                ? "SELECT *, 100 * CAST(v AS DOUBLE) / NULLIF((SELECT \(measure) FROM m), 0) FROM (\(cells))"
                : "SELECT g.*, 100 * CAST(g.v AS DOUBLE) / NULLIF(b.base, 0) FROM (\(cells)) g JOIN (SELECT a, \(measure) AS base FROM m GROUP BY ALL) b ON g.a IS NOT DISTINCT FROM b.a"
        }
        return GroupedExpectation(
            cells: m + cells, keyCount: keys.count, across: across != nil, kind: kind,
            total: m + "SELECT \(measure) FROM m", withTotal: withTotal, percent: percent,
            rowTotals: across == nil ? nil : m + "SELECT \(k), \(measure) FROM m GROUP BY ALL",
            columnTotals: across == nil ? nil : m + "SELECT a, \(measure) FROM m GROUP BY ALL",
            byValueDescending: byValue || top != nil || topShare != nil,
            groupCount: top == nil && topShare == nil ? nil : m + "SELECT count(*) FROM (SELECT \(k) FROM m GROUP BY ALL)", top: top)
    }

    static func clause(_ word: String, _ p: Piece?) -> String { p.map { " \(word) \($0.misq)" } ?? "" }
    static func with(percent: Bool, total: Bool) -> String {
        let parts = (percent ? ["percent"] : []) + (total ? ["total"] : [])
        return parts.isEmpty ? "" : " with " + parts.joined(separator: ", ")
    }

    /// Two different keys.
    static func twoKeys(_ rng: inout SeededRandom) -> (Piece, Piece) {
        let a = rng.pick(Pieces.keys)
        var b = rng.pick(Pieces.keys)
        while b.misq == a.misq { b = rng.pick(Pieces.keys) }
        return (a, b)
    }

    static let numberColumns = ["days_to_close", "compensation"]
    static let dateColumns = ["reported", "finalised"]
    static let forceNumbers = ["staff", "complaints_recorded", "cases_to_answer", "spend_m"]

    /// An aggregate of a number column: misq's word and DuckDB's function.
    /// misq's median of numbers is the usual one (halfway between the two
    /// middle values): DuckDB's quantile_cont(x, 0.5).
    static func numberAggregate(_ rng: inout SeededRandom, _ column: String) -> (String, String) {
        let word = rng.pick(["sum", "avg", "min", "max", "median"])
        return (word, word == "median" ? "quantile_cont(\(column), 0.5)" : "\(word)(\(column))")
    }

    static let all: [Shape] = [
        Shape(name: "filtered count") { rng, p in
            let u = rng.pick(Pieces.units), c = p.condition(&rng)
            return DiffCase(shape: "filtered count", misq: "count \(u.misq) where \(c.misq)",
                            expect: .scalar(sql: "SELECT \(u.sql) FROM complaints WHERE \(c.sql)", kind: .count))
        },
        Shape(name: "grouped count") { rng, p in
            let u = rng.pick(Pieces.units), k = rng.pick(Pieces.keys + Pieces.numberKeys), c = p.maybeCondition(&rng)
            return DiffCase(shape: "grouped count", misq: "count \(u.misq)\(clause("where", c)) by \(k.misq)",
                            expect: .grouped(grouped(measure: u.sql, keys: [k], where: c)))
        },
        Shape(name: "two keys") { rng, p in
            let u = rng.pick(Pieces.units), (a, b) = twoKeys(&rng), c = p.maybeCondition(&rng), total = rng.chance(0.5)
            return DiffCase(shape: "two keys", misq: "count \(u.misq)\(clause("where", c)) by \(a.misq), \(b.misq)\(with(percent: false, total: total))",
                            expect: .grouped(grouped(measure: u.sql, keys: [a, b], where: c, withTotal: total)))
        },
        Shape(name: "crosstab") { rng, p in
            let u = rng.pick(Pieces.units), (a, b) = twoKeys(&rng), c = p.maybeCondition(&rng), total = rng.chance(0.6)
            return DiffCase(shape: "crosstab", misq: "count \(u.misq)\(clause("where", c)) by \(a.misq) across \(b.misq)\(with(percent: false, total: total))",
                            expect: .grouped(grouped(measure: u.sql, keys: [a], across: b, where: c, withTotal: total)))
        },
        Shape(name: "crosstab with percent") { rng, p in
            let u = rng.pick(Pieces.units), (a, b) = twoKeys(&rng), c = p.maybeCondition(&rng), total = rng.chance(0.5)
            return DiffCase(shape: "crosstab with percent",
                            misq: "count \(u.misq)\(clause("where", c)) by \(a.misq) across \(b.misq)\(with(percent: true, total: total))",
                            expect: .grouped(grouped(measure: u.sql, keys: [a], across: b, where: c, percent: true, withTotal: total)))
        },
        Shape(name: "with percent") { rng, p in
            let u = rng.pick(Pieces.units), k = rng.pick(Pieces.keys), c = p.maybeCondition(&rng), total = rng.chance(0.5)
            return DiffCase(shape: "with percent", misq: "count \(u.misq)\(clause("where", c)) by \(k.misq)\(with(percent: true, total: total))",
                            expect: .grouped(grouped(measure: u.sql, keys: [k], where: c, percent: true, withTotal: total)))
        },
        Shape(name: "with total") { rng, p in
            let u = rng.pick(Pieces.units), k = rng.pick(Pieces.keys), c = p.maybeCondition(&rng)
            return DiffCase(shape: "with total", misq: "count \(u.misq)\(clause("where", c)) by \(k.misq) with total",
                            expect: .grouped(grouped(measure: u.sql, keys: [k], where: c, withTotal: true)))
        },
        Shape(name: "top with ties") { rng, p in
            let u = rng.pick(Pieces.units.filter { $0.misq != "officers" })
            // Keys with many small groups half the time, so groups tie at the Nth.
            let k = rng.chance(0.5) ? rng.pick(["officer_id", "case_id", "days_to_close"].map { Piece(misq: $0, sql: $0) }) : rng.pick(Pieces.keys)
            let n = Int.random(in: 1...5, using: &rng), c = p.maybeCondition(&rng)
            let pct = rng.chance(0.3), total = rng.chance(0.5)
            return DiffCase(shape: "top with ties", misq: "count \(u.misq)\(clause("where", c)) by \(k.misq) top \(n)\(with(percent: pct, total: total))",
                            expect: .grouped(grouped(measure: u.sql, keys: [k], where: c, percent: pct, withTotal: total, top: n)))
        },
        Shape(name: "top share") { rng, p in
            // `top P%` of the groups, ties kept; P from a list with decimals
            // and shares that round up (docs/language.md, Queries).
            let u = rng.pick(Pieces.units.filter { $0.misq != "officers" })
            let k = rng.chance(0.5) ? rng.pick(["officer_id", "case_id", "days_to_close"].map { Piece(misq: $0, sql: $0) }) : rng.pick(Pieces.keys)
            let share = rng.pick(["1", "2.5", "5", "10", "12.5", "20", "25", "33.3", "50", "90", "100"]), c = p.maybeCondition(&rng)
            let total = rng.chance(0.4)
            guard rng.chance(0.3) else {
                return DiffCase(shape: "top share", misq: "count \(u.misq)\(clause("where", c)) by \(k.misq) top \(share)%\(with(percent: false, total: total))",
                                expect: .grouped(grouped(measure: u.sql, keys: [k], where: c, withTotal: total, topShare: share)))
            }
            let col = rng.pick(numberColumns), (word, fn) = numberAggregate(&rng, col), key = rng.pick(Pieces.keys)
            return DiffCase(shape: "top share", misq: "\(word) \(col)\(clause("where", c)) by \(key.misq) top \(share)%",
                            expect: .grouped(grouped(measure: fn, kind: .number, keys: [key], where: c, topShare: share)))
        },
        Shape(name: "order by count") { rng, p in
            let u = rng.pick(Pieces.units), k = rng.pick(Pieces.keys), c = p.maybeCondition(&rng)
            return DiffCase(shape: "order by count", misq: "count \(u.misq)\(clause("where", c)) by \(k.misq) order by count desc",
                            expect: .grouped(grouped(measure: u.sql, keys: [k], where: c, byValue: true)))
        },
        Shape(name: "period filter") { rng, p in
            let u = rng.pick(Pieces.units), r = Pieces.range(&rng), extra = p.maybeCondition(&rng)
            let (misqPeriod, sqlPeriod): (String, String) = rng.pick([
                ("period \(r.text)", Pieces.inPeriod("reported", r)),
                ("reported in \(r.text)", Pieces.inPeriod("reported", r)),
                ("finalised in \(r.text)", Pieces.inPeriod("finalised", r)),
            ])
            let misq = "count \(u.misq) where \(misqPeriod)" + (extra.map { " and (\($0.misq))" } ?? "")
            let sql = "SELECT \(u.sql) FROM complaints WHERE \(sqlPeriod)" + (extra.map { " AND \($0.sql)" } ?? "")
            return DiffCase(shape: "period filter", misq: misq, expect: .scalar(sql: sql, kind: .count))
        },
        Shape(name: "time buckets") { rng, p in
            let u = rng.pick(Pieces.units), k = rng.pick(Pieces.timeKeys), total = rng.chance(0.5)
            let r = rng.chance(0.6) ? Pieces.range(&rng) : nil
            let c = r.map { Piece(misq: "period \($0.text)", sql: Pieces.inPeriod("reported", $0)) }
            return DiffCase(shape: "time buckets", misq: "count \(u.misq)\(clause("where", c)) by \(k.misq)\(with(percent: false, total: total))",
                            expect: .grouped(grouped(measure: u.sql, keys: [k], where: c, withTotal: total)))
        },
        Shape(name: "since") { rng, p in
            // `since a` runs to the as-of date: for a bare CSV, the latest day in its period column.
            // A start after it is an error (misq says so), not a question.
            let u = rng.pick(Pieces.units)
            var a = Pieces.period(&rng)
            while a.start > p.data.asOf { a = Pieces.period(&rng) }
            let c = Piece(misq: "since \(a.text)",
                          sql: "COALESCE(reported >= \(Pieces.date(a.start)) AND reported <= (SELECT max(reported) FROM complaints), FALSE)")
            let k = rng.chance(0.5) ? rng.pick(Pieces.keys) : nil
            guard let k else {
                return DiffCase(shape: "since", misq: "count \(u.misq) where \(c.misq)",
                                expect: .scalar(sql: "SELECT \(u.sql) FROM complaints WHERE \(c.sql)", kind: .count))
            }
            return DiffCase(shape: "since", misq: "count \(u.misq) where \(c.misq) by \(k.misq)",
                            expect: .grouped(grouped(measure: u.sql, keys: [k], where: c)))
        },
        Shape(name: "last N") { rng, p in
            // `last N units` ends at the as-of date (for a bare CSV the latest
            // day in its period column). Of months (quarters, years), it is
            // the N whole months to an as-of date that ends its month, else it
            // starts the day after the same date N months back
            // (docs/language.md, Periods); of days and weeks, N×1 or N×7 days.
            let u = rng.pick(Pieces.units), n = Int.random(in: 1...30, using: &rng)
            let (unit, days, months): (String, Int?, Int?) = rng.pick([("days", n, nil), ("weeks", 7 * n, nil), ("months", nil, n),
                                                                        ("quarters", nil, 3 * n), ("years", nil, 12 * n)])
            let asOf = "(SELECT max(reported) FROM complaints)"
            let start = days.map { "\(asOf) - INTERVAL \($0 - 1) DAY" }
                ?? "CASE WHEN \(asOf) = last_day(\(asOf)) THEN date_trunc('month', \(asOf)) - INTERVAL \(months! - 1) MONTH "
                + "ELSE \(asOf) - INTERVAL \(months!) MONTH + INTERVAL 1 DAY END"
            let c = Piece(misq: "last \(n) \(unit)", sql: "COALESCE(reported >= (\(start)) AND reported <= \(asOf), FALSE)")
            let k = rng.chance(0.5) ? rng.pick(Pieces.keys) : nil
            guard let k else {
                return DiffCase(shape: "last N", misq: "count \(u.misq) where \(c.misq)",
                                expect: .scalar(sql: "SELECT \(u.sql) FROM complaints WHERE \(c.sql)", kind: .count))
            }
            return DiffCase(shape: "last N", misq: "count \(u.misq) where \(c.misq) by \(k.misq)",
                            expect: .grouped(grouped(measure: u.sql, keys: [k], where: c)))
        },
        Shape(name: "named periods") { rng, p in
            // `by COLUMN in (P1, P2, …)`: one group per period, labelled by its
            // days; rows outside every period are left out.
            let u = rng.pick(Pieces.units), column = rng.pick(["reported", "finalised", "period"])
            let periods = Pieces.consecutive(&rng, count: Int.random(in: 2...4, using: &rng))
            let sqlColumn = column == "period" ? "reported" : column
            let label = periods.map { "WHEN \(sqlColumn) >= \(Pieces.date($0.start)) AND \(sqlColumn) < \(Pieces.date($0.end)) THEN '\(DifferentialData.iso($0.start)) to \(DifferentialData.iso($0.end - 1))'" }
            let key = Piece(misq: "\(column) in (\(periods.map(\.text).joined(separator: ", ")))", sql: "CASE \(label.joined(separator: " ")) END")
            let c = p.maybeCondition(&rng), total = rng.chance(0.5)
            let inAny = Piece(misq: "", sql: "(\(c?.sql ?? "TRUE")) AND (\(key.sql)) IS NOT NULL")
            return DiffCase(shape: "named periods", misq: "count \(u.misq)\(clause("where", c)) by \(key.misq)\(with(percent: false, total: total))",
                            expect: .grouped(grouped(measure: u.sql, keys: [key], where: inAny, withTotal: total)))
        },
        Shape(name: "percent of counts") { rng, p in
            // A scalar statement: one count as a percentage of another over all rows.
            let u = rng.pick(Pieces.units), part = p.condition(&rng)
            let whole = rng.chance(0.5) ? nil : Piece(misq: "reported is not missing", sql: "reported IS NOT NULL")
            let misq = "percent(count \(u.misq) where \(part.misq), count \(u.misq)\(clause("where", whole)))"
            let sql = "SELECT 100 * CAST((SELECT \(u.sql) FROM complaints WHERE \(part.sql)) AS DOUBLE) / (SELECT \(u.sql) FROM complaints WHERE \(whole?.sql ?? "TRUE"))"
            return DiffCase(shape: "percent of counts", misq: misq, expect: .scalar(sql: sql, kind: .number))
        },
        Shape(name: "definition as key") { rng, p in
            // `define NAME = CONDITION`, then grouped by it: yes or no for every row.
            let name = "flag_\(rng.next() % 1_000_000)", d = p.condition(&rng)
            let u = rng.pick(Pieces.units), c = p.maybeCondition(&rng), total = rng.chance(0.5)
            let key = Piece(misq: name, sql: "CASE WHEN \(d.sql) THEN 'yes' ELSE 'no' END")
            return DiffCase(shape: "definition as key", misq: "define \(name) = \(d.misq)\ncount \(u.misq)\(clause("where", c)) by \(name)\(with(percent: false, total: total))",
                            expect: .grouped(grouped(measure: u.sql, keys: [key], where: c, withTotal: total)))
        },
        Shape(name: "distinct units") { rng, p in
            let col = rng.pick(Pieces.distinctColumns), c = p.maybeCondition(&rng)
            let measure = "count(DISTINCT \(col))"
            guard rng.chance(0.75) else {
                return DiffCase(shape: "distinct units", misq: "count distinct \(col) from complaints\(clause("where", c))",
                                expect: .scalar(sql: "SELECT \(measure) FROM complaints WHERE \(c?.sql ?? "TRUE")", kind: .count))
            }
            var k = rng.pick(Pieces.keys)
            while k.misq == col { k = rng.pick(Pieces.keys) }
            let pct = rng.chance(0.3)
            return DiffCase(shape: "distinct units", misq: "count distinct \(col) from complaints\(clause("where", c)) by \(k.misq)\(with(percent: pct, total: true))",
                            expect: .grouped(grouped(measure: measure, keys: [k], where: c, percent: pct, withTotal: true)))
        },
        Shape(name: "number aggregate") { rng, p in
            let col = rng.pick(numberColumns), (word, fn) = numberAggregate(&rng, col), c = p.maybeCondition(&rng)
            guard rng.chance(0.6) else {
                return DiffCase(shape: "number aggregate", misq: "\(word) \(col)\(clause("where", c))",
                                expect: .scalar(sql: "SELECT \(fn) FROM complaints WHERE \(c?.sql ?? "TRUE")", kind: .number))
            }
            let k = rng.pick(Pieces.keys), total = rng.chance(0.5)
            return DiffCase(shape: "number aggregate", misq: "\(word) \(col)\(clause("where", c)) by \(k.misq)\(with(percent: false, total: total))",
                            expect: .grouped(grouped(measure: fn, kind: .number, keys: [k], where: c, withTotal: total)))
        },
        Shape(name: "date aggregate") { rng, p in
            // misq's median of dates is the earlier middle day: quantile_disc (docs/language.md, Queries).
            let col = rng.pick(dateColumns), word = rng.pick(["min", "max", "median"]), c = p.maybeCondition(&rng)
            let fn = word == "median" ? "quantile_disc(\(col), 0.5)" : "\(word)(\(col))"
            guard rng.chance(0.5) else {
                return DiffCase(shape: "date aggregate", misq: "\(word) \(col)\(clause("where", c))",
                                expect: .scalar(sql: "SELECT \(fn) FROM complaints WHERE \(c?.sql ?? "TRUE")", kind: .date))
            }
            let k = rng.pick(Pieces.keys), total = rng.chance(0.5)
            return DiffCase(shape: "date aggregate", misq: "\(word) \(col)\(clause("where", c)) by \(k.misq)\(with(percent: false, total: total))",
                            expect: .grouped(grouped(measure: fn, kind: .date, keys: [k], where: c, withTotal: total)))
        },
        Shape(name: "percentile") { rng, p in
            // docs/language.md, Percentiles: quantile_cont of numbers,
            // quantile_disc of dates, P/100 written as the decimal it is.
            let (pct, q) = rng.pick([("0", "0"), ("5", "0.05"), ("10", "0.1"), ("25", "0.25"), ("33.3", "0.333"), ("50", "0.5"),
                                     ("75", "0.75"), ("90", "0.9"), ("95", "0.95"), ("99", "0.99"), ("99.5", "0.995"), ("100", "1")])
            let isDate = rng.chance(0.35)
            let col = rng.pick(isDate ? dateColumns : numberColumns), c = p.maybeCondition(&rng)
            let fn = isDate ? "quantile_disc(\(col), \(q))" : "quantile_cont(\(col), \(q))", kind: ValueKind = isDate ? .date : .number
            let word = "percentile \(pct) \(col)"
            guard rng.chance(0.75) else {
                return DiffCase(shape: "percentile", misq: word + clause("where", c),
                                expect: .scalar(sql: "SELECT \(fn) FROM complaints WHERE \(c?.sql ?? "TRUE")", kind: kind))
            }
            let k = rng.pick(Pieces.keys), total = rng.chance(0.5)
            switch Int.random(in: 0..<3, using: &rng) {
            case 0:
                let n = Int.random(in: 1...4, using: &rng)
                return DiffCase(shape: "percentile", misq: "\(word)\(clause("where", c)) by \(k.misq) top \(n)\(with(percent: false, total: total))",
                                expect: .grouped(grouped(measure: fn, kind: kind, keys: [k], where: c, withTotal: total, top: n)))
            case 1:
                var a = rng.pick(Pieces.keys)
                while a.misq == k.misq { a = rng.pick(Pieces.keys) }
                return DiffCase(shape: "percentile", misq: "\(word)\(clause("where", c)) by \(k.misq) across \(a.misq)\(with(percent: false, total: total))",
                                expect: .grouped(grouped(measure: fn, kind: kind, keys: [k], across: a, where: c, withTotal: total)))
            default:
                return DiffCase(shape: "percentile", misq: "\(word)\(clause("where", c)) by \(k.misq)\(with(percent: false, total: total))",
                                expect: .grouped(grouped(measure: fn, kind: kind, keys: [k], where: c, withTotal: total)))
            }
        },
        Shape(name: "derived value") { rng, p in
            // `define NAME = EXPRESSION` (docs/language.md, Derived values):
            // a date from the reported date's year and month, tested against a
            // period and bucketed; days or whole months between two dates
            // (DuckDB's date_diff('day') and date_sub('month')) measured,
            // defined or written into the aggregate; arithmetic with round,
            // a division by zero missing on both sides (NULLIF).
            let name = "v_\(rng.next() % 1_000_000)", u = rng.pick(Pieces.units)
            switch Int.random(in: 0..<3, using: &rng) {
            case 0:
                let made = "make_date(year(reported), month(reported), 1)", r = Pieces.range(&rng), b = rng.pick(["year", "quarter", "month", "fy"])
                let cond = Piece(misq: "\(name) in \(r.text)", sql: Pieces.inPeriod(made, r))
                let key = Piece(misq: "\(b)(\(name))", sql: Pieces.bucket(b, made))
                return DiffCase(shape: "derived value", misq: "define \(name) = date(year(reported), month(reported))\ncount \(u.misq) where \(cond.misq) by \(key.misq)",
                                expect: .grouped(grouped(measure: u.sql, keys: [key], where: cond)))
            case 1:
                let fn = rng.pick(["days", "months"]), c = p.maybeCondition(&rng)
                let sqlValue = fn == "days" ? "date_diff('day', reported, finalised)" : "date_sub('month', reported, finalised)"
                let word = rng.pick(["sum", "avg", "min", "max", "median"])
                let sqlMeasure = word == "median" ? "quantile_cont(\(sqlValue), 0.5)" : "\(word)(\(sqlValue))"
                let direct = rng.chance(0.5)
                let misq = (direct ? "" : "define \(name) = \(fn)(reported, finalised)\n") + "\(word) " + (direct ? "\(fn)(reported, finalised)" : name)
                    + " from complaints\(clause("where", c))"
                guard rng.chance(0.6) else {
                    return DiffCase(shape: "derived value", misq: misq,
                                    expect: .scalar(sql: "SELECT \(sqlMeasure) FROM complaints WHERE \(c?.sql ?? "TRUE")", kind: .number))
                }
                let k = rng.pick(Pieces.categoryKeys)
                return DiffCase(shape: "derived value", misq: misq + " by \(k.misq)",
                                expect: .grouped(grouped(measure: sqlMeasure, kind: .number, keys: [k], where: c)))
            default:
                let digits = Int.random(in: -1...3, using: &rng), scale = rng.pick([1, 7, 100])
                let misqValue = "round(-(compensation * \(scale)) / days_to_close + 2, \(digits))"
                let sqlValue = "round(-(compensation * \(scale)) / NULLIF(days_to_close, 0) + 2, \(digits))"
                if rng.chance(0.4) {
                    let x = Double(Int.random(in: -300...0, using: &rng))
                    let cond = Piece(misq: "\(name) > \(Int(x))", sql: "COALESCE(\(sqlValue) > \(x), FALSE)")
                    let k = rng.pick(Pieces.categoryKeys)
                    return DiffCase(shape: "derived value", misq: "define \(name) = \(misqValue)\ncount \(u.misq) where \(cond.misq) by \(k.misq)",
                                    expect: .grouped(grouped(measure: u.sql, keys: [k], where: cond)))
                }
                let word = rng.pick(["sum", "avg", "min", "max", "median"])
                let sqlMeasure = word == "median" ? "quantile_cont(\(sqlValue), 0.5)" : "\(word)(\(sqlValue))"
                return DiffCase(shape: "derived value", misq: "define \(name) = \(misqValue)\n\(word) \(name) from complaints",
                                expect: .scalar(sql: "SELECT \(sqlMeasure) FROM complaints", kind: .number))
            }
        },
        Shape(name: "derived rate per force") { rng, p in
            // A rate per 1,000 staff on the per-force table, rounded: measured
            // by region, or tested; no staff figure gives no rate.
            let name = "rate_\(rng.next() % 1_000_000)", digits = Int.random(in: 0...2, using: &rng)
            let sqlRate = "round(1000 * cases_to_answer / NULLIF(staff, 0), \(digits))"
            let define = "define \(name) = round(1000 * cases_to_answer / staff, \(digits))\n"
            let region = Piece(misq: "region", sql: "region")
            if rng.chance(0.4) {
                let x = Double(Int.random(in: 0...12, using: &rng)) / 2
                let cond = Piece(misq: "\(name) >= \(NumberFormat.plain(x))", sql: "COALESCE(\(sqlRate) >= \(x), FALSE)")
                return DiffCase(shape: "derived rate per force", misq: define + "count forces where \(cond.misq) by region",
                                expect: .grouped(grouped("forces", measure: "count(*)", keys: [region], where: cond)))
            }
            let word = rng.pick(["sum", "avg", "min", "max", "median"])
            let fn = word == "median" ? "quantile_cont(\(sqlRate), 0.5)" : "\(word)(\(sqlRate))"
            let c = rng.chance(0.5) ? p.forceCondition(&rng) : nil
            return DiffCase(shape: "derived rate per force", misq: define + "\(word) \(name) from forces\(clause("where", c)) by region",
                            expect: .grouped(grouped("forces", measure: fn, kind: .number, keys: [region], where: c)))
        },
        Shape(name: "per-force table") { rng, p in
            let c = rng.chance(0.5) ? p.forceCondition(&rng) : nil
            let region = Piece(misq: "region", sql: "region")
            if rng.chance(0.35) {
                let pct = rng.chance(0.5), total = rng.chance(0.5)
                guard rng.chance(0.7) else {
                    return DiffCase(shape: "per-force table", misq: "count forces\(clause("where", c))",
                                    expect: .scalar(sql: "SELECT count(*) FROM forces WHERE \(c?.sql ?? "TRUE")", kind: .count))
                }
                return DiffCase(shape: "per-force table", misq: "count forces\(clause("where", c)) by region\(with(percent: pct, total: total))",
                                expect: .grouped(grouped("forces", measure: "count(*)", keys: [region], where: c, percent: pct, withTotal: total)))
            }
            let col = rng.pick(forceNumbers), (word, fn) = numberAggregate(&rng, col)
            guard rng.chance(0.6) else {
                return DiffCase(shape: "per-force table", misq: "\(word) \(col) from forces\(clause("where", c))",
                                expect: .scalar(sql: "SELECT \(fn) FROM forces WHERE \(c?.sql ?? "TRUE")", kind: .number))
            }
            let total = rng.chance(0.5)
            return DiffCase(shape: "per-force table", misq: "\(word) \(col) from forces\(clause("where", c)) by region\(with(percent: false, total: total))",
                            expect: .grouped(grouped("forces", measure: fn, kind: .number, keys: [region], where: c, withTotal: total)))
        },
    ] + textAndShow + measureShapes + compositionShapes + joinShapes
}
