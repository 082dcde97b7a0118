/// The syntax tree. Value types throughout; every node keeps its span so the
/// checker can point at it.
public struct Name: Hashable, Sendable {
    public var text: String
    public var span: SourceSpan
    public init(_ text: String, _ span: SourceSpan) { self.text = text; self.span = span }
}

public struct Program: Sendable {
    public var source: SourceFile
    public var statements: [Statement]
    public var comments: [Comment]

    package init(source: SourceFile, statements: [Statement], comments: [Comment]) {
        self.source = source
        self.statements = statements
        self.comments = comments
    }
}

public struct Statement: Sendable {
    public enum Kind: Sendable {
        case query(Query)
        case letBinding(name: Name, value: LetValue)
        case define(name: Name, condition: Condition, text: String)
        /// `define rate = round(1000 * cases_to_answer / staff, 1)`: a value per row.
        case derive(name: Name, expr: RowExpr, text: String)
        case param(name: Name, value: ParamValue)
        /// `load "FILE" [sheet "S"] [header row N] [range A4:H52] as NAME [period COLUMN]`:
        /// the period column declared for a bare CSV; where a spreadsheet's table is.
        case load(path: String, pathSpan: SourceSpan, name: Name, period: Name?, table: LoadTable)
        case assertion(Assertion)
        /// A scalar shown as it is: `percent(count a, count b)`, `count a / count b`.
        case expression(Expr)
        /// `unit individuals = distinct officer_id from exports` (or `= rows`).
        case unit(name: Name, distinct: Name?, from: Name?)
    }
    public var kind: Kind
    public var span: SourceSpan
    /// The comment on the statement's line(s) or the block just above it:
    /// where a figure came from, shown with assertion failures.
    public var note: String?
}

/// Where a spreadsheet's table is (`load "f.xlsx" sheet "Table 3" header
/// row 4 as t`): all nil for a CSV or a spreadsheet's first sheet, found.
public struct LoadTable: Sendable, Equatable {
    public var sheet: String?
    public var headerRow: Int?
    /// As written: `A4:H52`.
    public var range: String?
    /// The words that said it, for an error about them.
    public var span: SourceSpan?
    public init() {}
    public var isEmpty: Bool { sheet == nil && headerRow == nil && range == nil }
}

public enum LetValue: Sendable {
    case subset(Subset)
    case scalar(Expr)
    /// `let per_officer = count allegations by officer_id`: a query with
    /// `by`, whose groups become a dataset of one row each.
    case grouped(Query)
}

/// `cases where daso and last 12 months`: a unit (or dataset or subset)
/// narrowed by a condition, reusable as a source.
public struct Subset: Sendable {
    public var source: Name
    public var from: Name?
    public var filter: Condition?
}

public enum ParamValue: Sendable {
    case period(PeriodExpr)
    case value(Value)
}

public struct Query: Sendable {
    public enum Verb: Sendable {
        /// `count cases`: a unit, a dataset (its rows) or a subset.
        case count(Name)
        case countDistinct(Name)
        case aggregate(Aggregate, Name)
        /// `show [UNIT]`: rows, every column; `show COL, COL, …`: those
        /// columns. A lone name is a unit, dataset or subset if it is one,
        /// else a column (`Checker.showTarget`).
        case show([Name])
    }
    public var verb: Verb
    public var from: Name?
    public var filter: Condition?
    public var keys: [GroupKey] = []
    public var across: GroupKey?
    public var order: [OrderItem] = []
    public var top: Int?
    /// `top 10%`: a share of the groups instead of a number of them.
    public var topShare: TopShare? = nil
    public var topSpan: SourceSpan?
    public var limit: Int?
    public var withPercent = false
    public var withTotal = false
    /// `with bars`: a bar column drawn beside the values.
    public var withBars = false
    /// `with suppression under 5`: small counts hidden, and the cells that
    /// would give them away (`Disclosure/`).
    public var suppression: SuppressionRule? = nil
    /// `with …, rounding 5`: the published figures rounded to a base, as
    /// an alternative to secondary suppression.
    public var rounding: Rounding? = nil
    public var span: SourceSpan
    /// `median months(received, closed)`: the row expression an aggregate
    /// measures; the verb names it by its text.
    public var argument: RowExpr?
    /// `join workforce on force`: another dataset's columns onto each row.
    public var join: JoinClause? = nil
    /// `per 1000 workforce.headcount`: the measure as a rate per a joined column.
    public var per: PerClause? = nil
    /// Several value columns (`count a, count b by k`) or measures combined
    /// (`percent(count a where x, count a) by k`): each an expression whose
    /// queries hold a verb and their own `where` only; the clauses above
    /// apply to them all. Nil for one plain measure (`verb`).
    public var columns: [Expr]? = nil
}

