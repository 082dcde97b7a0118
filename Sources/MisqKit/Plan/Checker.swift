/// Syntax tree → logical plan: resolves datasets, units, columns, values,
/// defines, params and periods against the catalog (each dataset's schema,
/// `Catalog.swift`, and the session's declarations), pointing at the source
/// on every failure. It reads no rows.
public struct Checker {
    let catalog: any Catalog
    let source: SourceFile
    /// Subsets of subsets nest at most this deep, and conditions (through
    /// the definitions they use) this many levels: bounds on the stack, not
    /// cycle tests (those are by name).
    static let maxDefineDepth = 100
    static let maxConditionDepth = 1_000
    /// Shared with the checkers of the definitions and subsets a query uses.
    var textMatches = TextMatchLog()

    public init(catalog: any Catalog, source: SourceFile) {
        self.catalog = catalog
        self.source = source
    }

    /// The dataset, unit and inherited filters that a source name means.
    struct Target {
        var dataset: any DatasetSchema
        var unit: String?
        var filters: [(Condition, SourceFile)]
    }

    /// A plan names its own text matches only, though one checker may plan
    /// several queries (a scalar's, an assertion's).
    public func plan(_ q: Query) throws -> LogicalPlan {
        var c = self
        c.textMatches = TextMatchLog()
        return try c.planQuery(q)
    }

