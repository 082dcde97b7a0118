import CSQLite
import Foundation

/// A SQLite database file opened read-only through the system library
/// (the one `misq export --to sqlite:` writes with): `--engine` only reads.
public final class SQLiteConnection: DatabaseConnection {
    public let target = SQLDialect.Target.sqlite
    public let displayName: String
    let db: OpaquePointer

    /// Opens an existing file; a missing file is an error, never a new
    /// empty database (SQLite would make one).
    public init(path: String) throws {
        displayName = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw MisqError(.io, "no database file '\(path)'",
                            suggestion: "write one from the datasets first: misq export --to sqlite:\(path)")
        }
        guard !isDirectory.boolValue else { throw MisqError(.io, "'\(path)' is a folder, not a SQLite database file") }
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let handle else {
            let why = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw MisqError(.io, "cannot open the SQLite database '\(path)': \(why)")
        }
        db = handle
        // A file that is not a database fails here, at open, not at the first query.
        _ = try query("SELECT count(*) FROM sqlite_master")
    }

    deinit { sqlite3_close(db) }

    public func query(_ sql: String) throws -> DatabaseRows {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw failure()
        }
        defer { sqlite3_finalize(statement) }
        let n = sqlite3_column_count(statement)
        let columns = (0..<n).map { String(cString: sqlite3_column_name(statement, $0)) }
        var rows: [[DatabaseValue]] = []
        while true {
            try Cancellation.check()
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw failure() }
            rows.append((0..<n).map { k in
                switch sqlite3_column_type(statement, k) {
                case SQLITE_NULL: return .null
                case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, k))
                case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, k))
                default:
                    // Text (and a blob, read as the bytes it holds).
                    guard let p = sqlite3_column_text(statement, k) else { return .null }
                    let count = Int(sqlite3_column_bytes(statement, k))
                    return .text(String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self))
                }
            })
        }
        return DatabaseRows(columns: columns, rows: rows)
    }

    public func tables() throws -> [String] {
        try query("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .rows.compactMap { $0.first?.text }
    }

    public func columns(of table: String) throws -> [DatabaseColumn] {
        try query("SELECT name, type FROM pragma_table_info(\(SQLDialect.for(.sqlite).string(table))) ORDER BY cid")
            .rows.map { DatabaseColumn(name: $0[0].text ?? "", type: $0[1].text ?? "") }
    }

    func failure() -> MisqError {
        MisqError(.io, "the SQLite database '\(displayName)' refused a query: \(String(cString: sqlite3_errmsg(db)))")
    }
}
