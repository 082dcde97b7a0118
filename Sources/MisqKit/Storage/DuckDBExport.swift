import Foundation

/// `misq export --to duckdb:FILE`: the tables `ExportShape` says, in a new
/// DuckDB file, typed as DuckDB types them (VARCHAR, DOUBLE, DATE,
/// BOOLEAN, BIGINT), written by DuckDB's own program (the one `--engine
/// duckdb:` reads with, `Engine/DuckDBConnection.swift`): the side tables
/// as literal rows, each dataset from a CSV file of misq's values (numbers
/// in the shortest form that reads back as the same double, ISO days,
/// yes/no, an empty field for missing), cast to its types as it is read.
///
/// A new file only, written under a temporary name and renamed, in one
/// transaction; `--replace` is not offered for DuckDB files.
public enum DuckDBExport {
    public static func write(_ datasets: [Dataset], definitions: [SourceFile] = [], to path: String, replace: Bool = false) throws {
        if replace {
            throw MisqError(.usage, "--replace is for SQLite files and PostgreSQL databases: misq export writes a new DuckDB file",
                            suggestion: "misq export --to duckdb:NEW_FILE")
        }
        if FileManager.default.fileExists(atPath: path) {
            throw MisqError(.io, "'\(path)' exists: misq export writes a new database file and never replaces tables in one",
                            suggestion: "export to a new file name, or remove '\(path)' first")
        }
        let program = try DuckDBConnection.program()
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = (folder.isEmpty ? "." : folder) + "/.misq-export-\(UUID().uuidString).duckdb"
        let sink = Sink(csvFolder: NSTemporaryDirectory() + "misq-export-\(UUID().uuidString)", path: path)
        try FileManager.default.createDirectory(atPath: sink.csvFolder, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(atPath: sink.csvFolder)
            try? FileManager.default.removeItem(atPath: temporary)
            try? FileManager.default.removeItem(atPath: temporary + ".wal")
        }
        sink.script = "BEGIN TRANSACTION;\n"
        try ExportShape.write(datasets, definitions: definitions, to: sink, replace: false)
        sink.script += "COMMIT;\nCHECKPOINT;\n"
        let run = try Subprocess.run(program, ["-bail", "-init", "/dev/null", temporary], input: Data(sink.script.utf8))
        guard run.status == 0 else {
            let why = String(decoding: run.stderr, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? "exit status \(run.status)"
            throw MisqError(.io, "cannot write the database '\(path)': DuckDB said: \(why)")
        }
        do {
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            throw MisqError(.io, "cannot write the database '\(path)': \(error.localizedDescription)")
        }
    }

    /// The export as one script for DuckDB's program, with a CSV file per dataset.
    final class Sink: ExportSink {
        let csvFolder: String
        let path: String
        var script = ""
        private var files = 0

        init(csvFolder: String, path: String) { self.csvFolder = csvFolder; self.path = path }

        var place: String { "'\(path)'" }
        var elsewhere: String { "file name" }
        func existing(_ names: [String]) throws -> [(name: String, isTable: Bool)] { [] }
        func drop(_ table: String) throws {}

        static func quote(_ n: String) -> String { "\"" + n.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        static func string(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

        static func type(_ kind: ExportShape.Kind) -> String {
            switch kind {
            case .text: return "VARCHAR"
            case .real: return "DOUBLE"
            case .integer: return "BIGINT"
            case .date: return "DATE"
            case .boolean: return "BOOLEAN"
            }
        }

        func create(_ table: ExportShape.Table) throws {
            // A dataset's table is made from its CSV in `insert`.
            guard ExportShape.sideTables.contains(where: { $0.name == table.name }) else { return }
            script += "CREATE TABLE \(Self.quote(table.name)) (" + table.columns.map { "\(Self.quote($0.name)) \(Self.type($0.kind))" }.joined(separator: ", ") + ");\n"
        }

        func insert(_ table: ExportShape.Table, rows: Int, _ value: (Int, Int) throws -> ExportShape.Value) throws {
            if ExportShape.sideTables.contains(where: { $0.name == table.name }) {
                for r in 0..<rows {
                    script += "INSERT INTO \(Self.quote(table.name)) VALUES (" + (try table.columns.indices.map { k -> String in
                        switch try value(r, k) {
                        case .null: return "NULL"
                        case .text(let t): return Self.string(t)
                        case .real(let x): return "CAST(\(Self.string("\(x)")) AS DOUBLE)"
                        case .integer(let i): return String(i)
                        case .date(let d): return "DATE \(Self.string(Day.iso(d)))"
                        case .boolean(let b): return b ? "TRUE" : "FALSE"
                        }
                    }).joined(separator: ", ") + ");\n"
                }
                return
            }
            let csv = "\(csvFolder)/\(files).csv"
            files += 1
            try writeCSV(table, rows: rows, value, to: csv)
            let casts = table.columns.map { c -> String in
                let x = "NULLIF(\(Self.quote(c.name)), '')"
                switch c.kind {
                case .boolean: return "CASE \(x) WHEN 'yes' THEN TRUE WHEN 'no' THEN FALSE END AS \(Self.quote(c.name))"
                default: return "CAST(\(x) AS \(Self.type(c.kind))) AS \(Self.quote(c.name))"
                }
            }
            let declared = table.columns.map { "\(Self.string($0.name)): 'VARCHAR'" }.joined(separator: ", ")
            script += "CREATE TABLE \(Self.quote(table.name)) AS SELECT \(casts.joined(separator: ", ")) FROM read_csv(\(Self.string(csv)), header = true, all_varchar = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', columns = {\(declared)});\n"
        }

        func writeCSV(_ table: ExportShape.Table, rows: Int, _ value: (Int, Int) throws -> ExportShape.Value, to path: String) throws {
            func field(_ s: String) -> String {
                s.isEmpty || s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                    ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
            }
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            guard let out = FileHandle(forWritingAtPath: path) else { throw MisqError(.io, "cannot write a temporary file for the export") }
            defer { try? out.close() }
            var text = table.columns.map { field($0.name) }.joined(separator: ",") + "\n"
            for r in 0..<rows {
                try Cancellation.check()
                text += try table.columns.indices.map { k -> String in
                    switch try value(r, k) {
                    case .null: return ""
                    case .text(let t): return field(t)
                    case .real(let x): return "\(x)"
                    case .integer(let i): return String(i)
                    case .date(let d): return Day.iso(d)
                    case .boolean(let b): return b ? "yes" : "no"
                    }
                }.joined(separator: ",") + "\n"
                if text.utf8.count > 1 << 20 { out.write(Data(text.utf8)); text = "" }
            }
            out.write(Data(text.utf8))
        }
    }
}
