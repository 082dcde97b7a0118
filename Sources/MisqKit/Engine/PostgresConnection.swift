import CPostgres
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One open connection to a PostgreSQL database, through libpq (the
/// client PostgreSQL itself ships; Package.swift says why not postgres-nio).
/// It runs SQL and returns typed rows, writes tables by COPY, and stops a
/// running statement when Ctrl-C is pressed (`Cancellation`), by asking the
/// server to cancel it, rather than waiting on it.
///
/// Every message names the database by `PostgresAddress.shown`, never by
/// the URL: the password is not repeated, in an error or anywhere else.
public final class PostgresConnection: DatabaseConnection {
    public let target = SQLDialect.Target.postgres
    public let address: PostgresAddress
    private let conn: OpaquePointer

    public var displayName: String { address.shown }

    /// Seconds to wait for the server to answer a connection, unless the
    /// URL says (`?connect_timeout=N`): libpq's default is to wait forever.
    static let connectTimeout = "10"

    public convenience init(url: String) throws {
        try self.init(try PostgresAddress(url))
    }

    public init(_ address: PostgresAddress) throws {
        self.address = address
        // Keywords before dbname are defaults the URL (expanded in dbname's
        // place) may override; those after it would override the URL.
        let keywords = ["connect_timeout", "application_name", "dbname", "client_encoding"]
        let values = [Self.connectTimeout, "misq", address.url, "UTF8"]
        let conn = withCStrings(keywords) { k in withCStrings(values) { v in PQconnectdbParams(k, v, 1) } }
        guard let conn else {
            throw MisqError(.io, "cannot connect to \(address.shown): out of memory")
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let why = address.scrub(Self.trimmed(String(cString: PQerrorMessage(conn))))
            PQfinish(conn)
            throw MisqError(.io, "cannot connect to \(address.shown): \(why)",
                            suggestion: "check the host, port, database, user and password of the URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE)")
        }
        self.conn = conn
        // Notices (DROP … IF EXISTS that found nothing) go nowhere: libpq
        // would print them on standard error, around misq's own output.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        // Dates as YYYY-MM-DD whatever the server's default DateStyle.
        try execute("SET DateStyle = ISO, YMD")
    }

    deinit { PQfinish(conn) }

    /// The server's version as a number (150018 for 15.18).
    public var serverVersion: Int { Int(PQserverVersion(conn)) }

    /// Runs SQL that returns no rows (one or several statements).
    public func execute(_ sql: String) throws {
        guard PQsendQuery(conn, sql) == 1 else { throw failure("sending a statement") }
        _ = try results(sql)
    }

    public func query(_ sql: String) throws -> DatabaseRows { try query(sql, parameters: []) }

    /// Runs one statement, with `$1, $2 …` bound to `parameters` as text
    /// (nil for NULL), and returns its rows, typed by the columns' types
    /// (a date as its ISO text).
    public func query(_ sql: String, parameters: [String?]) throws -> DatabaseRows {
        let sent = withCStrings(parameters) { p in
            PQsendQueryParams(conn, sql, Int32(parameters.count), nil, p, nil, nil, 0)
        }
        guard sent == 1 else { throw failure("sending a query") }
        return try results(sql).last ?? DatabaseRows(columns: [], rows: [])
    }

    /// The tables and views of the current schema (the first of the search_path that exists).
    public func tables() throws -> [String] {
        try query("""
            SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name
            """).rows.compactMap { $0.first?.text }
    }

    /// A table's columns in order, with the types PostgreSQL names them by
    /// (`text`, `double precision`, `date`, `boolean`, …).
    public func columns(of table: String) throws -> [DatabaseColumn] {
        try query("""
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position
            """, parameters: [table]).rows.map { DatabaseColumn(name: $0.first?.text ?? "", type: $0.last?.text ?? "") }
    }

    /// `COPY … FROM STDIN`: `write` is handed a function that sends bytes
    /// in COPY's text format; the rows are checked when it returns.
    public func copy(_ sql: String, _ write: (_ send: (inout [UInt8]) throws -> Void) throws -> Void) throws {
        guard PQsendQuery(conn, sql) == 1 else { throw failure("starting COPY") }
        guard let start = PQgetResult(conn) else { throw failure("starting COPY") }
        let status = PQresultStatus(start)
        if status != PGRES_COPY_IN {
            let e = error(start, sql)
            PQclear(start)
            drain()
            throw e
        }
        PQclear(start)
        var failed: Error?
        do {
            try write { bytes in
                try Cancellation.check()
                if bytes.isEmpty { return }
                let ok = bytes.withUnsafeBufferPointer { b in
                    b.withMemoryRebound(to: CChar.self) { c in c.baseAddress.map { PQputCopyData(conn, $0, Int32(c.count)) } ?? 1 }
                }
                guard ok == 1 else { throw self.failure("sending rows") }
                bytes.removeAll(keepingCapacity: true)
            }
        } catch {
            failed = error
        }
        // Ending with an error message aborts the COPY: nothing it sent stays.
        guard PQputCopyEnd(conn, failed == nil ? nil : "misq stopped the export") == 1 else { throw failure("ending COPY") }
        let outcome = Swift.Result { try results(sql) }
        if let failed { throw failed }
        _ = try outcome.get()
    }

    /// Every result of what was sent, waiting on the socket so that Ctrl-C
    /// can cancel the statement on the server; the first error thrown.
    private func results(_ sql: String) throws -> [DatabaseRows] {
        try wait()
        var out: [DatabaseRows] = []
        var firstError: MisqError?
        while let r = PQgetResult(conn) {
            defer { PQclear(r) }
            switch PQresultStatus(r) {
            case PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE: out.append(rows(r))
            case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY: out.append(DatabaseRows(columns: [], rows: []))
            default: if firstError == nil { firstError = error(r, sql) }
            }
            try wait()
        }
        if let firstError { throw firstError }
        return out
    }

    /// Waits until a whole result can be read, cancelling the statement if
    /// Ctrl-C is pressed meanwhile (the server then answers with an error,
    /// which `check` turns into misq's "interrupted").
    private func wait() throws {
        var cancelled = false
        while PQisBusy(conn) == 1 {
            var pfd = pollfd(fd: PQsocket(conn), events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 100)
            if ready < 0 && errno != EINTR { throw failure("waiting for the server") }
            if Cancellation.isRequested && !cancelled {
                cancelled = true
                if let c = PQgetCancel(conn) {
                    var buffer = [CChar](repeating: 0, count: 256)
                    _ = PQcancel(c, &buffer, 256)
                    PQfreeCancel(c)
                }
            }
            guard PQconsumeInput(conn) == 1 else { throw failure("reading the answer") }
        }
        if cancelled {
            // The server's answer to the cancel is read and dropped, so the connection can go on.
            drain()
            try Cancellation.check()
        }
    }

    /// Reads what is left of a failed exchange, so the connection can be used again.
    private func drain() {
        while let r = PQgetResult(conn) {
            let s = PQresultStatus(r)
            PQclear(r)
            if s == PGRES_COPY_IN { _ = PQputCopyEnd(conn, "misq stopped") }
        }
    }

    private func rows(_ r: OpaquePointer) -> DatabaseRows {
        let nc = Int(PQnfields(r)), nr = Int(PQntuples(r))
        let names = (0..<nc).map { String(cString: PQfname(r, Int32($0))) }
        let kinds = (0..<nc).map { Kind(oid: PQftype(r, Int32($0))) }
        var rows: [[DatabaseValue]] = []
        rows.reserveCapacity(nr)
        for i in 0..<nr {
            rows.append((0..<nc).map { c in
                if PQgetisnull(r, Int32(i), Int32(c)) == 1 { return .null }
                return kinds[c].value(String(cString: PQgetvalue(r, Int32(i), Int32(c))))
            })
        }
        return DatabaseRows(columns: names, rows: rows)
    }

    /// How a column's text is read, by PostgreSQL's built-in type OIDs
    /// (pg_type.dat); any other type (a date among them) stays its text.
    enum Kind {
        case integer, real, boolean, text

        init(oid: Oid) {
            switch oid {
            case 20, 21, 23, 26: self = .integer      // int8, int2, int4, oid
            case 700, 701, 1700: self = .real          // float4, float8, numeric
            case 16: self = .boolean
            default: self = .text
            }
        }

        func value(_ s: String) -> DatabaseValue {
            switch self {
            case .integer: return Int64(s).map(DatabaseValue.integer) ?? .text(s)
            case .real:
                switch s {
                case "NaN": return .real(.nan)
                case "Infinity": return .real(.infinity)
                case "-Infinity": return .real(-.infinity)
                default: return Double(s).map(DatabaseValue.real) ?? .text(s)
                }
            case .boolean: return s == "t" ? .boolean(true) : s == "f" ? .boolean(false) : .text(s)
            case .text: return .text(s)
            }
        }
    }

    /// The server's error, in its words (message, detail and hint), with
    /// the statement's first line for where; never the URL.
    private func error(_ r: OpaquePointer, _ sql: String) -> MisqError {
        func field(_ code: UInt8) -> String? { PQresultErrorField(r, Int32(code)).map { String(cString: $0) } }
        let message = field(UInt8(ascii: "M")) ?? Self.trimmed(String(cString: PQresultErrorMessage(r)))
        if field(UInt8(ascii: "C")) == "57014", Cancellation.isRequested {
            return MisqError(.runtime, "interrupted", suggestion: "the query was stopped; nothing else changed")
        }
        var notes: [String] = []
        if let d = field(UInt8(ascii: "D")) { notes.append(address.scrub(d)) }
        if let p = field(UInt8(ascii: "P")).flatMap(Int.init), let line = Self.line(of: sql, at: p) { notes.append("at: \(line)") }
        var e = MisqError(.runtime, "PostgreSQL at \(address.shown): \(address.scrub(message))", notes: notes)
        e.suggestion = field(UInt8(ascii: "H")).map(address.scrub)
        return e
    }

    private func failure(_ doing: String) -> MisqError {
        MisqError(.io, "PostgreSQL at \(address.shown) (\(doing)): \(address.scrub(Self.trimmed(String(cString: PQerrorMessage(conn)))))")
    }

    static func trimmed(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n\t", with: "; ").replacingOccurrences(of: "\n", with: "; ")
    }

    /// The line of `sql` holding character `position` (1-based, as the server counts).
    static func line(of sql: String, at position: Int) -> String? {
        guard position >= 1, position <= sql.count else { return nil }
        let i = sql.index(sql.startIndex, offsetBy: position - 1)
        let start = sql[..<i].lastIndex(of: "\n").map { sql.index(after: $0) } ?? sql.startIndex
        let end = sql[i...].firstIndex(of: "\n") ?? sql.endIndex
        return sql[start..<end].trimmingCharacters(in: .whitespaces)
    }
}

/// C strings for optional Swift strings (nil stays a null pointer), alive
/// for the call, in an array ended by a null pointer (as libpq's keyword
/// lists are; its parameter arrays are counted and ignore it).
private func withCStrings<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    let copies = strings.map { $0.flatMap { strdup($0) } } + [nil]
    defer { for c in copies { free(c) } }
    let pointers = copies.map { $0.map { UnsafePointer($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
}