    func planQuery(_ q: Query) throws -> LogicalPlan {
        if let columns = q.columns { return try planTable(q, columns) }
        var target: Target
        var measure: PlanMeasure
        var valueName: String
        var unitName: String
        var extra: [Predicate] = []
        switch q.verb {
        case .count(let n):
            target = withDerived(try joined(try resolveTarget(n, from: q.from), q), q)
            try prefetch(q, target)
            guard let unit = target.unit else {
                throw MisqError(.name, "'\(n.text)' names no unit to count", source: source, span: n.span)
            }
            (measure, extra) = try unitMeasure(unit, in: target.dataset, at: n.span)
            // `count cases` on a bare CSV loaded as `cases` counts its rows: say "cases".
            valueName = unit == "rows" && n.text.lowercased() != "rows" ? n.text : unit
            // A grouped result's rows are its groups, not things its name
            // counts: "17,717 per_officer rows", not "17,717 per_officer".
            if unit == "rows", target.dataset.isMadeByStatement, n.text.lowercased() == target.dataset.name.lowercased() { valueName = n.text + " rows" }
            unitName = valueName
        case .countDistinct(let col):
            target = withDerived(try joined(try resolveSource(q.from, for: col), q), q)
            try prefetch(q, target)
            let k = try columnIndex(col, in: target.dataset)
            measure = .distinct(column: target.dataset.columnNames[k])
            valueName = "distinct " + target.dataset.columnNames[k]
            unitName = valueName
        case .aggregate(let agg, let col):
            target = withDerived(try joined(try resolveSource(q.from, for: col), q), q)
            try prefetch(q, target)
            let k = try columnIndex(col, in: target.dataset)
            if let js = joinedSchema(target.dataset), k >= js.left.columnNames.count, k < js.columnNames.count {
                // One figure per joined row, repeated on each row joined to it: summed over rows it would count once per row.
                throw MisqError(.syntax, "'\(col.text)' is \(js.right.name)'s, one value per row of \(js.right.name), repeated on every row of \(js.left.name) joined to it: \(agg.name) over those rows would count it once per row",
                                source: source, span: col.span, expected: "a column of \(js.left.name), or a rate with per",
                                suggestion: "per 1000 \(Identifier.source(js.columnNames[k])) gives a rate; \(agg.name) \(Identifier.source(js.right.columnNames[k - js.left.columnNames.count])) from \(Identifier.source(js.right.name)) its own figure")
            }
            let type = try target.dataset.columnType(k)
            // The column types come from the aggregate's registry entry.
            if type == .date && !agg.spec.argumentTypes.contains(.date) {
                // A sum or average of day numbers is not a date (issue 15, item 1).
                throw MisqError(.type, "\(agg.name) of a date column has no meaning; '\(col.text)' holds dates", source: source,
                                span: col.span, expected: agg.spec.argumentsListed,
                                suggestion: "median \(col.text) gives the middle date, and min or max the first or last")
            }
            guard let argument = AggregateSpec.ValueType(rawValue: type.rawValue), agg.spec.argumentTypes.contains(argument) else {
                throw MisqError(.type, "\(agg.name) needs \(agg.spec.argumentsListed); '\(col.text)' holds \(type.rawValue) values", source: source,
                                span: col.span, expected: agg.spec.argumentsListed,
                                suggestion: Suggestions.didYouMeanName(col.text, try numberColumns(target.dataset)).map { $0 } ?? "count it instead: count \(target.dataset.name) by \(col.text)")
            }
            measure = .aggregate(agg, column: target.dataset.columnNames[k])
            valueName = "\(agg.text) \(target.dataset.columnNames[k])"
            unitName = valueName
        case .show(let names):
            if let j = q.join {
                throw MisqError(.syntax, "'show' with 'join' is not supported yet", source: source, span: j.span,
                                expected: "count or an aggregate with join",
                                suggestion: "count the rows by the columns instead: count rows\((q.from?.text ?? showJoinSource(names, key: j.leftKey.text)).map { " from " + Identifier.source($0) } ?? "") join \(Identifier.source(j.dataset.text)) on \(Identifier.source(j.leftKey.text))\(j.rightKey.map { " = " + Identifier.source($0.text) } ?? "") by \(names.prefix(2).map { Identifier.source($0.text) }.joined(separator: ", "))")
            }
            (target, measure) = try showTarget(names, from: q.from, span: q.span, query: q)
            valueName = "rows"
            unitName = target.unit ?? "rows"
        }
        let ds = target.dataset
        var periods: [ResolvedPeriod] = []
        var conditions: [Predicate] = extra
        let join = try planJoin(q, ds)
        if let inner = join?.1 { conditions.append(inner) }
        for (c, src) in target.filters {
            let checker = checker(for: src)
            try checker.checkExpandedSize(c, span: c.span)
            conditions.append(try checker.bind(c, ds, periods: &periods, depth: 0))
        }
        if let f = q.filter {
            try checkExpandedSize(f, span: f.span)
            conditions.append(try bind(f, ds, periods: &periods, depth: 0))
        }
        let keys = try q.keys.map { try bindKey($0, ds) }
        let across = try q.across.map { try bindKey($0, ds) }
        // A period-list key keeps only rows inside its periods, and shows them.
        for key in keys + (across.map { [$0] } ?? []) {
            guard case .periods(let col, let intervals, _) = key else { continue }
            conditions.append(.or(intervals.map { Predicate.dateIn(column: col, lo: $0.start, hi: $0.end) }))
        }
        let filter: Predicate = conditions.isEmpty ? .all : (conditions.count == 1 ? conditions[0] : .and(conditions))
        periods = ResolvedPeriod.scopes(of: filter, in: ds, named: periods)
        if case .show = measure { try checkShowClauses(q) }
        var order: [PlanOrder] = []
        for item in q.order {
            let w = item.name.text.lowercased()
            if !measure.isShow, w == "count" || w == valueName.lowercased() || w == unitName.lowercased() || w == "value" {
                order.append(PlanOrder(target: .value, descending: item.descending)); continue
            }
            if let k = keys.firstIndex(where: { $0.name.lowercased() == w }) { order.append(PlanOrder(target: .key(k), descending: item.descending)); continue }
            if case .show = measure {
                guard let c = try showColumn(item.name, in: ds) else {
                    if w == "count" || w == "value" {
                        throw MisqError(.syntax, "'show' lists rows, which have no count to order by", source: source, span: item.name.span,
                                        expected: "a column of \(ds.name)", suggestion: "order by one of its columns, or count … by … order by count")
                    }
                    _ = try columnIndex(item.name, in: ds); continue
                }
                order.append(PlanOrder(target: .column(c), descending: item.descending)); continue
            }
            throw MisqError(.name, "cannot order by '\(item.name.text)'", source: source, span: item.name.span,
                            expected: "a 'by' key or 'count'",
                            suggestion: Suggestions.didYouMeanName(item.name.text, keys.map(\.name) + ["count"]))
        }
        if let t = q.top, t == 0 {
            throw MisqError(.value, "'top 0' would show nothing", source: source, span: q.topSpan ?? q.span, expected: "top 1 or more",
                            suggestion: "drop 'top' to show every group")
        }
        if keys.isEmpty, across == nil, !measure.isShow { try checkScalarClauses(q, rankedBy: measure, in: ds) }
        if q.withBars, let a = q.across {
            // One bar a row: a crosstab has a value per column, and a bar
            // for only one of them, or for their total, would be a guess.
            throw MisqError(.syntax, "'with bars' draws one bar a row, and 'across' gives each row several values", source: source, span: a.span,
                            expected: "by KEY without across", suggestion: "by KEY1, KEY2 gives one row (and one bar) per pair; or drop 'bars'")
        }
        if q.withPercent, case .aggregate = measure {
            throw MisqError(.syntax, "'with percent' applies to counts", source: source, span: q.span, suggestion: "drop 'percent'")
        }
        var plan = LogicalPlan(dataset: ds.name, measure: measure, valueName: valueName, unitName: unitName, filter: filter, keys: keys,
                               across: across, order: order, top: q.top, limit: q.limit, withPercent: q.withPercent,
                               withTotal: q.withTotal, periods: periods)
        plan.topShare = q.topShare
        plan.withBars = q.withBars
        plan.suppression = try checkSuppression(q, measure: measure, in: ds)
        if let rule = plan.suppression { plan.suppressionMeasure = try suppressionMeasure(rule, in: ds) }
        if let r = q.rounding {
            // Rounding hides the differences a total would give away; the
            // small counts themselves still need a rule to be hidden by.
            guard plan.suppression != nil else {
                throw MisqError(.syntax, "'rounding' goes with a suppression rule: the small counts are hidden as [c], the rest rounded", source: source,
                                span: r.span, expected: "with suppression RULE, rounding \(r.base)", suggestion: "with suppression under 5, rounding \(r.base)")
            }
            plan.rounding = r
        }
        plan.join = join?.0
        if let j = join?.0 {
            plan.per = try planPer(q, ds, keys: keys, join: j, measure: measure)
            if let p = plan.per { plan.per = try narrowDenominator(p, q, filter: filter, join: j) }
            if let p = plan.per {
                plan.per?.measureName = plan.valueName
                plan.valueName = "\(plan.valueName) per \(p.multiplierText) \(p.column)"
            }
        }
        plan.textMatches = textMatches.matches
        plan.derive = try (ds as? DerivedSchema)?.steps() ?? []
        // Rows shown whole show the derived values the query names too.
        if case .show(let cs) = measure, cs == (ds as? DerivedSchema)?.base.columnNames {
            plan.measure = .show(columns: cs + plan.derive.filter { !$0.intermediate }.map(\.name))
        }
        return plan
    }

