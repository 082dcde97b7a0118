import Foundation
/// Tokens → syntax tree. Each statement is parsed on its own slice of tokens
/// (statements end where the lexer put `.end`), so one bad statement is
/// reported and the rest of the file is still parsed.
public struct Parser {
    let source: SourceFile
    var tokens: [Token]
    var pos: Int
    /// Index of this slice's `.end`; peeking past it yields `.end`.
    var limit: Int
    /// Parentheses open right now: bounded so deep input is an error, not a
    /// stack overflow.
    var nesting = 0
    /// Parsing the measures of a statement (`ParseMeasures.swift`): a query
    /// takes its verb and `where` only.
    var inMeasureList = false
    static let maxNesting = 200
    /// Terms in one arithmetic chain, bounded for the same reason.
    static let maxTerms = 10_000
    /// Operators and calls in one statement's row expressions: each is a
    /// level the checker and the printer recurse through.
    var rowOperators = 0
    static let maxRowOperators = 1_000

    init(source: SourceFile, tokens: [Token], pos: Int, limit: Int) {
        self.source = source; self.tokens = tokens; self.pos = pos; self.limit = limit
    }

    mutating func enterNesting(_ open: Token) throws {
        nesting += 1
        if nesting > Parser.maxNesting {
            throw MisqError(.syntax, "parentheses nested more than \(Parser.maxNesting) deep", source: source, span: open.span,
                            expected: "at most \(Parser.maxNesting) levels", suggestion: "name parts with define or let")
        }
    }

    public static func parse(_ source: SourceFile) throws -> Program {
        let (tokens, comments) = try Lexer.tokenize(source)
        var statements: [Statement] = []
        var errors: [MisqError] = []
        var start = 0
        while start < tokens.count, tokens[start].kind != .eof, errors.count <= Lexer.maxErrors {
            var end = start
            while end < tokens.count, tokens[end].kind != .end, tokens[end].kind != .eof { end += 1 }
            if end > start {
                var p = Parser(source: source, tokens: tokens, pos: start, limit: end)
                do {
                    var stmt = try p.statement()
                    stmt.note = Parser.note(for: stmt, comments: comments, source: source)
                    statements.append(stmt)
                } catch {
                    errors.append(contentsOf: error.misqErrors)
                }
            }
            start = end + 1
        }
        if errors.count > Lexer.maxErrors {
            let at = errors[Lexer.maxErrors].span.start
            errors = Array(errors.prefix(Lexer.maxErrors)) + [Lexer.tooMany(in: source, at: at)]
        }
        if !errors.isEmpty { throw MisqErrors(errors) }
        return Program(source: source, statements: statements, comments: comments)
    }

    // MARK: cursor

    var current: Token { pos < limit ? tokens[pos] : Token(kind: .end, span: endSpan) }
    var endSpan: SourceSpan {
        let at = limit < tokens.count ? tokens[limit].span.start : source.bytes.count
        // Point just after the last token of the statement.
        let last = limit > 0 ? tokens[limit - 1].span.end : at
        return SourceSpan(last, last + 1)
    }
    func peek(_ k: Int) -> Token { pos + k < limit ? tokens[pos + k] : Token(kind: .end, span: endSpan) }
    var atEnd: Bool { pos >= limit }

    mutating func advance() -> Token { let t = current; if pos < limit { pos += 1 }; return t }

    mutating func accept(_ word: String) -> Token? {
        if current.isWord(word) { return advance() }
        return nil
    }
    mutating func acceptSymbol(_ s: String) -> Token? {
        if current.isSymbol(s) { return advance() }
        return nil
    }
    @discardableResult
    mutating func expect(_ word: String, _ what: String? = nil) throws -> Token {
        if let t = accept(word) { return t }
        throw unexpected(what ?? "'\(word)'")
    }
    @discardableResult
    mutating func expectSymbol(_ s: String, _ what: String? = nil) throws -> Token {
        if let t = acceptSymbol(s) { return t }
        throw unexpected(what ?? "'\(s)'")
    }

    /// A name: any word that is not a reserved keyword.
    mutating func name(_ what: String) throws -> Name {
        let t = current
        if let w = t.nameText { pos += 1; return Name(w, t.span) }
        if let w = t.word {
            let hint = what.hasPrefix("a unit")
                ? "name what to count first: count cases \(w.lowercased()) …"
                : "'\(w)' is reserved; to name a column (or anything else) called \(w), write it in backticks: `\(w)`"
            throw MisqError(.syntax, "expected \(what), found the keyword '\(w)'", source: source, span: t.span, expected: what,
                            suggestion: hint)
        }
        throw unexpected(what)
    }

