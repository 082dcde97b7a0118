/// `misq sql`: a logical plan (`Plan/LogicalPlan.swift`) lowered a second
/// way, to one SQL query for a target database, written as one common
/// table expression per step of the plan (scan, derive, filter, key,
/// measure, share, rank, order) so it reads as `misq explain` does.
///
/// The answer keeps misq's shape in long form: one row per group with its
/// keys and value, then the total in a row of its own (`misq_row`), since
/// a distinct total over overlapping groups is not the sum of the groups:
/// it is measured once more over all the rows, by `GROUPING SETS` where
/// the target has them, else by a second `SELECT` (`SQLDialect`). With
/// `across`, a cell is a row with both keys, and the row and column
/// totals are rows of their own, each measured over its rows.
///
/// Anything the compiler does not yet write exactly is an error naming
/// the form, never SQL that answers something else.
public enum SQLCompiler {
    /// The one column saying what a row of the answer is.
    static let rowKind = "misq_row"

    /// The column `--engine` asks for beside the answer (`matched: true`):
    /// the rows the filter admits, counted in the same pass as the answer
    /// (on its total row, or its one row), which a query of its own would
    /// filter the table a second time for.
    static let matchedColumn = "misq_matched"

    public static func compile(_ plan: LogicalPlan, catalog: any Catalog, dialect d: SQLDialect, statement: String,
                               matched: Bool = false) throws -> String {
        guard let schema = catalog.schema(named: plan.dataset) else {
            throw MisqError(.name, "no dataset named '\(plan.dataset)' to compile for")
        }
        if schema.isMadeByStatement {
            throw unsupported("a dataset made by let (\(plan.dataset))", d, why: "it is a result kept in this session, not a table in the database")
        }
        if plan.join != nil || plan.per != nil {
            throw unsupported("join and per", d, why: "joins are not compiled yet")
        }
        if plan.suppression != nil {
            // Hidden cells are a presentation of the figures, applied after
            // them; SQL that printed the small counts would publish them.
            throw unsupported("with suppression", d, why: "hiding small counts is not compiled yet; the SQL would show them")
        }
        if plan.topShare != nil { throw unsupported("top N%", d, why: "a share of the groups is not compiled yet") }
        var types: [String: ColumnType] = [:]
        for (k, name) in schema.columnNames.enumerated() { types[name] = try schema.columnType(k) }
        for s in plan.derive { types[s.name] = s.type }
        let x = SQLExpressions(d: d, types: types, declaredOrder: { name in schema.columnIndex(name).flatMap(schema.declaredValues) })
        var q = SQLQuery(d: d)
        q.header = header(plan, dialect: d, statement: statement)

        q.add("scanned", "scan dataset \(plan.dataset)", "SELECT * FROM \(d.ident(plan.dataset))")
        for s in plan.derive {
            q.add("derived_" + safe(s.name), "define \(s.name) = \(s.expr)", "SELECT *, \(try x.expr(s.expr)) AS \(d.ident(s.name)) FROM \(q.last)")
        }
        if case .all = plan.filter {} else {
            q.add("filtered", "keep the rows the condition admits (periods as half-open day ranges)",
                  "SELECT * FROM \(q.last)\n    WHERE \(x.condition(plan.filter))")
        }
        if case .show(let columns) = plan.measure { return try show(plan, columns, x, &q) }
        if plan.isScalar {
            if plan.top != nil { throw unsupported("top N of a single figure", d, why: "the rows with the largest values are not compiled yet") }
            let values = try valueColumns(plan, x)
            q.final = "SELECT " + (values.map { "\($0.sql) AS \(d.ident($0.name))" } + (matched ? ["COUNT(*) AS \(matchedColumn)"] : []))
                .joined(separator: ", ") + "\nFROM \(q.last)"
            return q.text
        }
        return try grouped(plan, x, &q, matched: matched)
    }

