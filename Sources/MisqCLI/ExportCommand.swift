import ArgumentParser
import MisqKit

/// `misq export --to sqlite:FILE|postgres://…`: the datasets as a database's tables.
struct ExportCommand: ParsableCommand, MisqRunnable {
    static let configuration = CommandConfiguration(commandName: "export",
                                                    abstract: "Write the datasets to a new SQLite or DuckDB file (sqlite:FILE, duckdb:FILE) or a PostgreSQL database (postgres://…), with their types, provenance and definitions, for the SQL misq sql writes and for --engine.")

    @Option(name: .long, help: ArgumentHelp("The database to write: sqlite:FILE or duckdb:FILE (a new file) or postgres://USER:PASSWORD@HOST:PORT/DATABASE (tables in its current schema).", valueName: "database"))
    var to: String

    @Flag(name: .long, help: "Drop and write again the tables of the same names in a database that is there (without it, a SQLite file that exists, or any such table, is an error).")
    var replace = false

    @OptionGroup var dataOptions: DataOptions

    mutating func execute(_ console: Console) -> Int32 {
        do {
            let session = try dataOptions.choice().session()
            let done = try session.exportDatabase(to: to, replace: replace)
            let names = done.written
            console.error("note: wrote \(names.count) table\(names.count == 1 ? "" : "s") (\(names.joined(separator: ", "))) and misq_datasets, misq_columns, misq_catalog, misq_definitions" + (done.shownTarget.hasPrefix("sqlite:") ? "" : " to \(done.shownTarget)"))
            if !done.replaced.isEmpty {
                console.error("note: replaced the tables that were there: \(done.replaced.joined(separator: ", "))")
            }
            return 0
        } catch {
            console.report(error)
            return 2
        }
    }
}
