import Foundation
import MisqKit

/// `misq` with no `-e`: statements from standard input. Piped input runs as
/// one script with no prompts or colours (exit codes as for `misq run`); a
/// terminal gets the REPL.
enum Interactive {
    static func run(session: Session, format: OutputFormat, console: Console) -> Int32 {
        if isatty(STDIN_FILENO) == 0 {
            var text = ""
            while let line = readLine(strippingNewline: false) { text += line }
            return ScriptOutput.run(SourceFile(name: "<stdin>", text: text), session: session, format: format, console: console)
        }
        return Repl(session: session, format: format, console: console).loop()
    }
}

/// The read-eval-print loop. An error never ends it; Ctrl-C abandons the
/// line or interrupts the query; Ctrl-D leaves, saving history.
final class Repl {
    let session: Session
    var format: OutputFormat
    let console: Console
    var timer = false
    var lastResult: QueryResult?
    let editor: LineEditor
    let progress = Progress()
    static let prompt = "misq> ", continuation = "...> "

    nonisolated(unsafe) static var current: Repl?
    /// True while a statement runs, so Ctrl-C interrupts it instead of the line.
    nonisolated(unsafe) static var executing = false

    init(session: Session, format: OutputFormat, console: Console) {
        self.session = session
        self.format = format
        self.console = console
        let path = ProcessInfo.processInfo.environment["MISQ_HISTORY"]
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".misq_history")
        editor = LineEditor(completer: Completer(session: session), historyPath: path)
        Repl.current = self
        signal(SIGINT, onInterrupt)
    }

    func loop() -> Int32 {
        banner()
        var buffer = ""
        while true {
            guard let line = editor.read(prompt: buffer.isEmpty ? Repl.prompt : Repl.continuation) else {
                if !buffer.isEmpty { run(buffer) }
                console.print("")
                break
            }
            if editor.abandoned { buffer = ""; editor.abandoned = false }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if buffer.isEmpty && trimmed.hasPrefix(".") {
                editor.remember(trimmed)
                if !meta(trimmed) { break }
                continue
            }
            if buffer.isEmpty && trimmed.isEmpty { continue }
            if !trimmed.isEmpty { buffer += line + "\n" }
            if !trimmed.isEmpty && Lexer.needsMore(buffer) { continue }
            editor.remember(buffer)
            run(buffer)
            buffer = ""
        }
        editor.save()
        return 0
    }

    func banner() {
        let names = session.datasets.map { $0.name + ($0.provenance.synthetic ? " [SYNTHETIC]" : "") }
        console.print("misq — \(names.isEmpty ? "no datasets loaded (.load FILE)" : "datasets: " + names.joined(separator: ", "))")
        console.print(".help for help, Tab completes, .quit or Ctrl-D leaves")
    }

    var width: Int? { Terminal.size()?.columns }
    /// Rows for a table: the screen less its frame, footer, notes and prompt.
    var height: Int { max(8, (Terminal.size()?.rows ?? 40) - 16) }

    func run(_ text: String) {
        let started = Date()
        Repl.executing = true
        Cancellation.reset()
        progress.start()
        defer { progress.stop(); Repl.executing = false; Cancellation.reset() }
        var first = true
        do {
            try ScriptRunner(session: session).run(SourceFile(name: "<prompt>", text: text), mode: .run) { event in
                progress.clear()
                switch event {
                case .result(let r, _, _, _):
                    if !first { console.print("") }
                    first = false
                    lastResult = r
                    console.print(Renderer.render(r, as: format, maxRows: height, maxWidth: width), terminator: "")
                case .value(let v, let statement):
                    console.print(statement + " = " + v.text)
                case .assertion(let a):
                    console.print(AssertionReport.line(a))
                case .declared(let name):
                    if let v = session.scalars[name.lowercased()] { console.print("\(name) = \(v.text)") }
                }
            }
        } catch {
            progress.clear()
            console.error(DiagnosticRenderer.render(error.misqErrors, color: true), terminator: "")
        }
        if timer { console.print(String(format: "time: %.3f s", Date().timeIntervalSince(started))) }
    }

    /// A meta command; false means leave.
    func meta(_ line: String) -> Bool {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let command = parts[0].lowercased(), args = Array(parts.dropFirst())
        func fail(_ message: String, suggestion: String? = nil) {
            console.error(DiagnosticRenderer.render(MisqError(.usage, message, suggestion: suggestion), color: true), terminator: "")
        }
        switch command {
        case ".quit", ".exit", ".q":
            return false
        case ".help", ".h":
            console.print(HelpText.render(args.first), terminator: "")
        case ".datasets":
            do { console.print(try Describer.datasets(session), terminator: "") } catch { console.error(DiagnosticRenderer.render(error.misqErrors, color: true), terminator: "") }
        case ".describe":
            guard let name = args.first else { fail(".describe needs a name", suggestion: ".describe centurion_synthetic, .describe vawg, .describe outcome"); break }
            do { console.print(try Describer.describe(name, in: session), terminator: "") } catch { console.error(DiagnosticRenderer.render(error.misqErrors, color: true), terminator: "") }
        case ".mode":
            guard let f = args.first.flatMap({ OutputFormat(rawValue: $0.lowercased()) }) else {
                fail(".mode takes one of: " + OutputFormat.allCases.map(\.rawValue).joined(separator: ", "),
                     suggestion: args.first.flatMap { Suggestions.didYouMean($0, OutputFormat.allCases.map(\.rawValue)) })
                break
            }
            format = f
            console.print("output: \(f.rawValue)")
        case ".timer":
            guard let v = args.first?.lowercased(), v == "on" || v == "off" else { fail(".timer takes on or off"); break }
            timer = v == "on"
        case ".run":
            guard let path = args.first else { fail(".run needs a file", suggestion: ".run queries/01.FOI.23.030744.misq"); break }
            do {
                let text = String(decoding: try CSVFile.read(path), as: UTF8.self)
                let saved = session.baseDirectory
                session.baseDirectory = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
                defer { session.baseDirectory = saved }
                Repl.executing = true
                defer { Repl.executing = false; Cancellation.reset() }
                _ = ScriptOutput.run(SourceFile(name: path, text: text), session: session, format: format, console: console, maxRows: height, color: true)
            } catch { console.error(DiagnosticRenderer.render(error.misqErrors, color: true), terminator: "") }
        case ".load":
            guard let path = args.first else { fail(".load needs a CSV file", suggestion: ".load exports/cases.csv as cases"); break }
            let name = args.count >= 3 && args[1].lowercased() == "as" ? args[2] : Session.datasetName(fromFile: path)
            do {
                // Counting the rows checks them all, so a bad file is not added.
                let d = try Dataset.bare(name: name, path: path)
                let rows = try d.rowCount
                try session.add(d)
                console.print("loaded \(name): \(NumberFormat.grouped(Double(rows), decimals: 0)) rows")
            } catch { console.error(DiagnosticRenderer.render(error.misqErrors, color: true), terminator: "") }
        case ".last":
            guard let r = lastResult else { fail("no result yet"); break }
            console.print(Renderer.render(r, as: format), terminator: "")
        default:
            fail("unknown command \(command)", suggestion: Suggestions.didYouMean(command, Completer.metaCommands) ?? ".help lists the commands")
        }
        return true
    }
}

/// Ctrl-C: interrupt a running statement, else abandon the line being typed.
private func onInterrupt(_ signal: Int32) {
    if Repl.executing {
        Cancellation.request()
        return
    }
    Repl.current?.editor.abandonLine(prompt: Repl.prompt)
}
