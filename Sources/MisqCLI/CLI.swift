import ArgumentParser
import Foundation
import MisqKit

/// Entry point shared by the binary and the tests: arguments in, text and
/// an exit code out: 0 success, 1 an assertion failed, 2 a usage, syntax
/// or data error (docs/language.md, "Errors and exit codes"), so CI can
/// tell a published figure that no longer holds from a broken run.
public enum MisqCLI {
    public static func execute(_ arguments: [String], console: Console) -> Int32 {
        execute(arguments, console: console, quick: true)
    }

    /// `quick: false` skips `QuickArguments`, for the tests that hold it to
    /// what ArgumentParser reads.
    static func execute(_ arguments: [String], console: Console, quick: Bool) -> Int32 {
        if quick, let q = QuickArguments.parse(arguments) {
            return MisqCommand.run(statements: q.statements, data: q.data, format: q.format, console: console)
        }
        let route: (command: CommandRouting.Command, words: [String])
        do { route = try CommandRouting.route(arguments) } catch { console.report(error); return 2 }
        let root: ParsableCommand.Type = route.command == .root ? MisqCommand.self : SubcommandRoot.self
        do {
            var command = try root.parseAsRoot(route.words)
            guard var ours = command as? MisqRunnable else {
                try command.run()
                return 0
            }
            return ours.execute(console)
        } catch {
            let code = root.exitCode(for: error)
            let message = root.fullMessage(for: error)
            if code == .success { console.print(message); return 0 }
            // ArgumentParser quotes the argument it did not take as typed:
            // an ESC in it must not reach the terminal.
            console.error("error: " + TerminalText.screen(message.replacingOccurrences(of: "Error: ", with: "")))
            return 2
        }
    }

    /// The binary sets this: a one-shot run's session is then left for the
    /// process's exit to free, as it does all at once, rather than freed
    /// column by column and unmapped file by file first (a twentieth of a
    /// warm run on 10M rows). Tests leave it off, so sessions are freed.
    nonisolated(unsafe) public static var leavesSessionToExit = false
    nonisolated(unsafe) static var leftToExit: [Session] = []

    /// For the test suite: run and collect.
    public static func capture(_ arguments: [String]) -> (out: String, err: String, code: Int32) {
        let c = Console(collect: true)
        let code = execute(arguments, console: c)
        return (c.out, c.err, code)
    }
}

protocol MisqRunnable {
    mutating func execute(_ console: Console) -> Int32
}

/// Options every command that reads data takes.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Folder of datasets (datapackage.json and CSVs); default datasets/, unless --data is given.")
    var datasets: String?

    @Option(name: .long, help: "A CSV, or a spreadsheet (.xlsx, .ods: its first sheet, or FILE#SHEET), to load as a dataset named after the file (repeatable).")
    var data: [String] = []

    func choice(param: [String] = []) -> DataChoice { DataChoice(datasets: datasets, data: data, param: param) }
}

/// `--engine`, for the commands that run queries and assertions (`-e`,
/// the prompt, `run`, `test`): where the queries run.
struct EngineOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Run the queries on a database misq export wrote, not on the files: sqlite:FILE.db, duckdb:FILE.db or postgres://USER:PASSWORD@HOST:PORT/DATABASE. Its tables, labels and definitions are the catalog; the answers and footers are the same.", valueName: "database"))
    var engine: String?
}

/// `--param`, for the commands that run scripts (not `describe`).
struct ParamOption: ParsableArguments {
    @Option(name: .long, help: "Override a script's param: --param window=2023-05..2024-05 (repeatable).")
    var param: [String] = []
}

/// Where the data comes from, as the options gave it: the same whichever
/// parser read the command line (ArgumentParser, or `QuickArguments`).
struct DataChoice: Equatable {
    var datasets: String?
    var data: [String] = []
    var param: [String] = []
    var engine: String? = nil

