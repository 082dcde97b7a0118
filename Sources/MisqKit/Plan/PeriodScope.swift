/// The days a whole condition admits on each date column it tests, for the
/// footer. A footer that named only the period written (`2022` for
/// `reported < 2022`) would misstate what was counted, so the statement is
/// computed from the bound condition itself: per column, `and` intersects,
/// `or` unites and `not` complements the days (and the rows with no date).
///
/// That holds only while the column's tests can be pulled out of the
/// condition: `period X and vawg` counts rows in X that are vawg, but
/// `period X or vawg` counts rows on any day. Such a column is stated as a
/// combination, naming each period it tests.
extension ResolvedPeriod {
    /// The column a published table's `period R` tests: each row's own period.
    static let publishedPeriods = "the period of each published figure"

    /// One statement per date column the condition tests, in the order
    /// the condition first names them. `named` are the periods binding
    /// recorded; they lend their as-of notes.
    static func scopes(of filter: Predicate, in ds: any DatasetSchema, named: [ResolvedPeriod]) -> [ResolvedPeriod] {
        var keys: [DateKey] = []
        // `reported is missing` alone restricts the dates too.
        let isDate = { (c: String) in ds.columnIndex(c).map { (try? ds.columnType($0)) == .date } ?? false }
        collectKeys(filter, isDate, into: &keys, depth: 0)
        return keys.map { key in
            let column: String
            switch key {
            case .column(let c): column = c
            case .published: column = publishedPeriods
            }
            var atoms: [DaySet] = []
            collectAtoms(filter, key, into: &atoms, depth: 0)
            let withNote = named.first { $0.column == column && $0.asOfNote != nil }
            // "to the as-of date" only where the days stated end on it:
            // `last 12 months and not period 2024` ends on 2023-12-31.
            func note(_ days: DaySet) -> String? {
                guard let w = withNote, let end = w.asOfEnd else { return withNote?.asOfNote }
                return days.intervals.last?.end == end ? w.asOfNote : nil
            }
            switch classify(filter, key, depth: 0) {
            case .free: return ResolvedPeriod(column: column, days: .all, admitsMissing: true, named: atoms, asOfNote: nil)
            case .pure(let a), .split(let a): return ResolvedPeriod(column: column, days: a.days, admitsMissing: a.missing, named: atoms, asOfNote: note(a.days))
            case .mixed:
                // The note then belongs to the named period that ends on it.
                let most = reach(filter, key, depth: 0).most
                let n = atoms.contains { note($0) != nil } ? withNote?.asOfNote : nil
                return ResolvedPeriod(column: column, days: most.days, admitsMissing: most.missing, exact: false, named: atoms, asOfNote: n)
            }
        }
    }

    /// A date column, or a published table's per-row periods.
    enum DateKey: Hashable {
        case column(String)
        case published
    }

    /// Values of one date column a condition admits: days, and whether a
    /// row with none.
    struct Admission: Equatable {
        var days: DaySet
        var missing: Bool
        static let everything = Admission(days: .all, missing: true)
        static let nothing = Admission(days: .empty, missing: false)
        func and(_ o: Admission) -> Admission { Admission(days: days.intersection(o.days), missing: missing && o.missing) }
        func or(_ o: Admission) -> Admission { Admission(days: days.union(o.days), missing: missing || o.missing) }
        var not: Admission { Admission(days: days.complement, missing: !missing) }
    }

    /// A condition seen from one date column.
    enum Part {
        /// Tests nothing on the column.
        case free
        /// Tests only the column: a row counts when its value is admitted.
        case pure(Admission)
        /// The column's test and a test of other columns, joined by `and`.
        case split(Admission)
        /// The column's tests are entangled with others.
        case mixed
    }

