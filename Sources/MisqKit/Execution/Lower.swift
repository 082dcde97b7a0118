/// A logical plan onto one dataset's columns: names to column numbers,
/// labels to dictionary codes. The checker found every name and label in
/// the same dataset's schema, so a name not found here means the file
/// changed between checking and running; that is an error, never a
/// silently empty match.
enum Lower {
    /// The plan's derived columns by name, while it is lowered: each name
    /// resolves like a column of the file (`index`), without every step
    /// passing the table along.
    @TaskLocal static var derived: [String: Int] = [:]

    static func plan(_ p: LogicalPlan, on ds: Dataset) throws -> PhysicalPlan {
        guard !p.derive.isEmpty else { return try lowered(p, on: ds, notes: []) }
        let (names, notes) = try derive(p.derive, on: ds)
        var physical = try Lower.$derived.withValue(names) { try lowered(p, on: ds, notes: notes) }
        physical.derivedNames = Dictionary(names.map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return physical
    }

    private static func lowered(_ p: LogicalPlan, on ds: Dataset, notes: [Fact]) throws -> PhysicalPlan {
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
            case .value, .valueColumn: order.append((nil, o.descending))
            case .key(let k): order.append((k, o.descending))
            case .column(let c): order.append((try index(c, ds), o.descending))
            }
        }
        var physical = PhysicalPlan(logical: p, dataset: ds, measure: measure, filter: try condition(p.filter, ds),
                                    keys: try p.keys.map { try key($0, ds) }, across: try p.across.map { try key($0, ds) }, order: order)
        physical.derivedNotes = notes
        return physical
    }

    /// Each step's column, computed (or kept from an earlier query) over the
    /// file's columns, and a note for each that has values missing because
    /// of the computation: a division by zero, a date that does not exist.
    static func derive(_ steps: [DeriveStep], on ds: Dataset) throws -> (names: [String: Int], notes: [Fact]) {
        // Each step written out over the file's columns (its key), and over
        // the columns computed (what is computed): an intermediate step is
        // written into the steps that read it.
        var expanded: [String: PlanExpr] = [:], inlined: [String: PlanExpr] = [:]
        func substitute(_ e: PlanExpr, _ table: [String: PlanExpr]) -> PlanExpr {
            switch e {
            case .number, .day: return e
            case .column(let c): return table[c] ?? e
            case .arithmetic(let op, let a, let b): return .arithmetic(op, substitute(a, table), substitute(b, table))
            case .negate(let a): return .negate(substitute(a, table))
            case .round(let a, let d): return .round(substitute(a, table), digits: d)
            case .makeDate(let y, let m, let d): return .makeDate(substitute(y, table), substitute(m, table), d.map { substitute($0, table) })
            case .days(let a, let b): return .days(substitute(a, table), substitute(b, table))
            case .months(let a, let b): return .months(substitute(a, table), substitute(b, table))
            case .part(let p, let a): return .part(p, substitute(a, table))
            }
        }
        for s in steps {
            expanded[s.name] = substitute(s.expr, expanded)
            if s.intermediate { inlined[s.name] = substitute(s.expr, inlined) }
        }
        func key(_ s: DeriveStep) -> String { "\(s.type.rawValue) \(expanded[s.name] ?? s.expr)" }
        let keys = Set(steps.map { key($0) + " from \(substitute($0.expr, inlined))" })
        var names: [String: Int] = [:]
        var notes: [Fact] = []
        let n = try ds.rowCount
        for s in steps where !s.intermediate {
            // Kept by the expression over the file's columns; computed from
            // the computed steps it reads, so a failure is counted once, at
            // the first step the query names that computes it.
            let e = substitute(s.expr, inlined)
            // The key says what is computed (over the file's columns) and
            // how (which values it reads computed), since the notes differ.
            let (k, d) = try ds.derivedColumn(key: key(s) + " from \(e)", keep: keys) {
                try Derive.compute(e, type: s.type, rows: n) { name in try ds.column(try names[name] ?? index(name, ds)) }
            }
            names[s.name] = k
            if d.divisionsByZero + d.noSuchDate + d.outOfRange > 0 {
                notes.append(.derivedMissing(name: s.name, scanned: n, divisionsByZero: d.divisionsByZero, noSuchDate: d.noSuchDate,
                                             example: d.noSuchDateExample, overflow: d.outOfRange))
            }
        }
        return (names, notes)
    }

    static func index(_ name: String, _ ds: Dataset) throws -> Int {
        if let k = ds.columnNames.firstIndex(of: name) { return k }
        if let k = derived[name] { return k }
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
