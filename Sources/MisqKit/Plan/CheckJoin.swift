/// `join DATASET on KEY` and `per N DATASET.COLUMN`, checked: the joined
/// dataset must have one row per key (else a row would be counted once per
/// partner, and a case twice), the keys must hold the same type, and a
/// rate's groups must each be of whole rows of the joined dataset.
extension Checker {
    /// The joined schema under a query's dataset (itself, or under its derived values).
    func joinedSchema(_ ds: any DatasetSchema) -> JoinedSchema? {
        (ds as? JoinedSchema) ?? ((ds as? DerivedSchema)?.base as? JoinedSchema)
    }

    /// The target with the joined dataset's columns after its own.
    func joined(_ t: Target, _ q: Query) throws -> Target {
        guard let j = q.join else {
            if let p = q.per {
                throw MisqError(.syntax, "'per' divides by a column of a joined dataset, and this query joins none", source: source, span: p.span,
                                expected: "join DATASET on KEY before per", suggestion: "e.g. count cases by force join workforce on force per 1000 workforce.headcount")
            }
            return t
        }
        if t.dataset.isPublishedTable {
            throw MisqError(.syntax, "'\(t.dataset.name)' is a published table: its rows are figures, not units to join onto", source: source,
                            span: j.span, expected: "a case-level dataset before join")
        }
        guard let right = catalog.schema(named: j.dataset.text) else {
            let names = catalog.schemas.map(\.name)
            throw MisqError(.name, catalog.subsets[j.dataset.text.lowercased()] != nil ? "'\(j.dataset.text)' is a subset; a join takes a dataset" : "unknown dataset '\(j.dataset.text)'",
                            source: source, span: j.dataset.span, expected: "a dataset to join: " + names.joined(separator: ", "),
                            suggestion: Suggestions.didYouMeanName(j.dataset.text, names) ?? "keep the rows you want as a dataset first: let NAME = count … by KEY")
        }
        if right.name.lowercased() == t.dataset.name.lowercased() {
            throw MisqError(.name, "a dataset joined with itself", source: source, span: j.dataset.span, expected: "another dataset")
        }
        try right.checkUsable()
        let leftKey = try columnIndex(j.leftKey, in: t.dataset)
        var rightName = j.rightKey ?? j.leftKey
        let prefix = right.name.lowercased() + "."
        if rightName.text.lowercased().hasPrefix(prefix) { rightName = Name(String(rightName.text.dropFirst(prefix.count)), rightName.span) }
        guard let rightKey = try lookupColumn(rightName, in: right) else {
            throw MisqError(.name, "'\(right.name)' has no column '\(rightName.text)' to join on", source: source, span: rightName.span,
                            expected: "a column of \(right.name)",
                            suggestion: Suggestions.closest(to: rightName.text, in: right.columnNames.filter(Identifier.isWritable)).first
                                .map { "did you mean: on \(Identifier.source(t.dataset.columnNames[leftKey])) = \(Identifier.source(right.name)).\(Identifier.source($0))" }
                                ?? "name its key: on \(Identifier.source(t.dataset.columnNames[leftKey])) = COLUMN")
        }
        let lt = try t.dataset.columnType(leftKey), rt = try right.columnType(rightKey)
        guard lt == rt else {
            let sameType = try right.columnNames.indices.filter { try right.columnType($0) == lt }.map { right.columnNames[$0] }
            var e = MisqError(.type, "the keys hold different types: '\(t.dataset.columnNames[leftKey])' of \(t.dataset.name) holds \(lt.rawValue) values, '\(right.columnNames[rightKey])' of \(right.name) \(rt.rawValue) values",
                            source: source, span: (j.rightKey ?? j.leftKey).span, expected: "a key of \(right.name) holding \(lt.rawValue) values",
                            suggestion: sameType.first.map { "join on columns that hold the same values, e.g. on \(Identifier.source(t.dataset.columnNames[leftKey])) = \(Identifier.source(right.name)).\(Identifier.source($0))" })
            if sameType.isEmpty {
                e.notes.append("no column of \(right.name) holds \(lt.rawValue) values")
                // The other way round: a column of this dataset holding the joined key's type.
                let ownSame = try t.dataset.columnNames.indices.filter { try t.dataset.columnType($0) == rt }.map { t.dataset.columnNames[$0] }.filter(Identifier.isWritable)
                e.suggestion = ownSame.first.map { own in
                    var other = q
                    other.join?.leftKey = Name(own, j.leftKey.span)
                    other.join?.rightKey = Name(JoinedSchema.qualified(right.name, right.columnNames[rightKey]), j.leftKey.span)
                    return "join on a column of \(t.dataset.name) holding \(rt.rawValue) values, as \(right.columnNames[rightKey]) does: \(other.description)"
                }
                    ?? "neither dataset has a column of the other's key type: load \(right.name) with a column of \(lt.rawValue) values matching \(t.dataset.columnNames[leftKey]), or count without the join: count \(Identifier.source(t.dataset.name))"
            }
            throw e
        }
        if let (label, rows) = try right.duplicateKey(column: rightKey) {
            throw MisqError(.value, "'\(right.columnNames[rightKey])' is not unique in '\(right.name)': \(label) is on \(NumberFormat.count(rows)) rows, so a row joined to it would be counted \(NumberFormat.count(rows)) times",
                            source: source, span: (j.rightKey ?? j.leftKey).span, expected: "a joined dataset with one row per key",
                            suggestion: oneRowPerKey(q, right, key: right.columnNames[rightKey]))
        }
        var out = t
        out.dataset = JoinedSchema(left: t.dataset, right: right, kind: j.kind)
        return out
    }