    /// A query without `by` or `across` gives one figure: a clause that
    /// ranks, cuts or totals groups has none to act on, so it is an error
    /// rather than silently dropped.
    /// An aggregate of a column takes `top`: the rows with its largest
    /// values are measured (`sum allegations from per_officer top 10%`).
    func checkScalarClauses(_ q: Query, rankedBy measure: PlanMeasure? = nil, in ds: (any DatasetSchema)? = nil) throws {
        let clause: String?
        var ranks = false
        if case .aggregate? = measure { ranks = true }
        if q.withTotal { clause = "with total" } else if q.withPercent { clause = "with percent" } else if q.withBars { clause = "with bars" }
        else if q.suppression != nil { clause = "with suppression" } else if q.rounding != nil { clause = "with rounding" }
        else if q.hasTop && !ranks { clause = "top" } else if q.limit != nil { clause = "limit" }
        else if !q.order.isEmpty { clause = "order by" } else { clause = nil }
        guard let c = clause else { return }
        if q.per != nil, c == "with percent" || c == "with suppression" || c == "with rounding" {
            // Grouping would not help: with 'per' these are refused anyway.
            var without = q
            without.withPercent = false; without.suppression = nil; without.rounding = nil
            throw MisqError(.syntax, c == "with percent" ? "'with percent' adds shares of a count; with 'per' the figure is a rate"
                                : "a rate from a suppressed count is not protected yet: '\(c)' does not go with 'per'",
                            source: source, span: q.span, expected: "a rate without '\(c)'", suggestion: without.description)
        }
        throw MisqError(.syntax, "'\(c)' acts on groups, and this query has no 'by': it gives one figure", source: source,
                        span: c == "top" ? (q.topSpan ?? q.span) : c == "order by" ? (q.order.first?.name.span ?? q.span) : q.span,
                        expected: "a query with by KEY", suggestion: groupedExample(q, ds).map { "add by KEY, e.g. \($0), or drop '\(c)'" } ?? "add by KEY, or drop '\(c)'")
    }

