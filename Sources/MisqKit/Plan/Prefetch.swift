/// Before a query is checked, the columns it may touch are loaded together:
/// one pass over a CSV for all of them, instead of one pass per column as
/// the checker meets them. Names are gathered generously (a value that
/// happens to be spelt like a column loads that column too); anything
/// missed is still loaded on first use, only more slowly.
extension Checker {
    func prefetch(_ q: Query, _ target: Target) throws {
        let ds = target.dataset
        var names = Set<String>()
        var usesPeriod = false
        var seenDefines = Set<String>()

        func visit(_ c: Condition, depth: Int) {
            guard depth < 64 else { return }
            switch c {
            case .flag(let n):
                let key = n.text.lowercased()
                names.insert(key)
                if let d = catalog.defines[key], seenDefines.insert(key).inserted { visit(d.condition, depth: depth + 1) }
            case .compare(let n, _, _), .inList(let n, _, _, _), .isMissing(let n, _), .textMatch(let n, _, _, _, _):
                names.insert(n.text.lowercased())
            case .inPeriod(let n, _):
                names.insert(n.text.lowercased()); usesPeriod = true
            case .period:
                usesPeriod = true
            case .not(let inner, _):
                visit(inner, depth: depth + 1)
            case .and(let parts), .or(let parts):
                for p in parts { visit(p, depth: depth + 1) }
            }
        }

        // Columns used only after the filter: a distinct count's, plain keys'.
        var late = Set<String>()
        switch q.verb {
        case .count(let n):
            let unit = (target.unit ?? n.text).lowercased()
            if let def = catalog.units(of: ds).first(where: { $0.key.lowercased() == unit })?.value,
               case .distinct(let col) = def { late.insert(col.lowercased()) }
        case .countDistinct(let n):
            late.insert(n.text.lowercased())
        case .aggregate(_, let n):
            names.insert(n.text.lowercased())
        case .show:
            return
        }
        if let f = q.filter { visit(f, depth: 0) }
        for (c, _) in target.filters { visit(c, depth: 0) }
        for key in q.keys + (q.across.map { [$0] } ?? []) {
            switch key {
            case .column(let n): late.insert(n.text.lowercased())
            case .time(_, let n, _), .periods(let n, _, _):
                if let n = n { names.insert(n.text.lowercased()) } else { usesPeriod = true }
            }
        }
        if usesPeriod, let p = ds.periodColumn ?? ds.published?.periodStart { names.insert(p.lowercased()) }
        if let pub = ds.published {
            names.insert(pub.weight.lowercased()); names.insert(pub.measure.lowercased())
            if let e = pub.periodEnd { names.insert(e.lowercased()) }
        }
        try ds.prepare(early: names, late: late, filtered: q.filter != nil || !target.filters.isEmpty)
    }
}
