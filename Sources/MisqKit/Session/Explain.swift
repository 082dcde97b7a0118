/// `misq explain`: each query's logical plan, as text. Declarations in the
/// text (`define`, `let`, `param`, `unit`, `load`) take effect, so a query
/// can be explained with the definitions it uses; nothing else runs. Text
/// with declarations only explains nothing (the empty string).
public enum Explain {
    public static func text(_ source: SourceFile, session: Session) throws -> String {
        let program = try session.parse(source)
        var out: [String] = []
        for stmt in program.statements {
            let checker = Checker(session: session, source: source)
            var queries: [Query] = []
            switch stmt.kind {
            case .query(let q): queries = [q]
            case .expression(let e): queries = Explain.queries(in: e)
            case .assertion(let a):
                queries = Explain.queries(in: a.actual)
                if case .scalar(let e) = a.expected { queries += Explain.queries(in: e) }
            case .letBinding(let n, .grouped(let q)):
                // The grouped result's own plan, then it is made so that
                // the queries after it can be explained against it.
                let plan = try checker.plan(q)
                out.append("plan of: let \(TerminalText.escape(n.text)) = " + TerminalText.escape(source.text(q.span)))
                out += PlanText.lines(plan).map { "  " + $0 }
                out.append("  keep     as dataset \(Identifier.source(n.text)): one row per group, columns "
                           + (plan.keys.map(\.name) + [GroupedDataset.measureColumn(plan)]).map(Identifier.source).joined(separator: ", "))
                try ScriptRunner(session: session).run(Program(source: source, statements: [stmt], comments: []), mode: .run)
            case .letBinding(_, .scalar(let e)):
                queries = Explain.queries(in: e)
                try ScriptRunner(session: session).run(Program(source: source, statements: [stmt], comments: []), mode: .run)
            default:
                try ScriptRunner(session: session).run(Program(source: source, statements: [stmt], comments: []), mode: .run)
            }
            for q in queries {
                let plan = try checker.plan(q)
                out.append("plan of: " + TerminalText.escape(source.text(q.span)))
                out += PlanText.lines(plan).map { "  " + $0 }
            }
        }
        return out.isEmpty ? "" : out.joined(separator: "\n") + "\n"
    }

    static func queries(in e: Expr) -> [Query] {
        switch e {
        case .query(let q): return [q]
        case .percentOf(let a, let b, _), .binary(_, let a, let b): return queries(in: a) + queries(in: b)
        case .negate(let a, _): return queries(in: a)
        case .number, .date, .name: return []
        }
    }
}