    /// The dataset a `show … join` means, for its suggestion: the only one
    /// with the columns shown and the join key, else the one the first
    /// column resolves to.
    func showJoinSource(_ names: [Name], key: String) -> String? {
        let holders = catalog.schemas.filter { d in
            !d.isPublishedTable && ([key] + names.map(\.text)).allSatisfy { ((try? lookupColumn(Name($0, .none), in: d)) ?? nil) != nil }
        }
        if holders.count == 1 { return holders[0].name }
        return names.first.flatMap { try? resolveSource(nil, for: $0).dataset.name }
    }

    /// The query grouped by one of its dataset's own columns (a category
    /// first), so the example runs on the dataset asked about.
    func groupedExample(_ q: Query, _ ds: (any DatasetSchema)?) -> String? {
        guard let ds else { return nil }
        let own = (ds as? JoinedSchema)?.left ?? ((ds as? DerivedSchema)?.base as? JoinedSchema)?.left ?? ds
        let names = own.columnNames.filter(Identifier.isWritable)
        // The category of fewest labels (an outcome, not an ID), when there is one.
        let categories = names.compactMap { n -> (String, Int)? in
            guard let k = own.columnIndex(n), (try? own.columnType(k)) == .category else { return nil }
            return (n, (try? own.labelSet(k))??.labels.count ?? Int.max)
        }
        let pick = (categories.filter { $0.1 >= 2 }.min { $0.1 < $1.1 } ?? categories.first)?.0 ?? names.first
        // With 'per' the groups must be of the joined dataset's rows: by the join key.
        guard let key = q.per != nil ? q.join?.leftKey.text ?? pick : pick else { return nil }
        var g = q
        g.keys = [.column(Name(key, q.span))]
        return g.description
    }

    /// A checker for a definition's or subset's own source, recording into this one's log.
    func checker(for src: SourceFile) -> Checker {
        var c = Checker(catalog: catalog, source: src)
        c.textMatches = textMatches
        return c
    }

    /// The target's dataset with the session's derived values (and the
    /// query's own expression) as columns, when there are any.
    func withDerived(_ t: Target, _ q: Query) -> Target {
        let arg = q.argument.flatMap { e -> Derivation? in
            guard case .aggregate(_, let n) = q.verb else { return nil }
            return Derivation(name: n.text, expr: e, text: n.text, note: nil, source: source, span: e.span)
        }
        var t = t
        t.dataset = derivedView(t.dataset, argument: arg)
        return t
    }

    /// A dataset's schema with the session's derived values, if it has any.
    public func derivedView(_ ds: any DatasetSchema, argument: Derivation? = nil) -> any DatasetSchema {
        guard !catalog.derivations.isEmpty || argument != nil else { return ds }
        return DerivedSchema(base: ds, catalog: catalog, argument: argument)
    }

    // MARK: sources and units

