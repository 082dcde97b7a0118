/// A logical plan lowered onto one dataset's columns (`Lower.swift`):
/// columns by index, labels as dictionary codes. What the engine runs.
struct PhysicalPlan {
    enum Measure {
        case rows
        case distinct(column: Int)
        /// Published table: sum of the weight column.
        case weighted(weight: Int)
        case aggregate(Aggregate, column: Int)
        case show(columns: [Int])
    }
    /// The plan it was lowered from: names, periods, totals, wording.
    var logical: LogicalPlan
    var dataset: Dataset
    var measure: Measure
    var filter: BoundCondition
    var keys: [BoundKey]
    var across: BoundKey?
    /// A key by its place in `keys`, a shown column by its place in the
    /// columns shown, or (nil) the value.
    var order: [(key: Int?, descending: Bool)]
    /// Why some derived values are missing (division by zero, no such date).
    var derivedNotes: [Fact] = []
    /// Derived columns' names, by their numbers.
    var derivedNames: [Int: String] = [:]
    func columnName(_ k: Int) -> String { k < dataset.columnNames.count ? dataset.columnNames[k] : derivedNames[k] ?? "column \(k + 1)" }
    var valueName: String { logical.valueName }
    var unitName: String { logical.unitName }
    var top: Int? { logical.top }
    var limit: Int? { logical.limit }
    var withPercent: Bool { logical.withPercent }
    var withTotal: Bool { logical.withTotal }
    var periods: [ResolvedPeriod] { logical.periods }
    var isScalar: Bool { keys.isEmpty && across == nil }
}

/// A condition over columns by index, values resolved to codes, numbers or
/// day intervals. Comparisons with a missing value are false; `not`
/// complements (so `not outcome = x` keeps rows with no outcome, while
/// `outcome != x` does not).
indirect enum BoundCondition {
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

enum BoundKey {
    case column(index: Int, name: String)
    case time(TimeBucket, column: Int, name: String)
    /// One group per interval, labelled by it.
    case periods(column: Int, [DayInterval], name: String)
    /// A definition as a key: yes or no.
    case condition(BoundCondition, name: String)

    var name: String {
        switch self {
        case .column(_, let n), .time(_, _, let n), .periods(_, _, let n), .condition(_, let n): return n
        }
    }
}
