/// A query with every name resolved against the catalog and every period
/// resolved to days, as a sequence of steps: scan a dataset, keep the rows
/// a predicate admits, group them, measure each group, order, keep the
/// top, state the totals. It names columns and labels as the data has
/// them and holds no dictionary codes or column numbers, so it reads the
/// same whatever runs it: `Execution/Lower.swift` lowers it to the
/// columnar engine, and `misq explain` prints it (`PlanText.swift`).
public struct LogicalPlan: Sendable {
    /// The dataset scanned, by name.
    public var dataset: String
    public var measure: PlanMeasure
    /// Heading of the value column: the unit counted (`cases`) or e.g. `avg days_open`.
    public var valueName: String
    public var unitName: String
    /// Every condition the rows must meet: the query's `where`, a subset's,
    /// a unit's, and a period-list key's periods.
    public var filter: Predicate
    public var keys: [PlanKey]
    public var across: PlanKey?
    public var order: [PlanOrder]
    public var top: Int?
    /// `top 10%`: the largest share of the groups (with ties), instead of `top`.
    public var topShare: TopShare? = nil
    public var limit: Int?
    public var withPercent: Bool
    public var withTotal: Bool
    /// `with bars`: the result is drawn with a bar column (Render/Bars.swift).
    public var withBars = false
    /// `with suppression under 5`: the cells too small to publish, and
    /// those that would give them away, hidden (`Disclosure/`).
    public var suppression: SuppressionRule? = nil
    /// `under 5 individuals`: what the rule counts in each cell (a distinct
    /// unit), when it is not the table's own figure.
    public var suppressionMeasure: PlanMeasure? = nil
    /// `rounding 5`: figures published rounded, in place of secondary suppression.
    public var rounding: Rounding? = nil
    /// What the filter admits on each date column it tests, for the footer.
    public var periods: [ResolvedPeriod]
    /// Each `starts with`/`ends with`/`contains` and the labels it matched.
    public var textMatches: [ResolvedTextMatch] = []
    /// Derived columns the plan uses, each after the ones it reads:
    /// computed after the scan, before the filter.
    public var derive: [DeriveStep] = []
    /// Several measures, or measures combined per group (`MeasureTable.swift`);
    /// nil for one plain measure, which `measure` then is.
    public var table: MeasureTable? = nil
    /// `join workforce on force`: the joined dataset's columns are the plan's
    /// columns after the dataset's own, named `workforce.COLUMN`.
    public var join: PlanJoin? = nil
    /// `per 1000 workforce.headcount`: the measure as a rate (`PlanPer`).
    public var per: PlanPer? = nil
    public var isScalar: Bool { keys.isEmpty && across == nil }
}

/// Each row of the plan's dataset with the one row of `dataset` whose
/// `rightKey` equals its `leftKey` (labels exactly, numbers and days by
/// value; a missing key matches nothing). `dataset` was checked to hold
/// one row per key, so no row is repeated: a distinct unit counted after
/// the join is counted as before it. An inner join keeps only the rows
/// with a partner (`filter` tests the joined key); a left join keeps all.
public struct PlanJoin: Sendable, Equatable {
    public var kind: JoinClause.Kind
    public var dataset: String
    public var leftKey: String
    public var rightKey: String
    /// The joined dataset's columns, as the plan names them (`workforce.force`, …).
    public var columns: [String]
    /// The joined dataset's own column names, in the same order.
    public var rightColumns: [String]
}

/// `per 1000 workforce.headcount`: each group's measure over the total of
/// `column` across the joined rows of the group's key (each joined row
/// once, however many rows of the dataset it joined), times `multiplier`.
public struct PlanPer: Sendable, Equatable {
    public var multiplier: Double
    public var multiplierText: String
    /// The joined column, as the plan names it (`workforce.headcount`).
    public var column: String
    /// The same column in the joined dataset (`headcount`).
    public var rightColumn: String
    /// The measure's own heading (`cases`), before `per …` is added.
    public var measureName: String = ""
    /// The parts of the filter that test the join key or the joined
    /// dataset's columns, in the joined dataset's own names: they narrow
    /// the rows whose totals are divided by as they narrow the rows
    /// counted (`where force = Met` gives Met's cases per Met's officers).
    public var denominatorFilter: Predicate = .all
    /// The columns `denominatorFilter` tests, as the query names them.
    public var denominatorColumns: [String] = []
}