    func session() throws -> Session {
        let s: Session
        if let engine {
            if datasets != nil || !data.isEmpty {
                throw MisqError(.usage, "--engine reads the datasets from the database, so \(datasets != nil ? "--datasets" : "--data") does not apply with it",
                                suggestion: "give --engine alone, or --datasets/--data alone")
            }
            s = try Self.open(engine: engine)
        } else {
            s = Session()
        }
        // `--data FILE` alone means "this export": the datasets folder loads
        // only when named, or when no file is given and it exists.
        if let dir = datasets { try s.addDatasets(directory: dir) }
        else if data.isEmpty, engine == nil, FileManager.default.fileExists(atPath: "datasets") { try s.addDatasets(directory: "datasets") }
        // The same file twice is one dataset: said, not quietly merged.
        var seenFiles: [String: String] = [:]
        for f in data {
            let real = URL(fileURLWithPath: f).standardizedFileURL.resolvingSymlinksInPath().path
            if let first = seenFiles[real] {
                throw MisqError(.usage, first == f ? "--data '\(f)' given twice" : "--data '\(first)' and '\(f)' are the same file",
                                suggestion: "give each file once")
            }
            seenFiles[real] = f
            do {
                try s.addCSV(f)
            } catch var e as MisqError where e.source == nil {
                // An error with no place of its own (the file changed while
                // its header was read, it cannot be opened) points at the
                // option that named the file (at the option word, so the
                // caret does not depend on the path's length).
                e.source = SourceFile(name: "<command line>", text: "--data " + f)
                e.span = SourceSpan(0, 6)
                throw e
            }
        }
        var givenParams: [String: String] = [:]
        for p in param {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                throw MisqError(.usage, "--param takes NAME=VALUE, got '\(p)'", suggestion: "e.g. --param window=2023-05..2024-05")
            }
            let name = String(p[..<eq]).lowercased()
            // Last-wins would drop a value the user typed without a word.
            if let first = givenParams[name] {
                throw MisqError(.usage, "--param \(p[..<eq]) given twice ('\(first)', then '\(p)'): a param takes one value",
                                suggestion: "give --param \(p[..<eq]) once")
            }
            givenParams[name] = p
            s.paramOverrides[name] = String(p[p.index(after: eq)...])
        }
        return s
    }

    /// The session over `--engine`; an error with no place of its own (no
    /// such file, not a misq export) points at the option. A file's name
    /// is shown; any other address is not, as it may hold a password.
    static func open(engine: String) throws -> Session {
        do {
            return try Session.open(engine: engine)
        } catch var e as MisqError where e.source == nil {
            let lower = engine.lowercased()
            let shown = lower.hasPrefix("sqlite:") || lower.hasPrefix("duckdb:") ? " " + engine : ""
            e.source = SourceFile(name: "<command line>", text: "--engine" + shown)
            e.span = SourceSpan(0, 8)
            throw e
        }
    }
}

extension OutputFormat: ExpressibleByArgument {}

struct MisqCommand: ParsableCommand, MisqRunnable {
    static let configuration = CommandConfiguration(
        commandName: "misq",
        abstract: "A query language for police misconduct statistics.",
        discussion: """
        With no arguments, misq reads statements from standard input (an interactive
        prompt when it is a terminal). Examples:
          misq -e 'count cases where vawg and period 2022-05..2023-05 by outcome'
          misq run queries/01.FOI.23.030744.misq --param window=2023-05..2024-05
          misq test queries/
          misq describe cases
          misq explain 'count cases where vawg by outcome'
          misq sql queries/01.FOI.23.030744.misq --target postgres
          misq export --to duckdb:misq.duckdb
          misq run queries/01.FOI.23.030744.misq --engine duckdb:misq.duckdb
          misq report queries/01.FOI.23.030744.misq -o report.html
        An option may stand before or after its subcommand; one the command does
        not act on is an error.
        """,
        subcommands: [RunCommand.self, TestCommand.self, DescribeCommand.self, ExplainCommand.self, SQLCommand.self, ExportCommand.self, ReportCommand.self, AuditCommand.self])

