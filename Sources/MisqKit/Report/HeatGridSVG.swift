/// A crosstab as a shaded grid: one row a group, one column an `across`
/// value, each cell shaded by its value (lighter for less, darker for more,
/// in lightness alone, so greyscale keeps the order) with the value written
/// in it in black or white, whichever contrasts more; a legend gives the
/// scale and the unit.
extension HeatGrid {
    func svg(id: String) -> String {
        let desc = "Shaded grid of \(unit) by \(rowName) (rows) and \(columnName) (columns), darker for more; each cell holds its value: "
            + ChartFrame.list(rowLabels.enumerated().map { i, r in
                r + ": " + zip(columnLabels, texts[i]).map { "\($0) \($1)" }.joined(separator: ", ")
            }, limit: 20) + "."
        let frame = ChartFrame(id: id, heading: heading, description: desc)
        var body: [String] = []
        var top = frame.head(into: &body)
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let high = max(finite.max() ?? 1, 1e-9), low = min(0, finite.min() ?? 0)
        let labelChars = min(36, rowLabels.map(\.count).max() ?? 1)
        let left = Double(labelChars) * ChartStyle.charWidth + 12
        let available = ChartStyle.width - left - 4
        let columnChars = columnLabels.map(\.count).max() ?? 4
        let cellWidth = min(190, max(56, min(available / Double(max(columnLabels.count, 1)), Double(columnChars) * ChartStyle.charWidth + 12)))
        let fitChars = Int((cellWidth - 6) / ChartStyle.charWidth)
        let cellHeight = 26.0
        body.append(ChartFrame.text(columnName, x: left, y: top + 2, cls: "axis-label"))
        top += 20
        for (j, c) in columnLabels.enumerated() {
            body.append(ChartFrame.text(ChartStyle.cut(c, fitChars), x: left + cellWidth * (Double(j) + 0.5), y: top, anchor: "middle", cls: "tick"))
        }
        body.append(ChartFrame.text(rowName, x: left - 8, y: top, anchor: "end", cls: "axis-label"))
        top += 8
        for (i, r) in rowLabels.enumerated() {
            let y = top + Double(i) * cellHeight
            body.append(ChartFrame.text(ChartStyle.cut(r, labelChars), x: left - 8, y: y + cellHeight / 2 + 4, anchor: "end", cls: "label"))
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
        // The legend: the shades of round values up to the highest, with the unit.
        var y = top + Double(rowLabels.count) * cellHeight + 22
        body.append(ChartFrame.text(unit + ":", x: left, y: y + 12, cls: "axis-label"))
        let unitWidth = ChartStyle.textWidth(unit + ":") + 10
        var marks = ChartStyle.ticks(low: low, high: high).filter { $0 < high }
        marks.append(high)
        for (k, v) in marks.enumerated() {
            let t = (v - low) / (high - low)
            let x = left + unitWidth + Double(k) * 70
            body.append(Markup.empty("rect", [("class", "swatch"), ("x", Markup.n(x)), ("y", Markup.n(y)), ("width", "16"), ("height", "16"),
                                              ("fill", ChartStyle.shade(t).hex)]))
            body.append(ChartFrame.text(Grid.value(v, integer: v == v.rounded()).shown, x: x + 20, y: y + 12, cls: "tick"))
        }
        y += 30
        return frame.svg(height: y, body)
    }
}
