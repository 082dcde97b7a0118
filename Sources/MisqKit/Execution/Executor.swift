/// Runs a plan over columns: filter to a bitmap, group through dense codes,
/// measure each group.
public enum Executor {
    /// The passes read category codes from the cache unchecked and check
    /// those they read (`CodeCheck`). A code past its labels means the cache
    /// on disk is damaged: the columns read from it are dropped, and the
    /// query runs again on columns parsed from the CSV (which rewrite the
    /// cache), so the answer is the CSV's. The same when a cache file was
    /// truncated under the query (`Dataset.cacheFaulted`), whether the
    /// zeros read in its place gave an answer or an error.
    ///
    /// The plan is lowered again for each run: codes read from a distrusted
    /// cache are not the codes of the columns parsed afresh.
    public static func run(_ plan: LogicalPlan, on ds: Dataset) throws -> QueryResult {
        _ = ds.codeCheck.take()
        let result: QueryResult
        do {
            result = try runOnce(try Lower.plan(plan, on: ds))
        } catch {
            guard ds.cacheFaulted else { throw error }
            ds.distrustCache()
            return try runOnce(try Lower.plan(plan, on: ds))
        }
        guard ds.codeCheck.take() || ds.cacheFaulted else { return result }
        ds.distrustCache()
        return try runOnce(try Lower.plan(plan, on: ds))
    }

    /// `order by` as the footer names it (`LogicalPlan.orderText`).
    static func orderText(_ p: LogicalPlan) -> String? { p.orderText }

    /// The order `top` cuts in (`LogicalPlan.topOrderText`).
    static func topOrderText(_ p: LogicalPlan) -> String? { p.topOrderText }

