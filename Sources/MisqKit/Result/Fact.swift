/// What a result's footer states, as data: the executor records facts, and
/// the presentation layer words them (`Render/FactText.swift`), the same for
/// `run`, the prompt, `test` and every format. A test can ask whether a
/// result overlapped, or how many groups `top` kept, without reading prose.
public enum Fact: Sendable, Equatable {
    /// A note the data package or the file gives (provenance).
    case datasetNote(String)
    /// A bare CSV's only date column taken as the period column.
    /// `load`: the statement that declares another period column (a
    /// spreadsheet's sheet, header row and range in it), `COLUMN` for its
    /// name; without it, one is made from `path` (a CSV's).
    case inferredPeriodColumn(column: String, dataset: String, path: String, load: String? = nil)
    /// The labels a `starts with`, `ends with` or `contains` matched.
    case textMatch(ResolvedTextMatch)
    /// An aggregate's own note (e.g. a percentile's P read as a percent).
    case aggregateNote(String)
    /// Rows counted that have every field empty (or a declared missing value).
    case blankRows(blank: Int, counted: Int, missingValuesDeclared: Bool)
    /// Distinct units counted under more than one group: the groups add up
    /// to `sum`, the total counts each once.
    case overlap(unit: String, keys: [String], sum: Double, total: Double)
    /// `top N`: `kept` groups of `groups` shown; `tied` of them tied with
    /// the Nth at `cut`. `overall`: the footer's figure is an aggregate over
    /// all groups (a median, a percentile), not a total.
    /// `share`: the `top 10%` that made N (⌈groups × 10 / 100⌉), as written;
    /// `rounded`: whether that took rounding up. `orderedBy`: the `order by`
    /// the first N were taken in (nil: the largest values), as the reader
    /// wrote it; then ties are not kept, and `tiedOut` groups tied with the
    /// last one kept were left out.
    case top(n: Int, groups: Int, tied: Int, cut: FactValue, kept: Int, overall: GroupsFigure, share: String? = nil, rounded: Bool = true,
             orderedBy: String? = nil, tiedOut: Int = 0)
    /// `top N` or `top N%` on a one-figure aggregate: the `kept` rows of
    /// `rows` with the largest values of `column` were measured, `tied` of
    /// them tied with the Nth at `cut`.
    case topRows(n: Int, rows: Int, tied: Int, cut: FactValue, kept: Int, column: String, share: String?, rounded: Bool = true)
    /// A join (`kind` "inner" or "left") with `dataset` on a key: `unmatched`
    /// of the `rows` rows of `of` found no partner; `joinedUnused` of the
    /// joined dataset's `joinedRows` rows matched no row. `filtered`: `rows`
    /// are those the query's filter kept, not the whole dataset.
    case join(kind: String, dataset: String, on: String, rows: Int, unmatched: Int, joinedRows: Int, joinedUnused: Int, of: String, filtered: Bool = false)
    /// `per N column`: each group's value over its total of `column`;
    /// `missing` of `groups` groups had no total (no partner, or 0); the
    /// overall rate is `overall`'s (`groups` 0: a query with no `by`).
    case perRate(column: String, multiplier: String, measure: String, missing: Int, groups: Int, overall: PerOverall)
    /// `limit N` cut the groups shown.
    case limit(n: Int, groups: Int, overall: GroupsFigure)
    /// A derived value (`define rate = …`) missing in some rows because
    /// computing it failed there (missing inputs aside): a division by
    /// zero, a date that does not exist (`example`, as the call wrote it),
    /// a result too large for a number.
    case derivedMissing(name: String, scanned: Int, divisionsByZero: Int, noSuchDate: Int, example: String?, overflow: Int)
    /// A table of several measures (`MeasureTable`): the rows each measure
    /// reads, stated when one reads fewer than the table (its own `where`).
    case measureRows(measures: [String], rows: [Int])
    /// The days a measure's own `where` admits, when the table's do not say them.
    case measurePeriod(measure: String, period: ResolvedPeriod)
    /// `top N` on several value columns without `order by`: ranked by the first.
    case topRankedBy(column: String)
    /// A combined column without a value in `groups` of `of` groups (nil
    /// groups: the one row of a table without `by`): its divisor is 0, or
    /// a measure in it has no value.
    case noValue(column: String, groups: Int?, of: Int, divisionByZero: Bool)
    /// A combined column whose total has no value.
    case noTotal(column: String, divisionByZero: Bool)
    /// The Total row's combined columns come from the measures' totals.
    case combinedTotals(columns: [String])
    /// `with suppression`: `primary` cells hid under `rule` (as written:
    /// `under 5`; `hides` in words), `secondary` more so they cannot be
    /// worked out from the rest, by `method`.
    case suppressed(rule: String, hides: String, primary: Int, secondary: Int, method: String?)
    /// `rounding N` with suppression: figures rounded to `base`.
    case rounded(base: Int)
    /// Protected with the tables published before it in the run over the
    /// same records (`Disclosure/LinkedTables.swift`), named as the footer names them.
    /// `overlapping`: some count other rows (another filter) of the same records.
    case protectedTogether(tables: [String], narrowest: SuppressionAudit.Interval?, overlapping: Bool = false)
    /// Tables over the same records that could not be protected with it, and why.
    case protectedApart(tables: [String], reason: String)
    /// The audit of a suppressed table: each hidden cell's interval.
    case suppressionAudit(SuppressionAudit)
    /// Anything else, already worded.
    case text(String)
}

