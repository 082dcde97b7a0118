import Foundation

/// Runs a program's statements in order against a session, reporting each
/// result or assertion as it comes.
public struct ScriptRunner {
    public enum Mode {
        /// `misq run`, `-e`, the REPL: every query's result is reported.
        case run
        /// `misq test`: queries are checked but not run; assertions are.
        case test
        /// Definitions files: declarations only (`define`, `unit`,
        /// `param`, and `let` of a subset); any other statement is an error
        /// there, since it would run, or be skipped, on every command.
        case declarations
        /// A dry pass before a run prints anything: every statement is
        /// bound against the datasets (queries planned, also those inside
        /// scalars and assertions), nothing is run.
        case check
    }

    public enum Event {
        /// A query's result, or a scalar statement's (`percent(a, b)`),
        /// headed by the statement and with the footers of its queries.
        case result(QueryResult, note: String?, statement: String, location: SourceLocation)
        case assertion(AssertionOutcome)
        case declared(String)
    }

    public let session: Session
    public init(session: Session) { self.session = session }

    /// Parses and runs a whole source. Parse errors stop it before anything
    /// runs; a run-time error stops it at that statement.
    @discardableResult
    public func run(_ source: SourceFile, mode: Mode, onEvent: (Event) -> Void = { _ in }) throws -> [Event] {
        let program: Program
        program = try session.parse(source)
        return try run(program, mode: mode, onEvent: onEvent)
    }

