/// Row expressions → typed plan expressions, against one dataset's schema
/// with its derived values (`DerivedSchema`). Numbers and dates only: a
/// category or yes/no column has no value to compute with.
extension Checker {
    func bindRow(_ e: RowExpr, _ ds: DerivedSchema, depth: Int) throws -> (expr: PlanExpr, type: ColumnType) {
        guard depth < Checker.maxConditionDepth else {
            throw MisqError(.syntax, "this expression nests more than \(Checker.maxConditionDepth) levels deep", source: source, span: e.span,
                            suggestion: "name parts of it with define")
        }
        switch e {
        case .number(let x, _):
            return (.number(x), .number)
        case .date(let d, _):
            return (.day(d), .date)
        case .column(let n):
            let k = try columnIndex(n, in: ds)
            let type = try ds.columnType(k)
            guard type == .number || type == .date else {
                let numbers = ds.columnNames.indices.filter { $0 != k && (try? ds.columnType($0)) == .number }.map { ds.columnNames[$0] }
                throw MisqError(.type, "'\(n.text)' holds \(type == .boolean ? "yes/no" : type.rawValue) values, which have no arithmetic",
                                source: source, span: n.span, expected: "a number or date column",
                                suggestion: Suggestions.didYouMeanName(n.text, numbers)
                                    ?? (type == .boolean ? "use it in a condition: where \(n.text)" : "count it instead: count … by \(n.text)"))
            }
            return (.column(ds.columnNames[k]), type)
        case .negate(let inner, _):
            let a = try bindRow(inner, ds, depth: depth + 1)
            try requireNumber(a.type, inner, what: "'-'", hint: "days(a, b) gives the days from a to b")
            return (.negate(a.expr), .number)
        case .binary(let op, let l, let r):
            let a = try bindRow(l, ds, depth: depth + 1), b = try bindRow(r, ds, depth: depth + 1)
            if a.type == .date || b.type == .date {
                let hint = op == "-" && a.type == .date && b.type == .date
                    ? "days(\(r), \(l)) gives the days from \(r) to \(l), months(\(r), \(l)) the whole months"
                    : "days(a, b) and months(a, b) measure between dates; year(d), month(d), day(d) give a date's parts as numbers"
                throw MisqError(.type, "'\(op)' needs numbers; \(a.type == .date ? l : r) is a date", source: source,
                                span: a.type == .date ? l.span : r.span, expected: "a number", suggestion: hint)
            }
            let arith: PlanExpr.Arithmetic = op == "+" ? .add : op == "-" ? .subtract : op == "*" ? .multiply : .divide
            return (.arithmetic(arith, a.expr, b.expr), .number)
        case .call(let f, let args, let span):
            let fn = try rowFunction(f, arity: args.count, span)
            let bound = try args.map { try bindRow($0, ds, depth: depth + 1) }
            switch fn {
            case .round:
                try requireNumber(bound[0].type, args[0], what: "round", hint: "round needs a number: round(days(a, b) / 7, 1) rounds a count of weeks")
                return (.round(bound[0].expr, digits: try roundDigits(args)), .number)
            case .date:
                for (a, b) in zip(args, bound) { try requireNumber(b.type, a, what: "date(year, month[, day])", hint: "year(d), month(d) and day(d) give a date's parts") }
                return (.makeDate(bound[0].expr, bound[1].expr, bound.count > 2 ? bound[2].expr : nil), .date)
            case .days, .months:
                for (a, b) in zip(args, bound) { try requireDate(b.type, a, fn, ds) }
                return (fn == .days ? .days(bound[0].expr, bound[1].expr) : .months(bound[0].expr, bound[1].expr), .number)
            case .year, .quarter, .month, .day:
                try requireDate(bound[0].type, args[0], fn, ds)
                return (.part(PlanExpr.DatePart(rawValue: fn.rawValue) ?? .year, bound[0].expr), .number)
            }
        }
    }

    func requireNumber(_ type: ColumnType, _ e: RowExpr, what: String, hint: String) throws {
        guard type == .date else { return }
        throw MisqError(.type, "\(what) needs a number; \(e) is a date", source: source, span: e.span, expected: "a number", suggestion: hint)
    }

