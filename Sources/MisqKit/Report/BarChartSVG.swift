/// Horizontal bars, one a group, in the table's order, from 0 (or from
/// the lowest value when some are negative) on a value axis with round
/// ticks and the unit as its label; each bar's value written at its end.
/// Every text is measured (`ChartStyle.textWidth`) and placed inside the
/// drawing; labels too long for the label column are cut, kept distinct,
/// with the whole label as a tooltip.
extension BarChart {
    /// The label column is at most this share of the drawing.
    static let maxLabelShare = 0.4

    func svg(id: String) -> String {
        let desc = "Horizontal bar chart of \(unit) by \(keyName), in the table's order: "
            + ChartFrame.list(zip(labels, texts).map { "\($0) \($1)" }) + "."
        let frame = ChartFrame(id: id, heading: heading, description: desc)
        let width = frame.width
        var body: [String] = []
        var top = frame.head(into: &body) + 16
        let finite = values.filter(\.isFinite)
        let integer = finite.allSatisfy { $0 == $0.rounded() }
        let scale = ChartStyle.scale(low: min(0, finite.min() ?? 0), high: max(finite.max() ?? 1, finite.allSatisfy { $0 <= 0 } ? 1 : 0), integer: integer)
        let tickTexts = scale.ticks.map { Grid.value($0, integer: integer || $0 == $0.rounded()).shown }
        let tickHalf = (tickTexts.map { ChartStyle.textWidth($0) }.max() ?? 0) / 2 + 2
        let widest = max(labels.map { ChartStyle.textWidth($0) }.max() ?? 0, ChartStyle.textWidth(keyName, bold: true))
        let labelArea = min(width * BarChart.maxLabelShare, widest)
        let left = max(labelArea + 12, tickHalf)
        let valueWidth = max(texts.map { ChartStyle.textWidth($0) }.max() ?? 0, ChartStyle.textWidth("no value"))
        let right = width - max(valueWidth + 8, tickHalf)
        let lo = scale.low, hi = scale.high
        func x(_ v: Double) -> Double { left + (v - lo) / (hi - lo) * (right - left) }
        let keyText = ChartStyle.cut(keyName, width: labelArea, bold: true)
        body.append(ChartFrame.text(keyText, x: left - 8, y: top - 6, anchor: "end", cls: "axis-label", full: keyName))
        top += 4
        let rowHeight = 24.0, barHeight = 16.0
        let bottom = top + Double(labels.count) * rowHeight
        for (t, text) in zip(scale.ticks, tickTexts) {
            body.append(ChartFrame.line(x(t), top - 4, x(t), bottom, cls: t == 0 ? "axis" : "grid"))
            body.append(ChartFrame.text(text, x: x(t), y: bottom + 16, anchor: "middle", cls: "tick"))
        }
        if lo < 0, !scale.ticks.contains(0) { body.append(ChartFrame.line(x(0), top - 4, x(0), bottom, cls: "axis")) }
        let shown = ChartStyle.cutDistinct(labels, width: labelArea)
        for (i, label) in labels.enumerated() {
            let y = top + Double(i) * rowHeight
            let mid = y + barHeight / 2 + 4
            body.append(ChartFrame.text(shown[i], x: left - 8, y: mid, anchor: "end", cls: "label", full: label))
            let v = values[i]
            guard v.isFinite else {
                body.append(ChartFrame.text("no value", x: x(0) + 4, y: mid, cls: "value"))
                continue
            }
            let x0 = x(min(0, v)), x1 = x(max(0, v))
            body.append(Markup.element("rect", [("class", "bar"), ("x", Markup.n(x0)), ("y", Markup.n(y)), ("width", Markup.n(max(x1 - x0, 0))),
                                                ("height", Markup.n(barHeight))],
                                       Markup.element("title", [], Markup.escape("\(label): \(texts[i]) \(unit)"))))
            body.append(ChartFrame.text(texts[i], x: x1 + 4, y: mid, cls: "value"))
        }
        let unitText = ChartStyle.cut(unit, width: right - left, bold: true)
        body.append(ChartFrame.text(unitText, x: (left + right) / 2, y: bottom + 36, anchor: "middle", cls: "axis-label", full: unit))
        return frame.svg(height: bottom + 44, body)
    }
}
