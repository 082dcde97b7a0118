import MisqKit

/// Runs one source in run mode and prints each result as it comes.
enum ScriptOutput {
    static func run(_ source: SourceFile, session: Session, format: OutputFormat, console: Console, maxRows: Int? = nil, color: Bool = false) -> Int32 {
        do {
            return run(try Parser.parse(source), session: session, format: format, console: console, maxRows: maxRows, color: color)
        } catch {
            console.report(error, color: color)
            return 2
        }
    }

    static func run(_ program: Program, session: Session, format: OutputFormat, console: Console, maxRows: Int? = nil, color: Bool = false) -> Int32 {
        var code: Int32 = 0
        var first = true
        do {
            try ScriptRunner(session: session).run(program, mode: .run) { event in
                switch event {
                case .result(let r, let note, _, _):
                    if !first, format == .table || format == .markdown { console.print("") }
                    first = false
                    if let n = note, format == .table || format == .markdown { console.print(format == .markdown ? "**\(n)**\n" : "-- \(n)") }
                    console.print(Renderer.render(r, as: format, maxRows: maxRows), terminator: "")
                case .assertion(let a):
                    if !a.passed { code = 1 }
                    console.print(AssertionReport.line(a))
                case .value(let v, let statement):
                    if !first, format == .table || format == .markdown { console.print("") }
                    first = false
                    let cell = Grid.Cell(v.isPercent ? NumberFormat.fixed(v.value, decimals: 1) + "%" : NumberFormat.grouped(v.value, decimals: v.value.rounded() == v.value ? 0 : 2),
                                         number: v.value, isPercent: v.isPercent)
                    console.print(Renderer.render(Grid(header: [statement], rows: [[cell]], footer: []), as: format), terminator: "")
                case .declared:
                    break
                }
            }
        } catch {
            console.report(error, color: color)
            return 2
        }
        return code
    }
}

enum AssertionReport {
    static func line(_ a: AssertionOutcome) -> String {
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
