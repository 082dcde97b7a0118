/// `show`, `show UNIT`, `show COL, COL, …`: which rows, which columns.
extension Checker {
    /// A lone name keeps the meaning it had before column lists: a unit,
    /// dataset or subset if it is one (`show allegations`), else a column.
    func showTarget(_ names: [Name], from: Name?, span: SourceSpan) throws -> (Target, PlanMeasure) {
        guard let first = names.first else {
            let t = try resolveSource(from, for: Name("show", span))
            return (t, .show(columns: t.dataset.columnNames))
        }
        if names.count == 1, try namesSource(first, from: from) {
            let t = try resolveTarget(first, from: from)
            return (t, .show(columns: t.dataset.columnNames))
        }
        let t: Target
        do { t = try resolveSource(from, for: first) } catch {
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
            columns.append(c)
        }
        return (t, .show(columns: columns))
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
        if session.subsets[key] != nil { return true }
        if let f = from {
            let base = try resolveFrom(f)
            return key == "rows" || key == base.dataset.name.lowercased() || session.units(of: base.dataset).keys.contains { $0.lowercased() == key }
        }
        return session.dataset(named: n.text) != nil || session.datasets.contains { d in session.units(of: d).keys.contains { $0.lowercased() == key } }
    }

    func unknownShowName(_ n: Name, _ ds: any DatasetSchema) -> MisqError {
        let units = session.units(of: ds).keys.sorted()
        return MisqError(.name, "'\(n.text)' is neither a column nor a unit of '\(ds.name)'", source: source, span: n.span,
                         expected: "a column of \(ds.name), or a unit (\((units + ["rows"]).joined(separator: ", ")))",
                         suggestion: Suggestions.didYouMeanName(n.text, ds.columnNames + units) ?? "'\(session.describeCommand) \(ds.name)' lists its columns")
    }
}
