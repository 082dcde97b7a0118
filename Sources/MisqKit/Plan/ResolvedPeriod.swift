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
