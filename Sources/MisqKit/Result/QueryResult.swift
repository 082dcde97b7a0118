/// What a query produced, before rendering: values stay numbers so
/// assertions compare them and each format prints them its own way.
public struct QueryResult {
    public enum Body {
        case scalar(Double)
        case groups(GroupedResult)
        case rows(RowsResult)
    }
    public var body: Body
    public var valueName: String
    public var valueIsInteger: Bool
    public var footer: Footer
    /// A scalar statement's `percent(…)` or percent arithmetic.
    public var valueIsPercent = false
    /// `min`, `max` or `median` of a date column: values are day numbers,
    /// shown as dates in every format.
    public var valueIsDate = false
    /// `with bars` (or `.mode bars` at the prompt): drawn with a bar column
    /// beside the first value column (Render/Bars.swift).
    public var withBars = false

    public var scalarValue: Double? {
        if case .scalar(let v) = body { return v }
        return nil
    }
}

public struct GroupRow {
    /// One label per key; nil where the row's value is missing.
    public var keys: [String?]
    /// One value, or one per across column.
    public var values: [Double]
    /// The row's total across columns (distinct-aware), with `across`.
    public var rowTotal: Double?
}

public struct GroupedResult {
    public var keyNames: [String]
    /// The keys (by place) whose labels are numbers: a number column's
    /// values, given as numbers in CSV and JSON, not as text.
    public var numericKeys: Set<Int> = []
    public var acrossName: String?
    public var acrossLabels: [String]
    /// The groups shown, in order. Made from `codes` when first read where
    /// the executor gave codes; setting or changing them drops the codes.
    public var rows: [GroupRow] {
        get { codes?.rows ?? storedRows }
        set { storedRows = newValue; codes = nil }
        _modify {
            if let c = codes { storedRows = c.rows; codes = nil }
            yield &storedRows
        }
    }
    private var storedRows: [GroupRow]
    /// The groups as codes and labels (`GroupCodes`), when the executor made
    /// them so; nil once `rows` is set or changed.
    public private(set) var codes: GroupCodes?
    /// Groups shown, without making their rows.
    public var rowCount: Int { codes?.count ?? storedRows.count }
    /// Column totals (one, or one per across column), if `with total`.
    public var totals: [Double]?
    public var grandTotal: Double
    public var withTotal: Bool
    public var withPercent: Bool
    /// Percent base per value column: the grand total, or each across
    /// column's total.
    public var percentBase: [Double]
    public var groupsBeforeTop: Int
    /// Several value columns (`count a, count b by k`, `percent(…) by k`),
    /// each formatted its own way: `values`, `totals` and `percentBase`
    /// hold one per column. Empty for one measure, headed by `valueName`.
    public var valueColumns: [ValueColumn] = []
    /// `with suppression`: the cells hidden (`Suppression.swift`); nil when
    /// every figure is published.
    public var suppression: SuppressionPattern? = nil

    init(keyNames: [String], numericKeys: Set<Int> = [], acrossName: String?, acrossLabels: [String], rows: [GroupRow],
         totals: [Double]?, grandTotal: Double, withTotal: Bool, withPercent: Bool, percentBase: [Double], groupsBeforeTop: Int,
         valueColumns: [ValueColumn] = [], suppression: SuppressionPattern? = nil) {
        self.keyNames = keyNames; self.numericKeys = numericKeys; self.acrossName = acrossName; self.acrossLabels = acrossLabels
        self.storedRows = rows; self.totals = totals; self.grandTotal = grandTotal; self.withTotal = withTotal
        self.withPercent = withPercent; self.percentBase = percentBase; self.groupsBeforeTop = groupsBeforeTop
        self.valueColumns = valueColumns; self.suppression = suppression
    }

    /// The groups shown as codes (`GroupCodes`), in place of rows.
    mutating func setRows(_ c: GroupCodes) { storedRows = []; codes = c }
}

public struct ValueColumn {
    public var name: String
    public var isInteger: Bool
    public var isDate: Bool
    public var isPercent: Bool
}

public struct RowsResult {
    public var columns: [String]
    public var numericColumns: Set<Int>
    /// The shown rows, read from the columns when written.
    public var table: RowTable
    public var matched: Int
    /// Every shown cell as text (nil is missing).
    public var rows: [[String?]] { table.texts }

    public init(columns: [String], numericColumns: Set<Int>, table: RowTable, matched: Int) {
        self.columns = columns; self.numericColumns = numericColumns; self.table = table; self.matched = matched
    }
}

/// Provenance and the exact scope of a result.
public struct Footer: Sendable {
    public var dataset: String
    public var title: String?
    public var synthetic: Bool
    public var source: [String]
    public var periods: [ResolvedPeriod]
    public var scanned: Int
    public var matched: Int
    /// The grouped result's total, when no total row shows it.
    public var total: TotalFact? = nil
    public var notes: [Fact]
    /// The notes as the footer words them.
    public var noteTexts: [String] { notes.map(\.text) }
    /// A scalar statement's footer: the queries its value was computed
    /// from, each with its own footer (none for arithmetic on literals).
    /// Nil for a query's result.
    public var parts: [FooterPart]? = nil

    public init(dataset: String, title: String?, synthetic: Bool, source: [String], periods: [ResolvedPeriod],
                scanned: Int, matched: Int, total: TotalFact? = nil, notes: [Fact]) {
        self.dataset = dataset; self.title = title; self.synthetic = synthetic; self.source = source; self.periods = periods
        self.scanned = scanned; self.matched = matched; self.total = total; self.notes = notes
    }

    /// The footer of a value computed from queries (none for arithmetic on
    /// literals alone).
    public init(parts: [FooterPart]) {
        self.init(dataset: parts.first?.footer.dataset ?? "", title: nil, synthetic: parts.contains { $0.footer.synthetic }, source: [],
                  periods: [], scanned: 0, matched: 0, notes: [])
        self.parts = parts
    }
}

/// One query a scalar's value was computed from.
public struct FooterPart: Sendable {
    public var query: String
    public var footer: Footer
    public init(query: String, footer: Footer) { self.query = query; self.footer = footer }
}
