/// Conditions → predicates over one dataset's columns, by name.
extension Checker {
    /// `depth` counts levels of `and`, `or`, `not` and definitions, all the
    /// way down through the definitions used: the parser bounds one
    /// condition's nesting, but a chain of definitions could still nest
    /// deep enough to overflow the stack. `expanding` names the definitions
    /// being expanded, so a real cycle is told from a long honest chain.
    func bind(_ c: Condition, _ ds: any DatasetSchema, periods: inout [ResolvedPeriod], depth: Int,
              expanding: Set<String> = []) throws -> Predicate {
        guard depth < Checker.maxConditionDepth else {
            throw MisqError(.name, "this condition nests more than \(Checker.maxConditionDepth) levels deep, counting the definitions it uses",
                            source: source, span: c.span, suggestion: "flatten it: a long chain of and/or needs no parentheses")
        }
        switch c {
        case .and(let parts):
            return .and(try parts.map { try bind($0, ds, periods: &periods, depth: depth + 1, expanding: expanding) })
        case .or(let parts):
            return .or(try parts.map { try bind($0, ds, periods: &periods, depth: depth + 1, expanding: expanding) })
        case .not(let inner, _):
            return .not(try bind(inner, ds, periods: &periods, depth: depth + 1, expanding: expanding))
        case .flag(let n):
            return try bindFlag(n, ds, periods: &periods, depth: depth, expanding: expanding)
        case .compare(let n, let op, let v):
            let k = try columnIndex(n, in: ds)
            return try bindCompare(k, n, op, v, ds, periods: &periods)
        case .inList(let n, let values, let negated, _):
            let k = try columnIndex(n, in: ds)
            // A list of thousands of ids takes a while to resolve: Ctrl-C stops it between values.
            let parts = try values.map { v -> Predicate in
                try Cancellation.check()
                return try bindCompare(k, n, .eq, v, ds, periods: &periods)
            }
            let any: Predicate = parts.count == 1 ? parts[0] : Checker.mergedLabels(parts) ?? .or(parts)
            // `not in` keeps rows with a value outside the list, not missing ones.
            return negated ? .and([.not(any), .not(.missing(column: ds.columnNames[k]))]) : any
        case .inPeriod(let n, let p):
            let k = try columnIndex(n, in: ds)
            guard try ds.columnType(k) == .date else {
                throw MisqError(.type, "'\(n.text)' holds \(try ds.columnType(k).rawValue) values, not dates, so it cannot be 'in' a period",
                                source: source, span: n.span, expected: "a date column",
                                suggestion: Suggestions.didYouMeanName(n.text, try ds.dateColumns()) ?? "for a list of values write \(n.text) in (a, b)")
            }
            let (interval, note) = try resolvePeriod(p, dataset: ds)
            periods.append(ResolvedPeriod(interval: interval, column: ds.columnNames[k], asOfNote: note))
            return .dateIn(column: ds.columnNames[k], lo: interval.start, hi: interval.end)
        case .textMatch(let n, let kind, let v, let negated, _):
            return try bindTextMatch(try columnIndex(n, in: ds), n, kind, v, negated: negated, ds)
        case .isMissing(let n, let negated):
            let k = try columnIndex(n, in: ds)
            return negated ? .not(.missing(column: ds.columnNames[k])) : .missing(column: ds.columnNames[k])
        case .period(let p, let span):
            let (interval, note) = try resolvePeriod(p, dataset: ds)
            if let pub = ds.published, let s = pub.periodStart, let e = pub.periodEnd,
               let sk = ds.columnIndex(s), let ek = ds.columnIndex(e) {
                periods.append(ResolvedPeriod(interval: interval, column: ResolvedPeriod.publishedPeriods, asOfNote: note))
                return .periodInside(start: ds.columnNames[sk], end: ds.columnNames[ek], lo: interval.start, hi: interval.end)
            }
            let k = try periodColumn(ds, span, purpose: "'period'")
            periods.append(ResolvedPeriod(interval: interval, column: ds.columnNames[k], asOfNote: note))
            return .dateIn(column: ds.columnNames[k], lo: interval.start, hi: interval.end)
        }
    }

    /// `outcome in (a, b)` as one label list, not an `or` of two.
    static func mergedLabels(_ parts: [Predicate]) -> Predicate? {
        var column: String?
        var labels: [String] = []
        for p in parts {
            guard case .labelIn(let c, let ls) = p, column == nil || column == c else { return nil }
            column = c
            for l in ls where !labels.contains(l) { labels.append(l) }
        }
        return column.map { .labelIn(column: $0, labels: labels) }
    }

