/// Period expressions → day intervals. `since` and `last` need the
/// dataset's as-of date.
extension Checker {
    func resolvePeriod(_ expr: PeriodExpr, dataset: (any DatasetSchema)?, depth: Int = 0) throws -> (DayInterval, String?) {
        switch expr {
        case .literal(let lit, _):
            return (lit.interval, nil)
        case .range(let a, let b, let inclusive, let span):
            let (ia, na) = try resolvePeriod(a, dataset: dataset, depth: depth + 1)
            let (ib, nb) = try resolvePeriod(b, dataset: dataset, depth: depth + 1)
            let interval = DayInterval(start: ia.start, end: inclusive ? ib.end : ib.start)
            if interval.end <= interval.start {
                let what = inclusive ? "ends before it starts" : (interval.end == interval.start ? "is empty: a..b stops before the start of b" : "ends before it starts")
                throw MisqError(.period, "the period \(source.text(span)) \(what)", source: source, span: span,
                                expected: "an end after the start",
                                suggestion: inclusive ? "swap the two ends" : "use 'through' to include the whole of the end, or swap the ends")
            }
            // The as-of note goes with the range only when the range still
            // ends on the as-of date (`2021..last 3 months` does not).
            return (interval, nb != nil && interval.end == ib.end ? nb : (na != nil && interval.end == ia.end ? na : nil))
        case .since(let a, let span):
            let (ia, _) = try resolvePeriod(a, dataset: dataset, depth: depth + 1)
            let (asOf, note) = try asOfDay(dataset, span)
            if ia.start > asOf {
                throw MisqError(.period, "'since' starts after the data's as-of date \(Day.iso(asOf))", source: source, span: span,
                                expected: "a start on or before \(Day.iso(asOf))")
            }
            return (DayInterval(start: ia.start, end: asOf + 1), note)
        case .last(let n, let unit, let span):
            if n <= 0 {
                throw MisqError(.period, "'last \(n) \(unit.rawValue)' covers no time", source: source, span: span,
                                expected: "a count of at least 1")
            }
            let (asOf, note) = try asOfDay(dataset, span)
            let end = asOf + 1
            let start: Int
            switch unit {
            case .days: start = end - n
            case .weeks: start = end - 7 * n
            case .months: start = Checker.monthsBack(asOf, n)
            case .quarters: start = Checker.monthsBack(asOf, 3 * n)
            case .years: start = Checker.monthsBack(asOf, 12 * n)
            }
            return (DayInterval(start: start, end: end), note)
        case .param(let name):
            guard depth < 32 else {
                throw MisqError(.period, "param '\(name.text)' refers to itself", source: source, span: name.span)
            }
            guard let p = catalog.params[name.text.lowercased()] else {
                let candidates = Array(catalog.params.keys)
                throw MisqError(.name, "unknown period or param '\(name.text)'", source: source, span: name.span,
                                expected: "a period (2022, 2022-05, 2022-Q2, FY2022/23, a..b) or a param holding one",
                                suggestion: Suggestions.didYouMean(name.text, candidates) ?? (candidates.isEmpty ? "declare it: param \(name.text) = 2022-05..2023-05" : nil))
            }
            let inner = Checker(catalog: catalog, source: p.source)
            switch p.value {
            case .period(let e): return try inner.resolvePeriod(e, dataset: dataset, depth: depth + 1)
            case .value(.number(let v, _)) where v.rounded() == v && v >= 1000 && v <= 9999:
                return (PeriodLiteral.year(Int(v)).interval, nil)
            case .value(.period(let lit, _)): return (lit.interval, nil)
            case .value:
                throw MisqError(.type, "param '\(name.text)' does not hold a period", source: source, span: name.span,
                                expected: "a period", notes: ["'\(name.text)' is declared at \(p.source.location(p.span))"])
            }
        }
    }

    /// First day of the N months ending on `asOf`. An as-of on a month's
    /// last day gives whole months (to 30 April: from 1 May); otherwise the
    /// day after the same date N months back (to 30 March: from 1 March),
    /// clamping so no month is skipped.
    static func monthsBack(_ asOf: Int, _ months: Int) -> Int {
        let end = asOf + 1
        if Day.civil(end).day == 1 { return Day.addMonths(end, -months) }
        return Day.addMonths(asOf, -months) + 1
    }

    func asOfDay(_ dataset: (any DatasetSchema)?, _ span: SourceSpan) throws -> (Int, String?) {
        guard let ds = dataset else {
            throw MisqError(.period, "'since' and 'last' need a dataset's as-of date", source: source, span: span)
        }
        guard let (day, declared) = try ds.asOf() else {
            // Several date columns and none declared: say which could be the period column.
            let dates = ds.periodColumn == nil && ds.published == nil ? try ds.dateColumns() : []
            let several = dates.count > 1 ? ": it has \(dates.count) date columns (\(dates.joined(separator: ", "))) and no period column" : ""
            throw MisqError(.period, "dataset '\(ds.name)' has no as-of date for 'since' or 'last' to run to\(several)", source: source, span: span,
                            expected: "a dataset with misq:asOf (or misq:retrieved) in datapackage.json, or a period column",
                            suggestion: dates.count > 1 ? "declare one with load \"\(ds.path)\" as \(Identifier.source(ds.name)) period \(Identifier.source(dates[0])), or give both ends, e.g. 2023-05..2024-05"
                                                        : "give both ends instead, e.g. 2023-05..2024-05")
        }
        return (day, declared ? "to the as-of date \(Day.iso(day))" : "to the latest \((try? ds.periodColumnIndex()).flatMap { $0.map { ds.columnNames[$0.index] } } ?? "date") in the data, \(Day.iso(day)); no as-of date is declared")
    }
}
