import CSQLite
import Foundation

/// `misq export --to sqlite:FILE`: the tables `ExportShape` says, in a new
/// SQLite file, so the SQL `misq sql --target sqlite` writes runs on it.
///
/// A new file, written under a temporary name and renamed, so a failed
/// export leaves nothing; misq never writes over a file that is there.
/// With `replace`, a file that is there is opened instead, and the tables
/// of the names misq writes are dropped and written again in one
/// transaction (`ExportShape.write`), so a failure leaves it as it was.
public enum SQLiteExport {
    public static func write(_ datasets: [Dataset], definitions: [SourceFile] = [], to path: String, replace: Bool = false) throws -> [String] {
        let exists = FileManager.default.fileExists(atPath: path)
        if exists && !replace {
            throw MisqError(.io, "'\(path)' exists: misq export writes a new database file and never replaces tables in one unless told",
                            suggestion: "export to a new file name, or misq export --to sqlite:\(path) --replace to drop and write again the tables it writes")
        }
        let target = exists ? path : path + ".misq-export-\(UUID().uuidString)"
        var db: OpaquePointer?
        guard sqlite3_open_v2(target, &db, SQLITE_OPEN_READWRITE | (exists ? 0 : SQLITE_OPEN_CREATE), nil) == SQLITE_OK, let db else {
            let why = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw MisqError(.io, "cannot \(exists ? "open" : "create") the database '\(path)': \(why)", suggestion: "check the folder exists and is writable")
        }
        var closed = false
        defer {
            if !closed { sqlite3_close(db) }
            if !exists { try? FileManager.default.removeItem(atPath: target) }
        }
        let connection = Connection(db: db, path: path)
        // IMMEDIATE: no other writer can slip in between the check for tables and the writing.
        try connection.exec("BEGIN IMMEDIATE")
        let replaced: [String]
        do {
            replaced = try ExportShape.write(datasets, definitions: definitions, to: connection, replace: replace)
            try connection.exec("COMMIT")
        } catch {
            _ = sqlite3_exec(db, "ROLLBACK", nil, nil, nil)
            throw error
        }
        closed = true
        guard sqlite3_close(db) == SQLITE_OK else { throw MisqError(.io, "cannot close the database '\(path)'") }
        if exists { return replaced }
        do {
            try FileManager.default.moveItem(atPath: target, toPath: path)
        } catch {
            throw MisqError(.io, "cannot write the database '\(path)': \(error.localizedDescription)")
        }
        return replaced
    }

    static func quote(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// One open database and the file it will be named, for messages.
    struct Connection: ExportSink {
        let db: OpaquePointer
        let path: String

        var place: String { "'\(path)'" }
        var elsewhere: String { "file name" }

        func existing(_ names: [String]) throws -> [(name: String, isTable: Bool)] {
            let s = try prepare("SELECT name, type FROM sqlite_master")
            defer { sqlite3_finalize(s) }
            var out: [(String, Bool)] = []
            while true {
                let rc = sqlite3_step(s)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else { throw failure("reading its tables") }
                let name = sqlite3_column_text(s, 0).map { String(cString: $0) } ?? ""
                let type = sqlite3_column_text(s, 1).map { String(cString: $0) } ?? ""
                // SQLite's names are the same whatever their case.
                if let n = names.first(where: { $0.lowercased() == name.lowercased() }) { out.append((n, type == "table")) }
            }
            return out
        }

        func drop(_ table: String) throws { try exec("DROP TABLE \(quote(table))") }

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

        /// SQLite's types for misq's: dates as ISO text (which compares in
        /// day order), yes/no as 1/0.
        static func type(_ kind: ExportShape.Kind) -> String {
            switch kind {
            case .text, .date: return "TEXT"
            case .real: return "REAL"
            case .integer, .boolean: return "INTEGER"
            }
        }

        func create(_ table: ExportShape.Table) throws {
            try exec("CREATE TABLE \(quote(table.name)) (" + table.columns.map { c in
                "\(quote(c.name)) \(Self.type(c.kind))" + (c.name == table.primaryKey ? " PRIMARY KEY" : "")
            }.joined(separator: ", ") + ")")
        }

        func insert(_ table: ExportShape.Table, rows: Int, _ value: (Int, Int) throws -> ExportShape.Value) throws {
            let statement = try prepare("INSERT INTO \(quote(table.name)) VALUES (" + Array(repeating: "?", count: table.columns.count).joined(separator: ", ") + ")")
            defer { sqlite3_finalize(statement) }
            for r in 0..<rows {
                try Cancellation.check()
                for k in table.columns.indices { try bind(statement, Int32(k + 1), try value(r, k)) }
                guard sqlite3_step(statement) == SQLITE_DONE else { throw failure("writing a row of \(table.name)") }
                sqlite3_reset(statement)
            }
        }

        func bind(_ s: OpaquePointer?, _ i: Int32, _ v: ExportShape.Value) throws {
            let rc: Int32
            switch v {
            case .null: rc = sqlite3_bind_null(s, i)
            case .real(let x): rc = sqlite3_bind_double(s, i, x)
            case .integer(let x): rc = sqlite3_bind_int64(s, i, x)
            case .boolean(let b): rc = sqlite3_bind_int64(s, i, b ? 1 : 0)
            case .date(let d): rc = sqlite3_bind_text(s, i, Day.iso(d), -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            // SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
            case .text(let t): rc = sqlite3_bind_text(s, i, t, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            }
            guard rc == SQLITE_OK else { throw failure("binding a value") }
        }
    }
}
