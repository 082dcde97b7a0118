/// `describe`: what a dataset, column, unit or definition is, as text.
/// Names, labels and provenance come from data: the text is made safe for
/// a terminal (`TerminalText`), labels one by one so a line break in one
/// cannot pass for another line of the description.
public enum Describer {
    /// One value from data or a file, its line breaks shown as `\n`: a
    /// caveat or column name cannot pass for another line of the text.
    static func e(_ s: String) -> String { TerminalText.escape(s) }

    public static func datasets(_ s: Session) throws -> String {
        var errors: [MisqError] = []
        let out = datasets(s, errors: &errors)
        if let e = errors.first { throw e }
        return out
    }

    /// Every dataset; one whose file cannot be read is listed as such and
    /// its error added to `errors`, and the others are still described.
    public static func datasets(_ s: Session, errors: inout [MisqError]) -> String { TerminalText.screen(datasetList(s, errors: &errors)) }

    static func datasetList(_ s: Session, errors: inout [MisqError]) -> String {
        if s.datasets.isEmpty { return "no datasets loaded\n" }
        var out = ""
        for d in s.datasets {
            let rows: Int
            do { rows = try d.rowCount } catch {
                errors += error.misqErrors
                out += "\(e(d.name)): cannot be read (\(e(d.path))); the error is below\n"
                continue
            }
            out += "\(e(d.name))\(d.provenance.synthetic ? " [SYNTHETIC]" : "")\(d.isPublishedTable ? " (published table)" : "")"
            out += ": \(Plural.count(rows, "row"))"
            if let t = d.provenance.title { out += " — \(e(t))" }
            out += "\n"
            for n in d.headerNotes + d.provenance.notes { out += "  note: \(e(n))\n" }
            out += "  units: " + s.units(of: d).keys.sorted().map { u in unitLine(u, s.units(of: d)[u] ?? .rows) }.joined(separator: ", ") + "\n"
        }
        if !s.defines.isEmpty { out += "definitions: " + s.defines.values.map { e($0.name) }.sorted().joined(separator: ", ") + "\n" }
        if !s.derivations.isEmpty { out += "derived values: " + s.derivations.values.map { e($0.name) }.sorted().joined(separator: ", ") + "\n" }
        return out
    }

    /// `cases (rows)`; the unit `rows` alone, not `rows (rows)`, which
    /// read as a stutter (cold test of issue 22).
    static func unitLine(_ name: String, _ u: UnitDefinition) -> String {
        if name == "rows", case .rows = u { return "rows (each row once)" }
        return "\(e(name)) (\(unitText(u)))"
    }

    static func unitText(_ u: UnitDefinition) -> String {
        switch u {
        case .rows: return "rows"
        case .distinct(let c): return "distinct \(e(c))"
        case .measure: return "published figures"
        }
    }

    /// A dataset, a column (of the default dataset, or `dataset.column`), a
    /// unit or a definition.
    public static func describe(_ name: String, in s: Session) throws -> String { TerminalText.screen(try describeText(name, in: s)) }

    static func describeText(_ name: String, in s: Session) throws -> String {
        if let d = s.dataset(named: name) { return try dataset(d, session: s) }
        if let def = s.derivations[name.lowercased()] {
            var out = "derived value \(e(def.name)) = \(e(def.text)) (computed for each row)\n"
            if let n = def.note { out += "  source: \(e(n))\n" }
            out += "  declared at \(def.source.location(def.span))\n"
            return out
        }
        if let def = s.defines[name.lowercased()] {
            var out = "definition \(e(def.name)) = \(def.text)\n"
            if let n = def.note { out += "  source: \(e(n))\n" }
            out += "  declared at \(def.source.location(def.span))\n"
            return out
        }
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        let (ds, col): (Dataset?, String) = parts.count == 2 ? (s.dataset(named: parts[0]), parts[1]) : (s.defaultDataset, name)
        if let d = ds, let k = d.columnIndex(col) { return try column(d, k) }
        for d in s.datasets { if let u = s.units(of: d).first(where: { $0.key.lowercased() == name.lowercased() }) {
            return "unit \(e(u.key)) of \(e(d.name)): \(unitText(u.value))\n"
        } }
        if let sub = s.subsets[name.lowercased()] { return "subset \(name) = \(sub.source.text(SourceSpan(sub.subset.source.span.start, sub.subset.filter?.span.end ?? sub.subset.source.span.end)))\n" }
        let candidates = s.datasets.map(\.name) + Array(s.defines.keys) + Array(s.derivations.keys) + (s.defaultDataset?.columnNames ?? []) + s.unitNames
        throw MisqError(.name, "nothing is called '\(name)'", expected: "a dataset, column, unit or definition",
                        suggestion: Suggestions.didYouMean(name, candidates))
    }

