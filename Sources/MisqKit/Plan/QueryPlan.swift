/// A query with every name resolved against a dataset and every period
/// resolved to days: what the engine runs.
public struct QueryPlan {
    public enum Measure {
        case rows
        case distinct(column: Int)
        /// Published table: sum of the weight column.
        case weighted(weight: Int)
        case aggregate(Aggregate, column: Int)
        case show(columns: [Int])
    }
    public var dataset: Dataset
    public var measure: Measure
    /// Heading of the value column: the unit counted (`cases`) or e.g. `avg days_open`.
    public var valueName: String
    public var unitName: String
    public var filter: BoundCondition
    public var keys: [BoundKey]
    public var across: BoundKey?
    public var order: [(key: Int?, descending: Bool)]
    public var top: Int?
    public var limit: Int?
    public var withPercent: Bool
    public var withTotal: Bool
    public var periods: [ResolvedPeriod]
    public var isScalar: Bool { keys.isEmpty && across == nil }
}

/// What a query's condition says about one date column, for the footer.
/// Binding records one for each period a condition names; the plan then
/// replaces them with what the whole condition admits (`PeriodScope.swift`).
public struct ResolvedPeriod: Sendable {
    public var column: String
    /// With `exact`, the days whose rows the condition can count, exactly.
    /// Without, the column's tests are combined with other conditions so
    /// that no set of days alone says which rows count (`period 2022 or
    /// vawg`), and these are the days rows can count from at most.
    public var days: DaySet
    /// Rows with no date in the column count too (`not reported in 2022`);
    /// without `exact`, they can.
    public var admitsMissing: Bool
    public var exact: Bool
    /// The periods the condition names on the column, as it names them.
    public var named: [DaySet]
    /// For `since` and `last`: the as-of date they run to, and whence.
    public var asOfNote: String?
    /// With `asOfNote`: the day after the as-of date (a period's exclusive
    /// end), so the note is kept only where the stated days end there.
    public var asOfEnd: Int?

    public init(column: String, days: DaySet, admitsMissing: Bool = false, exact: Bool = true, named: [DaySet] = [],
                asOfNote: String? = nil, asOfEnd: Int? = nil) {
        self.column = column; self.days = days; self.admitsMissing = admitsMissing; self.exact = exact; self.named = named
        self.asOfNote = asOfNote; self.asOfEnd = asOfEnd
    }

    /// One period as a condition names it; a `since` or `last` one ends on
    /// the as-of date its note names.
    public init(interval: DayInterval, column: String, asOfNote: String?) {
        self.init(column: column, days: DaySet(interval), named: [DaySet(interval)], asOfNote: asOfNote,
                  asOfEnd: asOfNote == nil ? nil : interval.end)
    }

    /// The footer's line after "period: "; nil when nothing is restricted.
    public var statement: String? {
        let note = asOfNote.map { ", \($0)" } ?? ""
        let missing = admitsMissing ? " and rows where \(column) is missing" : ""
        guard exact else {
            let tests = named.isEmpty ? "a test for a missing date" : named.map(\.description).joined(separator: "; ")
            return tests + " on \(column), combined with other conditions: "
                + (days.isAll ? "rows of any date can count" : "only rows from \(days) can count")
                + (admitsMissing ? "," + missing : "") + note
        }
        if days.isAll && admitsMissing { return nil }
        if days.isAll { return "any date on \(column); rows where it is missing are left out" + note }
        if days.isEmpty && admitsMissing { return "no dates on \(column): only rows where \(column) is missing" + note }
        return "\(days) on \(column)" + (admitsMissing ? "," + missing : "") + note
    }
}

/// A condition over columns by index, values resolved to codes, numbers or
/// day intervals. Comparisons with a missing value are false; `not`
/// complements (so `not outcome = x` keeps rows with no outcome, while
/// `outcome != x` does not).
public indirect enum BoundCondition {
    case all
    case none
    case boolTrue(column: Int)
    case nonZero(column: Int)
    /// Category codes that match, as a lookup by code.
    case categoryIn(column: Int, matches: [Bool])
    case number(column: Int, CompareOp, Double)
    case numberIn(column: Int, Set<Double>)
    /// Day in [lo, hi).
    case dateIn(column: Int, lo: Int, hi: Int)
    case boolEquals(column: Int, Bool)
    case missing(column: Int)
    /// Published rows whose own period [start, end] lies inside [lo, hi).
    case periodInside(start: Int, end: Int, lo: Int, hi: Int)
    case not(BoundCondition)
    case and([BoundCondition])
    case or([BoundCondition])
}

public enum BoundKey {
    case column(index: Int, name: String)
    case time(TimeBucket, column: Int, name: String)
    /// One group per interval, labelled by it.
    case periods(column: Int, [DayInterval], name: String)
    /// A definition as a key: yes or no.
    case condition(BoundCondition, name: String)

    public var name: String {
        switch self {
        case .column(_, let n), .time(_, _, let n), .periods(_, _, let n), .condition(_, let n): return n
        }
    }
}
