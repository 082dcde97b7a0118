/// A logical plan onto one dataset's columns: names to column numbers,
/// labels to dictionary codes. The checker found every name and label in
/// the same dataset's schema, so a name not found here means the file
/// changed between checking and running; that is an error, never a
/// silently empty match.
enum Lower {
    static func plan(_ p: LogicalPlan, on ds: Dataset) throws -> PhysicalPlan {
        let measure: PhysicalPlan.Measure
        switch p.measure {
        case .rows: measure = .rows
        case .distinct(let c): measure = .distinct(column: try index(c, ds))
        case .weighted(let w): measure = .weighted(weight: try index(w, ds))
        case .aggregate(let a, let c): measure = .aggregate(a, column: try index(c, ds))
        case .show(let cs): measure = .show(columns: try cs.map { try index($0, ds) })
        }
        var order: [(key: Int?, descending: Bool)] = []
        for o in p.order {
            switch o.target {
            case .value: order.append((nil, o.descending))
            case .key(let k): order.append((k, o.descending))
            case .column(let c): order.append((try index(c, ds), o.descending))
            }
        }
        return PhysicalPlan(logical: p, dataset: ds, measure: measure, filter: try condition(p.filter, ds),
                            keys: try p.keys.map { try key($0, ds) }, across: try p.across.map { try key($0, ds) }, order: order)
    }

    static func index(_ name: String, _ ds: Dataset) throws -> Int {
        if let k = ds.columnNames.firstIndex(of: name) { return k }
        throw MisqError(.data, "'\(ds.path)' no longer has the column '\(name)' this query was checked against",
                        suggestion: "run the query again: the file changed while it ran")
    }

    static func key(_ k: PlanKey, _ ds: Dataset) throws -> BoundKey {
        switch k {
        case .column(let n): return .column(index: try index(n, ds), name: n)
        case .time(let b, let c, let name): return .time(b, column: try index(c, ds), name: name)
        case .periods(let c, let intervals, let name): return .periods(column: try index(c, ds), intervals, name: name)
        case .condition(let p, let name): return .condition(try condition(p, ds), name: name)
        }
    }

    static func condition(_ p: Predicate, _ ds: Dataset) throws -> BoundCondition {
        switch p {
        case .all: return .all
        case .none: return .none
        case .isTrue(let c): return .boolTrue(column: try index(c, ds))
        case .nonZero(let c): return .nonZero(column: try index(c, ds))
        case .labelIn(let c, let labels):
            let k = try index(c, ds)
            guard case .category(let col) = try ds.column(k, checkedCodes: false) else {
                throw MisqError(.data, "'\(ds.path)': the column '\(c)' no longer holds categories", suggestion: "run the query again")
            }
            return .categoryIn(column: k, matches: codes(of: labels, in: col))
        case .number(let c, let op, let x): return .number(column: try index(c, ds), op, x)
        case .dateIn(let c, let lo, let hi): return .dateIn(column: try index(c, ds), lo: lo, hi: hi)
        case .boolEquals(let c, let b): return .boolEquals(column: try index(c, ds), b)
        case .missing(let c): return .missing(column: try index(c, ds))
        case .periodInside(let s, let e, let lo, let hi):
            return .periodInside(start: try index(s, ds), end: try index(e, ds), lo: lo, hi: hi)
        case .not(let inner): return .not(try condition(inner, ds))
        case .and(let parts): return .and(try parts.map { try condition($0, ds) })
        case .or(let parts): return .or(try parts.map { try condition($0, ds) })
        }
    }

    /// A lookup by code of the labels named. An id column holds millions of
    /// labels and a condition names a few, so the few are found by one scan
    /// rather than a table over all.
    static func codes(of labels: [String], in col: CategoryColumn) -> [Bool] {
        let all = col.labels
        var matches = [Bool](repeating: false, count: all.count)
        guard !labels.isEmpty else { return matches }
        let wanted = Set(labels)
        for (k, l) in all.enumerated() where wanted.contains(l) { matches[k] = true }
        return matches
    }
}
