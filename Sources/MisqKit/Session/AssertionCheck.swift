import Foundation
/// The outcome of one `assert`.
public struct AssertionOutcome {
    public var passed: Bool
    public var location: SourceLocation
    public var statementText: String
    public var expected: String
    public var actual: String
    public var difference: String?
    /// Where the figure comes from: the comment on or above the assert.
    public var note: String?
    /// Row-by-row differences for a table literal.
    public var details: [String]
}

extension ScriptRunner {
    func check(_ a: Assertion, statement: Statement, source: SourceFile) throws -> AssertionOutcome {
        let loc = source.location(statement.span)
        let text = source.text(statement.span)
        switch a.expected {
        case .scalar(let expr):
            let ev = Evaluator(session: session, source: source)
            let actual = try ev.evaluate(a.actual)
            let expected = try ev.evaluate(expr)
            if actual.isDate || expected.isDate {
                return try checkDates(actual, a.actual, expected, expr, a, statement: statement, source: source)
            }
            let (ok, shown) = compare(actual, expected, a.comparison, a.tolerance)
            let diff = actual.value - expected.value
            return AssertionOutcome(passed: ok, location: loc, statementText: text, expected: describe(expected, a), actual: shown,
                                    difference: ok ? nil : (diff >= 0 ? "+" : "") + NumberFormat.plain(diff) + (actual.isPercent ? " points" : ""),
                                    note: statement.note, details: [])
        case .table(let table):
            return try checkTable(a, table, statement: statement, source: source)
        }
    }

    /// A date measure against a date literal (issue 15, item 1): equal days
    /// pass; `within N` allows N days. A date against a number is an error,
    /// not a comparison of day numbers.
    func checkDates(_ actual: ScalarValue, _ actualExpr: Expr, _ expected: ScalarValue, _ expectedExpr: Expr, _ a: Assertion,
                    statement: Statement, source: SourceFile) throws -> AssertionOutcome {
        guard actual.isDate, expected.isDate else {
            let (date, number) = actual.isDate ? (actualExpr, expectedExpr) : (expectedExpr, actualExpr)
            throw MisqError(.type, "\(source.text(date.span)) is a date and \(source.text(number.span)) is not", source: source, span: number.span,
                            expected: "a date, written YYYY-MM-DD", suggestion: actual.isDate ? "assert \(source.text(date.span)) = \(actual.text)" : nil)
        }
        var allowed = 0.0
        switch a.tolerance {
        case .absolute(let t)?: allowed = t
        case .relativePercent?:
            throw MisqError(.type, "a percentage of a date is not a tolerance", source: source, span: expectedExpr.span,
                            expected: "within N (days)")
        case nil: break
        }
        let diff = actual.value - expected.value
        let ok = !actual.value.isNaN && abs(diff) <= allowed
        var expectedText = expected.text
        if a.comparison == .roundsTo { expectedText = "~ " + expectedText }
        if allowed > 0 { expectedText += " within \(Plural.count(Int(allowed), "day"))" }
        let days = diff.isFinite ? (diff >= 0 ? "+" : "-") + Plural.count(Int(abs(diff)), "day") : nil
        return AssertionOutcome(passed: ok, location: source.location(statement.span), statementText: source.text(statement.span),
                                expected: expectedText, actual: actual.text, difference: ok ? nil : days, note: statement.note, details: [])
    }

    func describe(_ e: ScalarValue, _ a: Assertion) -> String {
        var s = literalText(e)
        if a.comparison == .roundsTo { s = "~ " + s }
        switch a.tolerance {
        case .absolute(let t)?: s += " within \(NumberFormat.plain(t))"
        case .relativePercent(let t)?: s += " within \(NumberFormat.plain(t))%"
        case nil: break
        }
        return s
    }

    func literalText(_ v: ScalarValue) -> String {
        if let d = v.decimals { return NumberFormat.fixed(v.value, decimals: d) + (v.isPercent ? "%" : "") }
        return v.text
    }

