import Foundation

/// The rows a database returned for a compiled plan (`SQLCompiler`'s long
/// form: keys, across key, value columns, percent, `misq_row`), made into
/// the typed result the in-process engine makes, with the same footer
/// facts in the same order: the dataset's notes, the inferred period
/// column, the aggregate's note, the text matches, blank rows, overlapping
/// groups, `top` and `limit`, and the total when no row shows it.
struct DatabaseAnswer {
    let plan: LogicalPlan
    let schema: DatabaseSchema
    let catalog: any Catalog
    let figures: RowFigures
    let engine: String

    /// The type of a column the plan names (the dataset's).
    func type(_ column: String) -> ColumnType? {
        schema.columnIndex(column).flatMap { try? schema.columnType($0) }
    }

    var valueIsDate: Bool {
        if case .aggregate(let a, let c) = plan.measure { return type(c) == .date && a.spec.result == .sameAsArgument }
        return false
    }

    var valueIsInteger: Bool {
        switch plan.measure {
        case .rows, .show, .distinct: return true
        case .weighted: return figures.fractionalWeights == 0
        case .aggregate: return valueIsDate
        }
    }

    var valueKind: FactValue.Kind { valueIsDate ? .date : valueIsInteger ? .integer : .figure }

    func value(_ v: DatabaseValue) throws -> Double {
        if case .null = v { return .nan }
        if valueIsDate {
            guard let t = v.text, let day = ValueParsing.date(String(t.prefix(10))) else {
                throw MisqError(.data, "\(engine) gave '\(v.text ?? "")' where a date was expected")
            }
            return Double(day)
        }
        guard let n = v.number else { throw MisqError(.type, "\(engine) gave '\(v.text ?? "")' where a number was expected") }
        return n
    }

    func footer() -> Footer {
        var notes = schema.provenance.notes.map(Fact.datasetNote)
        if let (k, inferred) = try? schema.periodColumnIndex(), inferred {
            let name = schema.columnNames[k]
            if plan.readsPeriod(column: name) { notes.append(.inferredPeriodColumn(column: name, dataset: schema.name, path: schema.path)) }
        }
        if case .aggregate(let a, _) = plan.measure, let note = a.note { notes.append(.aggregateNote(note)) }
        notes += plan.textMatches.map(Fact.textMatch)
        return Footer(dataset: schema.name, title: schema.provenance.title, synthetic: schema.provenance.synthetic,
                      source: schema.provenance.source, periods: plan.periods, scanned: figures.scanned, matched: figures.matched, notes: notes)
    }

    func result(_ rows: DatabaseRows) throws -> QueryResult {
        var footer = footer()
        if case .show(let columns) = plan.measure {
            return QueryResult(body: .rows(shown(columns, rows)), valueName: "rows", valueIsInteger: true, footer: footer)
        }
        if case .rows = plan.measure, figures.blank > 0 {
            footer.notes.append(.blankRows(blank: figures.blank, counted: figures.matched, missingValuesDeclared: schema.missingValuesDeclared))
        }
        if plan.isScalar {
            guard rows.rows.count == 1, let cell = rows.rows[0].first else {
                throw MisqError(.io, "\(engine) gave \(rows.rows.count) rows for one figure")
            }
            return QueryResult(body: .scalar(try value(cell)), valueName: plan.valueName, valueIsInteger: valueIsInteger, footer: footer,
                               valueIsDate: valueIsDate)
        }
        return try grouped(rows, footer)
    }

    func shown(_ columns: [String], _ rows: DatabaseRows) -> RowsResult {
        var cells: [RowColumn] = []
        var numeric: Set<Int> = []
        for (k, name) in columns.enumerated() {
            let values = rows.rows.map { k < $0.count ? $0[k] : .null }
            if type(name) == .number {
                numeric.insert(k)
                let numbers = values.map { $0.number ?? .nan }
                cells.append(.number { numbers[$0] })
            } else {
                // Dates as ISO days (a database may add a time).
                let texts = values.map { v in v.text.map { type(name) == .date ? String($0.prefix(10)) : $0 } }
                var labels: [String] = [], index: [String: Int] = [:]
                let codes = texts.map { t -> Int in
                    guard let t else { return -1 }
                    if let i = index[t] { return i }
                    index[t] = labels.count; labels.append(t)
                    return labels.count - 1
                }
                cells.append(.coded(count: labels.count, text: { labels[$0] }, code: { codes[$0] }, codes: { rows, out in
                    for (i, r) in rows.enumerated() { out[i] = Int32(codes[r]) }
                }))
            }
        }
        let n = rows.rows.count
        return RowsResult(columns: columns, numericColumns: numeric,
                          table: RowTable(columns: cells, count: n, forEachRow: { body in for r in 0..<n where !body(r) { return } }),
                          matched: figures.matched)
    }