/// `top 10%`: keep the largest share of the groups. The share is exact as
/// written (`top 12.5%`), so the number of groups it keeps never depends on
/// floating point.
public struct TopShare: Sendable, Equatable {
    public var percent: ExactNumber
    /// As written, with its `%`: `10%`.
    public var text: String
    public init(percent: ExactNumber, text: String) { self.percent = percent; self.text = text }

    /// Groups kept before ties, of `groups`: ⌈groups × percent / 100⌉, so
    /// any share of one or more groups keeps at least one.
    public func count(of groups: Int) -> Int {
        let n = Int128(groups) * percent.numerator, d = 100 * percent.denominator
        return Int((n + d - 1) / d)
    }

    /// Whether `count(of:)` rounded: ⌈groups × percent / 100⌉ was not whole.
    public func rounds(_ groups: Int) -> Bool {
        (Int128(groups) * percent.numerator) % (100 * percent.denominator) != 0
    }
}

extension Query {
    /// `top N` or `top N%`.
    public var hasTop: Bool { top != nil || topShare != nil }
}

/// `[inner|left] join DATASET on KEY [= KEY]`: each row of the query's
/// dataset gets the columns of the one row of DATASET with the same key
/// (named `DATASET.COLUMN`); DATASET must have one row per key.
public struct JoinClause: Sendable {
    public enum Kind: String, Sendable { case inner, left }
    public var kind: Kind
    public var dataset: Name
    /// The key on the query's side, and on the joined side when it is named otherwise.
    public var leftKey: Name
    public var rightKey: Name?
    public var span: SourceSpan
}

/// `per 1000 workforce.headcount`: each group's measure divided by the
/// group's total of a joined column, times the multiplier.
public struct PerClause: Sendable {
    public var multiplier: Double
    public var multiplierText: String
    public var column: Name
    public var span: SourceSpan
}

public struct OrderItem: Sendable {
    /// A key name, or the value column (`count`, the unit's name, …).
    public var name: Name
    public var descending: Bool
}

public enum TimeBucket: String, Sendable, CaseIterable {
    case year, quarter, month, fy
}

public enum GroupKey: Sendable {
    case column(Name)
    /// `by year` (the period column) or `by year(reported)`.
    case time(TimeBucket, Name?, SourceSpan)
    /// `across finalised in (2021-05..2022-05, 2022-05..2023-05)`: one group
    /// per period; `period in (…)` uses the period column.
    case periods(Name?, [PeriodExpr], SourceSpan)

    public var span: SourceSpan {
        switch self {
        case .column(let n): return n.span
        case .time(_, _, let s), .periods(_, _, let s): return s
        }
    }
}

public enum CompareOp: String, Sendable {
    case eq = "=", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
}

