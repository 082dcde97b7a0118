import Foundation

/// `let per_officer = count allegations by officer_id`: the grouped result
/// kept as a dataset of one row per group, queried like any other
/// (`count per_officer where allegations > 20`). Its columns are the keys,
/// under their own names and types, and the measure, named by the unit it
/// counts (`allegations`) or the aggregate and its column joined by `_`
/// (`median_days_open`). Its footer says what a row is and where the rows
/// came from, so a figure read from it keeps its provenance.
enum GroupedDataset {
    /// The column the measure becomes.
    static func measureColumn(_ plan: LogicalPlan) -> String {
        if plan.per != nil { return plan.valueName.split(whereSeparator: { $0 == " " }).joined(separator: "_") }
        switch plan.measure {
        case .rows, .weighted: return plan.unitName
        default: return plan.valueName.split(whereSeparator: { $0 == " " }).joined(separator: "_")
        }
    }

    /// What a `let` of a grouped query may hold: one measure by keys; a
    /// crosstab, a total row or percentages are not rows of groups.
    static func check(_ q: Query, _ plan: LogicalPlan, name: Name, source: SourceFile) throws {
        if let a = q.across {
            throw MisqError(.syntax, "a grouped result kept by 'let' is one row per group: 'across' makes a crosstab", source: source, span: a.span,
                            expected: "by KEY, …", suggestion: "group by both keys instead: by \(plan.keys.map(\.name).map(Identifier.source).joined(separator: ", ")), \(plan.across.map { Identifier.source($0.name) } ?? "KEY")")
        }
        if q.withTotal || q.withPercent || q.withBars || q.columns != nil || plan.measure.isShow {
            let what = q.columns != nil ? "several measures" : plan.measure.isShow ? "'show'" : "'with \(q.withTotal ? "total" : q.withPercent ? "percent" : "bars")'"
            throw MisqError(.syntax, "a grouped result kept by 'let' holds one measure per group; \(what) cannot be kept", source: source, span: q.span,
                            expected: "one count or aggregate by keys", suggestion: "let \(Identifier.source(name.text)) = count \(plan.unitName) by \(plan.keys.map(\.name).map(Identifier.source).joined(separator: ", "))")
        }
        let measure = measureColumn(plan)
        if let k = plan.keys.firstIndex(where: { $0.name.lowercased() == measure.lowercased() }) {
            throw MisqError(.name, "the measure column '\(measure)' would have the name of the key '\(plan.keys[k].name)'", source: source,
                            span: q.keys[k].span, expected: "keys named apart from the measure")
        }
    }