    /// `=` is exact; `~` rounds the actual value to the decimals of the
    /// published figure, half away from zero (78% accepts 77.5% up to, not
    /// including, 78.5%). Both are decided in exact rational arithmetic
    /// (`ExactNumber`); only a value too large for it falls back to Double.
    func compare(_ actual: ScalarValue, _ expected: ScalarValue, _ cmp: Assertion.Comparison, _ tol: Assertion.Tolerance?) -> (Bool, String) {
        if let a = actual.exactValue, let e = expected.exactValue, let result = compareExactly(a, e, actual, expected, cmp, tol) {
            return result
        }
        let shownActual: String
        if cmp == .roundsTo {
            let d = expected.decimals ?? 0
            shownActual = NumberFormat.plain(actual.value) + (actual.isPercent ? "%" : "")
                + " (rounds to \(NumberFormat.fixed(actual.value, decimals: d))\(actual.isPercent ? "%" : ""))"
        } else {
            shownActual = NumberFormat.plain(actual.value) + (actual.isPercent ? "%" : "")
        }
        let diff = abs(actual.value - expected.value)
        switch tol {
        case .absolute(let t)?: return (diff <= t + 1e-9, shownActual)
        case .relativePercent(let p)?: return (diff <= abs(expected.value) * p / 100 + 1e-9, shownActual)
        case nil: break
        }
        if cmp == .roundsTo {
            let d = expected.decimals ?? 0
            return (NumberFormat.fixed(actual.value, decimals: d) == NumberFormat.fixed(expected.value, decimals: d), shownActual)
        }
        return (diff <= 1e-9 * max(1, abs(expected.value)), shownActual)
    }

    func compareExactly(_ a: ExactNumber, _ e: ExactNumber, _ actual: ScalarValue, _ expected: ScalarValue,
                        _ cmp: Assertion.Comparison, _ tol: Assertion.Tolerance?) -> (Bool, String)? {
        let pct = actual.isPercent ? "%" : ""
        var shown = NumberFormat.plain(actual.value) + pct
        if let t = tol {
            guard let diff = (a - e)?.magnitude else { return nil }
            let limit: ExactNumber?
            switch t {
            case .absolute(let x): limit = ExactNumber(x)
            case .relativePercent(let p): limit = ExactNumber(p).flatMap { e.magnitude * $0 }.flatMap { $0 / ExactNumber(100) }
            }
            guard let l = limit, let over = l < diff else { return nil }
            if cmp == .roundsTo, let units = a.roundedUnits(decimals: expected.decimals ?? 0) {
                shown += " (rounds to \(ExactNumber.fixed(units: units, decimals: expected.decimals ?? 0))\(pct))"
            }
            return (!over, shown)
        }
        if cmp == .roundsTo {
            let d = expected.decimals ?? 0
            guard let units = a.roundedUnits(decimals: d), let want = e.roundedUnits(decimals: d) else { return nil }
            shown += " (rounds to \(ExactNumber.fixed(units: units, decimals: d))\(pct))"
            return (units == want, shown)
        }
        return (a == e, shown)
    }