    func grouped(_ answer: DatabaseRows, _ footerIn: Footer) throws -> QueryResult {
        var footer = footerIn
        let nk = plan.keys.count
        let across = plan.across != nil
        let v0 = nk + (across ? 1 : 0)
        func kind(_ row: [DatabaseValue]) -> String { row.last?.text ?? "" }
        func keys(_ row: [DatabaseValue]) -> [String?] { (0..<nk).map { k in keyText(row[k], plan.keys[k]) } }
        for row in answer.rows where row.count < v0 + 2 { throw MisqError(.io, "\(engine) gave a row of \(row.count) columns for a table of \(v0 + 2)") }
        let numericKeys = Set(plan.keys.indices.filter { if case .column(let c) = plan.keys[$0] { return type(c) == .number } else { return false } })
        guard let totalRow = answer.rows.first(where: { kind($0) == "total" }) else { throw MisqError(.io, "\(engine) gave no total row") }
        let grand = try value(totalRow[v0])
        var result = GroupedResult(keyNames: plan.keys.map(\.name), numericKeys: numericKeys, acrossName: plan.across?.name, acrossLabels: [],
                                   rows: [], totals: [grand], grandTotal: grand, withTotal: plan.withTotal, withPercent: plan.withPercent,
                                   percentBase: [grand], groupsBeforeTop: 0)
        var sum = 0.0
        if let a = plan.across {
            // Cells by (row keys, across label); the across labels in the
            // order the database ranked them (its column totals', or with
            // no row keys its cells').
            var labels: [String] = [], labelIndex: [String: Int] = [:]
            func label(_ row: [DatabaseValue]) -> String { keyText(row[nk], a) ?? "(missing)" }
            let labelRows = answer.rows.filter { kind($0) == (nk == 0 ? "cell" : "column total") }
            for r in labelRows { let l = label(r); if labelIndex[l] == nil { labelIndex[l] = labels.count; labels.append(l) } }
            var colTotals = [Double](repeating: 0, count: labels.count)
            for r in labelRows { if let j = labelIndex[label(r)] { colTotals[j] = try value(r[v0]) } }
            let empty: Double = { if case .aggregate = plan.measure { return .nan } else { return 0 } }()
            var order: [[String?]] = [], cells: [String: [Double]] = [:]
            var rowTotals: [String: Double] = [:]
            for r in answer.rows {
                let k = keys(r), id = "\(k)"
                switch kind(r) {
                case "cell":
                    if cells[id] == nil { cells[id] = [Double](repeating: empty, count: labels.count); order.append(k) }
                    let v = try value(r[v0])
                    if let j = labelIndex[label(r)] { cells[id]?[j] = v }
                    if !v.isNaN { sum += v }
                case "row total": rowTotals[id] = try value(r[v0])
                default: break
                }
            }
            result.acrossLabels = labels
            result.rows = order.map { k in GroupRow(keys: k, values: cells["\(k)"] ?? [], rowTotal: nk == 0 ? grand : rowTotals["\(k)"]) }
            result.totals = colTotals
            result.percentBase = colTotals
        } else {
            result.rows = try answer.rows.filter { kind($0) == "group" }.map { r in
                GroupRow(keys: keys(r), values: [try value(r[v0])], rowTotal: nil)
            }
            sum = result.rows.reduce(0) { $0 + ($1.values[0].isNaN ? 0 : $1.values[0]) }
        }
        result.groupsBeforeTop = result.rows.count
        var overlap = false
        if case .distinct = plan.measure, sum > grand {
            footer.notes.append(.overlap(unit: plan.unitName, keys: plan.keys.map(\.name) + (plan.across.map { [$0.name] } ?? []), sum: sum, total: grand))
            overlap = true
        }
        let overall: GroupsFigure
        if case .aggregate = plan.measure { overall = .aggregate } else { overall = .total }
        if let t = plan.top, t > 0, t < result.rows.count, !across {
            result.rows = cut(result.rows, top: t, overall: overall, footer: &footer)
        }
        if let l = plan.limit, l < result.rows.count {
            footer.notes.append(.limit(n: l, groups: result.rows.count, overall: overall))
            result.rows = Array(result.rows.prefix(l))
        }
        if !plan.withTotal {
            let total = FactValue(grand, valueKind)
            switch plan.measure {
            case .weighted: break
            case .aggregate: footer.total = TotalFact(value: total, measure: plan.valueName, kind: .overall)
            default: footer.total = TotalFact(value: total, measure: plan.valueName, kind: .count(eachCountedOnce: overlap))
            }
        }
        return QueryResult(body: .groups(result), valueName: plan.valueName, valueIsInteger: valueIsInteger, footer: footer, valueIsDate: valueIsDate)
    }

    /// `top N` on groups the database returned in order: the first N, and
    /// (ranked by value) those tied with the Nth, as the in-process engine keeps them.
    func cut(_ rows: [GroupRow], top t: Int, overall: GroupsFigure, footer: inout Footer) -> [GroupRow] {
        func v(_ r: GroupRow) -> Double { r.values[0] }
        func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }
        var kept = Array(rows.prefix(t))
        var tied = 0, tiedOut = 0
        let last = rows[t - 1]
        if plan.order.isEmpty {
            let more = rows[t...].filter { same(v($0), v(last)) }
            kept += more
            tied = more.count
        } else {
            tiedOut = rows[t...].filter { r in
                plan.order.allSatisfy { o in
                    if case .key(let k) = o.target { return r.keys[k] == last.keys[k] }
                    return same(v(r), v(last))
                }
            }.count
        }
        // Worded as the in-process engine words it, so the footers are the same.
        let orderedBy = plan.topOrderText
        footer.notes.append(.top(n: t, groups: rows.count, tied: tied, cut: FactValue(v(last), valueKind), kept: kept.count, overall: overall,
                                 share: nil, rounded: false, orderedBy: orderedBy, tiedOut: tiedOut))
        return kept
    }

    /// A key's label as misq writes it: a number plainly, a date as its ISO
    /// day, yes/no for a condition; nil for a missing value.
    func keyText(_ v: DatabaseValue, _ key: PlanKey) -> String? {
        switch v {
        case .null: return nil
        case .boolean(let b): return b ? "yes" : "no"
        case .text(let t):
            if case .column(let c) = key, type(c) == .date { return String(t.prefix(10)) }
            return t
        default: return v.text
        }
    }
}
