/// Several measures in one table (`count allegations, count cases by
/// outcome`) and measures combined per group (`percent(count a where x,
/// count a) by year`): the measures, each computed once over its own rows,
/// and the value columns shown, each an expression of them. Every measure
/// is grouped by the plan's keys, over the rows the plan's filter keeps.
public struct MeasureTable: Sendable {
    public var measures: [NamedMeasure]
    public var columns: [MeasureColumn]
}

public struct NamedMeasure: Sendable {
    /// As written: `count cases where vawg`.
    public var text: String
    public var measure: PlanMeasure
    /// What it counts (`cases`) or measures (`sum staff`), for notes.
    public var unitName: String
    /// The rows it measures, among those the plan keeps: its own `where`,
    /// its subset's and its unit's conditions (`.all` when none).
    public var filter: Predicate
    /// What `filter` admits on each date column, for the footer.
    public var periods: [ResolvedPeriod]
}

public struct MeasureColumn: Sendable {
    /// The heading: the measure's name (`cases`, `cases where vawg`) or
    /// the expression as written.
    public var name: String
    public var expr: MeasureExpr
    /// A percent (`percent(a, b)`), shown with `%`.
    public var isPercent: Bool
    /// A count (of rows, of distinct ids, a published figure): what
    /// `with percent` can take a share of.
    public var isCount: Bool
}

/// An expression of measures, evaluated per group on the group's values,
/// and on the measures' totals for the total.
public indirect enum MeasureExpr: Sendable, Equatable {
    case measure(Int)
    case number(Double)
    case percent(MeasureExpr, MeasureExpr)
    case binary(String, MeasureExpr, MeasureExpr)
    case negate(MeasureExpr)

    /// Why a value is missing.
    public enum Missing: Sendable, Equatable {
        /// A divisor (or percent's whole) is 0.
        case divisionByZero
        /// A measure in it has no value (a sum or average of no numbers).
        case missingMeasure
    }

    /// The value for one group's measure values; NaN with the reason when
    /// there is none, never an infinity.
    public func evaluate(_ v: [Double]) -> (Double, Missing?) {
        switch self {
        case .measure(let i): return v[i].isNaN ? (.nan, .missingMeasure) : (v[i], nil)
        case .number(let x): return (x, nil)
        case .negate(let e):
            let (x, m) = e.evaluate(v)
            return (-x, m)
        case .percent(let a, let b): return MeasureExpr.binary("/", .binary("*", .number(100), a), b).evaluate(v)
        case .binary(let op, let a, let b):
            let (x, mx) = a.evaluate(v), (y, my) = b.evaluate(v)
            if let m = mx ?? my { return (.nan, m) }
            switch op {
            case "+": return (x + y, nil)
            case "-": return (x - y, nil)
            case "*": return (x * y, nil)
            default: return y == 0 ? (.nan, .divisionByZero) : (x / y, nil)
            }
        }
    }

    var measures: [Int] {
        switch self {
        case .measure(let i): return [i]
        case .number: return []
        case .negate(let e): return e.measures
        case .percent(let a, let b), .binary(_, let a, let b): return a.measures + b.measures
        }
    }
}
