import CSQLite
import Foundation

/// `misq export --to sqlite:FILE`: each dataset as a table of the same name
/// with its columns typed as misq reads them (text for categories, real
/// numbers, ISO dates as text, which compare in day order, yes/no as 1/0;
/// a missing value as NULL), so the SQL `misq sql --target sqlite` writes
/// runs on it; and what misq knows about each dataset that a table cannot
/// hold, in two side tables: `misq_datasets` (title, publisher, reference,
/// retrieval, caveats, whether synthetic, period column) and
/// `misq_columns` (each column's misq type and declared values).
///
/// A new file only: misq never drops or overwrites tables of a database
/// it did not make. The file is written under a temporary name and renamed,
/// so a failed export leaves nothing.
public enum SQLiteExport {
    public static func write(_ datasets: [Dataset], to path: String) throws {
        if FileManager.default.fileExists(atPath: path) {
            throw MisqError(.io, "'\(path)' exists: misq export writes a new database file and never replaces tables in one",
                            suggestion: "export to a new file name, or remove '\(path)' first")
        }
        let temporary = path + ".misq-export-\(UUID().uuidString)"
        var db: OpaquePointer?
        guard sqlite3_open_v2(temporary, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let db else {
            let why = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw MisqError(.io, "cannot create the database '\(path)': \(why)", suggestion: "check the folder exists and is writable")
        }
        var closed = false
        defer {
            if !closed { sqlite3_close(db) }
            try? FileManager.default.removeItem(atPath: temporary)
        }
        let connection = Connection(db: db, path: path)
        try connection.exec("BEGIN")
        try connection.exec("CREATE TABLE misq_datasets (name TEXT PRIMARY KEY, title TEXT, publisher TEXT, reference TEXT, retrieved TEXT, retrieved_from TEXT, caveats TEXT, synthetic INTEGER, period_column TEXT, source_file TEXT)")
        try connection.exec("CREATE TABLE misq_columns (dataset TEXT, name TEXT, position INTEGER, type TEXT, declared_values TEXT)")
        for ds in datasets { try table(ds, connection) }
        try connection.exec("COMMIT")
        closed = true
        guard sqlite3_close(db) == SQLITE_OK else { throw MisqError(.io, "cannot close the database '\(path)'") }
        do {
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            throw MisqError(.io, "cannot write the database '\(path)': \(error.localizedDescription)")
        }
    }

    static func table(_ ds: Dataset, _ c: Connection) throws {
        let columns = try ds.columnNames.indices.map { try ds.column($0) }
        func sqlType(_ t: ColumnType) -> String {
            switch t {
            case .category, .date: return "TEXT"
            case .number: return "REAL"
            case .boolean: return "INTEGER"
            }
        }
        let names = ds.columnNames.map(quote)
        try c.exec("CREATE TABLE \(quote(ds.name)) (" + zip(names, columns).map { "\($0) \(sqlType($1.type))" }.joined(separator: ", ") + ")")
        let p = ds.provenance
        let periodColumn = try ds.periodColumnIndex().map { ds.columnNames[$0.index] }
        try c.insert("INSERT INTO misq_datasets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     [.text(ds.name), p.title.map(Value.text) ?? .null, p.publisher.map(Value.text) ?? .null, p.reference.map(Value.text) ?? .null,
                      p.retrieved.map { .text(Day.iso($0)) } ?? .null, p.retrievedFrom.map(Value.text) ?? .null,
                      p.caveats.isEmpty ? .null : .text(p.caveats.joined(separator: "\n")), .integer(p.synthetic ? 1 : 0),
                      periodColumn.map(Value.text) ?? .null, .text(ds.path)])
        for (k, col) in columns.enumerated() {
            try c.insert("INSERT INTO misq_columns VALUES (?, ?, ?, ?, ?)",
                         [.text(ds.name), .text(ds.columnNames[k]), .integer(Int64(k)), .text(col.type.rawValue),
                          ds.declaredValues(k).map { .text($0.joined(separator: "\n")) } ?? .null])
        }
        let statement = try c.prepare("INSERT INTO \(quote(ds.name)) VALUES (" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")")
        defer { sqlite3_finalize(statement) }
        for r in 0..<(try ds.rowCount) {
            try Cancellation.check()
            for (k, col) in columns.enumerated() { try c.bind(statement, Int32(k + 1), value(col, r)) }
            guard sqlite3_step(statement) == SQLITE_DONE else { throw c.failure("writing a row of \(ds.name)") }
            sqlite3_reset(statement)
        }
    }

    static func value(_ col: Column, _ r: Int) -> Value {
        switch col {
        case .number(let n): let v = n.values[r]; return v.isNaN ? .null : .real(v)
        case .boolean(let b): return b.known[r] ? .integer(b.value[r] ? 1 : 0) : .null
        default: return col.text(r).map(Value.text) ?? .null
        }
    }

    static func quote(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    enum Value {
        case null, text(String), real(Double), integer(Int64)
    }

    /// One open database and the file it will be named, for messages.
    struct Connection {
        let db: OpaquePointer
        let path: String

        func failure(_ doing: String) -> MisqError {
            MisqError(.io, "cannot write the database '\(path)' (\(doing)): \(String(cString: sqlite3_errmsg(db)))")
        }

        func exec(_ sql: String) throws {
            guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw failure("running \(sql.prefix(40))") }
        }

        func prepare(_ sql: String) throws -> OpaquePointer? {
            var s: OpaquePointer?
            guard sqlite3_prepare_v2(db, sql, -1, &s, nil) == SQLITE_OK else { throw failure("preparing \(sql.prefix(40))") }
            return s
        }

        func insert(_ sql: String, _ values: [Value]) throws {
            let s = try prepare(sql)
            defer { sqlite3_finalize(s) }
            for (i, v) in values.enumerated() { try bind(s, Int32(i + 1), v) }
            guard sqlite3_step(s) == SQLITE_DONE else { throw failure("writing the side tables") }
        }

        func bind(_ s: OpaquePointer?, _ i: Int32, _ v: Value) throws {
            let rc: Int32
            switch v {
            case .null: rc = sqlite3_bind_null(s, i)
            case .real(let x): rc = sqlite3_bind_double(s, i, x)
            case .integer(let x): rc = sqlite3_bind_int64(s, i, x)
            // SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
            case .text(let t): rc = sqlite3_bind_text(s, i, t, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            }
            guard rc == SQLITE_OK else { throw failure("binding a value") }
        }
    }
}
