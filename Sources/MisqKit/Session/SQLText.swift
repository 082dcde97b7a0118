/// `misq sql`: each query in the statements compiled for a target database
/// (`SQL/SQLCompiler.swift`), from the same logical plan the checker makes
/// for every other run, so names, labels and periods are resolved exactly
/// as misq resolves them. Declarations (`define`, `let`, `param`, `unit`,
/// `load`) take effect first, as in `misq explain`. A form the compiler
/// cannot write exactly is an error located at the query.
public enum SQLText {
    public static func text(_ source: SourceFile, session: Session, dialect: SQLDialect) throws -> String {
        try statements(source, session: session, dialect: dialect).joined(separator: "\n")
    }

    /// One SQL query per misq query in the text, in order.
    public static func statements(_ source: SourceFile, session: Session, dialect: SQLDialect) throws -> [String] {
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
            case .letBinding(_, .grouped(let q)):
                // Made here so that later queries check against it; a query
                // reading it is refused by the compiler (it is not a table).
                queries = [q]
                try ScriptRunner(session: session).run(Program(source: source, statements: [stmt], comments: []), mode: .run)
            case .letBinding(_, .scalar(let e)):
                queries = Explain.queries(in: e)
                try ScriptRunner(session: session).run(Program(source: source, statements: [stmt], comments: []), mode: .run)
            default:
                try ScriptRunner(session: session).run(Program(source: source, statements: [stmt], comments: []), mode: .run)
            }
            for q in queries {
                let plan = try checker.plan(q)
                do {
                    out.append(try SQLCompiler.compile(plan, catalog: session, dialect: dialect,
                                                       statement: TerminalText.escape(source.text(q.span))))
                } catch var e as MisqError where e.source == nil {
                    e.source = source
                    e.span = q.span
                    throw e
                }
            }
        }
        return out
    }
}
