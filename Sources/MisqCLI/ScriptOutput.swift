import Foundation
import MisqKit

/// A parsed script, the session it runs in, and the file it came from
/// (`misq run`: for headings, the JSON `file` key and `--out` folders).
struct Script {
    var program: Program
    var session: Session
    var file: String?
}

/// Runs scripts in run mode and hands each answer to an `AnswerSink` as it
/// comes.
enum ScriptOutput {
    static func run(_ source: SourceFile, session: Session, format: OutputFormat, console: Console, maxRows: Int? = nil, color: Bool = false,
                    bars: Bool = false) -> Int32 {
        do {
            return run(try session.parse(source), session: session, format: format, console: console, maxRows: maxRows, color: color, bars: bars)
        } catch {
            console.report(error, color: color)
            return 2
        }
    }

    static func run(_ program: Program, session: Session, format: OutputFormat, console: Console, maxRows: Int? = nil, color: Bool = false,
                    bars: Bool = false) -> Int32 {
        run([Script(program: program, session: session)], to: AnswerSink(format: format, console: console, maxRows: maxRows), console: console, color: color,
            bars: bars)
    }

    /// Runs the scripts in order, the answers of all of them going to one
    /// sink. Nothing is printed until every script has passed two checks:
    /// each `--param` names a param some script declares, and every
    /// statement binds against the datasets (a dry pass: `ScriptRunner`'s
    /// `.check` mode plans each query, runs none). So a misspelt value in a
    /// `--param`, or a name the last question gets wrong, stops the run
    /// before its first answer rather than after half of them.
    /// `bars`: `.mode bars`, a bar column on every grouped result.
    static func run(_ scripts: [Script], to sink: AnswerSink, console: Console, color: Bool = false, bars: Bool = false) -> Int32 {
        do {
            try checkOverrides(scripts.map(\.program), scripts.first?.session.paramOverrides ?? [:],
                               declaredIn: scripts.contains { $0.file != nil } ? "script" : "statement")
            try dryRun(scripts)
        } catch {
            console.report(error, color: color)
            return 2
        }
        sink.start()
        defer { sink.finish() }
        var code: Int32 = 0
        for (i, script) in scripts.enumerated() {
            sink.startScript(script, index: i, of: scripts.count)
            do {
                try ScriptRunner(session: script.session).run(script.program, mode: .run) { event in
                    switch event {
                    case .result(var r, let note, let statement, _):
                        if bars { r.withBars = true }
                        sink.answer(r, question: note, statement: statement)
                    case .assertion(let a):
                        if !a.passed { code = 1 }
                        sink.assertion(a)
                    case .declared:
                        break
                    }
                }
            } catch {
                console.report(error, color: color)
                return 2
            }
            if let failure = sink.failure {
                console.report(failure, color: color)
                return 2
            }
        }
        return code
    }

    /// Every `--param` must name a param that one of the scripts declares.
    static func checkOverrides(_ programs: [Program], _ overrides: [String: String], declaredIn what: String = "script") throws {
        if overrides.isEmpty { return }
        let declared = Set(programs.flatMap { p in p.statements.compactMap { st -> String? in
            if case .param(let n, _) = st.kind { return n.text.lowercased() } else { return nil }
        } })
        for name in overrides.keys.sorted() where !declared.contains(name) {
            throw MisqError(.usage, "--param \(name): no \(what) declares a param '\(name)'",
                            suggestion: Suggestions.didYouMean(name, Array(declared)) ?? (declared.isEmpty ? "the \(what)s declare no params" : "declared: " + declared.sorted().joined(separator: ", ")))
        }
    }

    /// Binds every statement of every script on a copy of its session, so
    /// nothing declared here is seen by the real run. One statement in all
    /// needs no dry pass: it binds just before it runs, with nothing printed
    /// yet (and `misq -e` keeps its single-pass reading of selected rows).
    static func dryRun(_ scripts: [Script]) throws {
        guard scripts.reduce(0, { $0 + $1.program.statements.count }) > 1 else { return }
        var copies: [ObjectIdentifier: Session] = [:]
        for script in scripts {
            let key = ObjectIdentifier(script.session)
            let s = copies[key] ?? script.session.dryRunCopy()
            copies[key] = s
            try ScriptRunner(session: s).run(script.program, mode: .check)
        }
    }
}

extension Session {
    /// For the dry pass: everything declared so far (the prompt's lets and
    /// params too, for `.run FILE`), the datasets shared, not reloaded.
    func dryRunCopy() -> Session {
        let s = fork()
        s.params = params
        s.scalars = scalars
        s.subsets = subsets
        return s
    }
}

enum AssertionReport {
    /// Expected and actual tables quote labels from data: shown, not sent.
    static func line(_ a: AssertionOutcome) -> String { TerminalText.screen(text(a)) }

    static func text(_ a: AssertionOutcome) -> String {
        if a.passed { return "ok   \(a.location.file):\(a.location.line)  \(firstLine(a.statementText))" }
        var out = "FAIL \(a.location.file):\(a.location.line)  \(firstLine(a.statementText))\n"
        out += "  expected:   \(a.expected)\n"
        out += "  actual:     \(a.actual)\n"
        if let d = a.difference { out += "  difference: \(d)\n" }
        for d in a.details { out += "    \(d)\n" }
        if let n = a.note { out += "  source:     \(n)\n" }
        return String(out.dropLast())
    }

    static func firstLine(_ s: String) -> String {
        let l = s.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? s
        return l.count < s.count ? l + " …" : l
    }
}