    func requireDate(_ type: ColumnType, _ e: RowExpr, _ fn: RowFunction, _ ds: DerivedSchema) throws {
        guard type != .date else { return }
        throw MisqError(.type, "\(fn.usage) needs a date; \(e) is a number", source: source, span: e.span, expected: "a date",
                        suggestion: Suggestions.didYouMeanName(e.description, (try? ds.dateColumns()) ?? [])
                            ?? "date(year, month[, day]) makes a date from numbers")
    }

    /// A `define NAME = EXPRESSION` checked where it is written: its
    /// functions and their arguments always, its types too when the default
    /// dataset has every column it names (else at its first use).
    func checkDerivation(_ name: Name, _ e: RowExpr) throws {
        try checkCalls(e, depth: 0)
        guard let d = catalog.defaultSchema else { return }
        if let k = d.columnIndex(name.text) {
            throw MisqError(.name, "'\(name.text)' is a column of '\(d.name)'; a derived value needs a name of its own", source: source,
                            span: name.span, expected: "a name no column has",
                            suggestion: "give it another name, e.g. define \(d.columnNames[k])_2 = …")
        }
        // Only when every column it reads, through the derived values it
        // uses, is the default dataset's: one on another dataset (`from
        // forces`) is checked at its first use there.
        var todo = DerivedSchema.names(in: e), seen = Set<String>()
        while let n = todo.popLast() {
            guard seen.insert(n.lowercased()).inserted else { continue }
            if d.columnIndex(n) != nil { continue }
            guard let inner = catalog.derivations[n.lowercased()] else { return }
            todo += DerivedSchema.names(in: inner.expr)
        }
        let arg = Derivation(name: name.text, expr: e, text: "", note: nil, source: source, span: e.span)
        let schema = DerivedSchema(base: d, catalog: catalog, argument: arg, replacing: name.text)
        _ = try bindRow(e, schema, depth: 0)
    }

    func rowFunction(_ f: Name, arity: Int, _ span: SourceSpan) throws -> RowFunction {
        guard let fn = RowFunction(rawValue: f.text.lowercased()) else {
            throw MisqError(.name, "unknown function '\(f.text)'", source: source, span: f.span,
                            expected: "one of " + RowFunction.allCases.map(\.usage).joined(separator: ", "),
                            suggestion: Suggestions.didYouMeanName(f.text, RowFunction.allCases.map(\.rawValue)))
        }
        guard fn.arity.contains(arity) else {
            let takes = fn.arity.count == 1 ? "\(fn.arity.lowerBound)" : "\(fn.arity.lowerBound) or \(fn.arity.upperBound)"
            throw MisqError(.syntax, "\(fn.rawValue)(…) takes \(takes) argument\(fn.arity.upperBound == 1 ? "" : "s"); this has \(arity)",
                            source: source, span: span, expected: fn.usage)
        }
        return fn
    }

    /// The digits of `round(x, d)`: a whole number written out, so every
    /// row rounds alike (0 when left out).
    func roundDigits(_ args: [RowExpr]) throws -> Int {
        guard args.count == 2 else { return 0 }
        guard case .number(let x, _) = args[1], x.rounded() == x, abs(x) <= 15 else {
            throw MisqError(.type, "round's digits must be a whole number from -15 to 15, written out", source: source, span: args[1].span,
                            expected: "e.g. round(x, 1) for one decimal, round(x, -3) for thousands")
        }
        return Int(x)
    }

    private func checkCalls(_ e: RowExpr, depth: Int) throws {
        guard depth < Checker.maxConditionDepth else { return }
        switch e {
        case .number, .date, .column: return
        case .negate(let a, _): try checkCalls(a, depth: depth + 1)
        case .binary(_, let a, let b): try checkCalls(a, depth: depth + 1); try checkCalls(b, depth: depth + 1)
        case .call(let f, let args, let span):
            if try rowFunction(f, arity: args.count, span) == .round { _ = try roundDigits(args) }
            for a in args { try checkCalls(a, depth: depth + 1) }
        }
    }
}