    func checkTable(_ a: Assertion, _ table: TableLiteral, statement: Statement, source: SourceFile) throws -> AssertionOutcome {
        guard case .query(let q) = a.actual else {
            throw MisqError(.type, "a table literal is compared with a grouped query", source: source, span: a.actual.span,
                            expected: "assert count … by KEY = | KEY | count |")
        }
        let plan = try Checker(session: session, source: source).plan(q)
        guard !plan.keys.isEmpty else {
            throw MisqError(.type, "this query has no 'by', so it gives one number, not a table", source: source, span: q.span,
                            suggestion: "add by KEY, or compare with a number")
        }
        let result = try session.run(plan)
        guard case .groups(let g) = result.body else {
            throw MisqError(.runtime, "no groups", source: source, span: q.span)
        }
        if result.valueIsDate {
            throw MisqError(.type, "\(plan.valueName) gives dates, which a table literal does not compare yet", source: source, span: q.span,
                            suggestion: "assert each group's date: assert \(plan.valueName) where KEY = VALUE = 2024-04-30")
        }
        let keyCount = plan.keys.count
        let valueHeaders = Array(table.header.dropFirst(keyCount))
        // Header: the key names, then the value column(s).
        for (i, cell) in table.header.prefix(keyCount).enumerated()
        where Suggestions.normalize(cell.text) != Suggestions.normalize(plan.keys[i].name) {
            throw MisqError(.value, "table column '\(cell.text)' does not match the query's key '\(plan.keys[i].name)'", source: source,
                            span: cell.span, expected: "'\(plan.keys[i].name)'")
        }
        var acrossIndex: [Int] = [0]
        var shareOf = Set<Int>()  // value headers `NAME %`: a count's share of its column's total
        if !g.valueColumns.isEmpty {
            (acrossIndex, shareOf) = try tableColumns(valueHeaders, g.valueColumns, source: source)
        } else if plan.across != nil {
            acrossIndex = try valueHeaders.map { cell in
                // The exact label first, as for rows; a folded match only when it is the only one.
                if let k = g.acrossLabels.firstIndex(of: cell.text) { return k }
                let folded = g.acrossLabels.indices.filter { Suggestions.normalize(g.acrossLabels[$0]) == Suggestions.normalize(cell.text) }
                if folded.count > 1 {
                    throw MisqError(.value, "'\(cell.text)' matches \(folded.count) columns of the result that differ only in case or punctuation",
                                    source: source, span: cell.span, expected: "one of: " + folded.map { "\"\(g.acrossLabels[$0])\"" }.joined(separator: ", "),
                                    suggestion: "write the heading exactly as the label is written")
                }
                guard let k = folded.first else {
                    throw MisqError(.value, "'\(cell.text)' is not a column of the result", source: source, span: cell.span,
                                    expected: "one of: " + g.acrossLabels.joined(separator: ", "))
                }
                return k
            }
        } else if valueHeaders.count != 1 {
            throw MisqError(.syntax, "the table has \(valueHeaders.count) value columns; the query gives one", source: source,
                            span: table.header.last?.span ?? table.span, expected: "| key | count |")
        }
        let asPercent = plan.across == nil && g.valueColumns.isEmpty && valueHeaders.first.map { ["percent", "%", "pct"].contains($0.text.lowercased()) } == true
        let labelKeys = try categoryKeys(plan, keyCount: keyCount, source: source)
        // A category key's groups are its exact labels ("Gun fired" and "Gun
        // Fired" are two); other keys (years, yes/no) match folded.
        // A missing key is its own marker, apart from any label's text.
        func rowKey(_ labels: [String?]) -> String {
            labels.enumerated().map { i, l in
                guard let l = l else { return "\u{2}missing" }
                return labelKeys[i] == nil ? Suggestions.normalize(l) : l
            }.joined(separator: "\u{1}")
        }
        var actualByKey: [String: GroupRow] = [:]
        var rowIndex: [String: Int] = [:]
        for (i, r) in g.rows.enumerated() { actualByKey[rowKey(r.keys)] = r; rowIndex[rowKey(r.keys)] = i }
        var details: [String] = []
        var expectedSeen = Set<String>()
        var passed = true
        let totalRow = try totalRowIndex(table, keyCount: keyCount, groups: g, source: source)
        let checker = Checker(session: session, source: source)
        var labelErrors: [MisqError] = []
        for (i, row) in table.rows.enumerated() {
            let keyLabels = row.prefix(keyCount).map(\.text)
            let isTotal = i == totalRow
            let key: String
            do {
                key = isTotal ? "" : rowKey(try row.prefix(keyCount).enumerated().map { j, cell -> String? in
                    // `(missing)` in a table literal is the group of rows with no value.
                    if cell.text.trimming(.spacesAndTabs) == Grid.Cell.missingText { return nil }
                    guard let c = labelKeys[j] else { return cell.text }
                    guard let ds = session.schema(named: plan.dataset) else { return cell.text }
                    return try checker.tableLabel(cell, c, ds)
                })
            } catch {
                // Every bad label is reported, not only the first.
                labelErrors += error.misqErrors
                continue
            }
            if !isTotal { expectedSeen.insert(key) }
            for (j, cell) in row.dropFirst(keyCount).enumerated() {
                // `[c]`: the published table hides this cell (the figures
                // behind it are still checked by the cells that give them).
                if cell.text.trimming(.spacesAndTabs) == Marker.confidential.rawValue {
                    let col = acrossIndex[j]
                    let hidden: Bool
                    if let p = g.suppression {
                        if isTotal { hidden = plan.across == nil ? p.grandTotal.isHidden : p.columnTotal(col).isHidden }
                        else if let i = rowIndex[key] { hidden = p.cell(i, col).isHidden } else { hidden = false }
                    } else { hidden = false }
                    if !hidden {
                        passed = false
                        let label = keyLabels.joined(separator: " / ") + (plan.across != nil ? " × \(valueHeaders[j].text)" : "")
                        details.append("\(label): expected [c], actual " + (g.suppression == nil ? "a table without suppression" : "published"))
                    }
                    continue
                }
                guard let exp = parseCell(cell.text) else {
                    throw MisqError(.value, "'\(cell.text)' is not a figure", source: source, span: cell.span,
                                    expected: "a number (1,131), a percent (78%), '-' for none, (missing) for no value, or [c] for a cell suppression hides")
                }
                var act: Double
                let col = acrossIndex[j]
                // The query asks for the published table (its own `with
                // suppression`): a cell it hides reads [c] there, so a figure
                // expected in its place does not match — it passed on the
                // figure behind it, which the table never shows.
                if plan.suppression != nil, plan.suppression?.setBy == nil, let p = g.suppression {
                    let shown: Bool
                    if isTotal { shown = !(plan.across == nil ? p.grandTotal.isHidden : p.columnTotal(col).isHidden) }
                    else if let i = rowIndex[key] { shown = !p.cell(i, col).isHidden } else { shown = true }
                    if !shown {
                        passed = false
                        let label = keyLabels.joined(separator: " / ") + (plan.across != nil ? " × \(valueHeaders[j].text)" : "")
                        details.append("\(label): expected \(literalText(exp)), actual [c] (the published table hides it; assert the query without 'with suppression' to check the figure behind it)")
                        continue
                    }
                }
                if isTotal {
                    act = plan.across == nil && g.valueColumns.isEmpty ? g.grandTotal : (g.totals?[col] ?? 0)
                } else if let r = actualByKey[key] {
                    act = r.values[col]
                } else { act = 0 }
                var exact: ExactNumber?
                if col < g.valueColumns.count, g.valueColumns[col].isPercent {
                    // Already a percent (`percent(a, b)`): compared as it is.
                    exact = ExactNumber(act)
                } else if asPercent || exp.isPercent || shareOf.contains(j) {
                    let base = g.percentBase[plan.across == nil && g.valueColumns.isEmpty ? 0 : col]
                    exact = base == 0 ? ExactNumber(0) : ExactNumber(act).flatMap { x in ExactNumber(base).flatMap { (x / $0).flatMap { $0 * ExactNumber(100) } } }
                    act = base == 0 ? 0 : 100 * act / base
                }
                // `(missing)`: the group has no value (a median of none, a
                // ratio whose divisor is 0), as the table prints it.
                let ok = exp.value.isNaN || act.isNaN ? exp.value.isNaN && act.isNaN
                    : compare(ScalarValue(act, isPercent: exp.isPercent, exact: exact), exp, a.comparison, a.tolerance).0
                if !ok {
                    passed = false
                    let label = keyLabels.joined(separator: " / ") + (plan.across != nil || !g.valueColumns.isEmpty ? " × \(valueHeaders[j].text)" : "")
                    details.append("\(label): expected \(literalText(exp)), actual \(NumberFormat.plain(act))\(exp.isPercent ? "%" : "")")
                }
            }
        }
        for r in g.rows {
            let key = rowKey(r.keys)
            if !expectedSeen.contains(key), r.values.contains(where: { $0 != 0 }) {
                passed = false
                details.append("\(r.keys.map { $0 ?? Grid.Cell.missingText }.joined(separator: " / ")): not in the table, actual \(r.values.map(NumberFormat.plain).joined(separator: ", "))")
            }
        }
        if labelErrors.count == 1 { throw labelErrors[0] }
        if !labelErrors.isEmpty { throw MisqErrors(labelErrors) }
        let summary = "\(table.rows.count) row\(table.rows.count == 1 ? "" : "s")"
        return AssertionOutcome(passed: passed, location: source.location(statement.span), statementText: source.text(statement.span),
                                expected: "table of " + summary, actual: passed ? "table matches" : "\(details.count) difference\(details.count == 1 ? "" : "s")",
                                difference: nil, note: statement.note, details: details)
    }