    func unexpected(_ expected: String, suggestion: String? = nil) -> MisqError {
        let t = current
        var s = suggestion
        if s == nil, let w = t.word, !t.isKeyword {
            s = Suggestions.didYouMean(w, Keywords.all).map { $0 }
        }
        var e = MisqError(.syntax, "expected \(expected), found \(Parser.describe(t))", source: source, span: t.span,
                          expected: expected, suggestion: s)
        e.spacedNames = spacedNames()
        return e
    }

    /// The names that the words around the current one make with the spaces
    /// between them, each including the current word and the one before:
    /// `by Subject Ref` is most likely the column `Subject Ref` unquoted.
    func spacedNames() -> [String] {
        guard pos > 0, pos < limit, current.word != nil else { return [] }
        func joined(_ i: Int) -> Bool {
            guard i >= 0, i + 1 < limit, tokens[i].word != nil, tokens[i + 1].word != nil else { return false }
            let gap = source.text(SourceSpan(tokens[i].span.end, tokens[i + 1].span.start))
            return !gap.isEmpty && gap.allSatisfy { $0 == " " || $0 == "\t" }
        }
        var first = pos, last = pos
        while joined(first - 1), pos - first < 8 { first -= 1 }
        while joined(last), last - pos < 8 { last += 1 }
        guard first < pos else { return [] }
        var names: [String] = []
        for a in first..<pos {
            for b in pos...last { names.append(source.text(SourceSpan(tokens[a].span.start, tokens[b].span.end))) }
        }
        return names.sorted { $0.count > $1.count }
    }

    static func describe(_ t: Token) -> String {
        switch t.kind {
        case .word(let w): return "'\(w)'"
        case .quotedName(let n): return Identifier.quoted(n)
        case .number(let v, let d): return "number \(NumberFormat.fixed(v, decimals: d))"
        case .percent(let v, let d): return "\(NumberFormat.fixed(v, decimals: d))%"
        case .string(let s): return "string \"\(s)\""
        case .period(let p): return "period \(p)"
        case .symbol(let s): return "'\(s)'"
        case .tableRow: return "a table row"
        case .end: return "end of statement"
        case .eof: return "end of input"
        }
    }

    // MARK: statements

    mutating func statement() throws -> Statement {
        let start = current.span
        let kind: Statement.Kind
        if accept("let") != nil {
            let n = try name("a name for the let")
            try expectSymbol("=", "'=' after the let's name")
            kind = .letBinding(name: n, value: try letValue())
        } else if accept("define") != nil {
            let n = try name("a name for the definition")
            try expectSymbol("=", "'=' after the definition's name")
            let condStart = current.span.start
            if defineHoldsCondition() {
                let cond = try condition()
                kind = .define(name: n, condition: cond, text: source.text(SourceSpan(condStart, tokens[max(pos - 1, 0)].span.end)))
            } else {
                let e = try rowExpression()
                kind = .derive(name: n, expr: e, text: source.text(SourceSpan(condStart, tokens[max(pos - 1, 0)].span.end)))
            }
        } else if accept("param") != nil {
            let n = try name("a name for the param")
            try expectSymbol("=", "'=' after the param's name")
            kind = .param(name: n, value: try paramValue())
        } else if current.isWord("unit"), peek(1).word != nil || peek(1).nameText != nil, peek(2).isSymbol("=") {
            // `unit` is a statement word only here, so it can still name a column.
            pos += 1
            let n = try name("a name for the unit")
            pos += 1
            var distinct: Name?
            if accept("distinct") != nil { distinct = try name("a column after 'distinct'") }
            else if accept("rows") == nil { throw unexpected("'rows' or 'distinct COLUMN'") }
            var from: Name?
            if accept("from") != nil { from = try name("a dataset after 'from'") }
            kind = .unit(name: n, distinct: distinct, from: from)
        } else if accept("load") != nil {
            let t = current
            guard case .string(let path) = t.kind else { throw unexpected("a file path in quotes, e.g. load \"exports/cases.csv\" as cases") }
            pos += 1
            var table = try loadTable(LoadTable())
            try expect("as", "'as NAME' after the file path")
            let n = try name("a dataset name after 'as'")
            var period: Name?
            table = try loadTable(table)
            if accept("period") != nil { period = try name("the period column after 'period', e.g. period reported") }
            table = try loadTable(table)
            kind = .load(path: path, pathSpan: t.span, name: n, period: period, table: table)
        } else if current.isWord("assert") {
            kind = .assertion(try assertion())
        } else if Parser.startsQuery(current) || current.isWord("percent") && peek(1).isSymbol("(") || current.isSymbol("(")
                    || current.isNumberOrPercent || Parser.startsNamedFigure(current, next: pos + 1 < limit ? peek(1) : nil) {
            // A query (of one measure or several), or arithmetic.
            let e = try measures()
            if case .query(let q) = e { kind = .query(q) } else { kind = .expression(e) }
        } else {
            throw unexpected("a statement (count, \(AggregateSpec.all.map(\.name).joined(separator: ", ")), show, let, define, param, load or assert)")
        }
        if !atEnd { throw unexpected("end of statement") }
        let last = tokens[max(pos - 1, 0)].span
        return Statement(kind: kind, span: start.to(last), note: nil)
    }

