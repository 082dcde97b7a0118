/// `show`, `show UNIT`, `show COL, COL, …`: which rows, which columns.
extension Checker {
    /// A lone name keeps the meaning it had before column lists: a unit,
    /// dataset or subset if it is one (`show allegations`), else a column.
    /// Derived values (`define rate = …`) resolve as columns; rows shown
    /// whole show the file's columns (and the derived values the query
    /// names, added with the plan's derive steps).
    func showTarget(_ names: [Name], from: Name?, span: SourceSpan, query q: Query) throws -> (Target, PlanMeasure) {
        func fileColumns(_ t: Target) -> [String] { ((t.dataset as? DerivedSchema)?.base ?? t.dataset).columnNames }
        guard let first = names.first else {
            let t = withDerived(try resolveSource(from, for: Name("show", span)), q)
            return (t, .show(columns: fileColumns(t)))
        }
        if names.count == 1, try namesSource(first, from: from) {
            let t = withDerived(try resolveTarget(first, from: from), q)
            return (t, .show(columns: fileColumns(t)))
        }
        let t: Target
        do { t = withDerived(try resolveSource(from, for: first), q) } catch {
            // No dataset to look the name up in: as before, an unknown unit.
            if names.count == 1 { _ = try resolveTarget(first, from: from) }
            throw error
        }
        var columns: [String] = []
        for n in names {
            guard let c = try showColumn(n, in: t.dataset) else {
                if names.count == 1 { throw unknownShowName(n, t.dataset) }
                if try namesSource(n, from: from) {
                    throw MisqError(.name, "'\(n.text)' is a unit, dataset or subset, not a column of '\(t.dataset.name)'", source: source,
                                    span: n.span, expected: "a column", suggestion: "show its rows alone (show \(n.text) …), or list columns: show COLUMN, COLUMN from \(t.dataset.name)")
                }
                _ = try columnIndex(n, in: t.dataset)
                continue
            }
            if columns.contains(c) {
                // Twice would give two columns of one name (a JSON object
                // keeps only one of them).
                throw MisqError(.name, "'\(c)' is listed twice", source: source, span: n.span, expected: "each column once",
                                suggestion: "drop the second \(Identifier.source(c))")
            }
            columns.append(c)
        }
        return (t, .show(columns: columns))
    }

    /// `show` lists rows: a clause that groups, ranks or totals has nothing
    /// to act on, so it is an error rather than silently dropped.
    func checkShowClauses(_ q: Query) throws {
        if let k = q.keys.first ?? q.across {
            let word = q.keys.isEmpty ? "across" : "by"
            throw MisqError(.syntax, "'show' lists rows; it cannot group", source: source, span: k.span,
                            suggestion: "use count … \(word) …, or drop the '\(word)'")
        }
        if q.hasTop {
            throw MisqError(.syntax, "'top' keeps the largest groups, and 'show' lists rows", source: source, span: q.topSpan ?? q.span,
                            expected: "limit N for the first N rows", suggestion: "write limit \(q.top ?? 10) instead, with order by COLUMN desc for the largest")
        }
        if q.withPercent || q.withTotal || q.withBars {
            throw MisqError(.syntax, "'with \(q.withPercent ? "percent" : q.withTotal ? "total" : "bars")' applies to grouped counts; 'show' lists rows", source: source,
                            span: q.span, suggestion: "drop it, or count … by … with \(q.withPercent ? "percent" : "total")")
        }
    }

    /// The column a name in a `show` list or its `order by` means, as the
    /// plan names it; nil for no such column. The one place a shown column
    /// is resolved.
    func showColumn(_ n: Name, in ds: any DatasetSchema) throws -> String? {
        try lookupColumn(n, in: ds).map { ds.columnNames[$0] }
    }

    /// Whether `show NAME [from D]` names rows (a unit, dataset or subset).
    func namesSource(_ n: Name, from: Name?) throws -> Bool {
        let key = n.text.lowercased()
        if catalog.subsets[key] != nil { return true }
        if let f = from {
            let base = try resolveFrom(f)
            return key == "rows" || key == base.dataset.name.lowercased() || catalog.units(of: base.dataset).keys.contains { $0.lowercased() == key }
        }
        return catalog.schema(named: n.text) != nil || catalog.schemas.contains { d in catalog.units(of: d).keys.contains { $0.lowercased() == key } }
    }

    func unknownShowName(_ n: Name, _ ds: any DatasetSchema) -> MisqError {
        let units = catalog.units(of: ds).keys.sorted()
        return MisqError(.name, "'\(n.text)' is neither a column nor a unit of '\(ds.name)'", source: source, span: n.span,
                         expected: "a column of \(ds.name), or a unit (\((units + ["rows"]).joined(separator: ", ")))",
                         suggestion: Suggestions.didYouMeanName(n.text, ds.columnNames + units) ?? "'\(catalog.describeCommand) \(ds.name)' lists its columns")
    }
}