public enum PlanMeasure: Sendable, Equatable {
    case rows
    case distinct(column: String)
    /// A published table: the sum of its weight column.
    case weighted(weight: String)
    case aggregate(Aggregate, column: String)
    case show(columns: [String])
}

public struct PlanOrder: Sendable, Equatable {
    public enum Target: Sendable, Equatable {
        /// The measured value (`order by count`).
        case value
        /// A group key, by its place in `keys`.
        case key(Int)
        /// A column of a `show`.
        case column(String)
        /// A value column of a table of several (`MeasureTable`), by its place.
        case valueColumn(Int)
    }
    public var target: Target
    public var descending: Bool
}

public enum PlanKey: Sendable {
    case column(String)
    /// `by year(reported)`; `name` is the key's heading.
    case time(TimeBucket, column: String, name: String)
    /// One group per interval, labelled by it.
    case periods(column: String, [DayInterval], name: String)
    /// A definition as a key: yes or no.
    case condition(Predicate, name: String)

    public var name: String {
        switch self {
        case .column(let n): return n
        case .time(_, _, let n), .periods(_, _, let n), .condition(_, let n): return n
        }
    }
}

/// A condition over columns by name, values as the labels, numbers and
/// day intervals they mean. Comparisons with a missing value are false;
/// `not` complements (so `not outcome = x` keeps rows with no outcome,
/// while `outcome != x` does not).
public indirect enum Predicate: Sendable, Equatable {
    case all
    case none
    case isTrue(column: String)
    case nonZero(column: String)
    /// The row's label is one of these, exactly.
    case labelIn(column: String, labels: [String])
    case number(column: String, CompareOp, Double)
    /// Day in [lo, hi).
    case dateIn(column: String, lo: Int, hi: Int)
    case boolEquals(column: String, Bool)
    case missing(column: String)
    /// Published rows whose own period [start, end] lies inside [lo, hi).
    case periodInside(start: String, end: String, lo: Int, hi: Int)
    case not(Predicate)
    case and([Predicate])
    case or([Predicate])
}

/// How the footers of both engines (in process, and `--engine`) name a
/// plan's order, so they say the same.
extension LogicalPlan {
    /// `order by` as the footer names it: "by allegations ascending".
    public var orderText: String? {
        guard !order.isEmpty else { return nil }
        return "by " + order.map { o in
            let name: String
            switch o.target {
            case .value, .valueColumn: name = valueName
            case .key(let k): name = k < keys.count ? keys[k].name : "key \(k + 1)"
            case .column(let c): name = c
            }
            return name + (o.descending ? " descending" : " ascending")
        }.joined(separator: ", ")
    }

    /// The order `top` cuts in, to say when it is not the largest values':
    /// nil when the order asked is the value alone, descending, where the
    /// first N are the largest (ties beyond N are still counted out).
    public var topOrderText: String? {
        if order.count == 1, order[0].descending, case .value = order[0].target { return nil }
        return orderText
    }
}

/// What both engines' footers ask of a plan, worked out once here so the
/// in-process footer (`Executor.makeFooter`) and a database's
/// (`Engine/DatabaseAnswer.swift`) say the same, and Engine/ names no
/// Execution code.
extension LogicalPlan {
    /// Whether the plan reads `column` as a period: a period in the filter,
    /// or a key of time buckets or periods over it. The footer then says
    /// which date column an inferred period column is.
    public func readsPeriod(column: String) -> Bool {
        let all = keys + (across.map { [$0] } ?? [])
        return periods.contains { $0.column == column } || all.contains {
            switch $0 {
            case .time(_, let c, _), .periods(let c, _, _): return c == column
            default: return false
            }
        }
    }

    /// Whether some measure counts rows, so the footer says how many of
    /// those counted have every column missing.
    public var countsRows: Bool {
        if let table { return table.measures.contains { if case .rows = $0.measure { return true } else { return false } } }
        if case .rows = measure { return true }
        return false
    }
}
