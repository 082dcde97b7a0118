/// A statement's measures: `count allegations, count cases by outcome`,
/// `percent(count a where x, count a) by year`, `1000 * sum x / sum y from d
/// by region`. Each measure takes its own `where`; the clauses after the
/// last measure (`from`, `by`, `across`, `order`, `top`, `limit`, `with`)
/// apply to all of them, so `by year` groups every column the same way.
/// One plain measure parses to the query it always was.
extension Parser {
    mutating func measures() throws -> Expr {
        let start = pos
        let saved = inMeasureList
        inMeasureList = true
        var items = [try expression()]
        while acceptSymbol(",") != nil { items.append(try expression()) }
        inMeasureList = saved
        var shared = Query(verb: .show([]), span: current.span)
        let clauseStart = pos
        var seen = Set<String>()
        try clauses(&shared, seen: &seen)
        if current.isSymbol(","), pos > clauseStart {
            throw MisqError(.syntax, "a measure after the table's clauses", source: source, span: current.span,
                            expected: "the measures first, then from, by, order, top, with",
                            suggestion: "'\(tokens[clauseStart].word?.lowercased() ?? "")' applies to every measure: write it after the last one")
        }
        let end = tokens[max(pos - 1, 0)].span
        if items.count == 1, case .query(var q) = items[0] {
            // One measure: the clauses are its own, as they always were.
            if let f = shared.filter {
                if q.filter != nil {
                    let at = tokens[clauseStart..<pos].last { $0.isWord("where") && $0.span.start < f.span.start }?.span ?? f.span
                    throw MisqError(.syntax, "'where' appears twice in one query", source: source, span: at,
                                    expected: "each clause at most once", suggestion: "join the conditions with 'and'")
                }
                q.filter = f
            }
            q.from = shared.from; q.keys = shared.keys; q.across = shared.across; q.order = shared.order
            q.top = shared.top; q.topShare = shared.topShare; q.topSpan = shared.topSpan; q.limit = shared.limit
            q.withPercent = shared.withPercent; q.withTotal = shared.withTotal; q.withBars = shared.withBars; q.suppression = shared.suppression; q.rounding = shared.rounding
            q.join = shared.join; q.per = shared.per
            q.span = q.span.to(end)
            return .query(q)
        }
        if let j = shared.join {
            throw MisqError(.syntax, "'join' applies to a query of one measure", source: source, span: j.span,
                            expected: "one count or aggregate with its join", suggestion: "name each figure with let, then combine them")
        }
        if let p = shared.per {
            throw MisqError(.syntax, "'per' applies to a query of one measure with a join", source: source, span: p.span,
                            expected: "one count or aggregate with its join", suggestion: "name each figure with let, then combine them")
        }
        // Arithmetic with no table clause is a scalar, as it always was: a
        // `from` or `where` after its last measure is that measure's own
        // (`count cases / count cases from npcc` compares two datasets).
        if items.count == 1, shared.keys.isEmpty, shared.across == nil, shared.order.isEmpty, !shared.hasTop, shared.limit == nil,
           !shared.withPercent, !shared.withTotal, !shared.withBars, shared.suppression == nil, shared.rounding == nil {
            if pos == clauseStart { return items[0] }
            pos = start
            return try expression()
        }
        if let f = shared.filter {
            throw MisqError(.syntax, "a 'where' after the clauses of several measures", source: source, span: f.span,
                            expected: "each measure's 'where' right after it",
                            suggestion: "write it after the measure it narrows (count cases where …, count allegations where …), or count from a subset: let s = cases where …")
        }
        guard let verb = Parser.firstQuery(in: items[0])?.verb ?? items.lazy.compactMap({ Parser.firstQuery(in: $0)?.verb }).first else {
            throw MisqError(.syntax, "no measure in this table", source: source, span: items[0].span.to(end),
                            expected: "a measure: count, sum, avg, min, max or median", suggestion: "e.g. count cases, count allegations by outcome")
        }
        var q = shared
        q.verb = verb
        q.columns = items
        q.span = items[0].span.to(end)
        return .query(q)
    }

    /// Inside a measure of a list, the table's clauses are errors, pointed
    /// at; between measures and after the last one they end the measure.
    /// `top` is the measure's own (the rows it measures), never the
    /// table's, so it moves out with the measure into a `let` of its own.
    mutating func clauseInsideMeasure(measureStart: SourceSpan) throws {
        guard nesting > 0, let w = current.word?.lowercased(), ["from", "by", "across", "order", "top", "limit", "with"].contains(w) else { return }
        if w == "top" {
            let cut = peek(1).isNumberOrPercent ? peek(1).span : current.span
            let measure = source.text(SourceSpan(measureStart.start, cut.end))
            throw MisqError(.syntax, "'top' inside a measure of a combined figure", source: source, span: current.span,
                            expected: "',' or ')' after the measure and its 'where'",
                            suggestion: "name the measure with its top first, then use the name in its place: let top_part = \(measure)")
        }
        throw MisqError(.syntax, "'\(w)' inside a measure", source: source, span: current.span,
                        expected: "',' or ')' after the measure and its 'where'",
                        suggestion: "'\(w)' applies to the whole table: write it after the ')', e.g. percent(count a where x, count a) \(w) …")
    }

    static func firstQuery(in e: Expr) -> Query? {
        switch e {
        case .query(let q): return q
        case .percentOf(let a, let b, _), .binary(_, let a, let b): return firstQuery(in: a) ?? firstQuery(in: b)
        case .negate(let a, _): return firstQuery(in: a)
        case .number, .date, .name: return nil
        }
    }
}

extension Token {
    var isNumberOrPercent: Bool {
        switch kind {
        case .number, .percent: return true
        default: return false
        }
    }
}
