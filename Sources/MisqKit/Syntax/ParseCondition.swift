/// Conditions (`where …`), values and period expressions.
extension Parser {
    mutating func condition() throws -> Condition {
        var parts = [try andCondition()]
        while accept("or") != nil { parts.append(try andCondition()) }
        return parts.count == 1 ? parts[0] : .or(parts)
    }

    mutating func andCondition() throws -> Condition {
        var parts = [try notCondition()]
        while accept("and") != nil { parts.append(try notCondition()) }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    mutating func notCondition() throws -> Condition {
        // `not not x` is `x`: a long run of nots folds to one or none, so it
        // can neither exhaust the stack nor build a deep tree.
        var first: SourceSpan?
        var count = 0
        while let t = accept("not") { first = first ?? t.span; count += 1 }
        let c = try primaryCondition()
        guard count % 2 == 1, let s = first else { return c }
        return .not(c, s.to(c.span))
    }

    static func startsBareCondition(_ t: Token) -> Bool {
        if case .period = t.kind { return true }
        return t.isWord("since") || t.isWord("last") || t.isWord("period")
    }

    mutating func primaryCondition() throws -> Condition {
        let t = current
        if t.isSymbol("(") {
            pos += 1
            try enterNesting(t)
            defer { nesting -= 1 }
            let c = try condition()
            try expectSymbol(")", "')' to close the '(' opened here")
            return c
        }
        if accept("period") != nil {
            let p = try periodExpr()
            return .period(p, t.span.to(p.span))
        }
        if Parser.startsBareCondition(t) {
            let p = try periodExpr()
            return .period(p, p.span)
        }
        guard t.nameText != nil else {
            throw unexpected("a condition: a flag, COLUMN = value, COLUMN in (…), period …")
        }
        let column = try name("a column")
        let op = current
        if op.isSymbol("(") {
            // `where days(a, b) > 30`: a condition compares a name, so the
            // value is named first. (After a flag, `+ - * /` go on with the
            // scalar: count cases where daso / count cases.)
            throw MisqError(.syntax, "a condition compares a column or a named value, not a function's result", source: source,
                            span: column.span.to(op.span), expected: "a column, a definition, or a value named with define",
                            suggestion: "name it first: define v = \(column.text)(…), then where v > …")
        }
        if case .symbol(let s) = op.kind, let cmp = CompareOp(rawValue: s) {
            pos += 1
            return .compare(column, cmp, try value())
        }
        if let m = try textMatch(column, negated: false) { return m }
        if accept("in") != nil { return try inTail(column, negated: false, start: column.span) }
        if accept("not") != nil {
            if let m = try textMatch(column, negated: true) { return m }
            try expect("in", "'in', 'starts with', 'ends with' or 'contains' after 'not' (COLUMN not in (…))")
            return try inTail(column, negated: true, start: column.span)
        }
        if accept("is") != nil {
            let negated = accept("not") != nil
            try expect("missing", "'missing' (COLUMN is missing, COLUMN is not missing)")
            return .isMissing(column, negated: negated)
        }
        if case .symbol("~") = op.kind {
            throw MisqError(.syntax, "'~' compares in assertions only", source: source, span: op.span,
                            expected: "=, !=, <, <=, >, >=, in or is", suggestion: "use '=' to compare a column with a value")
        }
        return .flag(column)
    }

    /// `starts with V`, `ends with V`, `contains V` after a column. The
    /// words are not reserved (a column may be called `contains`): they
    /// mean a match only here, where a name cannot follow a column.
    mutating func textMatch(_ column: Name, negated: Bool) throws -> Condition? {
        let kind: TextMatchKind
        if current.isWord("contains") { kind = .contains; pos += 1 }
        else if current.isWord("starts") || current.isWord("ends"), peek(1).isWord("with") {
            kind = current.isWord("starts") ? .startsWith : .endsWith
            pos += 2
        } else { return nil }
        switch current.kind {
        case .string, .word, .quotedName, .number, .period:
            let v = try value()
            return .textMatch(column, kind, v, negated: negated, column.span.to(v.span))
        default:
            throw unexpected("the text to match after '\(kind.rawValue)', e.g. \(column.text) \(kind.rawValue) \"Sub\"")
        }
    }

    mutating func inTail(_ column: Name, negated: Bool, start: SourceSpan) throws -> Condition {
        if let open = acceptSymbol("(") {
            var values = [try value()]
            while acceptSymbol(",") != nil { values.append(try value()) }
            let close = try expectSymbol(")", "')' to close the list opened at \(source.location(open.span))")
            return .inList(column, values, negated: negated, start.to(close.span))
        }
        if negated { throw unexpected("'(' and a list of values after 'not in'") }
        return .inPeriod(column, try periodExpr())
    }

    mutating func value() throws -> Value {
        let t = current
        switch t.kind {
        case .word(let w) where !t.isKeyword: pos += 1; return .word(w, t.span)
        // A backticked name stands where a bare one may (a param called
        // `the ref`), so every name can be used as a value.
        case .quotedName(let n): pos += 1; return .word(n, t.span)
        case .string(let s): pos += 1; return .string(s, t.span)
        case .number(let v, _): pos += 1; return .number(v, t.span)
        case .period(let p): pos += 1; return .period(p, t.span)
        case .symbol("-"):
            if case .number(let v, _) = peek(1).kind { pos += 2; return .number(-v, t.span.to(tokens[pos - 1].span)) }
        default: break
        }
        throw unexpected("a value (a category such as dismissal_without_notice, a \"string\", a number or a date)")
    }

    // MARK: periods

    mutating func periodExpr() throws -> PeriodExpr {
        let t = current
        if accept("since") != nil {
            let from = try periodAtom()
            return .since(from, t.span.to(from.span))
        }
        if accept("last") != nil {
            let n = try wholeNumber("how many, e.g. last 12 months")
            let unitToken = current
            guard let w = unitToken.word?.lowercased(),
                  let unit = RelativeUnit(rawValue: w.hasSuffix("s") ? w : w + "s") else {
                throw unexpected("days, weeks, months, quarters or years")
            }
            pos += 1
            return .last(n, unit, t.span.to(unitToken.span))
        }
        let from = try periodAtom()
        if acceptSymbol("..") != nil {
            let to = try periodAtom()
            return .range(from, to, inclusive: false, from.span.to(to.span))
        }
        if accept("through") != nil {
            let to = try periodAtom()
            return .range(from, to, inclusive: true, from.span.to(to.span))
        }
        return from
    }

    mutating func periodAtom() throws -> PeriodExpr {
        let t = current
        switch t.kind {
        case .period(let p): pos += 1; return .literal(p, t.span)
        case .number(let v, let d) where d == 0 && v >= 1000 && v <= 9999:
            pos += 1; return .literal(.year(Int(v)), t.span)
        case .word, .quotedName:
            guard let w = t.nameText else { fallthrough }
            pos += 1; return .param(Name(w, t.span))
        default:
            throw unexpected("a period: 2022, 2022-05, 2022-05-17, 2022-Q2, FY2022/23, a range a..b, since a, or last N months")
        }
    }
}