    /// `count X [from D]`: X is a subset, a unit or a dataset.
    func resolveTarget(_ n: Name, from: Name?) throws -> Target {
        let key = n.text.lowercased()
        if let s = catalog.subsets[key] {
            if from != nil {
                throw MisqError(.syntax, "'\(n.text)' is a subset; it already says which dataset", source: source, span: from?.span ?? n.span,
                                suggestion: "drop the 'from'")
            }
            return try subsetTarget(s, depth: 0)
        }
        if let f = from {
            var base = try resolveFrom(f)
            // `count cases from cases` means the dataset's own unit, as
            // `count cases` does (the measures of a table are planned with
            // the first one's dataset named: a second `count cases` counted
            // rows).
            if key != "rows", !base.dataset.isPublishedTable, key == base.dataset.name.lowercased(),
               let own = catalog.units(of: base.dataset).keys.first(where: { $0.lowercased() == key }) {
                base.unit = own
                return base
            }
            if key == "rows" || key == base.dataset.name.lowercased() {
                base.unit = base.dataset.isPublishedTable ? base.unit : "rows"
                if base.dataset.isPublishedTable { throw publishedNeedsUnit(base.dataset, n.span) }
                return base
            }
            guard let u = catalog.units(of: base.dataset).keys.first(where: { $0.lowercased() == key }) else {
                let units = catalog.units(of: base.dataset).keys.sorted()
                throw MisqError(.name, "dataset '\(base.dataset.name)' does not count '\(n.text)'", source: source, span: n.span,
                                expected: "one of its units: " + units.joined(separator: ", "),
                                suggestion: Suggestions.didYouMeanName(n.text, units)
                                    ?? units.first.map { "count one of its units: count \(Identifier.source($0)) from \(Identifier.source(base.dataset.name))" }
                                    ?? (base.dataset.isPublishedTable ? nil : "count its rows: count rows from \(Identifier.source(base.dataset.name))"))
            }
            base.unit = u
            return base
        }
        let holders = catalog.schemas.filter { d in catalog.units(of: d).keys.contains { $0.lowercased() == key } }
        // A dataset that declares a unit of its own name (`cases` with
        // cases = distinct case_id) means the unit: counting its rows
        // instead would give a silently different figure.
        if let d = catalog.schema(named: n.text), !d.isPublishedTable,
           let own = catalog.units(of: d).keys.first(where: { $0.lowercased() == key }) {
            return Target(dataset: d, unit: own, filters: [])
        }
        if let d = catalog.schema(named: n.text) {
            // A dataset named like another dataset's unit (`--data cases.csv`)
            // must not quietly take the unit over: which is meant is asked.
            // A published table's unit (its transcribed figure) is no rival.
            let others = holders.filter { $0.name != d.name && !$0.isPublishedTable }
            if let other = others.first {
                throw MisqError(.name, "'\(n.text)' is both a dataset and a unit of '\(other.name)'", source: source, span: n.span,
                                expected: "one reading",
                                suggestion: "write 'rows from \(d.name)' for the dataset's rows, or '\(n.text) from \(other.name)' for the unit")
            }
            if d.isPublishedTable { throw publishedNeedsUnit(d, n.span) }
            return Target(dataset: d, unit: "rows", filters: [])
        }
        if holders.isEmpty {
            let candidates = catalog.unitNames + catalog.schemas.map(\.name) + Array(catalog.subsets.keys)
            // With nothing loaded there is nothing to list: say so, not "a unit ()".
            let expected = catalog.schemas.isEmpty
                ? "a unit, a dataset or a subset; no datasets are loaded"
                : (catalog.unitNames.isEmpty ? "" : "a unit (\(catalog.unitNames.joined(separator: ", "))), ") + "a dataset or a subset"
            throw MisqError(.name, "unknown unit '\(n.text)'", source: source, span: n.span, expected: expected,
                            suggestion: Suggestions.didYouMeanName(n.text, candidates)
                                ?? (catalog.schemas.isEmpty ? "run misq from a folder with datasets/, or pass --datasets DIR or --data FILE" : nil))
        }
        // A published table's units are the figures it transcribes, and the
        // case-level data beside it is what a bare `count cases` means. Two
        // case-level datasets declaring the unit are a question only `from`
        // answers: taking the package's default would silently count a
        // script's `load`ed data with another dataset's definition.
        // The same file loaded twice (the package's dataset and a `load` of
        // its CSV, which carries the package's units) with the same
        // definition of the unit counts the same: one question, not two.
        var caseLevel: [any DatasetSchema] = []
        for d in holders where !d.isPublishedTable {
            let def = catalog.units(of: d).first { $0.key.lowercased() == key }?.value
            if let k = caseLevel.firstIndex(where: { c in c.sourcePath == d.sourcePath
                && catalog.units(of: c).first { $0.key.lowercased() == key }?.value == def }) {
                if d.isDefault { caseLevel[k] = d }
            } else { caseLevel.append(d) }
        }
        let chosen: any DatasetSchema
        if caseLevel.count == 1 { chosen = caseLevel[0] }
        else if caseLevel.isEmpty && holders.count == 1 { chosen = holders[0] }
        else {
            let named = caseLevel.isEmpty ? holders : caseLevel
            throw MisqError(.name, "'\(n.text)' is declared on several datasets: " + named.map(\.name).joined(separator: ", "), source: source,
                            span: n.span, expected: "a query that says which dataset",
                            suggestion: "say which: " + named.map { "count \(n.text) from \($0.name)" }.joined(separator: ", or "))
        }
        let unit = catalog.units(of: chosen).keys.first { $0.lowercased() == key } ?? n.text
        return Target(dataset: chosen, unit: unit, filters: [])
    }

