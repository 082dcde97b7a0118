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

public struct ResolvedPeriod: Sendable {
    public var interval: DayInterval
    public var column: String
    public var asOfNote: String?
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
