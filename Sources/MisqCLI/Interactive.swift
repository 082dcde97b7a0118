import Foundation
import MisqKit

/// `misq` with no `-e`: statements from standard input. Piped input runs as
/// a script with no prompts or colours (exit codes as for `misq run`), its
/// dot-commands too; a terminal gets the REPL.
enum Interactive {
    static func run(session: Session, format: OutputFormat, console: Console) -> Int32 {
        if isatty(STDIN_FILENO) == 0 {
            // Read as a script file is, to a limit: `misq < /dev/zero` is an
            // error, not all the memory there is.
            let text: String
            do { text = try SourceFile.readStandardInput().text } catch { console.report(error); return 2 }
            return piped(text, session: session, format: format, console: console)
        }
        return Repl(session: session, format: format, console: console).loop()
    }

    /// Piped statements, with the prompt's dot-commands on lines of their
    /// own. Every statement is parsed before anything runs, as in `misq
    /// run`; an error (a dot-command's too) stops the run with exit 2.
    static func piped(_ text: String, session: Session, format: OutputFormat, console: Console) -> Int32 {
        enum Piece { case statements(SourceFile), command(SourceFile) }
        var pieces: [Piece] = []
        var pending = "", pendingLine = 0, line = 0
        func flush() {
            if !pending.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                pieces.append(.statements(SourceFile(name: "<stdin>", text: pending, lineOffset: pendingLine)))
            }
            pending = ""
        }
        for l in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if MetaCommands.isCommand(l), !Lexer.needsMore(pending) {
                flush()
                pieces.append(.command(SourceFile(name: "<stdin>", text: l, lineOffset: line)))
            } else {
                if pending.isEmpty { pendingLine = line }
                pending += l + "\n"
            }
            line += 1
        }
        flush()
        // Only dot-commands need pieces; without them this is one script as before.
        if pieces.count == 1, case .statements = pieces[0] { return ScriptOutput.run(SourceFile(name: "<stdin>", text: text), session: session, format: format, console: console) }
        var programs: [Program?] = []
        for p in pieces {
            guard case .statements(let source) = p else { programs.append(nil); continue }
            do { programs.append(try session.parse(source)) } catch { console.report(error); return 2 }
        }
        let meta = MetaCommands(session: session, console: console, format: format, color: false)
        var code: Int32 = 0
        for (p, program) in zip(pieces, programs) {
            if let program = program {
                code = max(code, meta.redirected { c in ScriptOutput.run(program, session: session, format: meta.format, console: c, bars: meta.bars) })
                if code == 2 { return 2 }
            } else if case .command(let c) = p {
                switch meta.run(c.text, source: c) {
                case .done: break
                case .failed: return 2
                case .quit: return meta.closeOutput().map { console.report($0); return 2 } ?? code
                }
            }
        }
        if let e = meta.closeOutput() { console.report(e); return 2 }
        return code
    }
}

/// The read-eval-print loop. An error never ends it; Ctrl-C abandons the
/// line or interrupts the query; Ctrl-D leaves, saving history.
final class Repl {
    let session: Session
    let console: Console
    let editor: LineEditor
    let progress = Progress()
    static let prompt = "misq> ", continuation = "...> "
    /// The dot-commands, and the mode, timer and last result they set.
    let meta: MetaCommands

    nonisolated(unsafe) static var current: Repl?
    /// True while a statement runs, so Ctrl-C interrupts it instead of the line.
    nonisolated(unsafe) static var executing = false

    init(session: Session, format: OutputFormat, console: Console) {
        self.session = session
        self.console = console
        session.describeCommand = ".describe"
        editor = LineEditor(completer: Completer(session: session), historyPath: HistoryFile.defaultPath())
        editor.onSaveFailure = { [console] in console.error($0) }
        if let off = editor.historyOff { console.error("note: " + off) }
        meta = MetaCommands(session: session, console: console, format: format, color: true, maxRows: { Repl.screenRows })
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
                reloadChanged()
                if meta.run(trimmed) == .quit { break }
                continue
            }
            if buffer.isEmpty && trimmed.isEmpty { continue }
            if !trimmed.isEmpty { buffer += line + "\n" }
            if !trimmed.isEmpty && Lexer.needsMore(buffer) { continue }
            editor.remember(buffer)
            reloadChanged()
            run(buffer)
            buffer = ""
        }
        return 0
    }

    /// A dataset whose file changed since it was read is read again before
    /// the next statement, with a note; one that cannot be is refused,
    /// with its error, rather than answered from two versions of the file.
    func reloadChanged() {
        let (notes, errors) = session.reloadChangedDatasets()
        for n in notes { console.error("note: " + n) }
        if !errors.isEmpty { console.error(DiagnosticRenderer.render(errors, color: true), terminator: "") }
    }

    func banner() {
        let names = session.datasetNames.map { TerminalText.escape($0.name) + ($0.synthetic ? " [SYNTHETIC]" : "") }
        console.print("misq — \(names.isEmpty ? "no datasets loaded (.load FILE)" : "datasets: " + names.joined(separator: ", "))")
        console.print(".help for help, Tab completes, .quit or Ctrl-D leaves")
    }

    var width: Int? { Terminal.size()?.columns }
    /// Rows for a table: the screen less its frame, footer, notes and prompt.
    var height: Int { Repl.screenRows }
    static var screenRows: Int { max(8, (Terminal.size()?.rows ?? 40) - 16) }

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
                    meta.lastResult = r
                    // A failed write is shown once; the statement's other results still try.
                    if let e = meta.emit(r, maxRows: height, maxWidth: width) { console.error(DiagnosticRenderer.render(e.misqErrors, color: true), terminator: "") }
                case .assertion(let a):
                    console.print(AssertionReport.line(a))
                case .declared(let name):
                    if let v = session.scalars[name.lowercased()] { console.print("\(name) = \(v.text)") }
                    // What loading left out (a sheet's rows below a blank
                    // row) is said as the file is loaded, not only in footers.
                    else if let d = session.dataset(named: name), !d.provenance.notes.isEmpty {
                        for n in d.provenance.notes { console.print("note: " + TerminalText.escape(n)) }
                    }
                }
            }
        } catch {
            progress.clear()
            console.error(DiagnosticRenderer.render(error.misqErrors, color: true), terminator: "")
        }
        if let e = meta.statementDone() { console.error(DiagnosticRenderer.render(e.misqErrors, color: true), terminator: "") }
        if meta.timer { console.print(String(format: "time: %.3f s", Date().timeIntervalSince(started))) }
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