    /// `n` or `n * 2` at the start of a statement: a let's figure, shown
    /// (an analyst types a let's name to see it). A name followed by
    /// anything else is not a statement, and says so as before.
    static func startsNamedFigure(_ t: Token, next: Token?) -> Bool {
        guard t.nameText != nil else { return false }
        guard let n = next else { return true }
        return ["+", "-", "*", "/"].contains { n.isSymbol($0) }
    }

    static func startsQuery(_ t: Token) -> Bool {
        guard let w = t.word?.lowercased() else { return false }
        return w == "count" || w == "show" || AggregateSpec.named(w) != nil
    }

    mutating func letValue() throws -> LetValue {
        let t = current
        if Parser.startsQuery(t) || t.isWord("percent") || t.isSymbol("(") || t.isSymbol("-") {
            let start = pos
            let e = try expression()
            if current.isSymbol(",") { try severalMeasuresInLet(from: start, comma: current.span) }
            // A query with `by` gives groups, not a figure: they become a dataset.
            if case .query(let q) = e, !q.keys.isEmpty || q.across != nil { return .grouped(q) }
            return .scalar(e)
        }
        switch t.kind {
        case .number, .percent: return .scalar(try expression())
        default: break
        }
        // `let low = total / 1.0385`: a name followed by arithmetic is a
        // number computed from an earlier `let`, not a subset to narrow.
        if t.word != nil, ["+", "-", "*", "/"].contains(where: { peek(1).isSymbol($0) }) {
            return .scalar(try expression())
        }
        let source = try name("a unit, dataset or subset to narrow, or a scalar expression")
        var subset = Subset(source: source, from: nil, filter: nil)
        if accept("from") != nil { subset.from = try name("a dataset name after 'from'") }
        if accept("where") != nil { subset.filter = try condition() }
        else if !atEnd, Parser.startsBareCondition(current) { subset.filter = try condition() }
        return .subset(subset)
    }

    /// `let x = count cases, count allegations by force`: a let names one
    /// figure or one measure's groups, so several measures are not kept
    /// (docs/language.md). The example keeps the first with the table's
    /// clauses, which runs.
    mutating func severalMeasuresInLet(from start: Int, comma: SourceSpan) throws {
        pos = start
        let all = try measures()
        var example = ""
        if case .query(let q) = all, let items = q.columns, let first = items.first, let last = items.last {
            let clauses = source.text(SourceSpan(last.span.end, q.span.end)).trimmingCharacters(in: .whitespacesAndNewlines)
            example = source.text(first.span) + (clauses.isEmpty ? "" : " " + clauses)
        }
        throw MisqError(.syntax, "a let keeps one measure; several measures cannot be kept", source: source, span: comma,
                        expected: "one count or aggregate, with its by",
                        suggestion: example.isEmpty ? "name each measure with a let of its own" : "name each measure with a let of its own, e.g. let x = \(example)")
    }

    mutating func paramValue() throws -> ParamValue {
        let t = current
        let next = peek(1)
        switch t.kind {
        case .period: return .period(try periodExpr())
        case .number where next.isSymbol("..") || next.isWord("through"): return .period(try periodExpr())
        default:
            if t.isWord("since") || t.isWord("last") { return .period(try periodExpr()) }
            return .value(try value())
        }
    }

    /// The comment that documents a statement: a trailing comment on its
    /// lines, else the block of comment lines directly above it.
    static func note(for stmt: Statement, comments: [Comment], source: SourceFile) -> String? {
        let first = source.line(of: stmt.span.start), last = source.line(of: max(stmt.span.start, stmt.span.end - 1))
        let trailing = comments.filter { $0.line >= first && $0.line <= last }.map(\.text)
        if !trailing.isEmpty { return trailing.joined(separator: " ") }
        var block: [String] = []
        var line = first - 1
        while let c = comments.first(where: { $0.line == line }), source.lineText(line).trimming(.spacesAndTabs).hasPrefix("--") {
            block.insert(c.text, at: 0)
            line -= 1
        }
        return block.isEmpty ? nil : block.joined(separator: " ")
    }
}