    private static func runOnce(_ plan: PhysicalPlan) throws -> QueryResult {
        if let table = plan.logical.table { return try runTable(plan, table) }
        let ds = plan.dataset
        var selection = try Filter.evaluate(plan.filter, ds)
        let matched = selection.popCount
        var footer = try makeFooter(plan, matched: matched)
        // `sum allegations from per_officer top 10%`: the rows with the largest values (`TopRows`).
        if plan.isScalar, plan.logical.top != nil || plan.logical.topShare != nil, case .aggregate(_, let k) = plan.measure,
           let (kept, fact) = TopRows.keep(plan.logical, column: try ds.column(k), selection) {
            selection = kept
            footer.notes.append(fact)
        }

        if case .show(let columns) = plan.measure {
            return QueryResult(body: .rows(try showRows(plan, columns, selection, matched)), valueName: "rows", valueIsInteger: true, footer: footer)
        }
        try Cancellation.check()
        let measure = try Measurer(plan: plan, selection: selection)
        if case .rows = measure.kind, let fact = try blankRows(ds, selection) { footer.notes.append(fact) }
        let valueIsInteger = measure.isInteger
        let valueKind: FactValue.Kind = measure.isDate ? .date : valueIsInteger ? .integer : .figure
        if plan.isScalar {
            // Counting rows is the selection's size.
            let v: Double
            if case .rows = measure.kind { v = Double(matched) } else { v = try measure.values(groupOf: { _ in 0 }, groups: 1, selection: selection)[0] }
            return QueryResult(body: .scalar(v), valueName: plan.valueName, valueIsInteger: valueIsInteger, footer: footer,
                               valueIsDate: measure.isDate)
        }

        // Row keys, then the across key as the last dimension.
        let rowKeys = try plan.keys.map { try KeyCodes.make($0, ds, selection: selection) }
        let acrossKey = try plan.across.map { try KeyCodes.make($0, ds, selection: selection) }
        let (strides, rowSpace) = KeyCodes.strides(rowKeys)
        let n = try ds.rowCount
        let grouped: Grouped
        if let g = CellCounts.grouped(measure, rowKeys, strides, rowSpace: rowSpace, acrossKey, selection, rows: n) {
            grouped = g
        } else {
            grouped = try generalGroups(measure, rowKeys, strides, rowSpace: rowSpace, acrossKey, selection, rows: n)
        }
        let grand = grouped.grand
        let keyTable = grouped.keys
        let g = keyTable.count
        var result = GroupedResult(keyNames: plan.keys.map(\.name), numericKeys: Set(rowKeys.indices.filter { rowKeys[$0].isNumber }), acrossName: plan.across?.name, acrossLabels: grouped.acrossLabels,
                                   rows: [], totals: grouped.totals, grandTotal: grand, withTotal: plan.withTotal,
                                   withPercent: plan.withPercent, percentBase: grouped.percentBase ?? [grand], groupsBeforeTop: g)
        var overlap = false  // some unit counted under more than one group
        if measure.isDistinct, grouped.sum > grand {
            footer.notes.append(.overlap(unit: plan.unitName, keys: plan.keys.map(\.name) + (plan.across.map { [$0.name] } ?? []),
                                         sum: grouped.sum, total: grand))
            overlap = true
        }
        // Order: by key ranks unless told otherwise; `top N` keeps the largest.
        // Ranks are read through the key table, not copied per group.
        let keyRanks = rowKeys.map(\.ranks)
        let keyCount = rowKeys.count
        var order = Array(0..<g)
        // `top 10%` of these groups is a number of them (`TopShare.count`).
        let topN = plan.top ?? plan.logical.topShare.map { $0.count(of: g) }
        func value(_ i: Int) -> Double { grouped.value(i) }
        func byKeys(_ a: Int, _ b: Int) -> Bool {
            for k in 0..<keyCount {
                let ra = keyRanks[k][Int(keyTable[a, k])], rb = keyRanks[k][Int(keyTable[b, k])]
                if ra != rb { return ra < rb }
            }
            return false
        }
        if !plan.order.isEmpty {
            order.sort { a, b in
                for (key, desc) in plan.order {
                    if let k = key {
                        let ca = keyTable[a, k], cb = keyTable[b, k]
                        if let first = Executor.keyFirst(ca, cb, keyRanks[k][Int(ca)], keyRanks[k][Int(cb)], rowKeys[k], descending: desc) {
                            return first
                        }
                    } else if let first = Executor.valueFirst(value(a), value(b), descending: desc) { return first }
                }
                return byKeys(a, b)
            }
        } else if let t = topN {
            let before = { (a: Int, b: Int) in Executor.valueFirst(value(a), value(b), descending: true) ?? byKeys(a, b) }
            order = t < 1_000 && order.count > 8 * t ? firstInOrder(t, of: order, by: before) : order.sorted(by: before)
        } else {
            order = KeyOrder.order(keyTable, rowKeys) ?? order.sorted(by: byKeys)
        }
        // An aggregate's footer figure is over all groups, not a total of them.
        let overall: GroupsFigure
        if case .aggregate = plan.measure { overall = .aggregate } else { overall = .total }
        if let t = topN, t > 0, t < order.count || plan.logical.topShare != nil {
            // Groups tied with the last one kept are kept too (SQL's
            // FETCH FIRST … WITH TIES): cutting between equal values would
            // pick among them by label, which the figures do not support.
            var kept = Array(order.prefix(t))
            var tied = 0, tiedOut = 0
            if plan.order.isEmpty {
                let cut = value(order[t - 1])
                let more = order[t...].filter { Executor.valueFirst(value($0), cut, descending: true) == nil }.sorted(by: byKeys)
                kept += more
                tied = more.count
            } else if t < order.count {
                // In the order asked, the cut is exact: say how many equal the last kept on what was ordered.
                let last = order[t - 1]
                tiedOut = order[t...].filter { x in
                    plan.order.allSatisfy { o in
                        if let k = o.key { return keyTable[x, k] == keyTable[last, k] }
                        return Executor.valueFirst(value(x), value(last), descending: true) == nil
                    }
                }.count
            }
            footer.notes.append(.top(n: t, groups: order.count, tied: tied, cut: FactValue(value(order[t - 1]), valueKind), kept: kept.count,
                                     overall: overall, share: plan.logical.topShare?.text, rounded: plan.logical.topShare?.rounds(order.count) ?? false,
                                     orderedBy: Executor.topOrderText(plan.logical), tiedOut: tiedOut))
            order = kept
        }
        if let l = plan.limit, l < order.count {
            footer.notes.append(.limit(n: l, groups: order.count, overall: overall))
            order = Array(order.prefix(l))
        }
        // The groups shown as codes, gathered into the order shown: a
        // labelled row is made only if a reader asks for one (`GroupCodes`).
        result.setRows(GroupCodes(keyTable, grouped, order: order, labels: rowKeys.map(\.labels)))
        // The total is always stated: as a row with `with total`, else here,
        // since with distinct units it is not the sum of the rows. Not for a
        // published table, whose figures often include their own totals.
        if !plan.withTotal {
            let total = FactValue(grand, valueKind)
            switch plan.measure {
            case .weighted: break
            case .aggregate: footer.total = TotalFact(value: total, measure: plan.valueName, kind: .overall)
            default: footer.total = TotalFact(value: total, measure: plan.valueName, kind: .count(eachCountedOnce: overlap))
            }
        }
        return QueryResult(body: .groups(result), valueName: plan.valueName, valueIsInteger: valueIsInteger, footer: footer,
                           valueIsDate: measure.isDate)
    }