    /// The dataset of `result`'s groups.
    static func make(name: String, statement: String, plan: LogicalPlan, result: QueryResult, base: Dataset,
                     keySpans: [SourceSpan], source: SourceFile) throws -> Dataset {
        guard case .groups(let g) = result.body else {
            throw MisqError(.syntax, "'\(statement)' gives no groups to keep", source: source, span: keySpans.first ?? .none)
        }
        var columns: [(name: String, column: Column)] = []
        for (i, key) in plan.keys.enumerated() {
            let labels = g.rows.map { $0.keys[i] }
            let column: Column
            switch key {
            case .column(let c) where base.columnIndex(c) == nil:
                // A joined column or a derived value: typed as the result shows it.
                if g.numericKeys.contains(i) {
                    guard labels.allSatisfy({ $0 == nil || Double($0 ?? "").map { $0.rounded() == $0 } == true }) else {
                        throw MisqError(.value, "'\(c)' holds fractions, and a key of fractions cannot be kept exactly as a dataset", source: source,
                                        span: keySpans[i], expected: "a key of categories, whole numbers, dates or yes/no")
                    }
                    column = .numbers(labels.map { $0.flatMap(Double.init) ?? .nan })
                } else {
                    column = .categories(labels)
                }
            case .column(let c):
                guard let k = base.columnIndex(c) else {
                    throw MisqError(.name, "the key '\(c)' is not a column of '\(base.name)'", source: source, span: keySpans[i])
                }
                switch try base.columnType(k) {
                case .category:
                    let order: [String]?
                    if case .category(let cat) = try base.column(k) { order = cat.declaredOrder } else { order = nil }
                    column = .categories(labels, declaredOrder: order)
                case .number:
                    // Number keys are labelled as written to four decimals:
                    // a fraction would not come back exactly from its label.
                    var values: [Double] = []
                    for l in labels {
                        guard let l else { values.append(.nan); continue }
                        guard let v = Double(l), v.rounded() == v else {
                            throw MisqError(.value, "'\(c)' holds fractions, and a key of fractions cannot be kept exactly as a dataset", source: source,
                                            span: keySpans[i], expected: "a key of categories, whole numbers, dates or yes/no",
                                            suggestion: "define a rounded value and group by it: define \(c)_r = round(\(Identifier.source(c)), 0)")
                        }
                        values.append(v)
                    }
                    column = .numbers(values)
                case .date:
                    column = .dates(labels.map { $0.flatMap { ValueParsing.date($0) } })
                case .boolean:
                    column = .booleans(labels.map { $0.map { $0 == "yes" } })
                }
            case .condition:
                column = .booleans(labels.map { $0.map { $0 == "yes" } })
            case .time, .periods:
                column = .categories(labels)
            }
            columns.append((key.name, column))
        }
        let values = g.rows.map { $0.values.first ?? .nan }
        columns.append((measureColumn(plan), result.valueIsDate ? .dates(values.map { $0.isNaN ? nil : Int($0) }) : .numbers(values)))

        let keys = plan.keys.map(\.name).joined(separator: ", ")
        var p = Provenance()
        let f = result.footer
        p.title = "\(Plural.count(g.rows.count, "row")), one per \(keys) group of: \(statement), from \(base.name)"
        p.synthetic = base.provenance.synthetic
        p.publisher = base.provenance.publisher
        p.reference = base.provenance.reference
        p.retrieved = base.provenance.retrieved
        p.retrievedFrom = base.provenance.retrievedFrom
        p.caveats = base.provenance.caveats
        p.licence = base.provenance.licence
        p.notes.append("\(name) is of \(Plural.possessive(base.name)) rows: \(NumberFormat.count(f.scanned)) scanned, \(NumberFormat.count(f.matched)) matched")
        for period in f.periods { if let s = period.statement { p.notes.append("\(name) is of \(Plural.possessive(base.name)) period: \(s)") } }
        // A group whose key was blank is a row too: counting the dataset counts it.
        let blankKeys = g.rows.filter { $0.keys.contains { $0 == nil } }.count
        if blankKeys > 0 {
            p.notes.append("\(name): \(NumberFormat.count(blankKeys)) of its \(Plural.count(g.rows.count, "row")) \(blankKeys == 1 ? "has" : "have") no \(keys) "
                + "(\(Plural.possessive(base.name)) rows with it blank, as one group); it is a row like the others, so counting \(name) counts it")
        }
        for n in f.notes {
            // Its top/limit cut says which groups it holds; its overlap says a unit is in more than one.
            switch n {
            case .top(_, let groups, _, _, let kept, _, _, _, _, _) where kept < groups:
                // Its cut, said of the rows it keeps: the query's "the total
                // counts all 8" would be false under a later figure of them.
                p.notes.append("\(name) holds \(NumberFormat.count(kept)) of its query's \(Plural.count(groups, "group")) (" + n.text.components(separatedBy: "; ")[0] + "); what is measured from it is of those")
            case .limit(let l, let groups, _) where l < groups:
                p.notes.append("\(name) holds the first \(NumberFormat.count(l)) of its query's \(Plural.count(groups, "group")) (limit \(NumberFormat.count(l))); what is measured from it is of those")
            case .overlap, .textMatch, .derivedMissing, .blankRows, .join, .perRate: p.notes.append("\(name): " + n.text)
            default: break
            }
        }
        return Dataset.inMemory(name: name, path: "let \(name)", columns: columns, rows: g.rows.count, provenance: p,
                                units: ["rows": .rows])
    }
}

/// A grouped let's definition: its query, where it was written, and the
/// datasets its rows were computed from (lowercased), so the session can
/// compute it again when one of them is read again from a changed file.
public struct GroupedLet {
    public var name: String
    var nameSpan: SourceSpan
    public var query: Query
    public var source: SourceFile
    public var reads: Set<String>
}

extension Session {
    /// `let NAME = QUERY by KEY`: the query planned, run and kept as a
    /// dataset named NAME, and its definition remembered.
    func makeGrouped(_ name: Name, _ q: Query, source: SourceFile) throws {
        let plan = try Checker(session: self, source: source).plan(q)
        try GroupedDataset.check(q, plan, name: name, source: source)
        guard let base = dataset(named: plan.dataset) else {
            if let engine {
                throw MisqError(.type, "--engine \(engine.connection.target.rawValue) cannot keep a grouped let: its groups would be a table made here from the database's answer, and queries on it are not run on the database yet",
                                source: source, span: q.span, suggestion: "run it in misq itself, without --engine, or count from the database directly: \(source.text(q.span))")
            }
            throw MisqError(.name, "dataset '\(plan.dataset)' is no longer loaded", source: source, span: q.span)
        }
        let result = try run(plan)
        let made = try GroupedDataset.make(name: name.text, statement: source.text(q.span), plan: plan, result: result, base: base,
                                           keySpans: q.keys.map(\.span), source: source)
        replace(made)
        groupedLets.removeAll { $0.name.lowercased() == name.text.lowercased() }
        groupedLets.append(GroupedLet(name: name.text, nameSpan: name.span, query: q, source: source,
                                      reads: Set([plan.dataset, plan.join?.dataset].compactMap { $0?.lowercased() })))
    }

    /// A grouped let computed again from its query, as first written.
    func remake(_ g: GroupedLet) throws {
        try makeGrouped(Name(g.name, g.nameSpan), g.query, source: g.source)
    }
}