    func publishedNeedsUnit(_ d: any DatasetSchema, _ span: SourceSpan) -> MisqError {
        MisqError(.name, "'\(d.name)' is a published table: say which figures to add up", source: source, span: span,
                  expected: "one of its units: " + catalog.units(of: d).keys.sorted().joined(separator: ", "),
                  suggestion: "e.g. count \(catalog.units(of: d).keys.sorted().first ?? "cases") from \(d.name)")
    }

    func resolveFrom(_ f: Name) throws -> Target {
        if let s = catalog.subsets[f.text.lowercased()] { return try subsetTarget(s, depth: 0) }
        if let d = catalog.schema(named: f.text) { return Target(dataset: d, unit: nil, filters: []) }
        let candidates = catalog.schemas.map(\.name) + Array(catalog.subsets.keys)
        throw MisqError(.name, "unknown dataset '\(f.text)'", source: source, span: f.span,
                        expected: "a dataset (\(catalog.schemas.map(\.name).joined(separator: ", "))) or a subset",
                        suggestion: Suggestions.didYouMeanName(f.text, candidates))
    }

    /// `count distinct c`, `sum c`, `show`: the dataset from `from`, else the default.
    func resolveSource(_ from: Name?, for col: Name) throws -> Target {
        if let f = from { return try resolveFrom(f) }
        if let d = catalog.defaultSchema { return Target(dataset: d, unit: nil, filters: []) }
        // The only dataset with such a column.
        let holders = catalog.schemas.filter { !$0.isMadeByStatement && ((try? lookupColumn(col, in: $0)) ?? nil) != nil }
        if holders.count == 1 { return Target(dataset: holders[0], unit: nil, filters: []) }
        throw MisqError(.name, catalog.schemas.isEmpty ? "no dataset is loaded" : "which dataset? several are loaded", source: source,
                        span: col.span, expected: "'from DATASET'",
                        suggestion: catalog.schemas.isEmpty ? "load one: load \"file.csv\" as cases" : "add from \(catalog.schemas[0].name)")
    }

    func subsetTarget(_ s: SubsetBinding, depth: Int, expanding: Set<String> = []) throws -> Target {
        let key = s.subset.source.text.lowercased()
        if expanding.contains(key) {
            throw MisqError(.name, "subset '\(s.subset.source.text)' refers to itself, directly or through others", source: s.source, span: s.subset.source.span)
        }
        guard depth < Checker.maxDefineDepth else {
            throw MisqError(.name, "subsets nest more than \(Checker.maxDefineDepth) deep at '\(s.subset.source.text)'", source: s.source, span: s.subset.source.span)
        }
        let inner = Checker(catalog: catalog, source: s.source)
        var t: Target
        if let sub = catalog.subsets[key] {
            t = try inner.subsetTarget(sub, depth: depth + 1, expanding: expanding.union([key]))
            if s.subset.from != nil { throw MisqError(.syntax, "a subset of a subset takes no 'from'", source: s.source, span: s.subset.from?.span ?? .none) }
        } else if let f = s.subset.from {
            t = try inner.resolveTarget(s.subset.source, from: f)
        } else {
            t = try inner.resolveTarget(s.subset.source, from: nil)
        }
        if let f = s.subset.filter { t.filters.append((f, s.source)) }
        return t
    }

