/// `misq audit FILE`: every table a run published with suppression, audited
/// against everything the run published. The tables over the same records
/// (`LinkedTables.swift`) are one linear system, over their finest groups;
/// for every hidden cell of every table, the least and greatest value an
/// attacker can give it (linear programming, `Audit`), and whether each
/// cell a rule hid is at least as wide as its rule requires. Worked out
/// again from the published patterns, not read from the footers, so a
/// pattern changed after protection (a test publishing one more cell) is
/// audited as it is.
public struct RunAudit {
    public struct TableAudit {
        public var label: String
        /// The other tables it was audited with (the same records).
        public var together: [String]
        /// Some of them count other rows (another filter) of the same records.
        public var overlapping = false
        /// Why it was audited on its own though other tables count the same records.
        public var apart: String?
        /// Published rounded to this base: its intervals are from the rounded figures (`RoundedAudit`).
        public var rounded: Int?
        public var intervals: [SuppressionAudit.Interval]
        /// A table read from its published figures: its [c] cells' causes are not known.
        public var markersOnly = false
        // Not `width < required`: an interval not worked out (NaN) fails, it is never "ok".
        public var failures: [SuppressionAudit.Interval] { intervals.filter { $0.status == .primary && !($0.width >= $0.required) } }
    }
    public var tables: [TableAudit]
    public var failures: [SuppressionAudit.Interval] { tables.flatMap(\.failures) }
    public var passed: Bool { failures.isEmpty }

    public static func run(_ session: Session) throws -> RunAudit {
        var out: [TableAudit] = []
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for (i, t) in session.published.enumerated() {
            if groups[t.link] == nil { order.append(t.link) }
            groups[t.link, default: []].append(i)
        }
        var byTable: [Int: TableAudit] = [:]
        for link in order {
            let members = (groups[link] ?? []).map { session.published[$0] }
            let indices = groups[link] ?? []
            if members.count > 1, let last = members.last,
               let l = try Session.linkage(Array(members.dropLast()), keys: last.keys, identities: last.keyIdentities, plan: last.plan, run: { try session.run($0) }) {
                if let why = l.apart {
                    for (t, m) in members.enumerated() {
                        var a = alone(m)
                        a.apart = why
                        byTable[indices[t]] = a
                    }
                    continue
                }
                let lm = LinkedModel(members.indices.map { (members[$0].table, l.positions[$0], members[$0].margins) }, atoms: l.atoms,
                                     filters: l.atomFilters.flatMap { a in l.tableFilters.map { (a, $0) } })
                if lm.refusal == nil {
                    var status = [CellStatus](repeating: .published, count: lm.model.cells.count)
                    var required = [Double](repeating: 1, count: lm.model.cells.count)
                    for (t, m) in members.enumerated() {
                        guard let p = m.table.suppression else { continue }
                        let s = LinkedModel.statuses(p, across: m.table.acrossName != nil)
                        for (k, i) in lm.ranges[t].enumerated() where k < s.count {
                            status[i] = s[k]
                            required[i] = m.rule.requiredWidth(lm.model.cells[i].value)
                        }
                    }
                    let audit = Audit.run(lm.model, status, requiredWidth: 1, required: required)
                    for (t, m) in members.enumerated() {
                        let range = lm.ranges[t]
                        var a = TableAudit(label: m.label, together: members.filter { $0.label != m.label }.map(\.label), apart: nil, rounded: nil,
                                           intervals: audit.intervals.filter { range.contains($0.index) })
                        a.overlapping = l.atomFilters != nil
                        byTable[indices[t]] = a
                    }
                    continue
                }
                let why = lm.refusal.map { "the cell \($0.cell) of \(members[$0.table].label) is not the sum of the finest groups of the tables (a unit counted once each can be in more than one of them)" }
                for (t, m) in members.enumerated() {
                    var a = alone(m)
                    a.apart = why
                    byTable[indices[t]] = a
                }
                continue
            }
            for (t, m) in members.enumerated() { byTable[indices[t]] = alone(m) }
        }
        for i in session.published.indices { if let a = byTable[i] { out.append(a) } }
        return RunAudit(tables: out)
    }