    public static func dataset(_ d: Dataset, session: Session) throws -> String {
        let p = d.provenance
        var out = "\(e(d.name))\(p.synthetic ? " [SYNTHETIC DATA]" : "")\n"
        if let t = p.title { out += "  title: \(e(t))\n" }
        if let desc = p.description { out += "  description: \(e(desc))\n" }
        if let pub = p.publisher { out += "  publisher: \(e(pub))\n" }
        if let r = p.reference { out += "  reference: \(e(r))\n" }
        if let r = p.retrieved { out += "  retrieved: \(Day.iso(r))\(p.retrievedFrom.map { " from \(e($0))" } ?? "")\n" }
        if let a = d.declaredAsOf { out += "  as of: \(Day.iso(a))\n" }
        for src in p.sources { out += "  source: \(e(src))\n" }
        for c in p.caveats { out += "  caveat: \(e(c))\n" }
        if let l = p.licence { out += "  licence: \(e(l))\n" }
        out += "  file: \(e(d.path)), \(Plural.count(try d.rowCount, "row"))\n"
        if let by = p.describedBy { out += "  described by: \(e(by))\n" }
        for n in p.notes { out += "  note: \(e(n))\n" }
        out += "  units: " + session.units(of: d).keys.sorted().map { unitLine($0, session.units(of: d)[$0] ?? .rows) }.joined(separator: ", ") + "\n"
        if let pc = d.periodColumn { out += "  period column: \(e(pc))\n" }
        else if d.published == nil, let (k, _) = try d.periodColumnIndex() {
            out += "  period column: \(e(d.columnNames[k])) (inferred: its only date column)\n"
        } else if d.published == nil, case let dates = try d.dateColumns(), dates.count > 1 {
            out += "  period column: none declared; date columns: \(dates.map(e).joined(separator: ", ")) (declare one: \(e(d.loadStatement(period: dates[0]))))\n"
        }
        for n in d.headerNotes { out += "  note: \(e(n))\n" }
        let blank = try d.blankRows()
        if blank > 0 {
            out += "  blank rows: \(NumberFormat.grouped(Double(blank), decimals: 0)) of \(NumberFormat.grouped(Double(try d.rowCount), decimals: 0)) \(blank == 1 ? "has" : "have") every field \(d.missingValues.isEmpty ? "empty" : "empty or missing") (loaded and counted as rows)\n"
        }
        if let pub = d.published {
            out += "  published table: figures in '\(e(pub.weight))', unit in '\(e(pub.measure))'"
            if let from = pub.periodStart, let to = pub.periodEnd { out += ", period \(e(from))…\(e(to))" }
            out += "\n"
        }
        out += "  columns:\n"
        for k in d.columnNames.indices { out += try column(d, k, indent: "    ", brief: true) }
        return out
    }

    public static func column(_ d: Dataset, _ k: Int, indent: String = "", brief: Bool = false) throws -> String {
        let col = try d.column(k)
        let schema = d.schema(k)
        var out = "\(indent)\(e(d.columnNames[k])): \(col.type.rawValue)"
        // A column of number-like values kept as text says why.
        var why: String?
        if case .category(let c) = col, schema.declaredType == nil { why = ValueParsing.textReason(c.labels) }
        if why != nil { out += " (text, not number)" }
        var missing = 0
        for r in 0..<col.count where col.isMissing(r) { missing += 1 }
        if missing > 0 { out += ", \(NumberFormat.grouped(Double(missing), decimals: 0)) missing" }
        if let desc = schema.description { out += " — \(e(desc))" }
        out += "\n"
        if let w = why { out += "\(indent)  kept exact: \(e(w))\n" }
        switch col {
        case .category(let c):
            var counts = [Int](repeating: 0, count: c.labels.count)
            for r in 0..<c.codes.count { let code = c.codes[r]; if code != CategoryColumn.missing { counts[Int(code)] += 1 } }
            let order = c.labels.indices.sorted { c.rank[$0] < c.rank[$1] }
            let limit = brief ? 12 : 200
            if c.labels.count > limit && brief {
                out += "\(indent)  \(NumberFormat.grouped(Double(c.labels.count), decimals: 0)) distinct values, e.g. " + order.prefix(3).map { TerminalText.escape(c.labels[$0]) }.joined(separator: ", ") + "\n"
            } else {
                for k in order.prefix(limit) { out += "\(indent)  \(TerminalText.escape(c.labels[k])): \(NumberFormat.grouped(Double(counts[k]), decimals: 0))\n" }
                if c.labels.count > limit { out += "\(indent)  … \(c.labels.count - limit) more\n" }
            }
        case .number(let n):
            let present = n.values.filter { !$0.isNaN }
            if let lo = present.min(), let hi = present.max() { out += "\(indent)  from \(NumberFormat.plain(lo)) to \(NumberFormat.plain(hi))\n" }
        case .date(let dc):
            if let r = dc.range { out += "\(indent)  from \(Day.iso(Int(r.lowerBound))) to \(Day.iso(Int(r.upperBound)))\n" }
        case .boolean(let b):
            let yes = b.value.setCount(and: b.known), known = b.known.setCount()
            out += "\(indent)  yes: \(NumberFormat.grouped(Double(yes), decimals: 0)), no: \(NumberFormat.grouped(Double(known - yes), decimals: 0))\n"
        }
        return out
    }
}
