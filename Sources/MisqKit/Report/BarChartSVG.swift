/// Horizontal bars, one a group, in the table's order, from 0 (or from
/// the lowest value when some are negative) on a value axis with round
/// ticks and the unit as its label; each bar's value written at its end.
extension BarChart {
    func svg(id: String) -> String {
        let desc = "Horizontal bar chart of \(unit) by \(keyName), in the table's order: "
            + ChartFrame.list(zip(labels, texts).map { "\($0) \($1)" }) + "."
        let frame = ChartFrame(id: id, heading: heading, description: desc)
        var body: [String] = []
        var top = frame.head(into: &body) + 16
        let labelChars = min(40, labels.map(\.count).max() ?? 1)
        let left = Double(labelChars) * ChartStyle.charWidth + 12
        let right = ChartStyle.width - Double(texts.map(\.count).max() ?? 1) * ChartStyle.charWidth - 12
        let finite = values.filter(\.isFinite)
        let ticks = ChartStyle.ticks(low: min(0, finite.min() ?? 0), high: max(finite.max() ?? 1, finite.allSatisfy { $0 <= 0 } ? 1 : 0))
        let lo = ticks.first ?? 0, hi = max(ticks.last ?? 1, lo + 1)
        func x(_ v: Double) -> Double { left + (v - lo) / (hi - lo) * (right - left) }
        body.append(ChartFrame.text(keyName, x: left - 8, y: top - 6, anchor: "end", cls: "axis-label"))
        top += 4
        let rowHeight = 24.0, barHeight = 16.0
        let bottom = top + Double(labels.count) * rowHeight
        for t in ticks {
            body.append(ChartFrame.line(x(t), top - 4, x(t), bottom, cls: t == 0 ? "axis" : "grid"))
            body.append(ChartFrame.text(Grid.value(t, integer: t == t.rounded()).shown, x: x(t), y: bottom + 16, anchor: "middle", cls: "tick"))
        }
        for (i, label) in labels.enumerated() {
            let y = top + Double(i) * rowHeight
            let mid = y + barHeight / 2 + 4
            body.append(ChartFrame.text(ChartStyle.cut(label, labelChars), x: left - 8, y: mid, anchor: "end", cls: "label"))
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
        body.append(ChartFrame.text(unit, x: (left + right) / 2, y: bottom + 36, anchor: "middle", cls: "axis-label"))
        return frame.svg(height: bottom + 44, body)
    }
}
