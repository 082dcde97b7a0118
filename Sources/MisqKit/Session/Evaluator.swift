/// Scalar expressions: numbers, scalar queries, lets, percent(a, b), + - * /.
struct Evaluator {
    let session: Session
    let source: SourceFile

    func evaluate(_ e: Expr) throws -> ScalarValue {
        switch e {
        case .number(let v, let d, let p, let span):
            // The decimal as written, not the Double nearest to it.
            let text = source.text(span)
            return ScalarValue(v, isPercent: p, decimals: d, exact: ExactNumber(decimal: p ? String(text.dropLast()) : text))
        case .date(let day, _):
            var v = ScalarValue(Double(day), decimals: 0)
            v.isDate = true
            return v
        case .query(let q):
            let plan = try Checker(session: session, source: source).plan(q)
            if let t = plan.table, t.columns.count > 1 || !plan.isScalar {
                throw MisqError(.type, "several measures give a table, not a single number", source: source, span: q.span,
                                expected: "one measure", suggestion: "compare each on its own, or compare the table with a table literal (with 'by')")
            }
            guard plan.isScalar else {
                throw MisqError(.type, "this query gives a table, not a single number", source: source,
                                span: q.keys.first?.span ?? q.across?.span ?? q.span, expected: "a query without 'by' or 'across'",
                                suggestion: "drop the 'by', or compare with a table literal")
            }
            if case .show = plan.measure {
                throw MisqError(.type, "'show' lists rows, not a number", source: source, span: q.span, suggestion: "use count")
            }
            let r: QueryResult
            do {
                r = try session.run(plan)
            } catch var error as MisqError where error.source == nil && session.engine != nil {
                // The database's fault or refusal, shown at the query.
                error.source = source; error.span = q.span
                throw error
            }
            guard let v = r.scalarValue else { throw MisqError(.runtime, "no value", source: source, span: q.span) }
            var value = ScalarValue(v, provenance: [FooterPart(query: source.text(q.span), footer: r.footer)])
            value.isDate = r.valueIsDate
            value.isPercent = r.valueIsPercent
            return value
        case .name(let n):
            if let s = session.scalars[n.text.lowercased()] { return s }
            if let p = session.params[n.text.lowercased()], case .value(.number(let v, _)) = p.value { return ScalarValue(v) }
            if session.subsets[n.text.lowercased()] != nil {
                throw MisqError(.type, "'\(n.text)' is a subset, not a number", source: source, span: n.span, suggestion: "count it: count \(n.text)")
            }
            let lower = n.text.lowercased()
            if session.unitNames.contains(where: { $0.lowercased() == lower }) || session.dataset(named: lower) != nil {
                throw MisqError(.type, "'\(n.text)' is something to count, not a number", source: source, span: n.span,
                                expected: "a number, a query, or a let holding a number", suggestion: "count \(Identifier.source(n.text))")
            }
            throw MisqError(.name, "unknown name '\(n.text)'", source: source, span: n.span,
                            expected: "a number, a query, or a let holding a number",
                            suggestion: Suggestions.didYouMeanName(n.text, Array(session.scalars.keys)) ?? "a query starts with count, \(AggregateSpec.namesListed)")
        case .percentOf(let a, let b, _):
            let x = try evaluate(a), y = try evaluate(b)
            try notDates(x, a, y, b)
            if y.value == 0 {
                throw MisqError(.runtime, "percent of zero: the whole is 0", source: source, span: b.span,
                                expected: "a whole greater than zero", notes: ["percent(\(x.text), 0) has no value"])
            }
            return ScalarValue(100 * x.value / y.value, isPercent: true,
                               exact: x.exactValue.flatMap { a in y.exactValue.flatMap { b in (a / b).flatMap { $0 * ExactNumber(100) } } },
                               provenance: x.provenance + y.provenance)
        case .binary(let op, let a, let b):
            let x = try evaluate(a), y = try evaluate(b)
            try notDates(x, a, y, b)
            let exact = x.exactValue.flatMap { p in y.exactValue.flatMap { q -> ExactNumber? in
                switch op { case "+": return p + q; case "-": return p - q; case "*": return p * q; default: return p / q }
            } }
            let provenance = x.provenance + y.provenance
            switch op {
            case "+": return ScalarValue(x.value + y.value, isPercent: x.isPercent || y.isPercent, exact: exact, provenance: provenance)
            case "-": return ScalarValue(x.value - y.value, isPercent: x.isPercent || y.isPercent, exact: exact, provenance: provenance)
            case "*": return ScalarValue(x.value * y.value, isPercent: x.isPercent != y.isPercent, exact: exact, provenance: provenance)
            default:
                if y.value == 0 {
                    throw MisqError(.runtime, "division by zero", source: source, span: b.span, expected: "a divisor other than 0")
                }
                return ScalarValue(x.value / y.value, isPercent: x.isPercent && !y.isPercent, exact: exact, provenance: provenance)
            }
        case .negate(let inner, _):
            var v = try evaluate(inner)
            try notDates(v, inner)
            v.exact = v.exactValue.map { -$0 }
            v.value = -v.value
            v.decimals = nil
            return v
        }
    }

    /// Arithmetic on a date would print a day number as if it were a
    /// figure (issue 15, item 1), so it is an error.
    func notDates(_ x: ScalarValue, _ a: Expr, _ y: ScalarValue? = nil, _ b: Expr? = nil) throws {
        for (v, e) in [(x, a)] + (y.map { [($0, b ?? a)] } ?? []) where v.isDate {
            throw MisqError(.type, "\(source.text(e.span)) is a date, not a number", source: source, span: e.span,
                            expected: "a number in arithmetic",
                            suggestion: "compare dates in an assertion (assert max finalised = 2024-04-30), or count rows in a period instead")
        }
    }
}
