/// What a query's condition says about one date column, for the footer.
/// Binding records one for each period a condition names; the plan then
/// replaces them with what the whole condition admits (`PeriodScope.swift`).
public struct ResolvedPeriod: Sendable, Equatable {
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

    /// Nothing restricted: every day, and rows with no date (no footer line).
    public var admitsEverything: Bool { exact && days.isAll && admitsMissing }

    /// One period as a condition names it; a `since` or `last` one ends on
    /// the as-of date its note names.
    public init(interval: DayInterval, column: String, asOfNote: String?) {
        self.init(column: column, days: DaySet(interval), named: [DaySet(interval)], asOfNote: asOfNote,
                  asOfEnd: asOfNote == nil ? nil : interval.end)
    }
}