    /// How to keep one row per key of `right`: a grouped let that sums the
    /// column `per` divides by, under the name the let gives the sum, so the
    /// suggestion runs; without `per`, a count of its rows per key.
    func oneRowPerKey(_ q: Query, _ right: any DatasetSchema, key: String) -> String {
        let name = Identifier.source(right.name + "_by_key")
        let prefix = right.name.lowercased() + "."
        var column = q.per.map { p in p.column.text.lowercased().hasPrefix(prefix) ? String(p.column.text.dropFirst(prefix.count)) : p.column.text }
            .flatMap { c in right.columnIndex(c).map { right.columnNames[$0] } }
        if q.per != nil, column == nil { column = ((try? numberColumns(right)) ?? []).first { $0.lowercased() != key.lowercased() } }
        guard let c = column else { return "keep one row per key first: let \(name) = count \(Identifier.source(right.name)) by \(Identifier.source(key)), then join \(name) on \(Identifier.source(q.join?.leftKey.text ?? key))\(q.join?.rightKey == nil ? "" : " = " + Identifier.source(key))" }
        let measure = "sum_" + c
        return "keep one row per key first, adding up its \(c): let \(name) = sum \(Identifier.source(c)) from \(Identifier.source(right.name)) by \(Identifier.source(key)), "
            + "then join \(name) on \(Identifier.source(q.join?.leftKey.text ?? key))\(q.join?.rightKey == nil ? "" : " = " + Identifier.source(key)) per \(q.per?.multiplierText ?? "1000") \(name).\(Identifier.source(measure))"
    }

    /// The plan's join, with the filter an inner join adds (the joined key is there).
    func planJoin(_ q: Query, _ ds: any DatasetSchema) throws -> (PlanJoin, Predicate?)? {
        guard let j = q.join, let js = joinedSchema(ds) else { return nil }
        let leftKey = js.left.columnNames[try columnIndex(j.leftKey, in: js.left)]
        var rightName = j.rightKey ?? j.leftKey
        let prefix = js.right.name.lowercased() + "."
        if rightName.text.lowercased().hasPrefix(prefix) { rightName = Name(String(rightName.text.dropFirst(prefix.count)), rightName.span) }
        let rightKey = js.right.columnNames[try columnIndex(rightName, in: js.right)]
        let plan = PlanJoin(kind: j.kind, dataset: js.right.name, leftKey: leftKey, rightKey: rightKey,
                            columns: js.rightNames, rightColumns: js.right.columnNames)
        return (plan, j.kind == .inner ? .not(.missing(column: JoinedSchema.qualified(js.right.name, rightKey))) : nil)
    }