    /// The groups of a plan: key codes, values (`width` a group: one, or
    /// one per across column), across columns. Kept flat, one array each,
    /// with a group's labelled row made only when it is shown.
    struct Grouped {
        var keys: GroupKeyTable
        var values: [Double] = []
        var width = 1
        /// Each group's total across columns (distinct-aware), with `across`.
        var rowTotals: [Double] = []
        var acrossLabels: [String] = []
        /// Column totals (one, or one per across column).
        var totals: [Double]?
        var percentBase: [Double]?
        var grand: Double = 0
        /// The groups' values added up (more than `grand` when distinct
        /// units fall in more than one group).
        var sum: Double = 0

        /// The value a group is ranked by: its row total with `across`.
        @inline(__always) func value(_ g: Int) -> Double { rowTotals.isEmpty ? values[g &* width] : rowTotals[g] }
    }

    /// Any measure, any keys: a group id per row, then a measure pass per
    /// grouping (groups, across columns, their totals).
    static func generalGroups(_ measure: Measurer, _ rowKeys: [KeyCodes], _ strides: [Int], rowSpace: Int?, _ acrossKey: KeyCodes?,
                              _ selection: Bitmap, rows n: Int) throws -> Grouped {
        let (keys, groupOf) = try GroupTable.make(rowKeys, strides, rowSpace: rowSpace, selection, rows: n)
        var out = Grouped(keys: keys)
        let g = keys.count
        out.grand = try measure.values(groupOf: { _ in 0 }, groups: 1, selection: selection)[0]
        if let ak = acrossKey {
            let acrossOf = GroupCursor(keys: [ak], strides: [1], table: (0..<ak.cardinality).map(Int32.init), rows: n)
            var present = [Bool](repeating: false, count: ak.cardinality)
            selection.forEachSet { present[acrossOf.value($0)] = true }
            let acrossCodes = (0..<ak.cardinality).filter { present[$0] }.sorted { ak.ranks[$0] < ak.ranks[$1] }
            out.acrossLabels = acrossCodes.map { ak.labels[$0] }
            var column = [Int](repeating: -1, count: ak.cardinality)
            for (i, c) in acrossCodes.enumerated() { column[c] = i }
            let a = acrossCodes.count
            out.values = try measure.values(groupOf: { r in groupOf(r) * a + column[acrossOf.value(r)] }, groups: g * a, selection: selection)
            out.width = a
            out.rowTotals = try measure.values(groupOf: groupOf, groups: g, selection: selection)
            let colTotals = try measure.values(groupOf: { column[acrossOf.value($0)] }, groups: a, selection: selection)
            out.totals = colTotals
            out.percentBase = colTotals
            out.sum = out.values.reduce(0, +)
        } else {
            out.values = try measure.values(groupOf: groupOf, groups: g, selection: selection)
            out.totals = [out.grand]
            out.sum = out.values.reduce(0, +)
        }
        return out
    }

