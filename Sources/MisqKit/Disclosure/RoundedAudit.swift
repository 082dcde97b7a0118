/// The audit of a table published rounded (`with suppression under 5,
/// rounding 5`): what a reader can work out about each `[c]` cell when no
/// figure is exact. misq rounds conventionally (each figure to the nearest
/// multiple of the base, halves away from zero, totals from the unrounded
/// figures), not by controlled rounding, so a figure shown as R is a count
/// x with R − b/2 ≤ x < R + b/2: for base 5, R − 2 to R + 2; for base 10,
/// R − 5 to R + 4; a 0 is 0 to 2 (or 0 to 4). A total shown as R is such a
/// sum of its cells.
///
/// The footer names the rule, so the reader also knows that every `[c]` is
/// a count the rule hides (1 to 4 under 5: with rounding no other cell is
/// hidden) and that no published figure is one (a 5 under `under 5`,
/// rounding 5, is 5 to 7, not 3 to 7). Where the rule counts another unit
/// (`under 5 individuals`) the figures say nothing of it, and a `[c]` is
/// only not negative.
///
/// Each cell's interval is then the least and greatest value it takes over
/// all tables of counts within those bounds (a linear programme, `Simplex`,
/// with every inner cell an unknown), narrowed to whole numbers when the
/// figures are counts. Where the bounds leave a gap (a published 0 under
/// `0-2`… is 0 or 3 to 4) the programme uses the interval around both
/// parts, as the linear relaxation of the integer problem, like the audit
/// of unrounded tables.
enum RoundedAudit {
    /// `ruleOnFigures`: the rule decides on these figures (not on another unit).
    static func run(_ model: TableModel, _ status: [CellStatus], rounding: Rounding, rule: SuppressionRule, ruleOnFigures: Bool,
                    required: [Double]) -> SuppressionAudit {
        let whole = model.inner.allSatisfy { $0 == $0.rounded() } && model.cells.allSatisfy { !$0.value.isFinite || $0.value == $0.value.rounded() }
        let b = Double(rounding.base)
        // The counts a rule hides, as an interval.
        let hidden: (Double, Double) = ruleOnFigures ? (rule.zeros ? 0 : (whole ? 1 : 0), whole ? Double(rule.below - 1) : Double(rule.below)) : (0, .infinity)

        /// What a reader knows of a cell from how it is shown.
        func bounds(_ i: Int) -> (Double, Double) {
            let c = model.cells[i]
            if status[i].isHidden { return hidden }
            let r = rounding.apply(c.value)
            var low = max(0, r - b / 2), high = r + b / 2
            if whole { low = low.rounded(.up); high = (r + b / 2).rounded(.up) - 1 }
            guard ruleOnFigures, whole else { return (low, high) }
            // Not a count the rule hides: take those out of [low, high].
            let (h0, h1) = hidden
            let under = low <= h0 - 1 ? (low, min(high, h0 - 1)) : nil          // the part under the hidden counts
            let over = max(low, h1 + 1) <= high ? (max(low, h1 + 1), high) : nil  // and over them
            return ((under ?? over)?.0 ?? low, (over ?? under)?.1 ?? high)
        }

        // Unknowns y = x − lower bound ≥ 0, one per inner cell; an inner
        // cell's own bounds are its upper bound; each total's are a range
        // of the sum of its cells (a distinct count's total: at least each
        // cell and at most their sum, so the sum at least its lower bound
        // and each cell at most its upper one).
        let n = model.inner.count
        var lower = [Double](repeating: 0, count: n), upper = [Double](repeating: .infinity, count: n)
        var sums: [(members: [Int], low: Double, high: Double)] = []
        for (i, c) in model.cells.enumerated() where c.printed {
            let (lo, hi) = bounds(i)
            if c.additive && c.members.count == 1 {
                let m = c.members[0]
                lower[m] = max(lower[m], lo); upper[m] = min(upper[m], hi)
            } else if c.additive {
                sums.append((c.members, lo, hi))
            } else {
                sums.append((c.members, lo, .infinity))
                for m in c.members { upper[m] = min(upper[m], hi) }
            }
        }
        var rows: [[Int: Double]] = [], rhs: [Double] = []
        var columns = n
        for m in 0..<n where upper[m].isFinite {
            rows.append([m: 1, columns: 1]); rhs.append(upper[m] - lower[m]); columns += 1
        }
        for s in sums {
            let base = s.members.reduce(0) { $0 + lower[$1] }
            var row: [Int: Double] = [:]
            for m in s.members { row[m, default: 0] += 1 }
            if s.high.isFinite && s.low == s.high {
                rows.append(row); rhs.append(s.low - base); continue
            }
            if s.low - base > 0 {
                var r = row; r[columns] = -1; columns += 1
                rows.append(r); rhs.append(s.low - base)
            }
            if s.high.isFinite {
                var r = row; r[columns] = 1; columns += 1
                rows.append(r); rhs.append(s.high - base)
            }
        }
        let a = rows.map { r in
            var dense = [Double](repeating: 0, count: columns)
            for (k, x) in r { dense[k] = x }
            return dense
        }
        var simplex = Simplex(a: a, b: rhs, columns: columns)

        var intervals: [SuppressionAudit.Interval] = []
        for (i, c) in model.cells.enumerated() where status[i].isHidden {
            // No table within the bounds: never so for the true figures,
            // which are one; held as worked out, so the table is refused
            // rather than published on an audit that did not run.
            var low = c.value, high = c.value
            if simplex != nil {
                var cost = [Double](repeating: 0, count: columns)
                for m in c.members { cost[m] += 1 }
                let base = c.members.reduce(0) { $0 + lower[$1] }
                let lo = simplex?.minimum(cost), hi = simplex?.minimum(cost.map { -$0 })
                low = base + (lo ?? 0)
                high = hi.map { base - $0 } ?? .infinity
                if whole {
                    // A count lies between whole numbers' bounds.
                    low = (low - 1e-6).rounded(.up)
                    if high.isFinite { high = (high + 1e-6).rounded(.down) }
                }
                if !c.additive {
                    // A distinct total is at least each of its cells and at
                    // most their sum, and a count the rule hides.
                    low = max(bounds(i).0, c.members.map { lower[$0] }.max() ?? 0)
                    high = min(high, bounds(i).1)
                }
            }
            var interval = SuppressionAudit.Interval(cell: c.label, status: status[i], value: c.value, low: low, high: high)
            interval.required = required[i]
            interval.index = i
            intervals.append(interval)
        }
        var audit = SuppressionAudit(intervals: intervals, requiredWidth: rule.requiredWidth(0))
        audit.requirement = rule.requirement
        audit.roundedTo = rounding.base
        return audit
    }
}
