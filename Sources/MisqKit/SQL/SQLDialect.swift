/// What differs between the engines `misq sql` writes for, in one table:
/// each target is one value of this struct, its capabilities as flags and
/// its spellings as templates. The compiler (`SQLCompiler.swift`) writes
/// one query shape for all and asks the dialect only where they differ, as
/// PRQL's `prqlc/src/sql/dialect.rs` and Malloy's `dialect/` classes do:
/// a target is a row here, not a branch through the compiler.
public struct SQLDialect: Sendable {
    public enum Target: String, Sendable, CaseIterable {
        case duckdb, postgres, sqlite, bigquery, spark, trino
    }

    public let target: Target
    /// `GROUP BY GROUPING SETS (…)` and `GROUPING(col)`: a distinct total
    /// in the same pass as the groups. Without it, each grouping is its own
    /// `SELECT … GROUP BY` joined by `UNION ALL` (a distinct count each, so
    /// the total is still never a sum of the groups).
    public let groupingSets: Bool
    /// How an identifier is quoted: `"x"` or `` `x` ``.
    public let quote: Character
    /// The spelling of a date literal `DATE '2022-05-01'` (SQLite keeps
    /// dates as ISO text, which compares in day order).
    public let dateLiteral: @Sendable (String) -> String
    public let trueLiteral: String
    public let falseLiteral: String
    /// A number cast to text, for building bucket labels.
    public let numberText: @Sendable (String) -> String
    /// Text of a whole number left-padded with zeros to two digits.
    public let pad2: @Sendable (String) -> String
    /// The last two characters of a text (a year's last two digits).
    public let last2: @Sendable (String) -> String
    /// The name of the 64-bit floating type, so a division is never an
    /// integer division (SQLite and PostgreSQL divide integers whole).
    public let doubleType: String
    public let year: @Sendable (String) -> String
    public let month: @Sendable (String) -> String
    /// The continuous quantile (linear interpolation between the two
    /// nearest values, as misq's `percentile` of numbers); nil when the
    /// target has no exact one (BigQuery, Trino and SQLite have only an
    /// approximation or none).
    public let quantileCont: (@Sendable (_ x: String, _ q: String) -> String)?
    /// The discrete quantile: the value at rank ⌈n·q⌉ (the first for q = 0),
    /// as misq's `percentile` of dates.
    public let quantileDisc: (@Sendable (_ x: String, _ q: String) -> String)?
    /// Ordering labels in code-point order, whatever the database's
    /// default collation (PostgreSQL's follows the locale).
    public let binaryCollation: String

    public func ident(_ name: String) -> String {
        let q = String(quote)
        return q + name.replacingOccurrences(of: q, with: q + q) + q
    }

    public func string(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    public static func named(_ name: String) -> SQLDialect? {
        Target(rawValue: name.lowercased()).map(SQLDialect.for)
    }

    public static func `for`(_ t: Target) -> SQLDialect {
        let ansiDate: @Sendable (String) -> String = { "DATE '\($0)'" }
        let extractYear: @Sendable (String) -> String = { "EXTRACT(YEAR FROM \($0))" }
        let extractMonth: @Sendable (String) -> String = { "EXTRACT(MONTH FROM \($0))" }
        let lpad: @Sendable (String) -> String = { "LPAD(\($0), 2, '0')" }
        switch t {
        case .duckdb:
            return SQLDialect(target: t, groupingSets: true, quote: "\"", dateLiteral: ansiDate, trueLiteral: "TRUE", falseLiteral: "FALSE",
                              numberText: { "CAST(\($0) AS VARCHAR)" }, pad2: lpad, last2: { "right(\($0), 2)" }, doubleType: "DOUBLE",
                              year: extractYear, month: extractMonth,
                              quantileCont: { "quantile_cont(\($0), \($1))" }, quantileDisc: { "quantile_disc(\($0), \($1))" },
                              binaryCollation: "")
        case .postgres:
            return SQLDialect(target: t, groupingSets: true, quote: "\"", dateLiteral: ansiDate, trueLiteral: "TRUE", falseLiteral: "FALSE",
                              numberText: { "CAST(\($0) AS TEXT)" }, pad2: lpad, last2: { "RIGHT(\($0), 2)" }, doubleType: "DOUBLE PRECISION",
                              year: { "CAST(EXTRACT(YEAR FROM \($0)) AS INTEGER)" }, month: { "CAST(EXTRACT(MONTH FROM \($0)) AS INTEGER)" },
                              quantileCont: { "PERCENTILE_CONT(\($1)) WITHIN GROUP (ORDER BY \($0))" },
                              quantileDisc: { "PERCENTILE_DISC(\($1)) WITHIN GROUP (ORDER BY \($0))" },
                              binaryCollation: " COLLATE \"C\"")
        case .sqlite:
            return SQLDialect(target: t, groupingSets: false, quote: "\"", dateLiteral: { "'\($0)'" }, trueLiteral: "1", falseLiteral: "0",
                              numberText: { "CAST(\($0) AS TEXT)" }, pad2: { "substr('0' || \($0), -2)" }, last2: { "substr(\($0), -2)" }, doubleType: "REAL",
                              year: { "CAST(strftime('%Y', \($0)) AS INTEGER)" }, month: { "CAST(strftime('%m', \($0)) AS INTEGER)" },
                              quantileCont: nil, quantileDisc: nil, binaryCollation: "")
        case .bigquery:
            return SQLDialect(target: t, groupingSets: true, quote: "`", dateLiteral: ansiDate, trueLiteral: "TRUE", falseLiteral: "FALSE",
                              numberText: { "CAST(\($0) AS STRING)" }, pad2: lpad, last2: { "RIGHT(\($0), 2)" }, doubleType: "FLOAT64",
                              year: extractYear, month: extractMonth,
                              quantileCont: nil, quantileDisc: nil, binaryCollation: "")
        case .spark:
            return SQLDialect(target: t, groupingSets: true, quote: "`", dateLiteral: ansiDate, trueLiteral: "TRUE", falseLiteral: "FALSE",
                              numberText: { "CAST(\($0) AS STRING)" }, pad2: lpad, last2: { "right(\($0), 2)" }, doubleType: "DOUBLE",
                              year: extractYear, month: extractMonth,
                              // Spark's percentile() is exact and interpolates, as quantile_cont.
                              quantileCont: { "percentile(\($0), \($1))" }, quantileDisc: nil, binaryCollation: "")
        case .trino:
            return SQLDialect(target: t, groupingSets: true, quote: "\"", dateLiteral: ansiDate, trueLiteral: "TRUE", falseLiteral: "FALSE",
                              numberText: { "CAST(\($0) AS VARCHAR)" }, pad2: lpad, last2: { "substr(\($0), -2)" }, doubleType: "DOUBLE",
                              year: extractYear, month: extractMonth,
                              quantileCont: nil, quantileDisc: nil, binaryCollation: "")
        }
    }
}