    func bindFlag(_ n: Name, _ ds: any DatasetSchema, periods: inout [ResolvedPeriod], depth: Int,
                  expanding: Set<String>) throws -> Predicate {
        if let k = try lookupColumn(n, in: ds, fold: false) ?? (catalog.defines[n.text.lowercased()] == nil ? lookupColumn(n, in: ds) : nil) {
            switch try ds.columnType(k) {
            case .boolean: return .isTrue(column: ds.columnNames[k])
            case .number: return .nonZero(column: ds.columnNames[k])
            case .category:
                let sample = (try ds.labelSet(k)?.labels ?? []).prefix(3).map { Suggestions.normalize($0) == $0.lowercased() ? $0 : "\"\($0)\"" }
                throw MisqError(.type, "'\(n.text)' is a category column, not a yes/no flag", source: source, span: n.span,
                                expected: "a comparison", suggestion: "compare it: \(n.text) = \(sample.first ?? "value")")
            case .date:
                throw MisqError(.type, "'\(n.text)' is a date column, not a yes/no flag", source: source, span: n.span,
                                expected: "a period test", suggestion: "e.g. \(n.text) in 2022, or \(n.text) is not missing")
            }
        }
        let key = n.text.lowercased()
        if let d = catalog.defines[key] {
            if expanding.contains(key) {
                throw MisqError(.name, "definition '\(d.name)' refers to itself, directly or through others", source: source, span: n.span,
                                suggestion: "a definition cannot use itself; check the defines it names")
            }
            return try checker(for: d.source).bind(d.condition, ds, periods: &periods, depth: depth + 1,
                                                                        expanding: expanding.union([key]))
        }
        let flags = try ds.columnNames.indices.filter { k in
            return try ds.columnType(k) == .boolean
        }.map { ds.columnNames[$0] }
        let candidates = flags + Array(catalog.defines.keys) + ds.columnNames
        throw MisqError(.name, "unknown column or definition '\(n.text)'", source: source, span: n.span,
                        expected: "a yes/no column, a definition, or a comparison such as \(n.text) = value",
                        suggestion: Suggestions.didYouMeanName(n.text, candidates) ?? (flags.isEmpty ? nil : "yes/no columns: " + flags.joined(separator: ", ")))
    }

    func bindCompare(_ k: Int, _ n: Name, _ op: CompareOp, _ v: Value, _ ds: any DatasetSchema, periods: inout [ResolvedPeriod]) throws -> Predicate {
        let type = try ds.columnType(k)
        let v = try resolveParamValue(v, type)
        let column = ds.columnNames[k]
        switch type {
        case .category:
            let c = try ds.labelSet(k) ?? LabelSet(labels: [], foldedMatches: { _ in [] })
            guard op == .eq || op == .ne else {
                throw MisqError(.type, "'\(n.text)' holds categories, which have no order", source: source, span: v.span,
                                expected: "= or != (or in (…))")
            }
            let text: String
            switch v {
            case .word(let w, _), .string(let w, _): text = w
            case .number(let x, _): text = NumberFormat.plain(x)
            case .period(let p, _): text = p.description
            }
            var quoted = false
            if case .string = v { quoted = true }
            let norm = Suggestions.normalize(text)
            let matched = try labelMatches(folded: c.matching(folded: norm), text, quoted: quoted, c, ds, column: k,
                                           name: n.text, span: v.span)
            guard !matched.isEmpty else {
                // A value the data package allows but no row has: an honest zero.
                let declared = ds.declaredValues(k) ?? []
                if !norm.isEmpty, declared.contains(where: { Suggestions.normalize($0) == norm }) {
                    let none = Predicate.labelIn(column: column, labels: [])
                    return op == .eq ? none : .and([.not(none), .not(.missing(column: column))])
                }
                throw unknownValue(text, v.span, column: n.text, labels: declared.isEmpty ? c.labels : Array(Set(c.labels + declared)))
            }
            let eq = Predicate.labelIn(column: column, labels: matched.map { c.labels[$0] })
            return op == .eq ? eq : .and([.not(eq), .not(.missing(column: column))])
        case .number:
            guard case .number(let x, _) = v else {
                throw MisqError(.type, "'\(n.text)' holds numbers; this is not one", source: source, span: v.span, expected: "a number")
            }
            return .number(column: column, op, x)
        case .date:
            let interval: DayInterval
            switch v {
            case .period(let p, _): interval = p.interval
            case .number(let x, _) where x.rounded() == x && x >= 1000 && x <= 9999: interval = PeriodLiteral.year(Int(x)).interval
            case .string(let s, _) where ValueParsing.date(s) != nil: let d = ValueParsing.date(s) ?? 0; interval = DayInterval(start: d, end: d + 1)
            default:
                throw MisqError(.type, "'\(n.text)' holds dates; this is not a date or period", source: source, span: v.span,
                                expected: "a period such as 2022, 2022-05, 2022-05-17, 2022-Q2 or FY2022/23")
            }
            periods.append(ResolvedPeriod(interval: interval, column: ds.columnNames[k], asOfNote: nil))
            switch op {
            case .eq: return .dateIn(column: column, lo: interval.start, hi: interval.end)
            case .ne: return .and([.not(.dateIn(column: column, lo: interval.start, hi: interval.end)), .not(.missing(column: column))])
            case .lt: return .dateIn(column: column, lo: DaySet.lowest, hi: interval.start)
            case .le: return .dateIn(column: column, lo: DaySet.lowest, hi: interval.end)
            case .gt: return .dateIn(column: column, lo: interval.end, hi: DaySet.highest)
            case .ge: return .dateIn(column: column, lo: interval.start, hi: DaySet.highest)
            }
        case .boolean:
            var b: Bool?
            switch v {
            case .word(let w, _), .string(let w, _): b = ValueParsing.boolean(w, allowDigits: true)
            case .number(let x, _): b = x == 1 ? true : (x == 0 ? false : nil)
            case .period: b = nil
            }
            guard let value = b, op == .eq || op == .ne else {
                throw MisqError(.type, "'\(n.text)' is a yes/no column", source: source, span: v.span,
                                expected: "= yes or = no", suggestion: "or use it as a flag: where \(n.text), where not \(n.text)")
            }
            return .boolEquals(column: column, op == .eq ? value : !value)
        }
    }

