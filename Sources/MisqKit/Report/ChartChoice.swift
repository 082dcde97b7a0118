/// The chart a result's shape calls for (issue 21):
/// - one key, or several → horizontal bars, in the table's order;
/// - a time key (year, quarter, month, fy) → columns in time order, or a
///   line when there are many, with a bucket that has no group as a gap;
/// - `across` → a shaded grid with the values in the cells;
/// - one figure → the figure, large, with its unit and period;
/// - rows (`show`), dates → no chart, and a line says why.
/// Several value columns give one bar chart each.
enum Chart {
    case bars(BarChart)
    case time(TimeChart)
    case grid(HeatGrid)
    case number(BigNumber)
    case none(String)
}

/// What every chart states above its drawing: a title and, as the table's
/// footer does, the notes that change how it reads (groups overlap, top N).
struct ChartHeading {
    var title: String
    var notes: [String]
}

struct BarChart {
    var heading: ChartHeading
    var keyName: String
    var unit: String
    var labels: [String]
    /// NaN: no value (drawn as none, said in the text).
    var values: [Double]
    var texts: [String]
}

struct TimeChart {
    var heading: ChartHeading
    var keyName: String
    var unit: String
    var labels: [String]
    /// nil: no group for the bucket (a gap); NaN: a group with no value.
    var values: [Double?]
    var texts: [String?]
    /// `top 3`, `limit 5`: what cut the groups, so that a bucket with no
    /// column may have had a group (nil: a bucket without one had none).
    var leftOutBy: String? = nil
    /// More buckets than columns can show legibly: drawn as a line.
    var asLine: Bool { labels.count > 40 }
}

struct HeatGrid {
    var heading: ChartHeading
    var rowName: String
    var columnName: String
    var unit: String
    var rowLabels: [String]
    var columnLabels: [String]
    var values: [[Double]]
    var texts: [[String]]
}

struct BigNumber {
    var figure: String
    var label: String
    var scope: [String]
}

enum ChartChoice {
    /// Bars beyond this are left to the table (a chart of 500 groups is not a glance).
    static let maxBars = 60
    static let maxGridColumns = 24, maxGridRows = 60

    static func charts(for answer: ReportAnswer) -> [Chart] {
        let r = answer.result
        // What is drawn, in a line (`cases by severity`); the question is
        // the section's heading just above.
        let title = HTMLReport.caption(r)
        switch r.body {
        case .scalar(let v):
            let cell = r.valueIsPercent ? Grid.percent(v) : Grid.value(v, integer: r.valueIsInteger, date: r.valueIsDate)
            var scope: [String] = []
            let periods = r.footer.parts.map { $0.flatMap(\.footer.periods) } ?? r.footer.periods
            var seen = Set<String>()
            for p in periods { if let s = p.statement, seen.insert(s).inserted { scope.append("period: " + s) } }
            if r.footer.synthetic { scope.append("[SYNTHETIC DATA]") }
            return [.number(BigNumber(figure: cell.shown, label: r.valueName, scope: scope))]
        case .rows:
            return [.none("Rows are listed in the table; there is no chart of a list.")]
        case .groups(let g) where g.suppression != nil:
            // A bar or a shade is as long or as dark as its figure: it
            // would publish the hidden cells.
            return [.none("Not charted: the table has confidential cells ([c]), and a chart would show their size.")]
        case .groups(let g) where g.rows.isEmpty:
            // Axes of nothing would be ticked for nothing, a legend for no cells.
            return [.none("No group matched, so there is no chart; the table's footer says what was counted.")]
        case .groups(let g):
            func notes(_ unit: String) -> [String] { r.footer.notes.compactMap { chartNote($0, unit: unit) } }
            if g.acrossName != nil { return [grid(g, r, ChartHeading(title: title, notes: notes(r.valueName)))] }
            if g.valueColumns.isEmpty {
                if r.valueIsDate { return [.none("The values are dates: the table lists them; there is no chart of dates.")] }
                return [series(r, g, r.valueName, column: 0, integer: r.valueIsInteger, percent: false, ChartHeading(title: title, notes: notes(r.valueName)))]
            }
            var out: [Chart] = []
            for (j, c) in g.valueColumns.enumerated() {
                if c.isDate { out.append(.none("'\(c.name)' holds dates: the table lists them; there is no chart of dates.")); continue }
                out.append(series(r, g, c.name, column: j, integer: c.isInteger, percent: c.isPercent,
                                  ChartHeading(title: c.name + " by " + g.keyNames.joined(separator: ", "), notes: notes(c.name))))
            }
            return out
        }
    }