    /// `--engine`: the figures a footer states besides the answer, as
    /// queries that each read no more of the table than they need:
    /// `scanned` (the table's rows, which a database knows without a
    /// scan) and, for a published table's weight, `fractional` (its values
    /// that are not whole, over the whole table, which decide whether the
    /// figures print as whole numbers), in one row; then, for a count of
    /// rows, `blank`: of the rows the filter admits, those with every
    /// column missing, which the count says it counted. (`matched` comes
    /// with the answer: `compile(…, matched: true)`.) No step is named
    /// twice: DuckDB keeps a step it reads twice as a table of all its
    /// columns, and the scan and filter so kept took 1.3 s at 1M rows
    /// where each count alone takes under 0.1 s.
    public static func rowCounts(_ plan: LogicalPlan, catalog: any Catalog, dialect d: SQLDialect) throws -> [String] {
        guard let schema = catalog.schema(named: plan.dataset) else {
            throw MisqError(.name, "no dataset named '\(plan.dataset)' to compile for")
        }
        var types: [String: ColumnType] = [:]
        for (k, name) in schema.columnNames.enumerated() { types[name] = try schema.columnType(k) }
        for s in plan.derive { types[s.name] = s.type }
        let x = SQLExpressions(d: d, types: types, declaredOrder: { name in schema.columnIndex(name).flatMap(schema.declaredValues) })
        var parts = ["COUNT(*) AS scanned"]
        if case .weighted(let w) = plan.measure {
            parts.append("COUNT(CASE WHEN \(d.ident(w)) <> ROUND(\(d.ident(w))) THEN 1 END) AS fractional")
        }
        var queries = ["SELECT " + parts.joined(separator: ", ") + " FROM \(d.ident(plan.dataset))"]
        if plan.countsRows {
            var q = SQLQuery(d: d)
            q.add("scanned", "scan dataset \(plan.dataset)", "SELECT * FROM \(d.ident(plan.dataset))")
            for s in plan.derive {
                q.add("derived_" + safe(s.name), "define \(s.name) = \(s.expr)", "SELECT *, \(try x.expr(s.expr)) AS \(d.ident(s.name)) FROM \(q.last)")
            }
            q.add("filtered", "keep the rows the condition admits", "SELECT * FROM \(q.last)\n    WHERE \(x.condition(plan.filter))")
            let blank = schema.columnNames.map { "\(d.ident($0)) IS NULL" }.joined(separator: " AND ")
            q.final = "SELECT COUNT(*) AS blank FROM filtered WHERE \(blank.isEmpty ? d.falseLiteral : blank)"
            queries.append(q.text)
        }
        return queries
    }

    /// The value columns: one measure, or a table's measures and the
    /// columns made of them.
    static func valueColumns(_ plan: LogicalPlan, _ x: SQLExpressions) throws -> [(name: String, sql: String)] {
        guard let table = plan.table else { return [(plan.valueName, try x.measure(plan.measure))] }
        let measures = try table.measures.map { m -> String in
            if case .all = m.filter { return try x.measure(m.measure) }
            return try x.measure(m.measure, only: m.filter)
        }
        return table.columns.map { ($0.name, columnSQL($0.expr, measures, x)) }
    }

    static func columnSQL(_ e: MeasureExpr, _ m: [String], _ x: SQLExpressions) -> String {
        switch e {
        case .measure(let i): return m[i]
        case .number(let v): return x.number(v)
        case .negate(let a): return "(-\(columnSQL(a, m, x)))"
        case .percent(let a, let b):
            return "(100.0 * \(columnSQL(a, m, x)) / NULLIF(\(columnSQL(b, m, x)), 0))"
        case .binary(let op, let a, let b):
            if op == "/" { return "(CAST(\(columnSQL(a, m, x)) AS \(x.d.doubleType)) / NULLIF(\(columnSQL(b, m, x)), 0))" }
            return "(\(columnSQL(a, m, x)) \(op) \(columnSQL(b, m, x)))"
        }
    }

