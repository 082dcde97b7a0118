/// How a footer states the days a condition admits on a date column
/// (`Plan/ResolvedPeriod.swift` holds them as data).
extension ResolvedPeriod {
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