    /// The value columns a table literal's headings name, for a result
    /// of several (`count a, count b by k = | k | a | b |`): each by its
    /// heading, or `HEADING %` for a count's share of its column's total.
    func tableColumns(_ headers: [TableCell], _ columns: [ValueColumn], source: SourceFile) throws -> ([Int], Set<Int>) {
        var index: [Int] = []
        var shares = Set<Int>()
        for (j, cell) in headers.enumerated() {
            var text = cell.text.trimming(.spacesAndTabs)
            let share = text.hasSuffix("%") && !columns.contains { Suggestions.normalize($0.name) == Suggestions.normalize(text) }
            if share { text = String(text.dropLast()).trimming(.spacesAndTabs) }
            let matches = columns.indices.filter { Suggestions.normalize(columns[$0].name) == Suggestions.normalize(text) }
            guard let k = matches.first else {
                throw MisqError(.value, "'\(cell.text)' is not a column of the result", source: source, span: cell.span,
                                expected: "one of: " + columns.map { "'\($0.name)'" }.joined(separator: ", "),
                                suggestion: Suggestions.didYouMeanName(text, columns.map(\.name)))
            }
            index.append(k)
            if share { shares.insert(j) }
        }
        return (index, shares)
    }

    /// The category column behind each key of the plan, where the key is
    /// one: its row labels are resolved like `where` values.
    func categoryKeys(_ plan: LogicalPlan, keyCount: Int, source: SourceFile) throws -> [TableKeyColumn?] {
        guard let ds = session.schema(named: plan.dataset) else { return [] }
        return try plan.keys.prefix(keyCount).map { key in
            guard case .column(let name) = key, let k = ds.columnIndex(name), let c = try ds.labelSet(k) else { return nil }
            return TableKeyColumn(index: k, name: name, column: c)
        }
    }

