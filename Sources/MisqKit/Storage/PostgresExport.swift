/// `misq export --to postgres://…`: the tables `ExportShape` says, in the
/// database's current schema, typed as PostgreSQL types them (TEXT, DOUBLE
/// PRECISION, DATE, BOOLEAN, BIGINT), the rows sent by COPY.
///
/// One transaction: a failed export leaves the database as it was. A table
/// of any of the names already there is refused unless `replace` says to
/// drop and make it again (`ExportShape.write`). PostgreSQL cuts a name longer
/// than 63 bytes to 63 without an error, so such a name is refused here.
enum PostgresExport {
    /// PostgreSQL's NAMEDATALEN less one.
    static let longestName = 63

    /// The tables written, and those among them that replaced a table of the name.
    static func write(_ datasets: [Dataset], definitions: [SourceFile] = [], to connection: PostgresConnection, replace: Bool) throws -> (written: [String], replaced: [String]) {
        for ds in datasets {
            for name in [ds.name] + ds.columnNames where name.utf8.count > longestName {
                throw MisqError(.value, "'\(name)' in \(ds.name) is longer than the \(longestName) bytes PostgreSQL keeps of a name (it would cut it without a word)",
                                suggestion: "a dataset can be loaded under a shorter name (load \"FILE\" as NAME); a column must be renamed in the data")
            }
        }
        let schema = try connection.query("SELECT current_schema()").rows.first?.first
        guard case .text(let schemaName)? = schema else {
            throw MisqError(.io, "PostgreSQL at \(connection.address.shown): no schema to write in (the search_path names none that exists)",
                            suggestion: "CREATE SCHEMA, or give one in the URL: ?options=-csearch_path%3DNAME")
        }
        try connection.execute("BEGIN")
        do {
            let replaced = try ExportShape.write(datasets, definitions: definitions, to: Sink(connection: connection, schema: schemaName), replace: replace)
            try connection.execute("COMMIT")
            return (datasets.map(\.name), replaced)
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    struct Sink: ExportSink {
        let connection: PostgresConnection
        let schema: String

        var place: String { "schema \(schema) of \(connection.address.shown)" }
        var elsewhere: String { "schema (?options=-csearch_path%3DNAME) or database" }

        func existing(_ names: [String]) throws -> [(name: String, isTable: Bool)] {
            try connection.query("""
                SELECT c.relname, c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = $1
                """, parameters: [schema]).rows.compactMap { row in
                    guard row.count == 2, case .text(let n) = row[0], case .text(let k) = row[1], names.contains(n) else { return nil }
                    // r: a table, p: a partitioned table; anything else (a view, an index, a sequence) is never dropped.
                    return (n, k == "r" || k == "p")
                }
        }

        func drop(_ table: String) throws { try connection.execute("DROP TABLE \(SQLiteExport.quote(table))") }

        static func type(_ kind: ExportShape.Kind) -> String {
            switch kind {
            case .text: return "TEXT"
            case .real: return "DOUBLE PRECISION"
            case .integer: return "BIGINT"
            case .date: return "DATE"
            case .boolean: return "BOOLEAN"
            }
        }

        func create(_ table: ExportShape.Table) throws {
            try connection.execute("CREATE TABLE \(SQLiteExport.quote(table.name)) (" + table.columns.map { c in
                "\(SQLiteExport.quote(c.name)) \(Self.type(c.kind))" + (c.name == table.primaryKey ? " PRIMARY KEY" : "")
            }.joined(separator: ", ") + ")")
        }

        func insert(_ table: ExportShape.Table, rows: Int, _ value: (Int, Int) throws -> ExportShape.Value) throws {
            try connection.copy("COPY \(SQLiteExport.quote(table.name)) FROM STDIN") { send in
                var buffer: [UInt8] = []
                buffer.reserveCapacity(1 << 20)
                for r in 0..<rows {
                    for k in table.columns.indices {
                        if k > 0 { buffer.append(9) }
                        try Self.append(try value(r, k), to: &buffer, table: table.name, column: table.columns[k].name)
                    }
                    buffer.append(10)
                    if buffer.count >= 1 << 20 { try send(&buffer) }
                }
                try send(&buffer)
            }
        }

        /// A value in COPY's text format: `\N` for NULL, backslash escapes
        /// for the characters that end a field or a row.
        static func append(_ v: ExportShape.Value, to out: inout [UInt8], table: String, column: String) throws {
            switch v {
            case .null: out.append(contentsOf: #"\N"#.utf8)
            case .integer(let x): out.append(contentsOf: String(x).utf8)
            case .boolean(let b): out.append(b ? 116 : 102)
            case .date(let d): out.append(contentsOf: Day.iso(d).utf8)
            case .real(let x):
                let text = x.isNaN ? "NaN" : x == .infinity ? "Infinity" : x == -.infinity ? "-Infinity" : "\(x)"
                out.append(contentsOf: text.utf8)
            case .text(let s):
                for byte in s.utf8 {
                    switch byte {
                    case 0:
                        throw MisqError(.value, "a value of \(column) in \(table) holds a NUL character, which PostgreSQL text cannot",
                                        suggestion: "remove it from the data")
                    case 92: out.append(92); out.append(92)
                    case 10: out.append(92); out.append(110)
                    case 13: out.append(92); out.append(114)
                    case 9: out.append(92); out.append(116)
                    default: out.append(byte)
                    }
                }
            }
        }
    }
}