    /// One table against its own published figures.
    static func alone(_ t: PublishedTable) -> TableAudit {
        guard let p = t.table.suppression else { return TableAudit(label: t.label, together: [], intervals: []) }
        let status = LinkedModel.statuses(p, across: t.table.acrossName != nil)
        if let r = p.rounding {
            // Its figures rounded, its totals too (a stated sum of overlapping groups is not published then).
            let model = TableModel(t.table, statedSum: nil, margins: t.margins)
            let audit = RoundedAudit.run(model, status, rounding: r, rule: t.rule, ruleOnFigures: t.plan.suppressionMeasure == nil,
                                         required: model.cells.map { t.rule.requiredWidth($0.value) })
            return TableAudit(label: t.label, together: [], rounded: r.base, intervals: audit.intervals)
        }
        let model = TableModel(t.table, statedSum: t.statedSum, margins: t.margins)
        let required = model.cells.map { t.rule.requiredWidth($0.value) }
        let audit = Audit.run(model, status, requiredWidth: 1, required: required)
        return TableAudit(label: t.label, together: [], intervals: audit.intervals)
    }

    /// The report `misq audit` prints.
    public var text: String {
        var lines: [String] = []
        for t in tables {
            lines.append(t.label)
            if !t.together.isEmpty {
                lines.append("  audited together with " + t.together.joined(separator: "; ")
                             + (t.overlapping ? " (the same dataset and unit, over the records each combination of their filters keeps)" : " (the same dataset, rows and unit)"))
            }
            if let why = t.apart { lines.append("  audited on its own: " + why) }
            if let r = t.rounded {
                lines.append("  published rounded to the nearest \(r) (a figure shown as R is a count from R − \(r / 2) to R + \((r - 1) / 2)), only the rule's cells hidden: "
                             + "each [c] audited against the rounded figures and totals, knowing it is a count the rule hides" + (t.intervals.isEmpty ? "; no cell hidden" : ""))
            } else if t.intervals.isEmpty {
                lines.append("  no cell hidden")
            }
            let width = t.intervals.map(\.cell.count).max() ?? 0
            for i in t.intervals {
                let bounds = "[\(NumberFormat.plain(i.low)), \(i.high.isFinite ? NumberFormat.plain(i.high) : "no upper bound")]"
                let kind = t.markersOnly ? "hidden            " : i.status == .primary ? "hidden by the rule" : "hidden beside them"
                var line = "  [c] " + i.cell.padding(toLength: width, withPad: " ", startingAt: 0) + "  \(kind)  in " + bounds
                if i.status == .primary {
                    line += "  width \(NumberFormat.plain(i.width)), \(NumberFormat.plain(i.required)) required: " + (i.width >= i.required ? "ok" : "FAILS")
                }
                lines.append(line)
            }
            lines.append("")
        }
        let primaries = tables.flatMap(\.intervals).filter { $0.status == .primary }
        let f = failures
        if !f.isEmpty {
            lines.append("audit FAILED: \(Plural.count(f.count, "cell")) hidden \(tables.allSatisfy(\.markersOnly) ? "as [c]" : "by a rule") can be worked out from what the run publishes to an interval narrower than the rule requires: "
                         + f.prefix(5).map { "\($0.cell) in [\(NumberFormat.plain($0.low)), \(NumberFormat.plain($0.high))]" }.joined(separator: "; ") + (f.count > 5 ? "; …" : ""))
        } else if tables.allSatisfy(\.markersOnly), let n = primaries.min(by: { $0.width < $1.width }) {
            lines.append("audit passed: none of the \(Plural.count(primaries.count, "[c] cell")) can be worked out from the published figures to an interval narrower than \(NumberFormat.plain(n.required)) (the narrowest: \(n.cell) in [\(NumberFormat.plain(n.low)), \(n.high.isFinite ? NumberFormat.plain(n.high) : "no upper bound")])")
        } else if let n = primaries.min(by: { $0.width < $1.width }) {
            lines.append("audit passed: each of the \(Plural.count(primaries.count, "cell")) hidden by a rule in the \(Plural.count(tables.count, "table")) published with suppression can only be placed in an interval at least as wide as its rule requires (the narrowest: \(n.cell) in [\(NumberFormat.plain(n.low)), \(n.high.isFinite ? NumberFormat.plain(n.high) : "no upper bound")])")
        } else {
            lines.append("audit passed: no cell of the \(Plural.count(tables.count, "table")) published with suppression is hidden by a rule")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
