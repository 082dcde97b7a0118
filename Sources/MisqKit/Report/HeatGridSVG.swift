/// A crosstab as a shaded grid: one row a group, one column an `across`
/// value, each cell shaded by its value (lighter for less, darker for more,
/// in lightness alone, so greyscale keeps the order) with the value written
/// in it in black or white, whichever contrasts more; a legend gives the
/// scale and the unit.
///
/// Every column is drawn: cells are as wide as their figures need; column
/// labels that would not fit across their cells are turned upright; a grid
/// wider than `ChartStyle.width` makes a wider drawing (which the page
/// scales to fit) rather than losing columns past the edge.
extension HeatGrid {
    static let maxLabelArea = 260.0, maxColumnLabel = 150.0, maxCellWidth = 190.0

    func svg(id: String) -> String {
        let desc = "Shaded grid of \(unit) by \(rowName) (rows) and \(columnName) (columns), darker for more; each cell holds its value: "
            + ChartFrame.list(rowLabels.enumerated().map { i, r in
                r + ": " + zip(columnLabels, texts[i]).map { "\($0) \($1)" }.joined(separator: ", ")
            }, limit: 20) + "."
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let integer = finite.allSatisfy { $0 == $0.rounded() }
        let scale = ChartStyle.scale(low: min(0, finite.min() ?? 0), high: max(finite.max() ?? 1, finite.allSatisfy { $0 <= 0 } ? 1 : 0), integer: integer)
        let low = scale.low, high = scale.high
        let n = Double(max(columnLabels.count, 1))
        let written = zip(values.flatMap { $0 }, texts.flatMap { $0 }).map { $0.0.isFinite ? $0.1 : "no value" }
        let valueCell = max(40, (written.map { ChartStyle.textWidth($0) }.max() ?? 0) + 12)
        let columnLabelWidth = columnLabels.map { ChartStyle.textWidth($0) }.max() ?? 0
        let flatCell = max(valueCell, min(columnLabelWidth + 10, HeatGrid.maxCellWidth))
        // Labels up to 260px, or what a narrow grid leaves of the usual width (at most 60% of it).
        let labelRoom = max(HeatGrid.maxLabelArea, min(ChartStyle.width * 0.6, ChartStyle.width - flatCell * n - 16))
        let labelArea = min(labelRoom, max(rowLabels.map { ChartStyle.textWidth($0) }.max() ?? 0, ChartStyle.textWidth(rowName, bold: true)))
        let left = labelArea + 12
        // Across, when the columns fit the usual width so; else upright, and the cells only as wide as their figures.
        let upright = left + flatCell * n + 4 > ChartStyle.width && columnLabelWidth + 10 > valueCell
        let cellWidth = upright ? valueCell : flatCell
        var frame = ChartFrame(id: id, heading: heading, description: desc)
        frame.width = max(ChartStyle.width, left + cellWidth * n + 4)
        var body: [String] = []
        var top = frame.head(into: &body)
        let cellHeight = 26.0
        body.append(ChartFrame.text(ChartStyle.cut(columnName, width: frame.width - left, bold: true), x: left, y: top + 2, cls: "axis-label", full: columnName))
        top += 20
        if upright {
            let tall = min(HeatGrid.maxColumnLabel, columnLabelWidth)
            top += tall - 12
            let shown = ChartStyle.cutDistinct(columnLabels, width: tall)
            for (j, c) in columnLabels.enumerated() {
                body.append(ChartFrame.text(shown[j], x: left + cellWidth * (Double(j) + 0.5) + 4, y: top, anchor: "start", cls: "tick", rotate: true, full: c))
            }
        } else {
            let shown = ChartStyle.cutDistinct(columnLabels, width: cellWidth - 6)
            for (j, c) in columnLabels.enumerated() {
                body.append(ChartFrame.text(shown[j], x: left + cellWidth * (Double(j) + 0.5), y: top, anchor: "middle", cls: "tick", full: c))
            }
        }
        body.append(ChartFrame.text(ChartStyle.cut(rowName, width: labelArea, bold: true), x: left - 8, y: top, anchor: "end", cls: "axis-label", full: rowName))
        top += 8
        let shownRows = ChartStyle.cutDistinct(rowLabels, width: labelArea)
        for (i, r) in rowLabels.enumerated() {
            let y = top + Double(i) * cellHeight
            body.append(ChartFrame.text(shownRows[i], x: left - 8, y: y + cellHeight / 2 + 4, anchor: "end", cls: "label", full: r))
            for (j, c) in columnLabels.enumerated() where j < values[i].count {
                let v = values[i][j]
                let fill = v.isFinite ? ChartStyle.shade((v - low) / (high - low)) : ChartStyle.white
                let x = left + cellWidth * Double(j)
                body.append(Markup.element("rect", [("class", "cell"), ("x", Markup.n(x)), ("y", Markup.n(y)), ("width", Markup.n(cellWidth)),
                                                    ("height", Markup.n(cellHeight)), ("fill", fill.hex)],
                                           Markup.element("title", [], Markup.escape("\(r), \(c): \(texts[i][j]) \(unit)"))))
                // A class, not a fill attribute: the page's stylesheet would win over an attribute.
                let onDark = ChartStyle.textColour(on: fill) == ChartStyle.white
                body.append(ChartFrame.text(v.isFinite ? texts[i][j] : "no value", x: x + cellWidth / 2, y: y + cellHeight / 2 + 4, anchor: "middle",
                                            cls: onDark ? "cell-value on-dark" : "cell-value"))
            }
        }
        // The legend: the shades of the scale's round values, which run to
        // at least the highest (the darkest shade is the scale's top), with
        // the unit; a swatch and its figure each, wrapped to the width.
        var y = top + Double(rowLabels.count) * cellHeight + 22
        let title = ChartStyle.cut(unit + ":", width: frame.width, bold: true)
        body.append(ChartFrame.text(title, x: 0, y: y + 12, cls: "axis-label", full: unit + ":"))
        var x = ChartStyle.textWidth(title, bold: true) + 12
        for v in scale.ticks where v >= low && v <= high {
            let text = Grid.value(v, integer: integer || v == v.rounded()).shown
            let step = 20 + ChartStyle.textWidth(text) + 16
            if x + step > frame.width { y += 24; x = 0 }
            body.append(Markup.empty("rect", [("class", "swatch"), ("x", Markup.n(x)), ("y", Markup.n(y)), ("width", "16"), ("height", "16"),
                                              ("fill", ChartStyle.shade((v - low) / (high - low)).hex)]))
            body.append(ChartFrame.text(text, x: x + 20, y: y + 12, cls: "tick"))
            x += step
        }
        y += 30
        return frame.svg(height: y, body)
    }
}