    func unitMeasure(_ unit: String, in ds: any DatasetSchema, at span: SourceSpan) throws -> (PlanMeasure, [Predicate]) {
        if unit == "rows" { return (.rows, []) }
        switch catalog.units(of: ds)[unit] {
        case .rows?, nil: return (.rows, [])
        case .distinct(let col)?:
            guard let k = ds.columnIndex(col) else { throw MisqError(.data, "unit '\(unit)' counts column '\(col)', which '\(ds.name)' lacks") }
            return (.distinct(column: ds.columnNames[k]), [])
        case .measure?:
            guard let pub = ds.published, let w = ds.columnIndex(pub.weight), let m = ds.columnIndex(pub.measure),
                  let mc = try ds.labelSet(m) else {
                throw MisqError(.data, "published table '\(ds.name)' has no measure column", source: source, span: span)
            }
            let matches = mc.labels.filter { Suggestions.normalize($0) == Suggestions.normalize(unit) }
            return (.weighted(weight: ds.columnNames[w]), [.labelIn(column: ds.columnNames[m], labels: matches)])
        }
    }

    // MARK: columns

    func columnIndex(_ n: Name, in ds: any DatasetSchema) throws -> Int {
        if let k = try lookupColumn(n, in: ds) { return k }
        // A dataset whose file could not be read has no columns: say why.
        try ds.checkUsable()
        let candidates = ds.columnNames
        if catalog.defines[n.text.lowercased()] != nil {
            throw MisqError(.name, "'\(n.text)' is a definition (a condition), not a column", source: source, span: n.span,
                            suggestion: "use it as a flag: where \(n.text)")
        }
        throw MisqError(.name, "unknown column '\(n.text)' in '\(ds.name)'", source: source, span: n.span,
                        expected: "a column of \(ds.name)",
                        suggestion: Suggestions.didYouMeanName(n.text, candidates) ?? "'\(catalog.describeCommand) \(ds.name)' lists its columns")
    }

    /// The column a name means: the exact name, else the one column equal
    /// ignoring case, else (with `fold`) the one column equal ignoring case,
    /// spaces and punctuation (`subject_ref` → "Subject Ref"), as values
    /// match labels. Several columns at one step is an error naming them.
    func lookupColumn(_ n: Name, in ds: any DatasetSchema, fold: Bool = true) throws -> Int? {
        let k = try findColumn(n, in: ds, fold: fold)
        if let k, let d = ds as? DerivedSchema { try d.use(k, n, source: source) }
        return k
    }

    private func findColumn(_ n: Name, in ds: any DatasetSchema, fold: Bool) throws -> Int? {
        let names = ds.columnNames
        if let k = names.firstIndex(of: n.text) { return k }
        let lower = n.text.lowercased()
        let sameCase = names.indices.filter { names[$0].lowercased() == lower }
        if sameCase.count == 1 { return sameCase[0] }
        if sameCase.count > 1 { throw ambiguousColumn(n, sameCase.map { names[$0] }, ds) }
        guard fold else { return nil }
        let norm = Suggestions.normalize(n.text)
        guard !norm.isEmpty else { return nil }
        let folded = names.indices.filter { Suggestions.normalize(names[$0]) == norm }
        if folded.count == 1 { return folded[0] }
        if folded.count > 1 { throw ambiguousColumn(n, folded.map { names[$0] }, ds) }
        // A joined dataset's column by its bare name, where the dataset has none of that name.
        if let j = joinedSchema(ds), let k = j.rightColumn(bare: n.text) { return k }
        return nil
    }

    func ambiguousColumn(_ n: Name, _ matches: [String], _ ds: any DatasetSchema) -> MisqError {
        MisqError(.name, "'\(n.text)' matches \(matches.count) columns of '\(ds.name)': " + matches.map(Identifier.shown).joined(separator: ", "),
                  source: source, span: n.span, expected: "one column",
                  suggestion: "name one exactly, in backticks: " + matches.map(Identifier.quoted).joined(separator: " or "))
    }

    func numberColumns(_ ds: any DatasetSchema) throws -> [String] {
        try ds.columnNames.indices.filter { try ds.columnType($0) == .number }.map { ds.columnNames[$0] }
    }