public indirect enum Condition: Sendable {
    /// A boolean column, a 0/1 column, or a `define`d condition.
    case flag(Name)
    case compare(Name, CompareOp, Value)
    case inList(Name, [Value], negated: Bool, SourceSpan)
    case inPeriod(Name, PeriodExpr)
    case isMissing(Name, negated: Bool)
    /// `outcome starts with "Sub"`, `ends with`, `contains`; `negated` for
    /// `outcome not contains …`.
    case textMatch(Name, TextMatchKind, Value, negated: Bool, SourceSpan)
    /// `period R`, `since X`, `last N months`: on the declared period column.
    case period(PeriodExpr, SourceSpan)
    case not(Condition, SourceSpan)
    /// Two or more, flat: a long chain is a wide node, not a deep tree.
    case and([Condition])
    case or([Condition])

    public var span: SourceSpan {
        switch self {
        case .flag(let n): return n.span
        case .compare(let n, _, let v): return n.span.to(v.span)
        case .inList(_, _, _, let s): return s
        case .inPeriod(let n, let p): return n.span.to(p.span)
        case .isMissing(let n, _): return n.span
        case .textMatch(_, _, _, _, let s): return s
        case .period(_, let s): return s
        case .not(_, let s): return s
        case .and(let parts), .or(let parts):
            guard let first = parts.first, let last = parts.last else { return .none }
            return first.span.to(last.span)
        }
    }
}

public enum TextMatchKind: String, Sendable, CaseIterable {
    case startsWith = "starts with", endsWith = "ends with", contains
}

public enum Value: Sendable {
    /// A bare word: a category value (`dismissal_without_notice`), a boolean
    /// (`yes`), or a param's name.
    case word(String, SourceSpan)
    case string(String, SourceSpan)
    case number(Double, SourceSpan)
    case period(PeriodLiteral, SourceSpan)

    public var span: SourceSpan {
        switch self {
        case .word(_, let s), .string(_, let s), .number(_, let s), .period(_, let s): return s
        }
    }
}

public enum RelativeUnit: String, Sendable {
    case days, weeks, months, quarters, years
}

public indirect enum PeriodExpr: Sendable {
    case literal(PeriodLiteral, SourceSpan)
    /// `a..b` (half-open) or `a through b` (inclusive of all of b).
    case range(PeriodExpr, PeriodExpr, inclusive: Bool, SourceSpan)
    /// `since a`: from the start of a to the dataset's as-of date.
    case since(PeriodExpr, SourceSpan)
    /// `last N months`: ending on the dataset's as-of date.
    case last(Int, RelativeUnit, SourceSpan)
    /// A `param` holding a period.
    case param(Name)

    public var span: SourceSpan {
        switch self {
        case .literal(_, let s), .range(_, _, _, let s), .since(_, let s), .last(_, _, let s): return s
        case .param(let n): return n.span
        }
    }
}

public indirect enum Expr: Sendable {
    case number(Double, decimals: Int, isPercent: Bool, SourceSpan)
    /// A day (`2024-04-30`), as a day number: the figure a `min`, `max` or
    /// `median` of a date column is compared with.
    case date(Int, SourceSpan)
    case query(Query)
    /// A `let` scalar or a numeric `param`.
    case name(Name)
    case percentOf(Expr, Expr, SourceSpan)
    case binary(String, Expr, Expr)
    case negate(Expr, SourceSpan)

    public var span: SourceSpan {
        switch self {
        case .number(_, _, _, let s), .date(_, let s), .percentOf(_, _, let s), .negate(_, let s): return s
        case .query(let q): return q.span
        case .name(let n): return n.span
        case .binary(_, let a, let b): return a.span.to(b.span)
        }
    }
}

public struct TableLiteral: Sendable {
    public var header: [TableCell]
    public var rows: [[TableCell]]
    public var span: SourceSpan
}

public struct Assertion: Sendable {
    public enum Comparison: String, Sendable {
        case equals = "="
        /// Rounds to the published figure's precision.
        case roundsTo = "~"
    }
    public enum Tolerance: Sendable {
        case absolute(Double)
        case relativePercent(Double)
    }
    public enum Expected: Sendable {
        case scalar(Expr)
        case table(TableLiteral)
    }
    public var actual: Expr
    public var comparison: Comparison
    public var expected: Expected
    public var tolerance: Tolerance?
    public var operatorSpan: SourceSpan
}