    static func grouped(_ plan: LogicalPlan, _ x: SQLExpressions, _ q: inout SQLQuery, matched: Bool = false) throws -> String {
        let d = x.d
        let keys = plan.keys + (plan.across.map { [$0] } ?? [])
        if plan.across != nil, plan.top != nil || plan.limit != nil {
            throw unsupported("top or limit with across", d, why: "ranking groups by their row totals is not compiled yet")
        }
        // Each key computed once, under its name.
        let keyNames = keys.map(\.name)
        if Set(keyNames.map { $0.lowercased() }).count != keyNames.count {
            throw unsupported("two keys with one name", d, why: "each key is a column of the answer")
        }
        // A key is grouped on its parts: its label, or for a time bucket
        // the numbers it is made of, labelled once per group after (`timeParts`).
        var partRefs: [String: [String]] = [:]
        var keyParts: [String] = []
        var labels: [String] = []
        for k in keys {
            let ref = d.ident(misqKey(k.name))
            if case .time(let b, let c, let name) = k {
                let parts = x.timeParts(b, x.col(c))
                let refs = parts.indices.map { d.ident("part \(name) \($0 + 1)") }
                partRefs[ref] = refs
                keyParts += zip(parts, refs).map { "\($0) AS \($1)" }
                labels.append("\(x.timeLabel(b, parts: refs)) AS \(ref)")
            } else {
                partRefs[ref] = [ref]
                keyParts.append("\(try x.key(k)) AS \(ref)")
            }
        }
        q.add("keyed", labels.isEmpty ? "the group keys, labelled as misq labels them" : "the group keys: labels, and the numbers each time bucket is made of",
              "SELECT *, " + keyParts.joined(separator: ", ") + " FROM \(q.last)")
        func parts(_ refs: [String]) -> [String] { refs.flatMap { partRefs[$0] ?? [$0] } }
        let values = try valueColumns(plan, x)
        let valueNames = values.map(\.name)
        let rowRefs = plan.keys.map { d.ident(misqKey($0.name)) }
        let acrossRef = plan.across.map { d.ident(misqKey($0.name)) }
        // The groupings: the groups, then each total measured over its own rows.
        var sets: [[String]] = []
        var kinds: [String] = []
        if let a = acrossRef {
            sets = [rowRefs + [a]]; kinds = ["cell"]
            // With no row keys a cell is its column's total: one grouping, not two.
            if !rowRefs.isEmpty {
                sets.append(rowRefs); kinds.append("row total")
                sets.append([a]); kinds.append("column total")
            }
        } else {
            sets = [rowRefs]; kinds = ["group"]
        }
        sets.append([]); kinds.append("total")
        let allRefs = rowRefs + (acrossRef.map { [$0] } ?? [])
        let allParts = parts(allRefs)
        let aggregates = values.map { "\($0.sql) AS \(d.ident($0.name))" } + (matched ? ["COUNT(*) AS \(matchedColumn)"] : [])
        if d.groupingSets {
            func kindOf(_ set: [String]) -> String {
                let grouped = parts(set)
                return allParts.map { grouped.contains($0) ? "GROUPING(\($0)) = 0" : "GROUPING(\($0)) = 1" }.joined(separator: " AND ")
            }
            let arms = zip(sets, kinds).map { "WHEN \(kindOf($0)) THEN '\($1)'" }.joined(separator: " ")
            q.add("measured", "each group, and each total measured over all its rows (never a sum of the groups)",
                  "SELECT " + (allParts + aggregates).joined(separator: ", ") + ",\n           CASE \(arms) END AS \(rowKind)\n    FROM \(q.last)\n    GROUP BY GROUPING SETS (" + sets.map { "(" + parts($0).joined(separator: ", ") + ")" }.joined(separator: ", ") + ")")
        } else {
            // No GROUPING SETS: one SELECT per grouping, each measuring its own rows.
            let last = q.last
            let selects = zip(sets, kinds).map { set, kind -> String in
                let grouped = parts(set)
                let cols = allParts.map { grouped.contains($0) ? $0 : "NULL AS \($0)" }
                return "SELECT " + (cols + aggregates + ["'\(kind)' AS \(rowKind)"]).joined(separator: ", ") + " FROM \(last)"
                    + (grouped.isEmpty ? "" : " GROUP BY " + grouped.joined(separator: ", "))
            }
            q.add("measured", "each group, and each total measured over all its rows (never a sum of the groups)",
                  selects.joined(separator: "\n    UNION ALL\n    "))
        }
        if !labels.isEmpty {
            q.add("labelled", "each time bucket's label, made once for each group from its numbers",
                  "SELECT *, " + labels.joined(separator: ", ") + " FROM \(q.last)")
        }
        var shown = allRefs + valueNames.map(d.ident)
        if plan.withPercent {
            // A share of the total over all rows (of each across column's total).
            guard let v = valueNames.first, values.count == 1 || plan.table?.columns.first?.isCount == true else {
                throw unsupported("with percent of a table's columns", d, why: "not compiled yet")
            }
            let base: String
            if let a = acrossRef {
                let whole = rowRefs.isEmpty ? "cell" : "column total"
                base = "MAX(CASE WHEN \(rowKind) = '\(whole)' THEN \(d.ident(v)) END) OVER (PARTITION BY \(a))"
            } else {
                base = "MAX(CASE WHEN \(rowKind) = 'total' THEN \(d.ident(v)) END) OVER ()"
            }
            q.add("shared", "with percent: each value as a share of its total",
                  "SELECT *, 100.0 * \(d.ident(v)) / NULLIF(\(base), 0) AS \(d.ident("percent")) FROM \(q.last)")
            shown.append(d.ident("percent"))
        }
        // The order the groups are shown in, and which are kept.
        var orderTerms: [String] = []
        let valueRef = d.ident(valueNames.first ?? plan.valueName)
        for o in plan.order {
            switch o.target {
            case .value: orderTerms.append(valueRef + (o.descending ? " DESC" : "") + " NULLS LAST")
            case .valueColumn(let i): orderTerms.append(d.ident(valueNames[min(i, valueNames.count - 1)]) + (o.descending ? " DESC" : "") + " NULLS LAST")
            case .key(let k): orderTerms += x.keyOrder(plan.keys[k], d.ident(misqKey(plan.keys[k].name)), descending: o.descending)
            case .column: throw unsupported("order by a column of a grouped query", d, why: "not compiled yet")
            }
        }
        let byKeys = keys.flatMap { x.keyOrder($0, d.ident(misqKey($0.name))) }
        let topByValue = plan.top != nil && plan.order.isEmpty
        if topByValue { orderTerms.append(valueRef + " DESC NULLS LAST") }
        orderTerms += byKeys
        let totalsLast = "CASE \(rowKind) " + kinds.enumerated().map { "WHEN '\($1)' THEN \($0)" }.joined(separator: " ") + " END"
        var ranked = "SELECT *, ROW_NUMBER() OVER (PARTITION BY \(rowKind) ORDER BY \(orderTerms.joined(separator: ", "))) AS misq_position"
        if let n = plan.top, topByValue {
            // Groups tied with the last kept are kept too (misq's ties; FETCH FIRST … WITH TIES).
            ranked += ",\n           RANK() OVER (PARTITION BY \(rowKind) ORDER BY \(valueRef) DESC NULLS LAST) AS misq_rank"
            q.add("ranked", "order the groups; top \(n) keeps those ranked \(n) or better, ties included", ranked + " FROM \(q.last)")
        } else {
            q.add("ordered", "order the groups", ranked + " FROM \(q.last)")
        }
        var keep: [String] = []
        if let n = plan.top { keep.append(topByValue ? "misq_rank <= \(n)" : "misq_position <= \(n)") }
        if let l = plan.limit { keep.append("misq_position <= \(l)") }
        var final = "SELECT " + (shown.map { ref in
            // Keys by their own names in the answer.
            if let key = keys.first(where: { d.ident(misqKey($0.name)) == ref }) { return "\(ref) AS \(d.ident(key.name))" }
            return ref
        } + (matched ? [matchedColumn] : []) + [rowKind]).joined(separator: ", ") + "\nFROM \(q.last)"
        if !keep.isEmpty {
            // The totals stay: a total is over all groups, not the ones kept.
            final += "\nWHERE \(rowKind) <> '\(kinds[0])' OR (" + keep.joined(separator: " AND ") + ")"
        }
        final += "\nORDER BY \(totalsLast), misq_position"
        q.final = final
        return q.text
    }