    /// `per N workforce.headcount`: a number column of the joined dataset,
    /// and keys that are the join key or its columns, so that each group is
    /// of whole rows of the joined dataset and its total is theirs.
    func planPer(_ q: Query, _ ds: any DatasetSchema, keys: [PlanKey], join: PlanJoin, measure: PlanMeasure) throws -> PlanPer? {
        guard let p = q.per, let js = joinedSchema(ds) else { return nil }
        let prefix = js.right.name.lowercased() + "."
        if p.column.text.lowercased().hasPrefix(prefix), ds.columnIndex(p.column.text) == nil {
            // A typo in the joined column: named against the joined dataset, with its number columns.
            let numbers = try numberColumns(js.right)
            let bare = String(p.column.text.dropFirst(prefix.count))
            let near = Suggestions.closest(to: bare, in: numbers.filter(Identifier.isWritable)).first ?? numbers.first
            throw MisqError(.name, "'\(js.right.name)' has no column '\(bare)'", source: source, span: p.column.span,
                            expected: numbers.isEmpty ? "a number column of \(js.right.name), and it has none" : "a number column of \(js.right.name): " + numbers.map { JoinedSchema.qualified(js.right.name, $0) }.joined(separator: ", "),
                            suggestion: near.map { "per \(p.multiplierText) \(Identifier.source(js.right.name)).\(Identifier.source($0))" } ?? noNumberColumn(q, js.right))
        }
        let k = try columnIndex(p.column, in: ds)
        let leftCount = js.left.columnNames.count
        guard k >= leftCount, k < leftCount + js.right.columnNames.count else {
            throw MisqError(.name, "'per' divides by a column of the joined dataset '\(js.right.name)'; '\(p.column.text)' is not one", source: source,
                            span: p.column.span, expected: "a number column of \(js.right.name)",
                            suggestion: try numberColumns(js.right).first.map { "per \(p.multiplierText) \(JoinedSchema.qualified(js.right.name, $0))" } ?? noNumberColumn(q, js.right))
        }
        guard try ds.columnType(k) == .number else {
            throw MisqError(.type, "'per' divides by a number; '\(p.column.text)' holds \(try ds.columnType(k).rawValue) values", source: source,
                            span: p.column.span, expected: "a number column of \(js.right.name)",
                            suggestion: try numberColumns(js.right).first.map { "per \(p.multiplierText) \(JoinedSchema.qualified(js.right.name, $0))" } ?? noNumberColumn(q, js.right))
        }
        for (i, key) in keys.enumerated() {
            let ok = perKeyIsWhole(key, join)
            if !ok {
                // The same rate grouped by the join key, which runs; the
                // groups that are not the joined dataset's dropped.
                var byKey = q
                byKey.keys = q.keys.enumerated().filter { j, _ in j < keys.count && perKeyIsWhole(keys[j], join) }.map(\.element)
                if !byKey.keys.contains(where: { if case .column(let n) = $0 { return n.text.lowercased() == join.leftKey.lowercased() } else { return false } }) {
                    byKey.keys.insert(.column(Name(join.leftKey, q.keys[i].span)), at: 0)
                }
                throw MisqError(.syntax, "with 'per', each group must be of whole rows of '\(js.right.name)', so its total of \(p.column.text) is theirs; '\(key.name)' is not \(js.right.name)'s",
                                source: source, span: q.keys[i].span, expected: "by \(join.leftKey) or a column of \(js.right.name)",
                                suggestion: "group by \(Identifier.source(join.leftKey)) instead: \(byKey.description)")
            }
        }
        if q.withPercent {
            var without = q
            without.withPercent = false
            throw MisqError(.syntax, "'with percent' adds shares of a count; with 'per' each value is a rate", source: source, span: p.span,
                            expected: "per without 'with percent'", suggestion: "drop 'with percent': \(without.description)")
        }
        if let a = q.across {
            // Both keys as groups is a rate only when the across key is the
            // joined dataset's too; else the crosstab is dropped.
            var both = q
            both.across = nil
            let acrossKey = try bindKey(a, ds)
            let whole = perKeyIsWhole(acrossKey, join)
            if whole { both.keys.append(a) }
            throw MisqError(.syntax, "'per' gives a rate per group; a crosstab of rates is not made", source: source, span: a.span,
                            expected: "per without 'across'",
                            suggestion: whole ? "group by both keys instead: \(both.description)"
                                : "'\(acrossKey.name)' is not \(js.right.name)'s, so its groups have no total of \(p.column.text) of their own: drop 'across', \(both.description)")
        }
        if case .weighted = measure {} else if case .aggregate = measure {
            throw MisqError(.syntax, "'per' divides a count; an aggregate is not a count", source: source, span: p.span, suggestion: "count a unit with per")
        }
        return PlanPer(multiplier: p.multiplier, multiplierText: p.multiplierText, column: ds.columnNames[k],
                       rightColumn: js.right.columnNames[k - leftCount])
    }