    /// Nesting is bounded by the parser and by the define depth; the guard
    /// only keeps a damaged tree from recursing without end.
    static func classify(_ c: Predicate, _ key: DateKey, depth: Int) -> Part {
        guard depth < 256 else { return .mixed }
        // A published row's period lies inside R or inside S is not a
        // period inside R ∪ S, and its complement is no period: only `and`
        // is exact for them.
        let whole = key == .published
        switch c {
        case .all: return .pure(.everything)
        case .none: return .pure(.nothing)
        case .dateIn(let k, let lo, let hi):
            return key == .column(k) ? .pure(Admission(days: DaySet(from: lo, to: hi), missing: false)) : .free
        case .missing(let k):
            return key == .column(k) ? .pure(Admission(days: .empty, missing: true)) : .free
        case .periodInside(_, _, let lo, let hi):
            return whole ? .pure(Admission(days: DaySet(from: lo, to: hi), missing: false)) : .free
        case .isTrue, .nonZero, .labelIn, .number, .boolEquals:
            return .free
        case .not(let inner):
            switch classify(inner, key, depth: depth + 1) {
            case .free: return .free
            case .pure(let a): return whole ? .mixed : .pure(a.not)
            case .split, .mixed: return .mixed
            }
        case .and(let parts):
            var acc = Admission.everything
            var rest = false
            for p in parts {
                switch classify(p, key, depth: depth + 1) {
                case .mixed: return .mixed
                case .free: rest = true
                case .pure(let a): acc = acc.and(a)
                case .split(let a): acc = acc.and(a); rest = true
                }
            }
            if !rest { return .pure(acc) }
            return acc == .everything ? .free : .split(acc)
        case .or(let parts):
            var pures: [Admission] = [], splits: [Admission] = [], frees = 0
            for p in parts {
                switch classify(p, key, depth: depth + 1) {
                case .mixed: return .mixed
                case .free: frees += 1
                case .pure(let a): if a != .nothing { pures.append(a) }  // false or x is x
                case .split(let a): splits.append(a)
                }
            }
            if splits.isEmpty && frees == 0 {
                if whole && Set(pures.map(\.days)).count > 1 { return .mixed }
                return .pure(pures.reduce(Admission.nothing) { $0.or($1) })
            }
            if pures.isEmpty && splits.isEmpty { return .free }
            // (in A and R1) or (in A and R2) is in A and (R1 or R2); a
            // part that tests no date admits every one.
            let sets = pures + splits + (frees > 0 ? [Admission.everything] : [])
            guard let first = sets.first, sets.allSatisfy({ $0 == first }) else { return .mixed }
            if !pures.isEmpty { return .pure(first) }
            return first == .everything ? .free : .split(first)
        }
    }

    /// For a combination: what the column's values must be for a row to
    /// count whatever the other conditions say (`least`), and what they
    /// may be for some row to count (`most`). Tests of other columns are
    /// taken as unknown: false at least, true at most.
    static func reach(_ c: Predicate, _ key: DateKey, depth: Int) -> (least: Admission, most: Admission) {
        guard depth < 256 else { return (.nothing, .everything) }
        switch classify(c, key, depth: depth) {
        case .pure(let a): return (a, a)
        case .free: return (.nothing, .everything)
        case .split(let a): return (.nothing, a)
        case .mixed: break
        }
        switch c {
        case .not(let inner):
            // A published row outside R may straddle it: no bound.
            if key == .published { return (.nothing, .everything) }
            let r = reach(inner, key, depth: depth + 1)
            return (r.most.not, r.least.not)
        case .and(let parts):
            return parts.map { reach($0, key, depth: depth + 1) }.reduce((Admission.everything, Admission.everything)) { ($0.0.and($1.least), $0.1.and($1.most)) }
        case .or(let parts):
            return parts.map { reach($0, key, depth: depth + 1) }.reduce((Admission.nothing, Admission.nothing)) { ($0.0.or($1.least), $0.1.or($1.most)) }
        default:
            return (.nothing, .everything)
        }
    }

    static func collectKeys(_ c: Predicate, _ isDate: (String) -> Bool, into keys: inout [DateKey], depth: Int) {
        guard depth < 256 else { return }
        switch c {
        case .dateIn(let k, _, _): if !keys.contains(.column(k)) { keys.append(.column(k)) }
        case .missing(let k): if !keys.contains(.column(k)), isDate(k) { keys.append(.column(k)) }
        case .periodInside: if !keys.contains(.published) { keys.append(.published) }
        case .not(let inner): collectKeys(inner, isDate, into: &keys, depth: depth + 1)
        case .and(let parts), .or(let parts): for p in parts { collectKeys(p, isDate, into: &keys, depth: depth + 1) }
        default: break
        }
    }

    /// The periods a condition names on one column, each once.
    static func collectAtoms(_ c: Predicate, _ key: DateKey, into atoms: inout [DaySet], depth: Int) {
        guard depth < 256 else { return }
        var atom: DaySet?
        switch c {
        case .dateIn(let k, let lo, let hi) where key == .column(k): atom = DaySet(from: lo, to: hi)
        case .periodInside(_, _, let lo, let hi) where key == .published: atom = DaySet(from: lo, to: hi)
        case .not(let inner): collectAtoms(inner, key, into: &atoms, depth: depth + 1)
        case .and(let parts), .or(let parts): for p in parts { collectAtoms(p, key, into: &atoms, depth: depth + 1) }
        default: break
        }
        if let a = atom, !atoms.contains(a) { atoms.append(a) }
    }
}
