import Foundation

/// A DuckDB database file, through DuckDB's command-line program
/// (`duckdb`, from PyPI's `duckdb-cli` or DuckDB's release), read-only.
///
/// Why the CLI, not the Python module as a subprocess or the C API: the
/// CLI starts in a tenth of the time python takes to import duckdb, needs
/// no interpreter or script shipped beside misq, and its `-json` mode
/// gives typed values (numbers as numbers, NULL as null); the C API is a
/// library Debian does not package, so it would be a download misq cannot
/// make. `misq export --to duckdb:` writes
/// with the same program, so the file is in the format the reader reads.
/// One process, started on first use, answers every query of a session,
/// a batch at a time (the answer and its footer's row counts together).
/// `MISQ_DUCKDB` names the program when it is not on PATH; a `duckdb` on
/// PATH that is pip's or pyenv's script is followed to the program it
/// starts (`DuckDBProgram.swift`).
public final class DuckDBConnection: DatabaseConnection, BatchingConnection {
    public let target = SQLDialect.Target.duckdb
    public let displayName: String
    let program: String
    private var columnsByTable: [String: [DatabaseColumn]]?
    private var tableList: [String]?

    public init(path: String) throws {
        displayName = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw MisqError(.io, "no database file '\(path)'",
                            suggestion: "write one from the datasets first: misq export --to duckdb:\(path)")
        }
        guard !isDirectory.boolValue else { throw MisqError(.io, "'\(path)' is a folder, not a DuckDB database file") }
        program = try Self.program()
    }

    static func program() throws -> String {
        guard let p = DuckDBProgram.find() else {
            throw MisqError(.io, "misq runs DuckDB through its command-line program, and no 'duckdb' is on PATH",
                            suggestion: "pip install duckdb-cli, or set MISQ_DUCKDB to the program's path")
        }
        return p
    }

    public func query(_ sql: String) throws -> DatabaseRows {
        let answers = try batch([sql])
        guard let first = answers.first else { throw MisqError(.io, "the DuckDB database '\(displayName)' gave no answer") }
        return first
    }

    func batch(_ sql: [String]) throws -> [DatabaseRows] {
        let p = try process()
        // Each batch ends with a query whose answer no data can hold, so
        // the answers are read up to it; a statement that fails prints no
        // answer (its error goes to standard error), so fewer answers than
        // queries is the failure, worded by DuckDB's first line.
        let end = "misq-end-" + UUID().uuidString
        var script = ""
        for s in sql {
            var t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            if !t.hasSuffix(";") { t += ";" }
            script += t + "\n"
        }
        script += "SELECT '\(end)' AS misq_end;\n"
        let marker = Data("[{\"misq_end\":\"\(end)\"}]\n".utf8)
        p.errors.take()
        do { try p.input.write(contentsOf: Data(script.utf8)) } catch { return try failed(p, nil) }
        var out = Data()
        while !out.suffix(marker.count).elementsEqual(marker) {
            let chunk = p.output.availableData
            if chunk.isEmpty { return try failed(p, nil) }
            out.append(chunk)
        }
        let answers = try JSONRows.parse(out.dropLast(marker.count))
        guard answers.count == sql.count else { return try failed(p, answers.count) }
        return answers
    }

    /// The running program, started on first use: one process answers
    /// every query of a session (starting one costs more than most queries).
    private func process() throws -> Running {
        if let r = running { return r }
        // A program that stopped (a file that is not a database) must make
        // a write to it an error, not a signal that ends misq.
        signal(SIGPIPE, SIG_IGN)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        // -init /dev/null: no ~/.duckdbrc changes what a query means.
        p.arguments = ["-readonly", "-json", "-init", "/dev/null", displayName.hasPrefix("-") ? "./" + displayName : displayName]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        p.standardInput = stdin; p.standardOutput = stdout; p.standardError = stderr
        do { try p.run() } catch {
            throw MisqError(.io, "cannot run \(program) for the DuckDB database '\(displayName)': \(error.localizedDescription)")
        }
        let r = Running(process: p, input: stdin.fileHandleForWriting, output: stdout.fileHandleForReading, errors: ErrorText())
        let errors = r.errors, handle = stderr.fileHandleForReading
        Thread.detachNewThread {
            while true {
                let d = handle.availableData
                if d.isEmpty { break }
                errors.append(d)
            }
        }
        running = r
        return r
    }

    /// A batch that failed: DuckDB's words for it, waited for briefly
    /// (standard error comes on its own pipe); the program is stopped if
    /// it ended, and started again for the next query.
    private func failed(_ r: Running, _ answers: Int?) throws -> [DatabaseRows] {
        var text = r.errors.take()
        let deadline = Date().addingTimeInterval(2)
        while text.isEmpty, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
            text = r.errors.take()
        }
        if answers == nil || !r.process.isRunning {
            try? r.input.close()
            running = nil
        }
        let first = String(decoding: text, as: UTF8.self).split(separator: "\n").first.map(String.init)
        throw MisqError(.io, "the DuckDB database '\(displayName)' refused a query: " + (first ?? "DuckDB stopped without saying why"))
    }

    deinit {
        if let r = running {
            try? r.input.close()
            r.process.waitUntilExit()
        }
    }

    private var running: Running?

    private struct Running {
        let process: Process
        let input: FileHandle
        let output: FileHandle
        let errors: ErrorText
    }

    /// Standard error as it arrives, read on its own thread.
    private final class ErrorText: @unchecked Sendable {
        private var data = Data()
        private let lock = NSLock()
        func append(_ d: Data) { lock.lock(); data.append(d); lock.unlock() }
        @discardableResult func take() -> Data { lock.lock(); defer { data = Data(); lock.unlock() }; return data }
    }

    public func tables() throws -> [String] {
        try loadCatalog()
        return tableList ?? []
    }

    public func columns(of table: String) throws -> [DatabaseColumn] {
        try loadCatalog()
        return columnsByTable?[table] ?? []
    }

    /// Every table's columns in one call, from DuckDB's own catalog
    /// functions: information_schema.columns, a view over them, took
    /// 15–40 ms at each start where duckdb_columns() takes 1 ms.
    private func loadCatalog() throws {
        guard tableList == nil else { return }
        let main = "schema_name = 'main' AND database_name = current_database()"
        let answers = try batch([
            "SELECT table_name FROM duckdb_tables() WHERE \(main) UNION ALL SELECT view_name FROM duckdb_views() WHERE \(main) AND NOT internal ORDER BY 1",
            "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE \(main) ORDER BY table_name, column_index",
        ])
        tableList = answers[0].rows.compactMap { $0.first?.text }
        var byTable: [String: [DatabaseColumn]] = [:]
        for r in answers[1].rows where r.count == 3 {
            byTable[r[0].text ?? "", default: []].append(DatabaseColumn(name: r[1].text ?? "", type: r[2].text ?? ""))
        }
        columnsByTable = byTable
    }
}
