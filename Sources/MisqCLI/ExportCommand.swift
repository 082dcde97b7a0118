import ArgumentParser
import MisqKit

/// `misq export --to sqlite:FILE`: the datasets as a database's tables.
struct ExportCommand: ParsableCommand, MisqRunnable {
    static let configuration = CommandConfiguration(commandName: "export",
                                                    abstract: "Write the datasets to a new database file (sqlite:FILE), with their types and provenance, for the SQL misq sql writes.")

    @Option(name: .long, help: ArgumentHelp("The database to write: sqlite:FILE (a new file).", valueName: "database"))
    var to: String

    @OptionGroup var dataOptions: DataOptions

    mutating func execute(_ console: Console) -> Int32 {
        do {
            let session = try dataOptions.choice().session()
            let names = try session.exportDatabase(to: to)
            console.error("note: wrote \(names.count) table\(names.count == 1 ? "" : "s") (\(names.joined(separator: ", "))) and misq_datasets, misq_columns")
            return 0
        } catch {
            console.report(error)
            return 2
        }
    }
}