    @discardableResult
    public func run(_ program: Program, mode: Mode, onEvent: (Event) -> Void = { _ in }) throws -> [Event] {
        var events: [Event] = []
        let source = program.source
        let questions = ScriptRunner.questionNotes(program)
        for (index, stmt) in program.statements.enumerated() {
            let checker = Checker(session: session, source: source)
            if mode == .declarations, let what = ScriptRunner.notDeclaration(stmt.kind) {
                throw MisqError(.syntax, "a definitions file holds only declarations, and this is \(what)", source: source, span: stmt.span,
                                expected: "define, unit, param, or let NAME = UNIT where …",
                                suggestion: "move it to a script in queries/")
            }
            switch stmt.kind {
            case .query(let q):
                do {
                    let plan = try checker.plan(q)
                    if mode == .run {
                        // A table printed here is published: later tables
                        // over the same records are protected with it.
                        session.publishing = ScriptRunner.publicationLabel(source, stmt.span)
                        defer { session.publishing = nil }
                        let r = try session.run(plan)
                        let e = Event.result(r, note: questions[index], statement: source.text(stmt.span), location: source.location(stmt.span))
                        events.append(e); onEvent(e)
                    }
                } catch var error as MisqError where error.source == nil && (error.kind == .data || error.kind == .io || session.engine != nil) {
                    // A file's fault with no place in it (it changed while
                    // read, it could not be opened): shown at the query.
                    error.source = source; error.span = stmt.span
                    throw error
                }
            case .letBinding(let name, let value):
                try checkFree(name, source)
                switch value {
                case .scalar(let expr):
                    if mode == .check {
                        try plan(queriesIn: expr, checker)
                        // Known by name to what follows (a table's `sum a * k / sum b by …`
                        // is checked with it), its value left to the run.
                        session.scalars[name.text.lowercased()] = ScalarValue(.nan)
                        break
                    }
                    try session.makeScalar(name, expr, source: source)
                case .grouped(let q):
                    // Run in every mode: the queries after it are checked
                    // against its columns, and assertions read its rows.
                    try session.makeGrouped(name, q, source: source)
                case .subset(let subset):
                    let binding = SubsetBinding(subset: subset, source: source)
                    // Resolve now so a mistake is reported where the let is.
                    let target = try checker.subsetTarget(binding, depth: 0)
                    var periods: [ResolvedPeriod] = []
                    for (c, src) in target.filters {
                        let checker = Checker(session: session, source: src)
                        try checker.checkExpandedSize(c, span: c.span)
                        _ = try checker.bind(c, checker.derivedView(target.dataset), periods: &periods, depth: 0)
                    }
                    session.subsets[name.text.lowercased()] = binding
                }
                let e = Event.declared(name.text); events.append(e); onEvent(e)
            case .define(let name, let condition, let text):
                session.defines[name.text.lowercased()] = Definition(name: name.text, condition: condition, text: text, note: stmt.note,
                                                                     source: source, span: stmt.span)
                session.derivations[name.text.lowercased()] = nil
                let e = Event.declared(name.text); events.append(e); onEvent(e)
            case .derive(let name, let expr, let text):
                try checker.checkDerivation(name, expr)
                session.derivations[name.text.lowercased()] = Derivation(name: name.text, expr: expr, text: text, note: stmt.note,
                                                                         source: source, span: stmt.span)
                session.defines[name.text.lowercased()] = nil
                let e = Event.declared(name.text); events.append(e); onEvent(e)
            case .param(let name, let value):
                var binding = ParamBinding(value: value, source: source, span: stmt.span, overridden: false)
                if let override = session.paramOverrides[name.text.lowercased()] {
                    let src = SourceFile(name: "--param \(name.text)", text: override)
                    binding = ParamBinding(value: try Parser.parseParamValue(src), source: src, span: SourceSpan(0, src.bytes.count), overridden: true)
                }
                session.params[name.text.lowercased()] = binding
                let e = Event.declared(name.text); events.append(e); onEvent(e)
            case .load(let path, let pathSpan, let name, let period, let table):
                let full = path.hasPrefix("/") ? path : (session.baseDirectory as NSString).appendingPathComponent(path)
                let loaded: Dataset
                do {
                    let sheet = table.isEmpty ? nil : try SheetSelection(sheet: table.sheet, headerRow: table.headerRow, range: table.range)
                    loaded = try Dataset.bare(name: name.text, path: full, periodColumn: period?.text, sheet: sheet)
                }
                catch let error as MisqError where error.source == nil {
                    // An unknown or non-date period column points at its name, a
                    // bad sheet, row or range at those words, anything else at the file.
                    var located = error
                    located.source = source
                    located.span = period.flatMap { p in error.kind == .name || error.kind == .type ? p.span : nil }
                        ?? table.span.flatMap { error.kind == .value || (error.kind == .name && table.sheet != nil) ? $0 : nil } ?? pathSpan
                    throw located
                }
                do { try session.add(loaded, replacingSelection: true) }
                catch var error as MisqError where error.source == nil {
                    // A name another file's dataset has: pointed at the name.
                    error.source = source; error.span = name.span
                    throw error
                }
                let e = Event.declared(name.text); events.append(e); onEvent(e)
            case .unit(let name, let distinct, let from):
                let target = try from.map { try checker.resolveFrom($0) } ?? checker.resolveSource(nil, for: name)
                let ds = target.dataset
                if ds.isPublishedTable {
                    throw MisqError(.name, "'\(ds.name)' is a published table: its units are the values of its measure column", source: source, span: name.span)
                }
                var definition = UnitDefinition.rows
                if let col = distinct { definition = .distinct(ds.columnNames[try checker.columnIndex(col, in: ds)]) }
                session.declaredUnits[ds.name.lowercased(), default: [:]][name.text] = definition
                let e = Event.declared(name.text); events.append(e); onEvent(e)
            case .expression(let expr):
                if mode == .check { try plan(queriesIn: expr, checker) }
                if mode != .run { continue }
                let v = try Evaluator(session: session, source: source).evaluate(expr)
                let text = source.text(stmt.span)
                let r = QueryResult(body: .scalar(v.value), valueName: text, valueIsInteger: !v.isPercent && v.value.rounded() == v.value,
                                    footer: Footer(parts: v.provenance), valueIsPercent: v.isPercent, valueIsDate: v.isDate)
                let e = Event.result(r, note: questions[index], statement: text, location: source.location(stmt.span)); events.append(e); onEvent(e)
            case .assertion(let a):
                if mode == .check {
                    try plan(queriesIn: a.actual, checker)
                    if case .scalar(let e) = a.expected { try plan(queriesIn: e, checker) }
                }
                if mode == .declarations || mode == .check { continue }
                let outcome = try check(a, statement: stmt, source: source)
                let e = Event.assertion(outcome); events.append(e); onEvent(e)
            }
        }
        return events
    }

    /// How a footer names a table published earlier: `x.misq:18 (count … by year)`.
    static func publicationLabel(_ source: SourceFile, _ span: SourceSpan) -> String {
        let text = source.text(span).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        let short = text.count > 70 ? String(text.prefix(69)) + "…" : text
        return "\((source.name as NSString).lastPathComponent):\(source.location(span).line) (\(short))"
    }

