/// `count UNIT [from D] [where C] [by K, …] [across K] [order by …] [top N]
/// [limit N] [with percent, total]`; clauses may come in any order, once each.
extension Parser {
    mutating func query() throws -> Query {
        let start = current.span
        let verbToken = advance()
        let verbWord = verbToken.word?.lowercased() ?? ""
        let verb: Query.Verb
        var argument: RowExpr?
        switch verbWord {
        case "count":
            if accept("distinct") != nil { verb = .countDistinct(try name("a column after 'count distinct'")) }
            else { verb = .count(try name("a unit to count (e.g. cases, allegations, individuals), a dataset or a subset")) }
        case "show":
            var names: [Name] = []
            if current.nameText != nil {
                names.append(try name("a column"))
                while acceptSymbol(",") != nil { names.append(try name("a column to show after ','")) }
            }
            verb = .show(names)
        default:
            guard let spec = AggregateSpec.named(verbWord) else { throw unexpected("count, show, \(AggregateSpec.namesListed)") }
            let agg = Aggregate(spec, parameters: try spec.parameters.map { try aggregateParameter($0, of: spec) })
            if current.isSymbol("(") || current.nameText != nil && peek(1).isSymbol("(") {
                let e = try rowExpression()
                verb = .aggregate(agg, Name(e.description, e.span))
                argument = e
            } else {
                verb = .aggregate(agg, try name("a column or a row expression after '\(agg.text)'"))
            }
        }
        var q = Query(verb: verb, span: start)
        q.argument = argument
        if inMeasureList {
            // One measure of a list: its own `where` (and, inside
            // parentheses, its own `from`); the other clauses follow the
            // last measure and apply to all (`ParseMeasures.swift`).
            while true {
                if q.filter == nil, accept("where") != nil { q.filter = try condition() }
                else if nesting > 0, q.from == nil, accept("from") != nil { q.from = try name("a dataset or subset name after 'from'") }
                else { break }
            }
            try clauseInsideMeasure(measureStart: start)
        } else {
            var seen = Set<String>()
            try clauses(&q, seen: &seen)
        }
        q.span = start.to(tokens[max(pos - 1, 0)].span)
        return q
    }

