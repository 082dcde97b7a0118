/// A value computed for each row from its columns (`define rate =
/// round(1000 * cases_to_answer / staff, 1)`): numbers, column names,
/// `+ - * /`, unary minus and the row functions (`RowFunction`). Not a
/// condition: it names no comparison, and a `define` holding one is a
/// derived column, usable wherever a column is.
public indirect enum RowExpr: Sendable {
    case number(Double, SourceSpan)
    /// A day written out (`2024-04-30`), as a day number.
    case date(Int, SourceSpan)
    case column(Name)
    /// `round(x, 1)`, `date(y, m)`: the function's name as written, its arguments.
    case call(Name, [RowExpr], SourceSpan)
    case binary(String, RowExpr, RowExpr)
    case negate(RowExpr, SourceSpan)

    public var span: SourceSpan {
        switch self {
        case .number(_, let s), .date(_, let s), .call(_, _, let s), .negate(_, let s): return s
        case .column(let n): return n.span
        case .binary(_, let a, let b): return a.span.to(b.span)
        }
    }
}

/// The functions a row expression may call. One table: the parser knows a
/// call by its `(`, the checker its arity and types, the completer and
/// `.help` its words.
public enum RowFunction: String, Sendable, CaseIterable {
    case round, date, days, months, year, quarter, month, day

    /// Arguments allowed, and how the call is written (for errors and help).
    public var arity: ClosedRange<Int> {
        switch self {
        case .round: return 1...2
        case .date: return 2...3
        case .days, .months: return 2...2
        case .year, .quarter, .month, .day: return 1...1
        }
    }

    /// For `.help WORD`.
    public var summary: String {
        switch self {
        case .round: return "a value per row rounded: round(x, 1) to one decimal, halves away from zero"
        case .date: return "a date per row from numbers: date(year_received, month_received) (day 1)"
        case .days: return "whole days from one date to another: days(reported, finalised)"
        case .months: return "whole months from one date to another: months(reported, finalised)"
        case .year, .quarter, .month, .day: return "a date's \(rawValue) as a number in a value per row: \(rawValue)(reported)"
        }
    }

    public var usage: String {
        switch self {
        case .round: return "round(x, digits)"
        case .date: return "date(year, month[, day])"
        case .days: return "days(from, to)"
        case .months: return "months(from, to)"
        case .year, .quarter, .month, .day: return "\(rawValue)(date)"
        }
    }
}

extension RowExpr: CustomStringConvertible {
    /// Canonical source: operands of a lower-precedence operator are
    /// parenthesised, so printing and parsing again gives the same tree.
    public var description: String { text(parentPrecedence: 0, rightOperand: false) }

    private static func precedence(_ op: String) -> Int { op == "+" || op == "-" ? 1 : 2 }

    func text(parentPrecedence: Int, rightOperand: Bool) -> String {
        switch self {
        case .number(let x, _): return NumberFormat.plain(x)
        case .date(let d, _): return Day.iso(d)
        case .column(let n): return n.id
        case .call(let f, let args, _): return f.text.lowercased() + "(" + args.map(\.description).joined(separator: ", ") + ")"
        case .negate(let e, _): return "-" + e.text(parentPrecedence: 3, rightOperand: false)
        case .binary(let op, let a, let b):
            let p = RowExpr.precedence(op)
            let s = a.text(parentPrecedence: p, rightOperand: false) + " \(op) " + b.text(parentPrecedence: p, rightOperand: true)
            // `a - (b - c)` and `a / (b * c)` keep their parentheses.
            return p < parentPrecedence || (p == parentPrecedence && rightOperand) ? "(" + s + ")" : s
        }
    }
}