    /// When the joined dataset has no number column (a file of a header
    /// alone types every column as labels): the count without the rate, which runs.
    func noNumberColumn(_ q: Query, _ right: any DatasetSchema) -> String {
        var count = q
        count.per = nil
        return "\(right.name) has no number column to divide by (a column of a file with no rows holds no numbers); count without 'per': \(count.description)"
    }

    /// A group key of whole rows of the joined dataset: the join key or one of its columns.
    func perKeyIsWhole(_ key: PlanKey, _ join: PlanJoin) -> Bool {
        if case .column(let c) = key { return c == join.leftKey || join.columns.contains(c) }
        return false
    }

    /// With `per`, the filter's parts that test the join key or the joined
    /// dataset's columns narrow the rows whose totals are divided by, the
    /// same way they narrow the rows counted: `where force = Met` is Met's
    /// cases per Met's officers, not per every force's. A part that tests
    /// both kinds of column at once (`force = Met or outcome = upheld`)
    /// cannot be split so, and is an error rather than a rate over the
    /// wrong total.
    func narrowDenominator(_ p: PlanPer, _ q: Query, filter: Predicate, join: PlanJoin) throws -> PlanPer {
        if let m = textMatches.matches.first(where: { $0.column == join.leftKey }) {
            // The match picked among the counted dataset's labels of the key,
            // so a joined row whose key no counted row has (a force with no
            // case) would be left out of the total divided by. On the joined
            // dataset's own column it picks the joined rows themselves.
            let qualified = JoinedSchema.qualified(join.dataset, join.rightKey)
            let name = Self.textMatchName(in: q.filter, column: join.leftKey)
            var suggestion: String?
            if let n = name {
                let text = source.text(q.span)
                let from = n.span.start - q.span.start, to = n.span.end - q.span.start
                let bytes = Array(text.utf8)
                if from >= 0, to <= bytes.count, from <= to {
                    suggestion = String(decoding: bytes[..<from], as: UTF8.self) + qualified + String(decoding: bytes[to...], as: UTF8.self)
                }
            }
            throw MisqError(.syntax, "with 'per', '\(m.kind.rawValue)' on \(join.leftKey) picks among the counted rows' labels, so a row of \(join.dataset) that no row joined would be left out of the \(p.column) divided by",
                            source: source, span: name?.span ?? q.filter?.span ?? q.span, expected: "the match on \(qualified), which picks \(Plural.possessive(join.dataset)) own rows",
                            suggestion: suggestion)
        }
        var rename: [String: String] = [join.leftKey: join.rightKey]
        for (c, r) in zip(join.columns, join.rightColumns) { rename[c] = r }
        var parts: [Predicate] = []
        var tested: [String] = []
        for part in Self.conjuncts(filter) {
            let cs = Self.columns(of: part)
            if cs.isEmpty || cs.allSatisfy({ rename[$0] == nil }) { continue }
            guard cs.allSatisfy({ rename[$0] != nil }) else {
                // Each key's rate, to read the ones wanted from.
                var byKey = q
                byKey.filter = nil
                let keyed = q.keys.contains { if case .column(let n) = $0 { return n.text.lowercased() == join.leftKey.lowercased() } else { return false } }
                if !keyed { byKey.keys.append(.column(Name(join.leftKey, q.span))) }
                let own = cs.filter { rename[$0] == nil }.sorted()
                throw MisqError(.syntax, "with 'per', a condition that tests \(join.leftKey) or \(join.dataset)'s columns narrows the \(p.column) divided by too, "
                                + "so it must stand apart from one on \(own.map { "'\($0)'" }.joined(separator: ", ")), joined to it by 'and'",
                                source: source, span: q.filter?.span ?? q.span, expected: "conditions joined by 'and', each on \(join.leftKey) and \(join.dataset)'s columns, or on the others",
                                suggestion: byKey.description)
            }
            // The inner join's own condition (the key has a partner) says nothing the rate needs.
            if case .not(.missing(let c)) = part, rename[c] == join.rightKey { continue }
            parts.append(Self.renamed(part, rename))
            for c in cs.sorted() where !tested.contains(c) { tested.append(c) }
        }
        var out = p
        out.denominatorFilter = parts.isEmpty ? .all : (parts.count == 1 ? parts[0] : .and(parts))
        out.denominatorColumns = tested
        return out
    }

