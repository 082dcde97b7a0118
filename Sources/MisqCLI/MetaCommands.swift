import Foundation
import MisqKit

/// The dot-commands (`.describe`, `.mode`, `.run` …), shared by the prompt
/// and by statements piped to standard input, so a script that works typed
/// also works as `misq < file`.
final class MetaCommands {
    enum Outcome { case done, failed, quit }

    let session: Session
    let console: Console
    var format: OutputFormat
    var timer = false
    var lastResult: QueryResult?
    /// `.mode bars`: tables, with a bar column on grouped results.
    var bars = false
    /// `.output FILE` / `.once FILE`: where results go instead of the screen.
    var output: ResultFile?
    /// At the prompt: colour in errors, and `.mode` says what it did (piped
    /// output carries only the results).
    let color: Bool
    /// Rows a `.run` table may take (the screen's, at the prompt).
    let maxRows: () -> Int?

    init(session: Session, console: Console, format: OutputFormat, color: Bool, maxRows: @escaping () -> Int? = { nil }) {
        self.session = session; self.console = console; self.format = format; self.color = color; self.maxRows = maxRows
    }

    /// Whether a line (with nothing pending before it) is a dot-command:
    /// a dot and a letter, so `..2023-05` continuing a period is not one.
    static func isCommand(_ line: String) -> Bool {
        let t = line.drop { $0 == " " || $0 == "\t" }
        return t.first == "." && (t.dropFirst().first?.isLetter ?? false)
    }

    /// A dot-command's words (MetaLine, shared with the completer), so a
    /// path with a space can be given (`.load "exports/da ta.csv"`).
    static func words(_ line: String) -> (words: [String], unclosed: Character?) { MetaLine.words(line) }

    /// `source`: where the line is, for piped input (the prompt's line needs no place).
    func run(_ line: String, source: SourceFile? = nil) -> Outcome {
        let split = MetaCommands.words(line)
        let parts = split.words
        guard let first = parts.first else { return .done }
        let command = first.lowercased(), args = Array(parts.dropFirst())
        func fail(_ message: String, suggestion: String? = nil) -> Outcome {
            let place = source.map { s -> (SourceFile, SourceSpan) in
                let start = s.text.utf8.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.count
                return (s, SourceSpan(start, s.text.utf8.count))
            }
            console.error(DiagnosticRenderer.render(MisqError(.usage, message, source: place?.0, span: place?.1 ?? .none, suggestion: suggestion), color: color), terminator: "")
            return .failed
        }
        func report(_ error: Error) -> Outcome {
            console.error(DiagnosticRenderer.render(error.misqErrors, color: color), terminator: "")
            return .failed
        }
        if let quote = split.unclosed {
            return fail("a \(quote) is not closed", suggestion: "close the quote: .load \"exports/my file.csv\"")
        }
        switch command {
        case ".quit", ".exit", ".q":
            return .quit
        case ".help", ".h":
            switch HelpText.lookup(args.first) {
            case .success(let text): console.print(text, terminator: "")
            case .failure(let unknown): return fail(unknown.message, suggestion: unknown.suggestion)
            }
        case ".datasets":
            // The datasets that load, then the error of each that does not.
            var errors: [MisqError] = []
            console.print(Describer.datasets(session, errors: &errors), terminator: "")
            if !errors.isEmpty { return report(MisqErrors(errors)) }
        case ".describe":
            guard let name = args.first else { return fail(".describe needs a name", suggestion: ".describe centurion_synthetic, .describe vawg, .describe outcome") }
            do { console.print(try Describer.describe(name, in: session), terminator: "") } catch { return report(error) }
        case ".mode":
            let modes = OutputFormat.allCases.map(\.rawValue) + ["bars"]
            if args.first?.lowercased() == "bars" {
                format = .table; bars = true
                if color { console.print("output: table, with a bar column on grouped results (of the first value column, when there are several)") }
                return .done
            }
            guard let f = args.first.flatMap({ OutputFormat(rawValue: $0.lowercased()) }) else {
                return fail(".mode takes one of: " + modes.joined(separator: ", "),
                            suggestion: args.first.flatMap { Suggestions.didYouMean($0, modes) })
            }
            format = f; bars = false
            if color { console.print("output: \(f.rawValue)") }
        case ".output", ".once":
            let once = command == ".once"
            if let e = closeOutput() { return report(e) }
            guard let path = args.first, !(args.count == 1 && path == "stdout" && !once) else {
                if once { return fail(".once needs a file", suggestion: ".once answer.csv") }
                if color { console.print("output: here") }
                return .done
            }
            if args.count > 1 { return fail("\(command) takes one file; a path with a space goes in quotes", suggestion: "\(command) \"my answers.csv\"") }
            do { output = try ResultFile(path: path, once: once) } catch { return report(error) }
            if color { console.print(once ? "output: the next statement's results go to \(path)" : "output: results go to \(path) until .output") }
        case ".timer":
            guard let v = args.first?.lowercased(), v == "on" || v == "off" else { return fail(".timer takes on or off") }
            timer = v == "on"
        case ".run":
            guard let path = args.first else { return fail(".run needs a file", suggestion: ".run queries/01.FOI.23.030744.misq") }
            do {
                let script = try SourceFile.read(script: path)
                let saved = session.baseDirectory
                session.baseDirectory = PathText.folder(of: path)
                defer { session.baseDirectory = saved }
                Repl.executing = true
                defer { Repl.executing = false; Cancellation.reset() }
                let code = redirected { c in
                    ScriptOutput.run(script, session: session, format: format, console: c, maxRows: output == nil ? maxRows() : nil, color: color, bars: bars)
                }
                if code == 2 { return .failed }
            } catch { return report(error) }
        case ".load":
            guard let path = args.first else { return fail(".load needs a CSV file", suggestion: ".load exports/cases.csv as cases") }
            let name = args.count >= 3 && args[1].lowercased() == "as" ? args[2] : Session.datasetName(fromFile: path)
            do {
                // Counting the rows checks them all, so a bad file is not added.
                let rows = try session.loadCSV(path, as: name)
                console.print("loaded \(TerminalText.escape(name)): \(Plural.count(rows, "row"))")
            } catch { return report(error) }
        case ".last":
            guard let r = lastResult else { return fail(color ? "no result yet" : ".last works at the prompt, where long tables are cut; piped output is never cut") }
            if let e = emit(r) { return report(e) }
            if let e = statementDone() { return report(e) }
        default:
            return fail("unknown command \(TerminalText.escape(command))", suggestion: Suggestions.didYouMean(command, Completer.metaCommands) ?? ".help lists the commands")
        }
        return .done
    }

