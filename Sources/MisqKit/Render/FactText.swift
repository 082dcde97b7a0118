/// The words for each fact (`Result/Fact.swift`): one place, so `run`, the
/// prompt, `test` and every format say the same thing about a result.
extension Fact {
    public var text: String {
        switch self {
        case .datasetNote(let s), .aggregateNote(let s), .text(let s):
            return s
        case .textMatch(let m):
            return m.note
        case .inferredPeriodColumn(let column, let dataset, let path, let load):
            return "period column: '\(column)', the only date column of \(dataset) (declare another with "
                + (load ?? "load \"\(path)\" as \(Identifier.source(dataset)) period COLUMN") + ")"
        case .blankRows(let blank, let counted, let declared):
            return "\(NumberFormat.count(blank)) of the \(Plural.count(counted, "row")) counted " + (blank == 1 ? "is" : "are")
                + " entirely blank (every field \(declared ? "empty or missing" : "empty"))"
        case .overlap(let unit, let keys, let sum, let total):
            return "groups overlap: some \(unit) appear under more than one \(keys.joined(separator: ", ")); the groups add up to \(NumberFormat.grouped(sum, decimals: 0)) but the total counts each once: \(NumberFormat.grouped(total, decimals: 0))"
        case .top(let n, let groups, let tied, let cut, let kept, let overall, let share, let rounded, let orderedBy, let tiedOut):
            // Which groups: the largest, or the first in the order asked.
            let which = orderedBy.map { "the first \(NumberFormat.count(n)) in the order asked (\($0)), not the largest" } ?? "the largest \(NumberFormat.count(n))"
            var note: String
            if let share {
                // How the share became a number of groups, so the reader can check it.
                note = "top \(share) of \(Plural.count(groups, "group")): \(which) (\(share) of \(NumberFormat.count(groups))\(rounded ? ", rounded up" : ""))"
            } else {
                note = "top \(NumberFormat.count(n)) of \(Plural.count(groups, "group"))" + (orderedBy == nil ? "" : ": " + which)
            }
            note += tied > 0 ? ", with \(NumberFormat.count(tied)) more tied at \(cut.text): \(NumberFormat.count(kept)) shown" : " shown"
            if tiedOut > 0 {
                note += "; \(NumberFormat.count(tiedOut)) more \(tiedOut == 1 ? "is" : "are") tied with the last one shown and left out (with 'order by', top keeps exactly \(NumberFormat.count(n)))"
            }
            if kept < groups { note += "; " + Fact.allGroups(groups, overall: overall) }
            return note
        case .topRows(let n, let rows, let tied, let cut, let kept, let column, let share, let rounded):
            var note = share.map { "top \($0) of \(Plural.count(rows, "row")) by \(column): the largest \(NumberFormat.count(n)) (\($0) of \(NumberFormat.count(rows))\(rounded ? ", rounded up" : ""))" }
                ?? "top \(NumberFormat.count(n)) of \(Plural.count(rows, "row")) by \(column)"
            note += tied > 0 ? ", with \(NumberFormat.count(tied)) more tied at \(cut.text): \(NumberFormat.count(kept)) measured" : " measured"
            return note
        case .join(let kind, let dataset, let on, let rows, let unmatched, let joinedRows, let unused, let of, let filtered):
            var note = "\(kind) join \(dataset) on \(on): \(NumberFormat.count(unmatched)) of the \(Plural.count(rows, "row")) of \(of)\(filtered ? " the filter kept" : "") found no partner"
            if unmatched > 0 { note += kind == "inner" ? " and \(unmatched == 1 ? "is" : "are") left out" : " and \(unmatched == 1 ? "is" : "are") kept, with \(Plural.possessive(dataset)) columns missing" }
            note += "; \(NumberFormat.count(unused)) of \(Plural.possessive(dataset)) \(Plural.count(joinedRows, "row")) matched \(filtered ? "none of them" : "no row"); each row of \(of) joins at most one row of \(dataset) (checked), so nothing is counted twice"
            return note
        case .perRate(let column, let multiplier, let measure, let missing, let groups, let o):
            var note = "per \(multiplier) \(column):"
            if groups > 0 {
                note += " each group's \(measure) × \(multiplier) / the group's total of \(column) (the joined dataset's rows with the group's key, each once)"
                if missing > 0 {
                    note += "; \(NumberFormat.count(missing)) of \(Plural.count(groups, "group")) \(missing == 1 ? "has" : "have") no rate (no partner, one of its rows with no \(column), or a total of 0)"
                }
                note += "; overall"
            }
            var all: String
            if let n = o.narrowed {
                all = "over the \(NumberFormat.count(n.rows)) of \(Plural.possessive(o.dataset)) \(Plural.count(o.rightRows, "row")) the filter's conditions on "
                    + n.columns.joined(separator: ", ") + " admit"
            } else if o.keyless > 0 {
                all = "over the \(NumberFormat.count(o.rightRows - o.keyless)) of \(Plural.possessive(o.dataset)) \(Plural.count(o.rightRows, "row")) with a \(o.key)"
            } else {
                all = "over all \(Plural.count(o.rightRows, "row")) of \(o.dataset)"
            }
            all += ", one per \(o.key), whether or not any row joined it"
            if o.keyless > 0 {
                all += " (\(Plural.count(o.keyless, "row")) with no \(o.key) \(o.keyless == 1 ? "joins" : "join") nothing, and \(o.keyless == 1 ? "is" : "are") left out)"
            }
            if o.blank > 0 {
                return note + " no rate: \(NumberFormat.count(o.blank)) of \(Plural.possessive(o.dataset)) \(Plural.count(o.rightRows, "row")) \(o.blank == 1 ? "has" : "have") no \(column), so its total is not known"
            }
            note += " \(NumberFormat.grouped(o.matched, decimals: 0)) \(measure) that found a partner × \(multiplier) / \(NumberFormat.figure(o.denominator)), the total of \(column) \(all)"
            if o.left { note += " (the rows of a left join with no partner are not in the overall rate)" }
            return note
        case .limit(let n, let groups, let overall):
            return "\(NumberFormat.count(n)) of \(NumberFormat.count(groups)) groups shown (limit \(NumberFormat.count(n))); " + Fact.allGroups(groups, overall: overall)
        case .derivedMissing(let name, let scanned, let zero, let noDate, let example, let overflow):
            var why: [String] = []
            if zero > 0 { why.append(Plural.count(zero, "division") + " by zero") }
            if noDate > 0 { why.append(Plural.count(noDate, "date") + (noDate == 1 ? " that does not exist" : " that do not exist") + (example.map { ", e.g. \($0)" } ?? "")) }
            if overflow > 0 { why.append(Plural.count(overflow, "value") + " too large for a number") }
            // Only the rows whose inputs were all there: a row with a missing
            // input has no value either, and is not counted here.
            return "\(Identifier.shown(name)) could not be computed in \(NumberFormat.count(zero + noDate + overflow)) of \(Plural.count(scanned, "row")) scanned, "
                + "so has no value there (nor where an input is missing): " + why.joined(separator: "; ")
        case .measureRows(let measures, let rows):
            return "rows each measure reads, of those matched: "
                + zip(measures, rows).map { "\($0): \(NumberFormat.count($1))" }.joined(separator: "; ")
        case .measurePeriod(let measure, let period):
            let statement = period.statement ?? "any date"
            return "period of \(measure): \(statement)"
        case .topRankedBy(let column):
            return "top ranks the groups by '\(column)', the first column"
        case .noValue(let column, let groups, let of, let divisionByZero):
            let which = groups.map { " in \(NumberFormat.count($0)) of \(Plural.count(of, "group"))" } ?? ""
            return "'\(column)' has no value\(which): " + (divisionByZero ? "its divisor is 0" + (groups == nil ? "" : " there") : "a measure in it has none (no numbers)")
        case .noTotal(let column, let divisionByZero):
            return "'\(column)' has no total: " + (divisionByZero ? "its divisor over all groups is 0" : "a measure in it has none over all groups")
        case .suppressed(let rule, let hides, let primary, let secondary, let method):
            if primary == 0 && secondary == 0 {
                return "suppression \(rule) (\(hides) hidden as [c]): no figure of this table is that small, so all are published"
            }
            var t = "[c] = confidential, not published so that no one counted can be identified: suppression \(rule) hides \(hides)"
                + (primary == 0 ? " (none in this table)" : " (\(Plural.count(primary, "cell")))")
            if let m = method {
                t += secondary == 0 ? "; no other cell needed hiding, as none of them can be worked out from the figures published (\(m))"
                    : primary == 0 ? "; \(Plural.count(secondary, "cell")) hidden so that the small counts of the tables protected with it cannot be worked out (\(m))"
                    : "; \(Plural.count(secondary, "more cell")) hidden so that they cannot be worked out from the figures published (\(m))"
            }
            return t
        case .rounded(let base):
            return "figures rounded to the nearest \(base), totals from the unrounded figures then rounded (so a total need not be the sum of the cells shown); with rounding, no more cells are hidden beside those the rule hides"
        case .protectedTogether(let tables, let narrowest, let overlapping):
            var t = "protected together with \(tables.count == 1 ? "the table" : "the tables") published before it over the same records "
                + (overlapping ? "(the same dataset and unit; where their filters differ, over the records each combination of the filters keeps): "
                   : "(the same dataset, rows and unit): ")
                + tables.joined(separator: "; ")
            if let n = narrowest {
                t += "; from all their published figures together, each cell hidden by a rule in any of them can only be placed in an interval at least \(NumberFormat.plain(n.width)) wide (the narrowest: \(n.cell) in [\(NumberFormat.plain(n.low)), \(n.high.isFinite ? NumberFormat.plain(n.high) : "no upper bound")])"
            }
            return t
        case .protectedApart(let tables, let reason):
            return "NOT protected together with \(tables.count == 1 ? "the table" : "the tables") over the same dataset and unit published before it ("
                + tables.joined(separator: "; ") + "): \(reason); check the whole run with misq audit"
        case .suppressionAudit(let a):
            func interval(_ i: SuppressionAudit.Interval) -> String {
                "\(i.cell) in [\(NumberFormat.plain(i.low)), \(i.high.isFinite ? NumberFormat.plain(i.high) : "no upper bound")]"
            }
            let primaries = a.intervals.filter { $0.status == .primary }.count
            let required = a.requirement ?? NumberFormat.plain(a.requiredWidth)
            guard a.passed else {
                let f = a.failures
                return "audit FAILED: \(Plural.count(f.count, "cell")) hidden by the rule can be worked out from the published figures to less than \(required) either way: "
                    + f.prefix(3).map(interval).joined(separator: "; ") + (f.count > 3 ? "; …" : "")
            }
            guard let n = a.narrowest else {
                return a.intervals.isEmpty ? "audit: no cell is hidden" : "audit: no cell of this table is hidden by the rule; "
                    + "the narrowest interval of its \(Plural.count(a.intervals.count, "hidden cell")): " + (a.intervals.min { $0.width < $1.width }.map(interval) ?? "")
            }
            let from = a.roundedTo.map { "from the published figures rounded to the nearest \($0) (a figure shown as R is a count from R − \(NumberFormat.plain(Double($0 / 2))) to R + \(NumberFormat.plain(Double(($0 - 1) / 2)))) and the rule" } ?? "from the published figures"
            return "audit: each of the \(Plural.count(primaries, "cell")) hidden by the rule can only be placed in an interval at least \(NumberFormat.plain(n.width)) wide \(from) (linear programming; \(required) required); the narrowest: " + interval(n)
        case .combinedTotals(let columns):
            let names = columns.map { "'\($0)'" }.joined(separator: ", ")
            return "the Total row's \(names) \(columns.count == 1 ? "is" : "are") worked out from the measures' totals, not summed over the groups"
        }
    }
}

