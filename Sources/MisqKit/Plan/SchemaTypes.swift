/// The value types a dataset's schema is made of, as the checker sees it
/// (`Catalog.swift`); storage builds them, planning reads them.

/// A column's type: categories are dictionary codes, dates day numbers,
/// numbers doubles, booleans bits (how storage keeps each: `Storage/Column.swift`).
public enum ColumnType: String, Sendable, CaseIterable {
    case category, number, date, boolean
}

/// What `count UNIT` counts on a dataset.
public enum UnitDefinition: Sendable, Equatable {
    /// Each row is one (allegations on an allegation-level file).
    case rows
    /// Distinct values of a column (cases = distinct case_id).
    case distinct(String)
    /// A published table: the sum of the weight column over rows whose
    /// measure column names this unit.
    case measure
}

/// Published-table columns: each row is a figure.
public struct PublishedLayout: Sendable {
    public var weight: String
    public var measure: String
    /// Each row's own period, inclusive dates; `period R` keeps rows whose
    /// period lies inside R.
    public var periodStart: String?
    public var periodEnd: String?
}