    /// The footer notes a chart repeats: those that change what its bars
    /// mean. Groups overlap in one unit: said on that unit's chart only.
    static func chartNote(_ f: Fact, unit: String) -> String? {
        switch f {
        case .overlap(let u, _, _, _): return u == unit ? sentence(f.text) : nil
        case .top, .limit, .topRankedBy: return sentence(f.text)
        default: return nil
        }
    }

    static func sentence(_ s: String) -> String {
        guard let first = s.first else { return s }
        return first.uppercased() + s.dropFirst() + (s.hasSuffix(".") ? "" : ".")
    }

    static func cell(_ v: Double, integer: Bool, percent: Bool) -> String {
        (percent ? Grid.percent(v) : Grid.value(v, integer: integer)).shown
    }

    static func keyLabel(_ keys: [String?]) -> String {
        keys.map { $0 ?? Grid.Cell.missingText }.joined(separator: " · ")
    }

    /// One value column over the groups: a time axis, else bars.
    /// What cut the groups the table shows (`top 3`, `limit 5`), if anything did.
    static func leftOutBy(_ facts: [Fact]) -> String? {
        for f in facts {
            switch f {
            case .top(let n, let groups, _, _, let kept, _, let share, _, _, _) where kept < groups: return "top " + (share ?? NumberFormat.count(n))
            case .limit(let n, let groups, _) where n < groups: return "limit \(NumberFormat.count(n))"
            default: continue
            }
        }
        return nil
    }

    static func series(_ r: QueryResult, _ g: GroupedResult, _ unit: String, column j: Int, integer: Bool, percent: Bool, _ heading: ChartHeading) -> Chart {
        let values = g.rows.map { j < $0.values.count ? $0.values[j] : .nan }
        let texts = values.map { cell($0, integer: integer, percent: percent) }
        var heading = heading
        if g.keyNames.count == 1, let axis = TimeAxis(keyName: g.keyNames[0], labels: g.rows.map { $0.keys.first ?? nil }) {
            let missing = g.rows.indices.filter { (g.rows[$0].keys.first ?? nil) == nil }
            if !missing.isEmpty {
                // A time axis has no place for it: said above the chart, with its figure.
                let figures = missing.map { texts[$0] }.joined(separator: ", ")
                heading.notes.append("Not on the time axis: \(Grid.Cell.missingText) (no \(g.keyNames[0])), \(figures) \(unit); the table shows it.")
            }
            let cut = leftOutBy(r.footer.notes)
            if let cut, axis.rows.contains(where: { $0 == nil }) {
                heading.notes.append("A \(axis.bucket.rawValue) without a column had no group, or was left out by \(cut).")
            }
            return .time(TimeChart(heading: heading, keyName: g.keyNames[0], unit: unit, labels: axis.labels,
                                   values: axis.rows.map { $0.map { values[$0] } }, texts: axis.rows.map { $0.map { texts[$0] } }, leftOutBy: cut))
        }
        var labels = g.rows.map { keyLabel($0.keys) }
        var shownValues = values, shownTexts = texts
        if labels.count > maxBars {
            heading.notes.append("The chart shows the first \(maxBars) of \(NumberFormat.count(labels.count)) groups; the table shows all.")
            labels = Array(labels.prefix(maxBars)); shownValues = Array(values.prefix(maxBars)); shownTexts = Array(texts.prefix(maxBars))
        }
        return .bars(BarChart(heading: heading, keyName: g.keyNames.joined(separator: " · "), unit: unit + (percent ? " (%)" : ""),
                              labels: labels, values: shownValues, texts: shownTexts))
    }

    static func grid(_ g: GroupedResult, _ r: QueryResult, _ heading: ChartHeading) -> Chart {
        guard let across = g.acrossName else { return .none("") }
        if r.valueIsDate { return .none("The values are dates: the table lists them; there is no chart of dates.") }
        if g.acrossLabels.count > maxGridColumns {
            return .none("\(NumberFormat.count(g.acrossLabels.count)) columns are too many for a shaded grid (at most \(maxGridColumns)); the table shows them all.")
        }
        var heading = heading
        var rows = g.rows
        if rows.count > maxGridRows {
            heading.notes.append("The grid shows the first \(maxGridRows) of \(NumberFormat.count(rows.count)) rows; the table shows all.")
            rows = Array(rows.prefix(maxGridRows))
        }
        return .grid(HeatGrid(heading: heading, rowName: g.keyNames.joined(separator: " · "), columnName: across, unit: r.valueName,
                              rowLabels: rows.map { keyLabel($0.keys) }, columnLabels: g.acrossLabels,
                              values: rows.map { $0.values }, texts: rows.map { $0.values.map { cell($0, integer: r.valueIsInteger, percent: false) } }))
    }
}