/// What the overall rate of `per` divided: `matched` (the measure over the
/// rows that found a partner) by `denominator`, the column's total over all
/// `rightRows` rows of `dataset` (one per `key`); `blank` of them have no
/// value, and then there is no overall rate. `left`: a left join, whose
/// rows without a partner are counted in their groups but not here.
public struct PerOverall: Sendable, Equatable {
    public var matched: Double
    public var denominator: Double
    public var rightRows: Int
    public var blank: Int
    public var left: Bool
    public var dataset: String
    public var key: String
    /// The rows of `dataset` the filter's conditions on these columns
    /// admit, when it has any: only their totals are divided by.
    public var narrowed: (rows: Int, columns: [String])?
    /// Rows of `dataset` (of those the filter admits) with no key: they
    /// join nothing, and their values are in no total.
    public var keyless = 0

    public static func == (a: PerOverall, b: PerOverall) -> Bool {
        a.matched == b.matched && a.denominator == b.denominator && a.rightRows == b.rightRows && a.blank == b.blank && a.left == b.left
            && a.dataset == b.dataset && a.key == b.key && a.narrowed?.rows == b.narrowed?.rows && a.narrowed?.columns == b.narrowed?.columns && a.keyless == b.keyless
    }
}

/// What the footer's figure of a cut table (`top`, `limit`) is: a total
/// of all groups, an aggregate over all their rows (a median), or `per`'s
/// overall rate (the rows with a partner over the joined dataset's total,
/// which no cut changes).
public enum GroupsFigure: Sendable, Equatable { case total, aggregate, rate }

/// A figure inside a fact, with how it is shown.
public struct FactValue: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case integer, figure, date, percent }
    public var value: Double
    public var kind: Kind
    public init(_ value: Double, _ kind: Kind) { self.value = value; self.kind = kind }
}

/// The total of a grouped result when no total row shows it.
public struct TotalFact: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A count: "total: 446 cases".
        case count(eachCountedOnce: Bool)
        /// An aggregate over all groups: "overall median days_open: 120".
        case overall
        /// Each value column of a table of several (`MeasureTable`); `value`
        /// and `measure` are the first's.
        case columns([ColumnTotal])
    }

    public struct ColumnTotal: Sendable, Equatable {
        public var name: String
        public var value: FactValue
        public var eachCountedOnce: Bool
        /// A combined column: worked out from the measures' totals.
        public var fromMeasureTotals: Bool
    }
    public var value: FactValue
    public var measure: String
    public var kind: Kind
}