extension Parser {
    /// `define NAME = …` holds a condition when its text has a condition's
    /// word or symbol anywhere (a comparison, `in`, `is`, `and`, `or`, `not`,
    /// `starts with`, `ends with`, `contains`, a string, a period) or is a single name (a flag, as before); otherwise it is a
    /// row expression. Neither can hold the other's, so the choice is made
    /// on the tokens and each grammar reports its own mistakes.
    func defineHoldsCondition() -> Bool {
        // A lone day (`define d = 2022-05-17`) is a period test, as before;
        // a day inside an expression (`days(reported, 2024-04-30)`) is not.
        if limit - pos == 1, case .period = tokens[pos].kind { return true }
        var words = 0
        var other = false
        for i in pos..<max(pos, limit) {
            let t = tokens[i]
            switch t.kind {
            case .symbol("("), .symbol(")"): break
            case .symbol(let s) where ["=", "!=", "<", "<=", ">", ">=", "~", ".."].contains(s): return true
            case .period(.dayOf): other = true
            case .period: return true
            case .word(let w) where ["in", "is", "and", "or", "not", "period", "since", "last", "through", "starts", "ends", "contains"].contains(w.lowercased()):
                return true
            // A string is a value compared or matched, never part of an expression.
            case .string: return true
            case .word, .quotedName: words += 1
            default: other = true
            }
        }
        return words == 1 && !other
    }

    mutating func rowExpression() throws -> RowExpr {
        var left = try rowTerm()
        while current.isSymbol("+") || current.isSymbol("-") {
            let op = advance()
            try countRowOperator(op)
            left = .binary(op.isSymbol("+") ? "+" : "-", left, try rowTerm())
        }
        return left
    }

    mutating func rowTerm() throws -> RowExpr {
        var left = try rowUnary()
        while current.isSymbol("*") || current.isSymbol("/") {
            let op = advance()
            try countRowOperator(op)
            left = .binary(op.isSymbol("*") ? "*" : "/", left, try rowUnary())
        }
        return left
    }

    mutating func countRowOperator(_ at: Token) throws {
        rowOperators += 1
        if rowOperators > Parser.maxRowOperators {
            throw MisqError(.syntax, "more than \(Parser.maxRowOperators) operators and calls in one statement's values", source: source, span: at.span,
                            suggestion: "name parts with define: define part = …, then use part")
        }
    }

    mutating func rowUnary() throws -> RowExpr {
        var first: SourceSpan?
        var count = 0
        while let t = acceptSymbol("-") { first = first ?? t.span; count += 1 }
        let e = try rowPrimary()
        guard count % 2 == 1, let s = first else { return e }
        if case .number(let x, let span) = e { return .number(-x, s.to(span)) }
        try countRowOperator(current)
        return .negate(e, s.to(e.span))
    }

    mutating func rowPrimary() throws -> RowExpr {
        let t = current
        switch t.kind {
        case .number(let v, _): pos += 1; return .number(v, t.span)
        case .period(.dayOf(let y, let m, let d)): pos += 1; return .date(Day.number(y, m, d), t.span)
        case .percent:
            throw MisqError(.syntax, "a percent sign has no meaning in a row expression", source: source, span: t.span,
                            expected: "a number, a column or a function", suggestion: "divide by 100 instead")
        case .symbol("("):
            pos += 1
            try enterNesting(t)
            defer { nesting -= 1 }
            let e = try rowExpression()
            try expectSymbol(")", "')' to close the '('")
            return e
        default: break
        }
        if let w = t.nameText, peek(1).isSymbol("(") {
            try countRowOperator(t)
            pos += 2
            try enterNesting(t)
            defer { nesting -= 1 }
            var args: [RowExpr] = []
            if !current.isSymbol(")") {
                args.append(try rowExpression())
                while acceptSymbol(",") != nil { args.append(try rowExpression()) }
            }
            let close = try expectSymbol(")", "')' to close \(w)(…)")
            return .call(Name(w, t.span), args, t.span.to(close.span))
        }
        if t.nameText != nil { return .column(try name("a column")) }
        throw unexpected("a number, a column or a function such as " + RowFunction.allCases.map { $0.rawValue + "(…)" }.joined(separator: ", "))
    }
}