    /// A key's column inside the query, apart from the dataset's own
    /// columns (`by year` is not the column `year`).
    static func misqKey(_ name: String) -> String { "key " + name }

    static func show(_ plan: LogicalPlan, _ columns: [String], _ x: SQLExpressions, _ q: inout SQLQuery) throws -> String {
        let d = x.d
        // Yes/no columns as misq shows them (SQLite holds them as 1 and 0).
        let shown = columns.map { c in x.types[c] == .boolean ? (try? x.key(.column(c))).map { "\($0) AS \(d.ident(c))" } ?? d.ident(c) : d.ident(c) }
        var final = "SELECT " + shown.joined(separator: ", ") + "\nFROM \(q.last)"
        var terms: [String] = []
        for o in plan.order {
            guard case .column(let c) = o.target else { continue }
            terms.append(d.ident(c) + (o.descending ? " DESC" : "") + " NULLS LAST")
        }
        let n = plan.limit ?? plan.top
        if n != nil {
            // Among rows that tie on the order (or with no order at all),
            // misq keeps those first in the file, and a table has no order:
            // the SQL could keep other rows.
            throw unsupported("show … limit", d,
                              why: "misq keeps the rows first in the file's order among rows that tie, and a database table has no row order")
        }
        if !terms.isEmpty { final += "\nORDER BY " + terms.joined(separator: ", ") }
        if let n { final += "\nLIMIT \(n)" }
        q.final = final
        return q.text
    }