extension Fact {
    /// What the footer's figure covers when some groups are not shown.
    static func allGroups(_ groups: Int, overall: GroupsFigure) -> String {
        switch overall {
        case .total: return "the total counts all " + NumberFormat.count(groups)
        case .aggregate: return "the overall figure is over all " + NumberFormat.count(groups)
        case .rate: return "the overall rate is not cut (the per note says what it divides)"
        }
    }
}

extension FactValue {
    public var text: String {
        switch kind {
        case .date: return Day.isoOrMissing(value)
        case .integer: return NumberFormat.grouped(value, decimals: 0)
        case .figure: return NumberFormat.figure(value)
        case .percent: return value.isNaN ? "(missing)" : NumberFormat.percent(value)
        }
    }
}

extension TotalFact {
    public var text: String {
        switch kind {
        case .overall: return "overall \(measure): \(value.text)"
        case .count(let once): return "total: \(value.text) \(measure)" + (once ? ", each counted once" : "")
        case .columns(let columns):
            // One column is named by its heading just above.
            let parts = columns.map { c in
                (columns.count == 1 ? "" : "\(c.name) ") + c.value.text + (c.eachCountedOnce ? ", each counted once" : "")
                    + (c.fromMeasureTotals ? " (from the measures' totals, not a sum of the groups)" : "")
            }
            return (columns.count == 1 ? "total: " : "totals: ") + parts.joined(separator: "; ")
        }
    }
}
