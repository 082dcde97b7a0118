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
            guard let f = args.first.flatMap({ OutputFormat(rawValue: $0.lowercased()) }) else {
                return fail(".mode takes one of: " + OutputFormat.allCases.map(\.rawValue).joined(separator: ", "),
                            suggestion: args.first.flatMap { Suggestions.didYouMean($0, OutputFormat.allCases.map(\.rawValue)) })
            }
            format = f
            if color { console.print("output: \(f.rawValue)") }
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
                let code = ScriptOutput.run(script, session: session, format: format, console: console, maxRows: maxRows(), color: color)
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
            console.print(Renderer.render(r, as: format, rawCells: console.rawCells), terminator: "")
        default:
            return fail("unknown command \(TerminalText.escape(command))", suggestion: Suggestions.didYouMean(command, Completer.metaCommands) ?? ".help lists the commands")
        }
        return .done
    }
}