    static func header(_ plan: LogicalPlan, dialect d: SQLDialect, statement: String) -> [String] {
        var lines = ["-- misq: " + statement.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n--       "),
                     "-- target: \(d.target.rawValue)"]
        for p in plan.periods where !p.admitsEverything {
            let ranges = p.days.intervals.map { i in
                "[" + (i.start > DaySet.lowest ? Day.iso(i.start) : "…") + ", " + (i.end < DaySet.highest ? Day.iso(i.end) : "…") + ")"
            }
            lines.append("-- period: \(p.column) in " + (ranges.isEmpty ? "no days" : ranges.joined(separator: " or "))
                         + " (half-open: the first day in, the last day out)" + (p.admitsMissing ? ", and rows with no \(p.column)" : ""))
        }
        return lines
    }

    static func safe(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// `able`: the targets that can compile it, when the refusal is the target's.
    static func unsupported(_ what: String, _ d: SQLDialect, why: String, able: [SQLDialect.Target] = []) -> MisqError {
        MisqError(.type, "misq sql cannot compile \(what) for \(d.target.rawValue): \(why)",
                  suggestion: able.isEmpty ? "run the query in misq itself (misq run, misq -e)"
                      : "--target " + able.map(\.rawValue).joined(separator: " or --target ") + " can, or run the query in misq itself")
    }
}

/// The query being written: its steps as common table expressions, each
/// with a comment saying which step of the plan it is, then the final SELECT.
struct SQLQuery {
    let d: SQLDialect
    var header: [String] = []
    var ctes: [(name: String, comment: String, body: String)] = []
    var final = ""
    var last: String { ctes.last?.name ?? "" }

    mutating func add(_ name: String, _ comment: String, _ body: String) {
        var n = name
        var k = 2
        while ctes.contains(where: { $0.name == n }) { n = name + "_\(k)"; k += 1 }
        ctes.append((n, comment, body))
    }

    var text: String {
        var out = header
        if !ctes.isEmpty {
            out.append("WITH")
            for (i, c) in ctes.enumerated() {
                out.append("  -- \(c.comment)")
                out.append("  \(c.name) AS (")
                out.append("    " + c.body)
                out.append("  )" + (i == ctes.count - 1 ? "" : ","))
            }
        }
        out.append(final + ";")
        return out.joined(separator: "\n") + "\n"
    }
}