    /// The column name of the first text match on `column` in a condition.
    static func textMatchName(in c: Condition?, column: String) -> Name? {
        guard let c else { return nil }
        switch c {
        case .textMatch(let n, _, _, _, _): return n.text.lowercased() == column.lowercased() ? n : nil
        case .not(let x, _): return textMatchName(in: x, column: column)
        case .and(let xs), .or(let xs): return xs.lazy.compactMap { textMatchName(in: $0, column: column) }.first
        default: return nil
        }
    }

    /// A filter's parts joined by `and`, each whole.
    static func conjuncts(_ p: Predicate) -> [Predicate] {
        switch p {
        case .all: return []
        case .and(let xs): return xs.flatMap(conjuncts)
        default: return [p]
        }
    }

    /// The same test, on the columns `names` maps each to.
    static func renamed(_ p: Predicate, _ names: [String: String]) -> Predicate {
        func n(_ c: String) -> String { names[c] ?? c }
        switch p {
        case .all, .none: return p
        case .isTrue(let c): return .isTrue(column: n(c))
        case .nonZero(let c): return .nonZero(column: n(c))
        case .labelIn(let c, let ls): return .labelIn(column: n(c), labels: ls)
        case .number(let c, let op, let v): return .number(column: n(c), op, v)
        case .dateIn(let c, let lo, let hi): return .dateIn(column: n(c), lo: lo, hi: hi)
        case .boolEquals(let c, let b): return .boolEquals(column: n(c), b)
        case .missing(let c): return .missing(column: n(c))
        case .periodInside(let a, let b, let lo, let hi): return .periodInside(start: n(a), end: n(b), lo: lo, hi: hi)
        case .not(let x): return .not(renamed(x, names))
        case .and(let xs): return .and(xs.map { renamed($0, names) })
        case .or(let xs): return .or(xs.map { renamed($0, names) })
        }
    }

    /// Columns a predicate tests.
    static func columns(of p: Predicate) -> Set<String> {
        switch p {
        case .all, .none: return []
        case .isTrue(let c), .nonZero(let c), .labelIn(let c, _), .number(let c, _, _), .dateIn(let c, _, _), .boolEquals(let c, _), .missing(let c):
            return [c]
        case .periodInside(let a, let b, _, _): return [a, b]
        case .not(let x): return columns(of: x)
        case .and(let xs), .or(let xs): return xs.reduce(into: Set<String>()) { $0.formUnion(columns(of: $1)) }
        }
    }
}