    /// The clauses after the measure(s), in any order, once each.
    mutating func clauses(_ q: inout Query, seen: inout Set<String>) throws {
        while !atEnd {
            let t = current
            guard var w = t.word?.lowercased() else { break }
            // `join`, `inner join`, `left join`, `per` are not reserved (a
            // column may be called `left`): they are clauses only here.
            let joinKind: JoinClause.Kind? = w == "join" ? .inner : (w == "inner" || w == "left") && peek(1).isWord("join") ? JoinClause.Kind(rawValue: w) : nil
            if joinKind != nil { w = "join" }
            let perClause = w == "per"
            if ["right", "outer", "full"].contains(w), peek(1).isWord("join") || (peek(1).isWord("outer") && peek(2).isWord("join")) {
                throw MisqError(.syntax, "misq has inner and left joins only; '\(w) join' is not one of them", source: source, span: t.span,
                                expected: "join, inner join or left join",
                                suggestion: "left join keeps every row of the dataset counted (the joined columns missing where none is found); join keeps only rows with a partner")
            }
            guard ["from", "where", "by", "across", "order", "top", "limit", "with"].contains(w) || joinKind != nil || perClause else { break }
            if seen.contains(w) {
                throw MisqError(.syntax, "'\(w)' appears twice in one query", source: source, span: t.span,
                                expected: "each clause at most once",
                                suggestion: w == "where" ? "join the conditions with 'and'"
                                    : w == "join" ? "a query joins one dataset on one key: ask about the other dataset in a query of its own"
                                    : w == "per" ? "a query gives one rate: keep one 'per'"
                                    : "list several keys after one '\(w)', separated by commas")
            }
            seen.insert(w)
            pos += 1
            switch w {
            case "from": q.from = try name("a dataset or subset name after 'from'")
            case "where": q.filter = try condition()
            case "by":
                q.keys = [try groupKey()]
                while acceptSymbol(",") != nil { q.keys.append(try groupKey()) }
            case "across": q.across = try groupKey()
            case "order":
                try expect("by", "'by' after 'order'")
                repeat {
                    let n = try orderName()
                    var desc = false
                    if accept("desc") != nil { desc = true } else { _ = accept("asc") }
                    q.order.append(OrderItem(name: n, descending: desc))
                } while acceptSymbol(",") != nil
            case "top":
                q.topSpan = current.span
                if case .percent = current.kind { q.topShare = try topShare() }
                else { q.top = try wholeNumber("a whole number after 'top', or a share of the groups: top 10%") }
            case "limit": q.limit = try wholeNumber("a whole number after 'limit'")
            case "join":
                if !t.isWord("join") { pos += 1 }
                let dataset = try name("a dataset to join after 'join'")
                _ = try expect("on", "'on KEY' after the dataset joined, e.g. join workforce on force")
                let leftKey = try name("the key column after 'on'")
                var rightKey: Name?
                if acceptSymbol("=") != nil { rightKey = try name("the joined dataset's key column after '='") }
                if let comma = acceptSymbol(",") {
                    throw MisqError(.syntax, "a join has one key; a second key after ',' is not read", source: source, span: comma.span,
                                    expected: "one key after 'on'",
                                    suggestion: "join on one key: join \(Identifier.source(dataset.text)) on \(Identifier.source(leftKey.text))\(rightKey.map { " = " + Identifier.source($0.text) } ?? "")")
                }
                q.join = JoinClause(kind: joinKind ?? .inner, dataset: dataset, leftKey: leftKey, rightKey: rightKey,
                                    span: t.span.to(tokens[max(pos - 1, 0)].span))
            case "per":
                let n = current
                guard case .number(let v, _) = n.kind else { throw unexpected("a number after 'per', e.g. per 1000 workforce.headcount") }
                guard v > 0 else {
                    throw MisqError(.value, "'per' takes a number above 0 (a rate per \(source.text(n.span)) would be \(v == 0 ? "0 for every group" : "negative"))",
                                    source: source, span: n.span, expected: "a positive number after 'per'",
                                    suggestion: "per 1000 " + (peek(1).nameText != nil ? source.text(peek(1).span) : "workforce.headcount"))
                }
                pos += 1
                let column = try name("a joined column after 'per \(source.text(n.span))', e.g. workforce.headcount")
                q.per = PerClause(multiplier: v, multiplierText: source.text(n.span), column: column, span: t.span.to(column.span))
            default:  // with
                repeat {
                    if accept("percent") != nil { q.withPercent = true }
                    else if accept("total") != nil { q.withTotal = true }
                    else if accept("bars") != nil { q.withBars = true }
                    else if let s = accept("suppression") {
                        if q.suppression != nil {
                            throw MisqError(.syntax, "'suppression' appears twice in one query", source: source, span: s.span,
                                            expected: "one suppression rule", suggestion: "keep one rule, e.g. with suppression under 5")
                        }
                        q.suppression = try suppressionRule(start: s.span)
                    }
                    else if let r = accept("rounding") {
                        // A second base would silently replace the first.
                        if let first = q.rounding {
                            throw MisqError(.syntax, "'rounding' appears twice in one query (rounding \(first.base) first)", source: source, span: r.span,
                                            expected: "one rounding base", suggestion: "keep one base, e.g. with rounding \(first.base)")
                        }
                        let t = current
                        guard case .number(let v, let d) = t.kind, d == 0, v >= 2, v <= 1_000 else {
                            throw unexpected("a base after 'rounding' (a whole number from 2 to 1000)", suggestion: "e.g. with suppression under 5, rounding 5")
                        }
                        pos += 1
                        q.rounding = Rounding(base: Int(v), span: r.span.to(t.span))
                    }
                    else { throw unexpected("'percent', 'total', 'bars', 'suppression' or 'rounding' after 'with'") }
                } while acceptSymbol(",") != nil
            }
        }
    }