    @Option(name: .short, help: ArgumentHelp("A statement to run (repeatable).", valueName: "statement"))
    var e: [String] = []

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var params: ParamOption
    @OptionGroup var engineOption: EngineOption

    @Option(name: .long, help: "Output: table, csv, tsv, json or markdown.")
    var format: OutputFormat = .table

    @Flag(name: .long, help: RawCells.help)
    var raw = false

    mutating func run() throws {}

    mutating func execute(_ console: Console) -> Int32 {
        // With no -e the prompt or piped input may still switch to `.mode csv`.
        if let error = RawCells.check(raw, format: format, interactive: e.isEmpty) { console.report(error); return 2 }
        console.rawCells = raw
        var choice = dataOptions.choice(param: params.param)
        choice.engine = engineOption.engine
        return MisqCommand.run(statements: e, data: choice, format: format, console: console)
    }

    static func run(statements e: [String], data: DataChoice, format: OutputFormat, console: Console) -> Int32 {
        do {
            if e.isEmpty, !data.param.isEmpty, isatty(STDIN_FILENO) != 0 {
                // At the prompt no script is there to check the names against.
                throw MisqError(.usage, "--param overrides a script's params, and the prompt has no script",
                                suggestion: "misq run FILE --param NAME=VALUE, misq -e '…' --param NAME=VALUE, or a script on standard input")
            }
            let session = try data.session()
            if e.isEmpty {
                return Interactive.run(session: session, format: format, console: console)
            }
            // Every statement parsed before any runs: a typo in the last is
            // reported before the first answer is printed.
            let programs = try e.enumerated().map { i, text in
                let program = try session.parse(SourceFile(name: e.count == 1 ? "<command line>" : "<command line \(i + 1)>", text: text))
                // `-e ''` (or only blanks or a comment) would print nothing
                // and exit 0: never what was meant.
                if program.statements.isEmpty {
                    throw MisqError(.usage, "-e was given no statement" + (e.count > 1 ? " (the \(Ordinal.text(i + 1)) -e)" : "")
                                        + (text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "" : ": it holds only a comment"),
                                    suggestion: "misq -e 'count cases where vawg by outcome'")
                }
                return program
            }
            // One statement and done: nothing parsed is kept for later, so
            // a column needed only for the selected rows is parsed for them.
            if e.count == 1 { session.readSelectedRowsOnly() }
            if MisqCLI.leavesSessionToExit { MisqCLI.leftToExit.append(session) }
            return ScriptOutput.run(programs.map { Script(program: $0, session: session) },
                                    to: AnswerSink(format: format, console: console), console: console)
        } catch {
            console.report(error)
            return 2
        }
    }
}

/// The root a subcommand line is parsed with: no options of its own, so
/// each subcommand reads the options it declares (see `CommandRouting`).
/// `MisqCommand` stays the root for statements, and for help.
struct SubcommandRoot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "misq", subcommands: [RunCommand.self, TestCommand.self, DescribeCommand.self, ExplainCommand.self, SQLCommand.self, ExportCommand.self, ReportCommand.self, AuditCommand.self])
}

struct RunCommand: ParsableCommand, MisqRunnable {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run saved query files and print their answers.")

    @Argument(help: "The .misq files to run.")
    var files: [String]

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var params: ParamOption
    @OptionGroup var engineOption: EngineOption

    @Option(name: .long, help: "Output: table, csv, tsv, json or markdown.")
    var format: OutputFormat = .table

    @Option(name: .long, help: ArgumentHelp("Write each answer to its own file in this folder, named after its question comment (e.g. 01-q1-how-many-cases.csv; a subfolder per file when several are run).", valueName: "dir"))
    var out: String?

    @Flag(name: .long, help: RawCells.help)
    var raw = false

