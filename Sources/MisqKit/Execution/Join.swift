/// A plan's join, run: each row of the dataset finds the one row of the
/// joined dataset with the same key (the checker saw that the joined side
/// has one row per key), and the joined dataset's columns are gathered
/// onto the rows through that map. The dataset's own columns are shared,
/// not copied, so the join adds no rows and repeats none: a case counted
/// after it is counted as often as before.
enum Join {
    /// The dataset with the joined columns after its own, and what the join
    /// found (the footer states it). The joined columns are made when a
    /// query first reads them.
    static func joined(_ join: PlanJoin, left: Dataset, right: Dataset) throws -> (Dataset, Fact) {
        guard let lk = left.columnIndex(join.leftKey), let rk = right.columnIndex(join.rightKey) else {
            throw MisqError(.data, "the join key '\(join.leftKey)' or '\(join.rightKey)' is gone from its dataset")
        }
        let partner = try partners(try left.column(lk), try right.column(rk))
        let rows = partner.count
        var unmatched = 0
        var used = [Bool](repeating: false, count: try right.rowCount)
        for p in partner { if p < 0 { unmatched += 1 } else { used[p] = true } }
        let leftCount = left.columnNames.count
        let header = left.columnNames + join.columns
        let rightIndex = join.rightColumns.map { right.columnIndex($0) }
        var p = left.provenance
        p.synthetic = left.provenance.synthetic || right.provenance.synthetic
        let rp = right.provenance
        let bits = [rp.title, rp.publisher, rp.reference].compactMap { $0 }
        p.notes.append("joined: \(right.name)" + (bits.isEmpty ? "" : " — " + bits.joined(separator: "; ")) + (rp.synthetic ? " [SYNTHETIC DATA]" : ""))
        for c in rp.caveats { p.notes.append("caveat of \(right.name): \(c)") }
        let gather = partner
        let d = Dataset.inMemory(name: left.name, path: left.path, header: header, rows: rows, provenance: p, units: left.units,
                                 periodColumn: left.periodColumn, asOf: left.declaredAsOf) { k in
            if k < leftCount { return try left.column(k) }
            guard let r = rightIndex[k - leftCount] else { throw MisqError(.data, "column \(k + 1) of the join is gone") }
            return try right.column(r).gathered(gather)
        }
        let fact = Fact.join(kind: join.kind.rawValue, dataset: right.name, on: join.leftKey == join.rightKey ? join.leftKey : "\(join.leftKey) = \(join.rightKey)",
                             rows: rows, unmatched: unmatched, joinedRows: used.count, joinedUnused: used.filter { !$0 }.count, of: left.name)
        return (d, fact)
    }

    /// The join's fact over the rows the query's own filter kept (its
    /// `where`, period and subsets, not the inner join's "has a partner"):
    /// a row the filter left out is not one that "found no partner", so
    /// counting it there would overstate what the join lost. The counts
    /// come from counting the kept rows by the joined key, whose missing
    /// group is the rows with no partner.
    static func keptFact(_ plan: LogicalPlan, _ join: PlanJoin, joined: Dataset, whole: Fact) throws -> Fact {
        guard case .join(let kind, let dataset, let on, _, _, let joinedRows, _, let of, _) = whole,
              let k = join.rightColumns.firstIndex(of: join.rightKey) else { return whole }
        let key = join.columns[k]
        let own = ownFilter(plan.filter, joinedKey: key)
        if case .all = own { return whole }
        var count = plan
        count.measure = .rows; count.valueName = "rows"; count.unitName = "rows"
        count.filter = own; count.keys = [.column(key)]; count.across = nil
        count.order = []; count.top = nil; count.topShare = nil; count.limit = nil
        count.withPercent = false; count.withTotal = false; count.withBars = false
        count.per = nil; count.join = nil; count.suppression = nil; count.table = nil
        let r = try Executor.run(count, on: joined)
        guard case .groups(let g) = r.body else { return whole }
        var unmatched = 0, used = 0
        for row in g.rows { if row.keys[0] == nil { unmatched += Int(row.values[0]) } else { used += 1 } }
        return .join(kind: kind, dataset: dataset, on: on, rows: r.footer.matched, unmatched: unmatched, joinedRows: joinedRows,
                     joinedUnused: joinedRows - used, of: of, filtered: true)
    }

    /// The plan's filter less the inner join's own condition (the joined key is there).
    static func ownFilter(_ p: Predicate, joinedKey: String) -> Predicate {
        func isJoins(_ x: Predicate) -> Bool {
            if case .not(.missing(let c)) = x, c == joinedKey { return true }
            return false
        }
        if isJoins(p) { return .all }
        guard case .and(let xs) = p else { return p }
        let rest = xs.filter { !isJoins($0) }
        return rest.isEmpty ? .all : rest.count == 1 ? rest[0] : .and(rest)
    }

    /// For each row of `left`, the row of `right` with the same key, or -1.
    /// Labels match exactly, numbers and days by value; a missing key
    /// matches nothing, as SQL's NULL never equals.
    static func partners(_ left: Column, _ right: Column) throws -> [Int] {
        switch (left, right) {
        case (.category(let l), .category(let r)):
            // The right side's row per code, then one lookup per label (not
            // per row), in a table sized once: growing it was a tenth of a
            // join on 250,000 officer ids.
            var rowOfCode = [Int](repeating: -1, count: r.labels.count)
            for row in 0..<r.codes.count {
                let c = r.codes[row]
                if c != CategoryColumn.missing, Int(c) < rowOfCode.count { rowOfCode[Int(c)] = row }
            }
            var rowOf: [String: Int] = [:]
            rowOf.reserveCapacity(r.labels.count)
            for (c, row) in rowOfCode.enumerated() where row >= 0 { rowOf[r.labels[c]] = row }
            let byCode = l.labels.map { rowOf[$0] ?? -1 }
            return (0..<l.codes.count).map { row in
                let c = l.codes[row]
                return c == CategoryColumn.missing || Int(c) >= byCode.count ? -1 : byCode[Int(c)]
            }
        case (.number(let l), .number(let r)):
            var rowOf: [Double: Int] = [:]
            for row in 0..<r.values.count where !r.values[row].isNaN { rowOf[r.values[row]] = row }
            return (0..<l.values.count).map { l.values[$0].isNaN ? -1 : rowOf[l.values[$0]] ?? -1 }
        case (.date(let l), .date(let r)):
            var rowOf: [Int32: Int] = [:]
            for row in 0..<r.days.count where r.days[row] != DateColumn.missing { rowOf[r.days[row]] = row }
            return (0..<l.days.count).map { l.days[$0] == DateColumn.missing ? -1 : rowOf[l.days[$0]] ?? -1 }
        case (.boolean(let l), .boolean(let r)):
            var rowOf: [Bool: Int] = [:]
            for row in 0..<r.value.count where r.known[row] { rowOf[r.value[row]] = row }
            return (0..<l.value.count).map { l.known[$0] ? rowOf[l.value[$0]] ?? -1 : -1 }
        default:
            throw MisqError(.type, "the join keys hold different types")
        }
    }
}