    /// A bare word that names a param stands for the param's value, unless
    /// it is also a category value of the column.
    func resolveParamValue(_ v: Value, _ type: ColumnType) throws -> Value {
        guard case .word(let w, let span) = v, let p = catalog.params[w.lowercased()] else { return v }
        switch p.value {
        case .value(let inner):
            switch inner {
            case .word(let s, _): return .word(s, span)
            case .string(let s, _): return .string(s, span)
            case .number(let x, _): return .number(x, span)
            case .period(let l, _): return .period(l, span)
            }
        case .period(.literal(let l, _)): return .period(l, span)
        case .period:
            throw MisqError(.type, "param '\(w)' holds a range of days; compare with 'in'", source: source, span: span,
                            suggestion: "write COLUMN in \(w)")
        }
    }

    func unknownValue(_ text: String, _ span: SourceSpan, column: String, labels: [String]) -> MisqError {
        let norm = Suggestions.normalize(text)
        // Edit distances to every label of an id column (millions) would
        // take minutes: only labels near the word's length are candidates,
        // and at most 20,000 of them.
        let few = labels.count <= LabelSet.tableLimit
        let slack = max(2, norm.count / 3) + 2
        let candidates = (few ? labels : Array(labels.lazy.filter { abs($0.utf8.count - norm.utf8.count) <= slack }.prefix(20_000))).sorted()
        let normLabels = candidates.map { ($0, Suggestions.normalize($0)) }
        let close = Suggestions.closest(to: norm, in: normLabels.map(\.1), limit: 3)
            .compactMap { n in normLabels.first { $0.1 == n }?.0 }
        let shown = Suggestions.smallest(12, of: labels).joined(separator: ", ") + (labels.count > 12 ? ", … (\(NumberFormat.count(labels.count)) in all)" : "")
        var suggestion: String
        if close.count == 1 { suggestion = "did you mean '\(close[0])'?" }
        else if !close.isEmpty { suggestion = "did you mean one of " + close.map { "'\($0)'" }.joined(separator: ", ") + "?" }
        else { suggestion = "'\(catalog.describeCommand) \(column)' lists its values" }
        return MisqError(.value, "'\(text)' is not a value of '\(column)'", source: source, span: span,
                         expected: "a value of \(column)", suggestion: suggestion,
                         notes: labels.isEmpty ? ["'\(column)' has no values in the data"] : ["values of \(column): \(shown)"])
    }
}