    /// A result, to the `.output` file or the screen (cut to it at the prompt).
    /// An error when the file cannot be written.
    func emit(_ result: QueryResult, maxRows: Int? = nil, maxWidth: Int? = nil) -> Error? {
        var r = result
        if bars { r.withBars = true }
        guard let file = output else {
            console.print(Renderer.render(r, as: format, maxRows: maxRows, maxWidth: maxWidth, rawCells: console.rawCells), terminator: "")
            return nil
        }
        // A file is read whole: never cut to a screen.
        do { try file.write(Renderer.render(r, as: format, rawCells: console.rawCells)) } catch { return error }
        return nil
    }

    /// Runs a script's statements with their output going where `.output`
    /// sends it: collected, then written to the file (errors stay on the
    /// screen). The exit code, 2 if the file could not be written.
    func redirected(_ run: (Console) -> Int32) -> Int32 {
        guard let file = output else { return run(console) }
        let collected = Console(collect: true)
        collected.rawCells = console.rawCells
        var code = run(collected)
        if !collected.err.isEmpty { console.error(collected.err, terminator: "") }
        do { if !collected.out.isEmpty { try file.write(collected.out) } } catch { console.report(error, color: color); code = 2 }
        if let e = statementDone() { console.report(e, color: color); code = 2 }
        return code
    }

    /// After a statement: `.once` is spent; at the prompt a line says where
    /// its results went (they are not on the screen).
    func statementDone() -> Error? {
        guard let file = output else { return nil }
        if color, file.sinceStatement > 0 { console.error("note: \(Plural.count(file.sinceStatement, "result")) written to \(file.path)") }
        file.sinceStatement = 0
        if file.once { return closeOutput() }
        return nil
    }

    /// Ends `.output` / `.once`; the error of a deferred write.
    func closeOutput() -> Error? {
        guard let file = output else { return nil }
        output = nil
        do { try file.close() } catch { return error }
        return nil
    }
}
