/// Scalar expressions and `assert`.
extension Parser {
    mutating func expression() throws -> Expr {
        var left = try term()
        var terms = 1
        while let op = current.kind == .symbol("+") || current.kind == .symbol("-") ? advance() : nil {
            guard case .symbol(let s) = op.kind else { break }
            terms += 1
            if terms > Parser.maxTerms { throw tooManyTerms(op) }
            left = .binary(s, left, try term())
        }
        return left
    }

    mutating func term() throws -> Expr {
        var left = try unary()
        var terms = 1
        while let op = current.kind == .symbol("*") || current.kind == .symbol("/") ? advance() : nil {
            guard case .symbol(let s) = op.kind else { break }
            terms += 1
            if terms > Parser.maxTerms { throw tooManyTerms(op) }
            left = .binary(s, left, try unary())
        }
        return left
    }

    func tooManyTerms(_ op: Token) -> MisqError {
        MisqError(.syntax, "more than \(Parser.maxTerms) terms in one expression", source: source, span: op.span,
                  suggestion: "split it with let")
    }

    mutating func unary() throws -> Expr {
        // `- - x` is `x`: fold a run of minus signs by parity.
        var first: SourceSpan?
        var count = 0
        while let t = acceptSymbol("-") { first = first ?? t.span; count += 1 }
        let e = try primaryExpr()
        guard count % 2 == 1, let s = first else { return e }
        return .negate(e, s.to(e.span))
    }

    mutating func primaryExpr() throws -> Expr {
        let t = current
        switch t.kind {
        case .number(let v, let d): pos += 1; return .number(v, decimals: d, isPercent: false, t.span)
        case .percent(let v, let d): pos += 1; return .number(v, decimals: d, isPercent: true, t.span)
        case .period(.dayOf(let y, let m, let d)): pos += 1; return .date(Day.number(y, m, d), t.span)
        case .symbol("("):
            pos += 1
            try enterNesting(t)
            defer { nesting -= 1 }
            let e = try expression()
            try expectSymbol(")", "')' to close the '('")
            return e
        default: break
        }
        if t.isWord("percent"), peek(1).isSymbol("(") {
            pos += 2
            try enterNesting(t)
            defer { nesting -= 1 }
            let a = try expression()
            try expectSymbol(",", "',' between the part and the whole: percent(part, whole)")
            let b = try expression()
            let close = try expectSymbol(")", "')' to close percent(…)")
            return .percentOf(a, b, t.span.to(close.span))
        }
        if Parser.startsQuery(t) { return .query(try query()) }
        if let n = t.nameText { pos += 1; return .name(Name(n, t.span)) }
        throw unexpected("a number, a query (count …), percent(a, b) or a let name")
    }

    /// `assert LHS (= | ~) EXPECTED [within N[%]]`. The comparison is the
    /// last `=` or `~` outside parentheses before any table literal, so
    /// `assert count x where linked_criminal = 217` compares the count with
    /// 217. Put a condition's `=` inside parentheses on the right-hand side.
    mutating func assertion() throws -> Assertion {
        let assertToken = advance()
        var depth = 0
        var opIndex: Int?
        var k = pos
        while k < limit {
            let t = tokens[k]
            if case .tableRow = t.kind { break }
            if t.isSymbol("(") { depth += 1 }
            if t.isSymbol(")") { depth -= 1 }
            if depth == 0, t.isSymbol("=") || t.isSymbol("~") { opIndex = k }
            if t.isWord("within"), depth == 0 { break }
            k += 1
        }
        guard let op = opIndex else {
            throw MisqError(.syntax, "an assertion needs '=' or '~' and the expected figure", source: source,
                            span: assertToken.span.to(tokens[max(limit - 1, pos)].span),
                            expected: "assert QUERY = FIGURE, assert QUERY ~ FIGURE, or a table literal after '='",
                            suggestion: "e.g. assert count cases where daso = 282")
        }
        // Parse the left side on its own slice, ending at the operator.
        var lhsParser = Parser(source: source, tokens: tokens, pos: pos, limit: op)
        let actual = try lhsParser.measures()
        if !lhsParser.atEnd { throw lhsParser.unexpected("'=' or '~' and the expected figure") }
        pos = op
        let opToken = advance()
        let comparison: Assertion.Comparison = opToken.isSymbol("~") ? .roundsTo : .equals
        let expected: Assertion.Expected
        if case .tableRow = current.kind {
            expected = .table(try tableLiteral())
        } else {
            expected = .scalar(try expression())
        }
        var tolerance: Assertion.Tolerance?
        if accept("within") != nil {
            let t = current
            switch t.kind {
            case .number(let v, _): pos += 1; tolerance = .absolute(v)
            case .percent(let v, _): pos += 1; tolerance = .relativePercent(v)
            default: throw unexpected("a tolerance: within 5 or within 2%")
            }
        }
        return Assertion(actual: actual, comparison: comparison, expected: expected, tolerance: tolerance, operatorSpan: opToken.span)
    }

    mutating func tableLiteral() throws -> TableLiteral {
        guard case .tableRow(let header, _) = current.kind else { throw unexpected("a table literal") }
        let start = advance().span
        var rows: [[TableCell]] = []
        var lastSpan = start
        while case .tableRow(let cells, let isSeparator) = current.kind {
            let t = advance()
            lastSpan = t.span
            if isSeparator { continue }
            if cells.count != header.count {
                throw MisqError(.syntax, "this table row has \(cells.count) cell\(cells.count == 1 ? "" : "s"), the header has \(header.count)",
                                source: source, span: t.span, expected: "\(Plural.count(header.count, "cell")), one per header column",
                                suggestion: "check for a missing or extra '|'")
            }
            rows.append(cells)
        }
        if header.count < 2 {
            throw MisqError(.syntax, "a table literal needs at least a key column and a value column", source: source,
                            span: start, expected: "| key | count |")
        }
        return TableLiteral(header: header, rows: rows, span: start.to(lastSpan))
    }
}
