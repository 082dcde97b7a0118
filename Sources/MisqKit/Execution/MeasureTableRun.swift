/// A table of several measures, or of measures combined per group
/// (`MeasureTable`). The groups are found once, over the rows the plan
/// keeps; each measure is then measured over its own rows among them, per
/// group and over all rows (so a distinct total is a true distinct count,
/// never a sum), and each value column is worked out from a group's
/// measures, and its total from the measures' totals.
extension Executor {
    static func runTable(_ plan: PhysicalPlan, _ table: MeasureTable) throws -> QueryResult {
        let ds = plan.dataset
        let selection = try Filter.evaluate(plan.filter, ds)
        var footer = try makeFooter(plan, matched: selection.popCount)

        var measured: [(measurer: Measurer, rows: Bitmap)] = []
        var counted: [Int] = []
        var ownRows = false
        var narrower: [Bool] = []
        let shared = plan.periods
        var periodNotes: [Fact] = []
        for m in table.measures {
            var sub = plan.logical
            sub.table = nil; sub.measure = m.measure; sub.filter = m.filter
            sub.keys = []; sub.across = nil; sub.order = []; sub.top = nil; sub.limit = nil
            let lowered = try Lower.plan(sub, on: ds)
            var rows = selection
            if case .all = m.filter {} else {
                rows = try Filter.evaluate(lowered.filter, ds)
                rows.formIntersection(selection)
            }
            // A measure narrower than the table (its own `where`) is named in notes.
            narrower.append(rows.popCount != selection.popCount)
            ownRows = ownRows || narrower.last == true
            try Cancellation.check()
            measured.append((try Measurer(plan: lowered, selection: rows), rows))
            counted.append(rows.popCount)
            for p in m.periods {
                // A period the table's own rows already state is not repeated per measure.
                if !p.admitsEverything, !shared.contains(p) { periodNotes.append(.measurePeriod(measure: m.text, period: p)) }
            }
        }
        // Each aggregate's own note (`percentile 0.9` is near the smallest), once.
        for m in table.measures {
            if case .aggregate(let a, _) = m.measure, let note = a.note, !footer.notes.contains(.aggregateNote(note)) { footer.notes.append(.aggregateNote(note)) }
            if case .aggregate(_, let column) = m.measure, let note = Executor.markerNote(ds, column), !footer.notes.contains(.datasetNote(note)) {
                footer.notes.append(.datasetNote(note))
            }
        }
        if ownRows { footer.notes.append(.measureRows(measures: table.measures.map(\.text), rows: counted)) }
        footer.notes += periodNotes
        if measured.contains(where: { if case .rows = $0.measurer.kind { return true } else { return false } }),
           let fact = try blankRows(ds, selection) {
            footer.notes.append(fact)
        }

        // The groups, once for all measures.
        let rowKeys = try plan.keys.map { try KeyCodes.make($0, ds, selection: selection) }
        var keyCodes: [[UInt32]] = [[]]
        var groupOf: (Int) -> Int = { _ in 0 }
        if !plan.isScalar {
            let (strides, rowSpace) = KeyCodes.strides(rowKeys)
            (keyCodes, groupOf) = try groupIds(rowKeys, strides, rowSpace: rowSpace, selection, rows: try ds.rowCount)
        }
        let g = keyCodes.count
        var perMeasure: [[Double]] = []
        var totals: [Double] = []
        for (i, (m, rows)) in measured.enumerated() {
            let values = try m.values(groupOf: groupOf, groups: g, selection: rows)
            let total = plan.isScalar ? values[0] : try m.values(groupOf: { _ in 0 }, groups: 1, selection: rows)[0]
            perMeasure.append(values)
            totals.append(total)
            let sum = values.reduce(0, +)
            if m.isDistinct, !plan.isScalar, sum > total {
                let by = plan.keys.map(\.name).joined(separator: ", ")
                let m = table.measures[i]
                let which = narrower[i] ? " (\(m.text))" : ""
                footer.notes.append(.overlap(unit: m.unitName + which, keys: plan.keys.map(\.name), sum: sum, total: total))
            }
        }

        // The value columns.
        let columns = table.columns
        var missing = [[MeasureExpr.Missing: Int]](repeating: [:], count: columns.count)
        var rows: [GroupRow] = []
        for gi in 0..<g {
            let mv = perMeasure.map { $0[gi] }
            var values: [Double] = []
            for (c, col) in columns.enumerated() {
                let (v, why) = col.expr.evaluate(mv)
                if let why, !col.isPlain { missing[c][why, default: 0] += 1 }
                values.append(v)
            }
            rows.append(GroupRow(keys: labels(keyCodes[gi], rowKeys), values: values, rowTotal: nil))
        }
        var columnTotals: [Double] = []
        var valueColumns: [ValueColumn] = []
        for (c, col) in columns.enumerated() {
            let (total, why) = col.expr.evaluate(totals)
            columnTotals.append(total)
            if case .measure(let i) = col.expr {
                valueColumns.append(ValueColumn(name: col.name, isInteger: measured[i].measurer.isInteger, isDate: measured[i].measurer.isDate, isPercent: false))
            } else {
                let whole = !col.isPercent && (rows.map { $0.values[c] } + [total]).allSatisfy { $0.isNaN || $0.rounded() == $0 }
                valueColumns.append(ValueColumn(name: col.name, isInteger: whole, isDate: false, isPercent: col.isPercent))
            }
            for (why, n) in missing[c].sorted(by: { $0.value > $1.value }) {
                footer.notes.append(.noValue(column: col.name, groups: plan.isScalar ? nil : n, of: g, divisionByZero: why == .divisionByZero))
            }
            if let why, !plan.isScalar { footer.notes.append(.noTotal(column: col.name, divisionByZero: why == .divisionByZero)) }
        }

        // Order: by key ranks unless told otherwise; `top N` keeps the largest.
        let ranks = keyCodes.map { codes in codes.enumerated().map { rowKeys[$0.offset].ranks[Int($0.element)] } }
        var order = Array(0..<g)
        let topN = plan.top ?? plan.logical.topShare.map { $0.count(of: g) }
        func value(_ i: Int, _ c: Int) -> Double { rows[i].values[c] }
        func byKeys(_ a: Int, _ b: Int) -> Bool { ranks[a].lexicographicallyPrecedes(ranks[b]) }
        // A missing value sorts after every value, either way (SQL's NULLS LAST).
        func before(_ x: Double, _ y: Double, descending: Bool) -> Bool? {
            if x.isNaN || y.isNaN { return x.isNaN == y.isNaN ? nil : y.isNaN }
            return x == y ? nil : (descending ? x > y : x < y)
        }
        if !plan.order.isEmpty {
            order.sort { a, b in
                for o in plan.logical.order {
                    switch o.target {
                    case .key(let k):
                        if let first = Executor.keyFirst(keyCodes[a][k], keyCodes[b][k], ranks[a][k], ranks[b][k], rowKeys[k], descending: o.descending) {
                            return first
                        }
                    case .valueColumn(let c):
                        if let r = before(value(a, c), value(b, c), descending: o.descending) { return r }
                    case .value:
                        if let r = before(value(a, 0), value(b, 0), descending: o.descending) { return r }
                    case .column: break
                    }
                }
                return byKeys(a, b)
            }
        } else if topN != nil {
            order.sort { a, b in before(value(a, 0), value(b, 0), descending: true) ?? byKeys(a, b) }
        } else {
            order.sort(by: byKeys)
        }
        if let t = topN, t > 0, t < order.count || plan.logical.topShare != nil {
            var kept = Array(order.prefix(t))
            var tied = 0
            if plan.order.isEmpty {
                let cut = value(order[t - 1], 0)
                let more = order[t...].filter { value($0, 0) == cut }.sorted(by: byKeys)
                kept += more
                tied = more.count
            }
            footer.notes.append(.top(n: t, groups: order.count, tied: tied, cut: factValue(value(order[t - 1], 0), valueColumns[0]), kept: kept.count, overall: .total,
                                     share: plan.logical.topShare?.text, rounded: plan.logical.topShare?.rounds(order.count) ?? false,
                                     orderedBy: Executor.orderText(plan.logical)))
            if plan.order.isEmpty, columns.count > 1 { footer.notes.append(.topRankedBy(column: columns[0].name)) }
            order = kept
        }
        if let l = plan.limit, l < order.count {
            footer.notes.append(.limit(n: l, groups: order.count, overall: .total))
            order = Array(order.prefix(l))
        }
        rows = order.map { rows[$0] }

        let combined = columns.filter { !$0.isPlain }.map(\.name)
        if !plan.isScalar {
            if plan.withTotal {
                if !combined.isEmpty { footer.notes.append(.combinedTotals(columns: combined)) }
            } else {
                var parts: [TotalFact.ColumnTotal] = []
                for (c, col) in columns.enumerated() {
                    // A published table's figures often hold their own totals: none is added up (as for one measure).
                    if case .measure(let i) = col.expr, case .weighted = table.measures[i].measure { continue }
                    var once = false
                    if case .measure(let i) = col.expr { once = measured[i].measurer.isDistinct }
                    parts.append(TotalFact.ColumnTotal(name: col.name, value: factValue(columnTotals[c], valueColumns[c]), eachCountedOnce: once,
                                                       fromMeasureTotals: !col.isPlain))
                }
                if let first = parts.first {
                    footer.total = TotalFact(value: first.value, measure: first.name, kind: .columns(parts))
                }
            }
        }
        if plan.isScalar, columns.count == 1 {
            // One value with no groups (`percent(…) from d`) is a scalar, as it would be alone.
            return QueryResult(body: .scalar(columnTotals[0]), valueName: columns[0].name, valueIsInteger: valueColumns[0].isInteger, footer: footer,
                               valueIsPercent: valueColumns[0].isPercent, valueIsDate: valueColumns[0].isDate)
        }
        let result = GroupedResult(keyNames: plan.keys.map(\.name), numericKeys: Set(rowKeys.indices.filter { rowKeys[$0].isNumber }), acrossName: nil, acrossLabels: [], rows: rows, totals: columnTotals,
                                   grandTotal: columnTotals[0], withTotal: plan.withTotal, withPercent: plan.withPercent,
                                   percentBase: columnTotals, groupsBeforeTop: g, valueColumns: valueColumns)
        return QueryResult(body: .groups(result), valueName: plan.valueName, valueIsInteger: valueColumns[0].isInteger, footer: footer,
                           valueIsDate: valueColumns[0].isDate)
    }

    static func factValue(_ v: Double, _ c: ValueColumn) -> FactValue {
        FactValue(v, c.isDate ? .date : c.isPercent ? .percent : c.isInteger ? .integer : .figure)
    }
}

extension MeasureColumn {
    /// One measure as it is, not an expression of measures.
    var isPlain: Bool { if case .measure = expr { return true } else { return false } }
}
