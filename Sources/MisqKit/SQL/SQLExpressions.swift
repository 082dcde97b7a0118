/// The pieces of a query the compiler writes inside its steps: a plan's
/// conditions, derived values, group keys and measures as SQL expressions
/// for one dialect. Each keeps misq's meaning, not SQL's default one: a
/// condition is never unknown (a comparison with a missing value is false,
/// and `not` is its complement), dates compare as half-open ranges of
/// literal days, and labels are the exact labels the checker resolved.
struct SQLExpressions {
    let d: SQLDialect
    /// Each column's type by name (the dataset's, then derived steps').
    let types: [String: ColumnType]
    /// The declared order of a category column's values, if any.
    let declaredOrder: (String) -> [String]?

    func col(_ name: String) -> String { d.ident(name) }

    func date(_ day: Int) -> String { d.dateLiteral(Day.iso(day)) }

    func number(_ x: Double) -> String {
        // A whole number written with a decimal point, so no engine reads
        // it as an integer and divides whole.
        let t = NumberFormat.plain(x)
        return x.rounded() == x && !t.contains("e") && !t.contains(".") ? t + ".0" : t
    }

    // MARK: Conditions

    /// The condition as SQL that is true or false, never unknown.
    func condition(_ p: Predicate) -> String {
        switch p {
        case .all: return d.trueLiteral
        case .none: return d.falseLiteral
        case .isTrue(let c), .boolEquals(let c, true): return "\(col(c)) = \(d.trueLiteral)"
        case .boolEquals(let c, false): return "\(col(c)) = \(d.falseLiteral)"
        case .nonZero(let c): return "\(col(c)) <> 0"
        case .labelIn(let c, let labels):
            if labels.isEmpty { return d.falseLiteral }
            if labels.count == 1 { return "\(col(c)) = \(d.string(labels[0]))" }
            return "\(col(c)) IN (" + labels.map(d.string).joined(separator: ", ") + ")"
        case .number(let c, let op, let x):
            return "\(col(c)) \(op == .ne ? "<>" : op.rawValue) \(number(x))"
        case .dateIn(let c, let lo, let hi):
            return halfOpen(col(c), lo: lo, hi: hi)
        case .missing(let c): return "\(col(c)) IS NULL"
        case .periodInside(let s, let e, let lo, let hi):
            // The row's own period [start, end] (end inclusive) inside [lo, hi).
            var parts: [String] = []
            if lo > DaySet.lowest { parts.append("\(col(s)) >= \(date(lo))") } else { parts.append("\(col(s)) IS NOT NULL") }
            if hi < DaySet.highest { parts.append("\(col(e)) < \(date(hi))") } else { parts.append("\(col(e)) IS NOT NULL") }
            return parts.joined(separator: " AND ")
        case .not(let inner):
            // SQL's NOT of an unknown is unknown, and the row would be
            // dropped; misq's `not` keeps it (`not outcome = x` keeps rows
            // with no outcome), so the inner condition is made two-valued first.
            return "NOT COALESCE(\(condition(inner)), \(d.falseLiteral))"
        case .and(let parts):
            if parts.isEmpty { return d.trueLiteral }
            return parts.map { "(" + condition($0) + ")" }.joined(separator: " AND ")
        case .or(let parts):
            if parts.isEmpty { return d.falseLiteral }
            return parts.map { "(" + condition($0) + ")" }.joined(separator: " OR ")
        }
    }

    /// Day in [lo, hi), compared in the column's own type (a date literal).
    func halfOpen(_ x: String, lo: Int, hi: Int) -> String {
        var parts: [String] = []
        if lo > DaySet.lowest { parts.append("\(x) >= \(date(lo))") }
        if hi < DaySet.highest { parts.append("\(x) < \(date(hi))") }
        return parts.isEmpty ? "\(x) IS NOT NULL" : parts.joined(separator: " AND ")
    }

    // MARK: Derived values

    func expr(_ e: PlanExpr) throws -> String {
        switch e {
        case .number(let x): return number(x)
        case .day(let n): return date(n)
        case .column(let c): return col(c)
        case .arithmetic(let op, let a, let b):
            let x = try expr(a), y = try expr(b)
            switch op {
            // Division by zero is missing in misq, not an error or infinity.
            case .divide: return "(CAST(\(x) AS \(d.doubleType)) / NULLIF(\(y), 0))"
            default: return "(\(x) \(op.rawValue) \(y))"
            }
        case .negate(let a): return "(-\(try expr(a)))"
        case .round, .makeDate, .days, .months, .part:
            throw SQLCompiler.unsupported("the derived value '\(e)'", d,
                                          why: "only + - * / of numbers are compiled so far; round, date parts and date arithmetic are not")
        }
    }

    // MARK: Group keys

    /// The key's value for each row, labelled as misq labels it.
    func key(_ k: PlanKey) throws -> String {
        switch k {
        case .column(let c):
            if types[c] == .boolean {
                return "CASE WHEN \(col(c)) = \(d.trueLiteral) THEN 'yes' WHEN \(col(c)) = \(d.falseLiteral) THEN 'no' END"
            }
            return col(c)
        case .time(let bucket, let c, _): return timeLabel(bucket, col(c))
        case .periods(let c, let intervals, _):
            // The first listed period holding the day, as misq groups it.
            let arms = intervals.map { "WHEN \(halfOpen(col(c), lo: $0.start, hi: $0.end)) THEN \(d.string(periodLabel($0)))" }
            return "CASE " + arms.joined(separator: " ") + " END"
        case .condition(let p, _):
            return "CASE WHEN \(condition(p)) THEN 'yes' ELSE 'no' END"
        }
    }