    /// The `.check` pass over an expression: each query in it planned.
    func plan(queriesIn e: Expr, _ checker: Checker) throws {
        switch e {
        case .query(let q): _ = try checker.plan(q)
        case .number, .date, .name: break
        case .percentOf(let a, let b, _), .binary(_, let a, let b):
            try plan(queriesIn: a, checker)
            try plan(queriesIn: b, checker)
        case .negate(let a, _): try plan(queriesIn: a, checker)
        }
    }

    /// What a statement is, when it is not a declaration.
    static func notDeclaration(_ kind: Statement.Kind) -> String? {
        switch kind {
        case .query: return "a query"
        case .assertion: return "an assertion"
        case .expression: return "an expression"
        case .load: return "a load (datasets come from the data package)"
        case .letBinding(_, .scalar): return "a let of a figure (a query)"
        case .letBinding(_, .grouped): return "a let of a grouped query (its groups are a dataset)"
        case .letBinding, .define, .derive, .param, .unit: return nil
        }
    }

    /// A let must not hide a unit, dataset or column-free name already in use.
    func checkFree(_ name: Name, _ source: SourceFile) throws {
        let key = name.text.lowercased()
        // A grouped let made again (a script run twice at the prompt) replaces its dataset.
        if let d = session.dataset(named: key), d.path == "let \(d.name)" { return }
        if session.dataset(named: key) != nil || session.unitNames.contains(where: { $0.lowercased() == key }) {
            throw MisqError(.name, "'\(name.text)' already names a dataset or unit", source: source, span: name.span,
                            suggestion: "choose another name, e.g. \(name.text)_subset")
        }
    }
}

extension Parser {
    /// A `--param` value on its own: `2023-05..2024-05`, `met`, `12`.
    public static func parseParamValue(_ source: SourceFile) throws -> ParamValue {
        let (tokens, _) = try Lexer.tokenize(source)
        var end = 0
        while end < tokens.count, tokens[end].kind != .end, tokens[end].kind != .eof { end += 1 }
        var p = Parser(source: source, tokens: tokens, pos: 0, limit: end)
        let v = try p.paramValue()
        if !p.atEnd { throw p.unexpected("end of the param value") }
        return v
    }
}

extension Session {
    /// Parses with what the session knows: a syntax error at the second word of a column name with a space
    /// of a column name with a space (`by Subject Ref`) suggests the column
    /// in backticks, not the keyword the second word is nearest to.
    public func parse(_ source: SourceFile) throws -> Program {
        do { return try Parser.parse(source) } catch { throw suggestingSpacedNames(error) }
    }

    func suggestingSpacedNames(_ error: Error) -> Error {
        let errors = error.misqErrors
        guard errors.contains(where: { !$0.spacedNames.isEmpty }) else { return error }
        let columns = datasets.flatMap(\.columnNames)
        let fixed = errors.map { e -> MisqError in
            var e = e
            for name in e.spacedNames {
                let norm = Suggestions.normalize(name)
                guard !norm.isEmpty, let column = columns.first(where: { $0 == name }) ?? columns.first(where: { Suggestions.normalize($0) == norm })
                else { continue }
                e.suggestion = "did you mean \(Identifier.source(column))? a name with a space is written in backticks"
                break
            }
            return e
        }
        return errors.count == 1 && error is MisqError ? fixed[0] : MisqErrors(fixed)
    }
}

extension ScriptRunner {
    /// The question comment heading each statement's answer. A comment
    /// block above a declaration (`-- Q2. …`, `let n = …`, then `n / 2`)
    /// heads the next answer when no blank line and no other comment or
    /// assertion stands between: the declarations are the question's
    /// working, and the answer is what it asked.
    static func questionNotes(_ program: Program) -> [String?] {
        let source = program.source
        var carried: (note: String, lastLine: Int)?
        return program.statements.map { stmt in
            let first = source.line(of: stmt.span.start), last = source.line(of: max(stmt.span.start, stmt.span.end - 1))
            if let c = carried, !(c.lastLine + 1 ..< first).allSatisfy({ !source.lineText($0).trimming(.spacesAndTabs).isEmpty }) {
                carried = nil
            }
            switch stmt.kind {
            case .query, .expression:
                defer { carried = nil }
                return stmt.note ?? carried?.note
            case .letBinding, .define, .derive, .param, .load, .unit:
                let commentAbove = first > 1 && source.lineText(first - 1).trimming(.spacesAndTabs).hasPrefix("--")
                if commentAbove, let note = stmt.note { carried = (note, last) } else { carried?.lastLine = last }
                return stmt.note
            case .assertion:
                carried = nil
                return stmt.note
            }
        }
    }
}