    /// A dense group id for each selected row (through `groupOf`) and each
    /// group's key codes (`GroupTable`).
    static func groupIds(_ rowKeys: [KeyCodes], _ strides: [Int], rowSpace: Int?, _ selection: Bitmap,
                         rows n: Int) throws -> (keyCodes: [[UInt32]], groupOf: (Int) -> Int) {
        let (keys, groupOf) = try GroupTable.make(rowKeys, strides, rowSpace: rowSpace, selection, rows: n)
        return ((0..<keys.count).map(keys.tuple), groupOf)
    }

    /// Whether value x goes before y, nil when they tie. A missing value (a
    /// median of no values) goes last either way, as SQL's NULLS LAST: a
    /// NaN compared as a number is neither less nor more, and broke the sort.
    static func valueFirst(_ x: Double, _ y: Double, descending: Bool) -> Bool? {
        if x.isNaN || y.isNaN { return x.isNaN == y.isNaN ? nil : y.isNaN }
        if x == y { return nil }
        return descending ? x > y : x < y
    }

    /// Whether group a's key comes before b's in an `order by KEY`: by rank,
    /// either way, with the missing value after every other in both (SQL's
    /// NULLS LAST, as values are ordered); nil when they are the same.
    static func keyFirst(_ ca: UInt32, _ cb: UInt32, _ ra: Int, _ rb: Int, _ key: KeyCodes, descending: Bool) -> Bool? {
        let missing = UInt32(key.cardinality - 1)
        if (ca == missing) != (cb == missing) { return cb == missing }
        if ra == rb { return nil }
        return descending ? ra > rb : ra < rb
    }

    /// The first `k` of `items` in the order `before`, then the rest in
    /// their order: `top 5` of two million groups keeps five, not sorts all.
    static func firstInOrder(_ k: Int, of items: [Int], by before: (Int, Int) -> Bool) -> [Int] {
        let best = items.smallest(k, by: before)
        let chosen = Set(best)
        return best + items.filter { !chosen.contains($0) }
    }

    /// A group's key labels; nil for a key's last code, "missing", so a
    /// label that is the text "(missing)" is never taken for a blank.
    static func labels(_ codes: [UInt32], _ keys: [KeyCodes]) -> [String?] {
        codes.enumerated().map { i, code in
            Int(code) == keys[i].cardinality - 1 ? nil : keys[i].labels[Int(code)]
        }
    }

    /// Rows with every field empty count as rows; a count that includes
    /// them says so, since a spreadsheet's trailing `,,,` lines are not
    /// cases (issue 15, item 5).
    static func blankRows(_ ds: Dataset, _ selection: Bitmap) throws -> Fact? {
        let blank = try ds.blankRows(among: selection)
        guard blank > 0 else { return nil }
        return .blankRows(blank: blank, counted: selection.popCount, missingValuesDeclared: !ds.missingValues.isEmpty)
    }

    static func makeFooter(_ plan: PhysicalPlan, matched: Int) throws -> Footer {
        let ds = plan.dataset
        let p = ds.provenance
        var source: [String] = []
        var bits: [String] = []
        if let pub = p.publisher { bits.append(pub) }
        if let ref = p.reference { bits.append(ref) }
        if let r = p.retrieved { bits.append("retrieved \(Day.iso(r))" + (p.retrievedFrom.map { " from \($0)" } ?? "")) }
        if !bits.isEmpty { source.append("source: " + bits.joined(separator: "; ")) }
        for c in p.caveats { source.append("caveat: \(c)") }
        if let d = p.describedBy { source.append("file: \(ds.path), described by \(d)") }
        return Footer(dataset: ds.name, title: p.title, synthetic: p.synthetic, source: source, periods: plan.periods,
                      scanned: try ds.rowCount, matched: matched,
                      notes: p.notes.map(Fact.datasetNote) + inferredPeriodNote(plan) + aggregateNote(plan) + plan.logical.textMatches.map(Fact.textMatch)
                             + plan.derivedNotes)
    }