    func bindKey(_ key: GroupKey, _ ds: any DatasetSchema) throws -> PlanKey {
        switch key {
        case .column(let n):
            if let k = try lookupColumn(n, in: ds, fold: false) { return .column(ds.columnNames[k]) }
            if let d = catalog.defines[n.text.lowercased()] {
                try checkExpandedSize(.flag(n), span: n.span)
                var ignored: [ResolvedPeriod] = []
                let c = try Checker(catalog: catalog, source: d.source).bind(d.condition, ds, periods: &ignored, depth: 1, expanding: [d.name.lowercased()])
                return .condition(c, name: d.name)
            }
            if let k = try lookupColumn(n, in: ds) { return .column(ds.columnNames[k]) }
            if let bucket = TimeBucket(rawValue: n.text.lowercased()) {
                let col = try periodColumn(ds, n.span, purpose: "by \(bucket.rawValue)")
                return .time(bucket, column: ds.columnNames[col], name: bucket.rawValue)
            }
            throw MisqError(.name, "unknown column '\(n.text)' in '\(ds.name)'", source: source, span: n.span,
                            expected: "a column to group by, or year, quarter, month, fy",
                            suggestion: Suggestions.didYouMeanName(n.text, ds.columnNames + TimeBucket.allCases.map(\.rawValue) + Array(catalog.defines.keys)))
        case .periods(let col, let exprs, let span):
            let k: Int
            if let c = col {
                k = try columnIndex(c, in: ds)
                guard try ds.columnType(k) == .date else {
                    throw MisqError(.type, "'\(c.text)' holds \(try ds.columnType(k).rawValue) values, not dates", source: source, span: c.span,
                                    expected: "a date column", suggestion: Suggestions.didYouMeanName(c.text, try ds.dateColumns()))
                }
            } else { k = try periodColumn(ds, span, purpose: "'period in (…)'") }
            var intervals: [DayInterval] = []
            for e in exprs {
                let (i, _) = try resolvePeriod(e, dataset: ds)
                if let clash = intervals.first(where: { $0.start < i.end && i.start < $0.end }) {
                    throw MisqError(.period, "the periods overlap: \(clash) and \(i) share days", source: source, span: e.span,
                                    expected: "periods that do not overlap", suggestion: "use a..b ranges: 2021-05..2022-05, 2022-05..2023-05 meet without overlapping")
                }
                intervals.append(i)
            }
            return .periods(column: ds.columnNames[k], intervals, name: ds.columnNames[k])
        case .time(let bucket, let col, _):
            guard let c = col else {
                let k = try periodColumn(ds, key.span, purpose: "by \(bucket.rawValue)")
                return .time(bucket, column: ds.columnNames[k], name: bucket.rawValue)
            }
            let k = try columnIndex(c, in: ds)
            guard try ds.columnType(k) == .date else {
                throw MisqError(.type, "\(bucket.rawValue)(…) needs a date column; '\(c.text)' holds \(try ds.columnType(k).rawValue) values",
                                source: source, span: c.span, suggestion: Suggestions.didYouMeanName(c.text, try ds.dateColumns()))
            }
            return .time(bucket, column: ds.columnNames[k], name: "\(bucket.rawValue)(\(ds.columnNames[k]))")
        }
    }

    /// The declared period column (a published table's period start), else
    /// the only date column (`Dataset.periodColumnIndex`; the footer says so).
    func periodColumn(_ ds: any DatasetSchema, _ span: SourceSpan, purpose: String) throws -> Int {
        if let (k, _) = try ds.periodColumnIndex() {
            let type = try ds.columnType(k)
            guard ds.published != nil || type == .date else {
                throw MisqError(.type, "the period column '\(ds.columnNames[k])' of '\(ds.name)' holds \(type.rawValue) values, not dates",
                                source: source, span: span, expected: "a date column as the period column",
                                suggestion: Suggestions.didYouMean(ds.columnNames[k], try ds.dateColumns()).map { "declare a date column instead: \($0)" })
            }
            return k
        }
        let dates = try ds.dateColumns()
        let several = dates.count > 1 ? " and has \(dates.count) date columns: " + dates.joined(separator: ", ") : ""
        let written = dates.map(Identifier.source)
        let load = "load \"\(ds.path)\" as \(Identifier.source(ds.name)) period \(written.first ?? "")"
        throw MisqError(.period, "'\(ds.name)' declares no period column for \(purpose)\(several)", source: source, span: span,
                        expected: dates.isEmpty ? "a dataset with a date column" : "a period column declared, or a date column named",
                        suggestion: written.isEmpty ? nil : "declare one with \(load), or name one: e.g. \(purpose.hasPrefix("by") ? purpose + "(\(written[0]))" : "\(written[0]) in …")")
    }
}
