import Foundation

/// The interface for connections: what misq needs of a live database to
/// run a query there (`--engine`) and to read its catalog. Each engine is
/// one conforming type — SQLite through the system library
/// (`SQLiteConnection.swift`), DuckDB through its CLI
/// (`DuckDBConnection.swift`), PostgreSQL through libpq — and everything
/// else (the catalog, the answer's shape, footers) is written once on top
/// of these three calls (`DatabaseCatalog.swift`, `DatabaseAnswer.swift`).
///
/// A connection names its database in messages by `displayName` alone: a
/// file's path, or a server's address with no user or password, so
/// credentials never reach output or history.
public protocol DatabaseConnection: AnyObject {
    /// The dialect `misq sql` writes for this database.
    var target: SQLDialect.Target { get }
    /// The database as messages name it (never with a password).
    var displayName: String { get }
    /// Runs one SQL query and returns its rows. A failure is a `MisqError`
    /// carrying the database's own words.
    func query(_ sql: String) throws -> DatabaseRows
    /// The database's tables (in its default schema), as it spells them.
    func tables() throws -> [String]
    /// A table's columns in order, each with the type the database declares.
    func columns(of table: String) throws -> [DatabaseColumn]
}

/// One cell as the database returned it. A connection may return any
/// value as text (libpq's text format does): readers convert by the
/// column's misq type, so `.text("1.5")` in a number column is 1.5.
public enum DatabaseValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case boolean(Bool)

    /// The value as a number, if it is one (or text that reads as one).
    public var number: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .real(let d): return d
        case .boolean(let b): return b ? 1 : 0
        case .text(let t): return Double(t.trimmingCharacters(in: .whitespaces))
        case .null: return nil
        }
    }

    /// The value as text: a label, an ISO date.
    public var text: String? {
        switch self {
        case .null: return nil
        case .text(let t): return t
        case .integer(let i): return String(i)
        case .real(let d): return NumberFormat.plain(d)
        case .boolean(let b): return b ? "yes" : "no"
        }
    }
}

/// The answer to one query: its columns' names in order, and its rows.
public struct DatabaseRows: Sendable {
    public var columns: [String]
    public var rows: [[DatabaseValue]]
    public init(columns: [String], rows: [[DatabaseValue]]) { self.columns = columns; self.rows = rows }
}

/// A column of a table, with the type its database declares (`TEXT`,
/// `DOUBLE`, `DATE`, …), as the database spells it.
public struct DatabaseColumn: Sendable, Equatable {
    public var name: String
    public var type: String
    public init(name: String, type: String) { self.name = name; self.type = type }
}