    static func aggregateNote(_ plan: PhysicalPlan) -> [Fact] {
        var out: [Fact] = []
        if case .aggregate(let a, _) = plan.measure, let note = a.note { out.append(.aggregateNote(note)) }
        if case .aggregate(_, let k) = plan.measure, plan.dataset.columnNames.indices.contains(k),
           let note = markerNote(plan.dataset, plan.dataset.columnNames[k]) { out.append(.datasetNote(note)) }
        return out
    }

    /// A spreadsheet column's markers (`[c]`, `..`), when an answer
    /// measures it: the figure is over the cells shown, and the reader
    /// must see how many were not (cold test of issue 22: a sum over a
    /// column with `[c]` and `..` said nothing of them).
    static func markerNote(_ ds: Dataset, _ column: String) -> String? {
        ds.source.markerNotes[column]
    }

    /// A note when the query used a period column misq inferred (a bare
    /// CSV's only date column), so the reader knows which dates counted.
    static func inferredPeriodNote(_ plan: PhysicalPlan) -> [Fact] {
        let ds = plan.dataset
        guard let k = ds.inferredPeriodColumn else { return [] }
        let name = ds.columnNames[k]
        return plan.logical.readsPeriod(column: name) ? [.inferredPeriodColumn(column: name, dataset: ds.name, path: ds.path, load: ds.loadStatement(period: "COLUMN", namingSheet: false))] : []
    }

    static func showRows(_ plan: PhysicalPlan, _ columns: [Int], _ selection: Bitmap, _ matched: Int) throws -> RowsResult {
        let ds = plan.dataset
        // All the shown columns in one pass over the file: one at a time,
        // an export of 24 columns read the CSV 24 times.
        try ds.load(columns: columns)
        let cols = try columns.map { try ds.column($0) }
        let limit = plan.limit ?? plan.top
        let shown = min(matched, limit ?? matched)
        let forEachRow: ((Int) -> Bool) -> Void
        if !plan.order.isEmpty {
            var picked: [Int] = []
            selection.forEachSet { picked.append($0) }
            // Order by the named columns: numbers and dates by value, text by
            // label; a missing value last either way (DuckDB's NULLS LAST).
            let keys = try plan.order.compactMap { o in try o.key.map { (try ds.column($0), o.descending) } }
            picked.sort { a, b in
                for (c, desc) in keys {
                    let ka = sortKey(c, a), kb = sortKey(c, b)
                    if ka[0] != kb[0] { return ka[0] < kb[0] }
                    if ka != kb { return desc ? kb.lexicographicallyPrecedes(ka) : ka.lexicographicallyPrecedes(kb) }
                }
                return a < b
            }
            picked = Array(picked.prefix(shown))
            forEachRow = { body in for r in picked where !body(r) { return } }
        } else {
            // The selection is read as the rows are written: no list of
            // row numbers the length of the export.
            forEachRow = { body in
                var left = shown
                for (k, w) in selection.words.enumerated() {
                    var word = w
                    while word != 0 {
                        guard left > 0 else { return }
                        let r = k << 6 | word.trailingZeroBitCount
                        word &= word &- 1
                        left -= 1
                        if !body(r) { return }
                    }
                }
            }
        }
        let numeric = Set(cols.indices.filter { cols[$0].type == .number })
        return RowsResult(columns: columns.map(plan.columnName), numericColumns: numeric,
                          table: RowTable(columns: cols.map(RowColumns.make), count: shown, forEachRow: forEachRow), matched: matched)
    }

    static func sortKey(_ c: Column, _ r: Int) -> [Double] {
        switch c {
        case .number(let n): return [n.values[r].isNaN ? 1 : 0, n.values[r].isNaN ? 0 : n.values[r]]
        case .date(let d): return [d.days[r] == DateColumn.missing ? 1 : 0, Double(d.days[r])]
        case .boolean(let b): return [b.known[r] ? 0 : 1, b.value[r] ? 0 : 1]
        case .category(let cat): let k = cat.codes[r]; return k == CategoryColumn.missing ? [1, 0] : [0, Double(cat.rank[Int(k)])]
        }
    }
}