    func periodLabel(_ i: DayInterval) -> String { "\(Day.iso(i.start)) to \(Day.iso(i.end - 1))" }

    /// `2022`, `2022-Q2`, `2022-05`, `FY2022/23`: misq's labels, so the
    /// groups sort as text in time order.
    func timeLabel(_ b: TimeBucket, _ x: String) -> String { timeLabel(b, parts: timeParts(b, x)) }

    /// The whole numbers a time bucket is made of (year; year and quarter;
    /// year and month; financial year), which a query groups on: making
    /// each row's label text first tripled DuckDB's time for `by
    /// year(reported)` at 10M rows (bench/RESULTS.md); the labels are made
    /// from the groups' numbers after (`timeLabel(_:parts:)`).
    func timeParts(_ b: TimeBucket, _ x: String) -> [String] {
        let y = d.year(x), m = d.month(x)
        switch b {
        case .year: return [y]
        case .quarter: return [y, "CASE WHEN \(m) <= 3 THEN 1 WHEN \(m) <= 6 THEN 2 WHEN \(m) <= 9 THEN 3 ELSE 4 END"]
        case .month: return [y, m]
        // UK financial year: 1 April to 31 March, named by the year it starts.
        case .fy: return ["(\(y) - CASE WHEN \(m) < 4 THEN 1 ELSE 0 END)"]
        }
    }

    /// A time bucket's label from its parts (`timeParts`).
    func timeLabel(_ b: TimeBucket, parts p: [String]) -> String {
        switch b {
        case .year: return d.numberText(p[0])
        case .quarter: return d.numberText(p[0]) + " || '-Q' || " + d.numberText(p[1])
        case .month: return d.numberText(p[0]) + " || '-' || " + d.pad2(d.numberText(p[1]))
        case .fy: return "'FY' || " + d.numberText(p[0]) + " || '/' || " + d.last2(d.numberText("\(p[0]) + 1"))
        }
    }

    /// How a key's groups are ordered, as misq orders them: a category by
    /// its declared order, else alphabetically ignoring case; yes before
    /// no; periods as listed; numbers, dates and time buckets in order; a
    /// missing key last.
    func keyOrder(_ k: PlanKey, _ ref: String, descending: Bool = false) -> [String] {
        let dir = descending ? " DESC" : ""
        let missingLast = "CASE WHEN \(ref) IS NULL THEN 1 ELSE 0 END"
        switch k {
        case .column(let c):
            switch types[c] {
            case .boolean: return [missingLast, "CASE WHEN \(ref) = 'yes' THEN 0 ELSE 1 END" + dir]
            case .number, .date: return [missingLast, ref + dir]
            default:
                if let order = declaredOrder(c), !order.isEmpty {
                    let arms = order.enumerated().map { "WHEN \(d.string($1)) THEN \($0)" }.joined(separator: " ")
                    return [missingLast, "CASE \(ref) \(arms) ELSE \(order.count) END" + dir, ref + d.binaryCollation + dir]
                }
                // Alphabetical ignoring case, then labels equal but for case in code-point order.
                return [missingLast, "LOWER(\(ref))" + d.binaryCollation + dir, ref + d.binaryCollation + dir]
            }
        case .time: return [missingLast, ref + d.binaryCollation + dir]
        case .periods(_, let intervals, _):
            let arms = intervals.enumerated().map { "WHEN \(d.string(periodLabel($1))) THEN \($0)" }.joined(separator: " ")
            return [missingLast, "CASE \(ref) \(arms) END" + dir]
        case .condition: return [missingLast, "CASE WHEN \(ref) = 'yes' THEN 0 ELSE 1 END" + dir]
        }
    }

    // MARK: Measures

    /// The aggregate over the rows where `only` holds (all when nil).
    func measure(_ m: PlanMeasure, only: Predicate? = nil) throws -> String {
        func input(_ x: String) -> String { only.map { "CASE WHEN \(condition($0)) THEN \(x) END" } ?? x }
        switch m {
        case .rows: return only == nil ? "COUNT(*)" : "COUNT(\(input("1")))"
        case .distinct(let c): return "COUNT(DISTINCT \(input(col(c))))"
        case .weighted(let w): return "SUM(\(input(col(w))))"
        case .aggregate(let a, let c):
            let x = input(col(c))
            switch a.kernel {
            case .sum: return "SUM(\(x))"
            case .mean: return "AVG(\(x))"
            case .least: return "MIN(\(x))"
            case .greatest: return "MAX(\(x))"
            case .quantile(let q):
                let fraction = number(q.doubleValue)
                if types[c] == .date {
                    guard let f = d.quantileDisc else {
                        throw SQLCompiler.unsupported("\(a.text) of a date", d,
                                                      why: "\(d.target.rawValue) has no exact discrete percentile (the value at rank ⌈n·q⌉, as misq takes for dates)",
                                                      able: SQLDialect.Target.allCases.filter { SQLDialect.for($0).quantileDisc != nil })
                    }
                    return f(x, fraction)
                }
                guard let f = d.quantileCont else {
                    throw SQLCompiler.unsupported(a.text, d,
                                                  why: "\(d.target.rawValue) has no exact interpolating percentile (misq's definition, DuckDB's quantile_cont); its percentiles are approximate or missing",
                                                  able: SQLDialect.Target.allCases.filter { SQLDialect.for($0).quantileCont != nil })
                }
                return f(x, fraction)
            }
        case .show: throw SQLCompiler.unsupported("show", d, why: "show is compiled as a select, not a measure")
        }
    }
}