    /// The 90 of `percentile 90 days_open`: a number in the range the
    /// registry allows. A sign is read so that -5 is out of range, not a
    /// missing number.
    mutating func aggregateParameter(_ p: AggregateSpec.Parameter, of spec: AggregateSpec) throws -> Aggregate.Parameter {
        let first = current
        let minus = acceptSymbol("-")
        let t = current
        let range = "\(NumberFormat.plain(p.allowed.lowerBound)) to \(NumberFormat.plain(p.allowed.upperBound))"
        guard case .number(let v, _) = t.kind, let exact = ExactNumber(decimal: source.text(t.span)) else {
            throw unexpected("\(p.name) after '\(spec.name)': \(p.summary)",
                             suggestion: "e.g. \(spec.name) 90 \(current.nameText.map(Identifier.source) ?? "days_open")")
        }
        pos += 1
        let span = first.span.to(t.span)
        let value = minus == nil ? v : -v
        guard p.allowed.contains(value) else {
            throw MisqError(.value, "\(spec.name) \(source.text(span)) is outside \(range)", source: source, span: span,
                            expected: p.summary, suggestion: "e.g. \(spec.name) 90 \(current.nameText.map(Identifier.source) ?? "days_open")")
        }
        return Aggregate.Parameter(value: minus == nil ? exact : -exact, text: source.text(span))
    }

    /// `order by count` names the value column, which may be the keyword `count`.
    mutating func orderName() throws -> Name {
        let t = current
        if let w = t.nameText ?? (t.isWord("count") ? t.word : nil) { pos += 1; return Name(w, t.span) }
        throw unexpected("a key or 'count' after 'order by'")
    }

    /// `top 10%`: more than 0 and at most 100 per cent of the groups.
    mutating func topShare() throws -> TopShare {
        let t = current
        let text = source.text(t.span)
        guard let exact = ExactNumber(decimal: String(text.dropLast())), exact.numerator > 0, exact.numerator <= 100 * exact.denominator else {
            throw MisqError(.value, "'top \(text)' is not a share of the groups", source: source, span: t.span,
                            expected: "a percentage above 0% and at most 100%", suggestion: "e.g. top 10%, or drop 'top' to keep every group")
        }
        pos += 1
        return TopShare(percent: exact, text: text)
    }

    mutating func wholeNumber(_ what: String) throws -> Int {
        let t = current
        if case .number(let v, let d) = t.kind, d == 0, v >= 0, v <= 1e9 { pos += 1; return Int(v) }
        throw unexpected(what)
    }

    /// `outcome`, `year`, or `year(reported)`. A bare `year` is left as a
    /// column name; the checker reads it as the period column's year when
    /// the dataset has no column of that name.
    mutating func groupKey() throws -> GroupKey {
        let t = current
        if let w = t.word?.lowercased(), let bucket = TimeBucket(rawValue: w), peek(1).isSymbol("(") {
            pos += 2
            let col = try name("a date column inside \(w)(…)")
            let close = try expectSymbol(")", "')' after the column")
            return .time(bucket, col, t.span.to(close.span))
        }
        if t.isWord("period"), peek(1).isWord("in") {
            pos += 2
            return try periodList(column: nil, start: t.span)
        }
        let n = try name("a column to group by (or year, quarter, month, fy)")
        if current.isWord("in"), peek(1).isSymbol("(") {
            pos += 1
            return try periodList(column: n, start: n.span)
        }
        return .column(n)
    }

    mutating func periodList(column: Name?, start: SourceSpan) throws -> GroupKey {
        try expectSymbol("(", "'(' and a list of periods")
        var periods = [try periodExpr()]
        while acceptSymbol(",") != nil { periods.append(try periodExpr()) }
        let close = try expectSymbol(")", "')' to close the list of periods")
        return .periods(column, periods, start.to(close.span))
    }
}