    /// Which row of a table literal is the total, if any. `(total)` always
    /// is, and must come last. A row named `Total` is the total only when it
    /// is the last row; any other row named Total is a group like any other.
    /// When the data has a group called Total too, a single last `Total` row
    /// could be either, so that is an error asking for `(total)`.
    func totalRowIndex(_ table: TableLiteral, keyCount: Int, groups g: GroupedResult, source: SourceFile) throws -> Int? {
        guard keyCount == 1, let last = table.rows.indices.last else { return nil }
        let labels = table.rows.map { $0[0].text.trimming(.spacesAndTabs) }
        let marker = "(total)"
        if let k = labels.firstIndex(where: { $0.lowercased() == marker }), k != last {
            throw MisqError(.syntax, "the (total) row must be the table's last row", source: source, span: table.rows[k][0].span,
                            suggestion: "move it to the end")
        }
        if labels[last].lowercased() == marker { return last }
        guard Suggestions.normalize(labels[last]) == "total" else { return nil }
        let dataHasTotal = g.rows.contains { Suggestions.normalize(($0.keys.first ?? nil) ?? "") == "total" }
        let tableHasTotalGroup = labels.dropLast().contains { Suggestions.normalize($0) == "total" }
        if dataHasTotal && !tableHasTotalGroup {
            throw MisqError(.value, "'\(labels[last])' could be the group named Total or the total of all groups", source: source,
                            span: table.rows[last][0].span, expected: "a table whose total row is unambiguous",
                            suggestion: "write the total row as | (total) | … |, and the group Total as a row of its own")
        }
        return last
    }

    func parseCell(_ text: String) -> ScalarValue? {
        var t = text.trimming(.spacesAndTabs)
        if t == "-" || t == "—" || t.isEmpty { return ScalarValue(0, decimals: 0) }
        if t == Grid.Cell.missingText { return ScalarValue(.nan) }
        var isPercent = false
        if t.hasSuffix("%") { isPercent = true; t.removeLast() }
        guard let v = ValueParsing.number(t) else { return nil }
        let decimals = t.split(separator: ".").dropFirst().first?.count ?? 0
        return ScalarValue(v, isPercent: isPercent, decimals: decimals, exact: ExactNumber(decimal: t))
    }
}

struct TableKeyColumn {
    var index: Int
    var name: String
    var column: LabelSet
}

extension Checker {
    /// The exact label a table literal's row names, by the rule `where`
    /// follows: the exact label first, a folded match only when it is the
    /// only one. A label of the data package with no rows is an honest
    /// zero; a label the column does not have is an error, since a typo in
    /// a row expected to be 0 would otherwise pass.
    func tableLabel(_ cell: TableCell, _ key: TableKeyColumn, _ ds: any DatasetSchema) throws -> String {
        let text = cell.text.trimming(.spacesAndTabs)
        let labels = key.column.labels
        if text == "(missing)" { return text }
        let norm = Suggestions.normalize(text)
        let codes: [Int]
        do {
            codes = try labelMatches(folded: key.column.matching(folded: norm), text, quoted: true, key.column, ds,
                                     column: key.index, name: key.name, span: cell.span)
        } catch var e as MisqError {
            e.suggestion = "write the row's label exactly as the data has it, one row per label"
            throw e
        }
        if let code = codes.first, code < labels.count { return labels[code] }
        let declared = ds.declaredValues(key.index) ?? []
        if !norm.isEmpty, let d = declared.first(where: { Suggestions.normalize($0) == norm }) { return d }
        throw unknownValue(text, cell.span, column: key.name, labels: declared.isEmpty ? labels : Array(Set(labels + declared)))
    }
}
