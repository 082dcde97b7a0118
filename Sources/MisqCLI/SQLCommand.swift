import ArgumentParser
import MisqKit

/// `misq sql`: the SQL of each query for a target database, printed, not run.
struct SQLCommand: ParsableCommand, MisqRunnable {
    static let configuration = CommandConfiguration(commandName: "sql",
                                                    abstract: "Print each query compiled to SQL for a database (duckdb, postgres, sqlite, bigquery, spark or trino), without running it.")

    @Argument(help: "The .misq files to compile.")
    var files: [String] = []

    @Option(name: .short, help: ArgumentHelp("Statements to compile instead of files (repeatable).", valueName: "statement"))
    var e: [String] = []

    @Option(name: .long, help: ArgumentHelp("The database the SQL is for: \(SQLDialect.Target.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "target"))
    var target: String = "duckdb"

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var params: ParamOption

    mutating func execute(_ console: Console) -> Int32 {
        do {
            guard let dialect = SQLDialect.named(target) else {
                throw MisqError(.usage, "--target \(target) is not a database misq sql writes for",
                                suggestion: "--target " + SQLDialect.Target.allCases.map(\.rawValue).joined(separator: ", --target "))
            }
            if files.isEmpty == e.isEmpty {
                throw MisqError(.usage, files.isEmpty ? "misq sql needs a file or -e 'QUERY'" : "misq sql takes files or -e, not both",
                                suggestion: "misq sql queries/01.FOI.23.030744.misq --target \(dialect.target.rawValue), or misq sql -e 'count cases by outcome'")
            }
            let session = try dataOptions.choice(param: params.param).session()
            let sources = try files.isEmpty
                ? e.enumerated().map { i, text in SourceFile(name: e.count == 1 ? "<command line>" : "<command line \(i + 1)>", text: text) }
                : files.map { try SourceFile.read(script: $0) }
            var texts: [String] = []
            for (i, source) in sources.enumerated() {
                let s = files.count > 1 ? session.fork() : session
                if !files.isEmpty { s.baseDirectory = PathText.folder(of: files[i]) }
                texts.append(try SQLText.text(source, session: s, dialect: dialect))
            }
            guard texts.contains(where: { !$0.isEmpty }) else {
                throw MisqError(.usage, "nothing to compile: the statements hold no query",
                                suggestion: "misq sql -e 'count cases where vawg by outcome'")
            }
            console.print(texts.filter { !$0.isEmpty }.joined(separator: "\n"), terminator: "")
            return 0
        } catch {
            console.report(error)
            return 2
        }
    }
}
