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

    public var scalarValue: Double? {
        if case .scalar(let v) = body { return v }
        return nil
    }
}

public struct GroupRow {
    public var keys: [String]
    /// One value, or one per across column.
    public var values: [Double]
    /// The row's total across columns (distinct-aware), with `across`.
    public var rowTotal: Double?
}

public struct GroupedResult {
    public var keyNames: [String]
    public var acrossName: String?
    public var acrossLabels: [String]
    public var rows: [GroupRow]
    /// Column totals (one, or one per across column), if `with total`.
    public var totals: [Double]?
    public var grandTotal: Double
    public var withTotal: Bool
    public var withPercent: Bool
    /// Percent base per value column: the grand total, or each across
    /// column's total.
    public var percentBase: [Double]
    public var groupsBeforeTop: Int
}

public struct RowsResult {
    public var columns: [String]
    public var numericColumns: Set<Int>
    public var rows: [[String?]]
    public var matched: Int
}

/// Provenance and the exact scope of a result.
public struct Footer {
    public var dataset: String
    public var title: String?
    public var synthetic: Bool
    public var source: [String]
    public var periods: [ResolvedPeriod]
    public var scanned: Int
    public var matched: Int
    /// The grouped result's total line, when no total row shows it.
    public var total: String? = nil
    public var notes: [String]

    /// One line each, in the order a reader needs them.
    public var lines: [String] {
        var out: [String] = []
        var head = "dataset: \(dataset)"
        if let t = title { head += " — \(t)" }
        if synthetic { head += " [SYNTHETIC DATA]" }
        out.append(head)
        out.append(contentsOf: source)
        var seen = Set<String>()
        for p in periods {
            guard let s = p.statement else { continue }
            let line = "period: " + s
            if seen.insert(line).inserted { out.append(line) }
        }
        out.append("rows: \(NumberFormat.grouped(Double(scanned), decimals: 0)) scanned, \(NumberFormat.grouped(Double(matched), decimals: 0)) matched")
        if let t = total { out.append(t) }
        for n in notes { out.append("note: \(n)") }
        return out
    }
}