    mutating func execute(_ console: Console) -> Int32 {
        if let error = RawCells.check(raw, format: format, interactive: false) { console.report(error); return 2 }
        console.rawCells = raw
        do {
            var choice = dataOptions.choice(param: params.param)
            choice.engine = engineOption.engine
            let session = try choice.session()
            // Parse everything first: a typo in a file is reported before
            // any answer is printed.
            let programs = try files.map { f in
                try session.parse(SourceFile.read(script: f))
            }
            // A file with no statement answers nothing: said, not a silent 0.
            for (f, p) in zip(files, programs) where p.statements.isEmpty {
                console.error("note: \(f) holds no statement: nothing to answer")
            }
            let scripts = zip(files, programs).map { f, program in
                let s = files.count > 1 ? session.fork() : session
                s.baseDirectory = PathText.folder(of: f)
                return Script(program: program, session: s, file: f)
            }
            return ScriptOutput.run(scripts, to: AnswerSink(format: format, console: console, folder: out), console: console)
        } catch {
            console.report(error)
            return 2
        }
    }
}

/// "1st", "2nd", "3rd", "4th" for messages.
enum Ordinal {
    static func text(_ n: Int) -> String {
        let tens = n % 100, ones = n % 10
        let suffix = (11...13).contains(tens) ? "th" : ones == 1 ? "st" : ones == 2 ? "nd" : ones == 3 ? "rd" : "th"
        return "\(n)\(suffix)"
    }
}

/// `--raw`: CSV and TSV text cells exactly as in the data. It acts only on
/// those formats, so with another it is a usage error, not ignored.
enum RawCells {
    static let help = ArgumentHelp("CSV and TSV: write text cells exactly as in the data, without the ' that stops a spreadsheet running a cell beginning with =, +, -, @, tab or CR as a formula.")

    static func check(_ raw: Bool, format: OutputFormat, interactive: Bool) -> MisqError? {
        guard raw, format != .csv, format != .tsv, !interactive else { return nil }
        return MisqError(.usage, "--raw applies to --format csv or tsv, not \(format.rawValue)",
                         suggestion: "add --format csv, or leave out --raw")
    }
}

struct DescribeCommand: ParsableCommand, MisqRunnable {
    static let configuration = CommandConfiguration(commandName: "describe",
                                                    abstract: "Describe datasets, or one dataset, column, unit or definition.")

    @Argument(help: "A dataset, column, unit or definition; all datasets if omitted.")
    var name: String?

    @OptionGroup var dataOptions: DataOptions

    mutating func execute(_ console: Console) -> Int32 {
        do {
            let session = try dataOptions.choice().session()
            if let name = name {
                console.print(try Describer.describe(name, in: session), terminator: "")
                return 0
            }
            // Every dataset that loads is described; each that does not
            // has its error shown, and the exit code says so.
            var errors: [MisqError] = []
            console.print(Describer.datasets(session, errors: &errors), terminator: "")
            if !errors.isEmpty { console.report(MisqErrors(errors)); return 2 }
            return 0
        } catch {
            console.report(error)
            return 2
        }
    }
}

struct ExplainCommand: ParsableCommand, MisqRunnable {
    static let configuration = CommandConfiguration(commandName: "explain",
                                                    abstract: "Print the logical plan of each query in the statements, without running it.")

    @Argument(help: "Statements; definitions among them (define, let, param, unit, load) take effect first.")
    var statements: [String]

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var params: ParamOption

    mutating func execute(_ console: Console) -> Int32 {
        do {
            let session = try dataOptions.choice(param: params.param).session()
            let texts = try statements.enumerated().map { i, text in
                try Explain.text(SourceFile(name: statements.count == 1 ? "<command line>" : "<command line \(i + 1)>", text: text), session: session)
            }
            // Definitions alone would print nothing and exit 0: never what was meant.
            guard texts.contains(where: { !$0.isEmpty }) else {
                throw MisqError(.usage, "nothing to explain: the statements hold no query",
                                suggestion: "misq explain 'count cases where vawg by outcome'")
            }
            for t in texts { console.print(t, terminator: "") }
            return 0
        } catch {
            console.report(error)
            return 2
        }
    }
}
