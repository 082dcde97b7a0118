/// A time key in time order: columns, or a line when there are more than
/// 40 buckets. A bucket with no group is a gap — no column, a break in the
/// line — with its label kept on the axis, so a missing year reads as one.
/// When `top` or `limit` cut the groups, a bucket without a column may
/// have had one, so the chart says that instead (`leftOutBy`).
extension TimeChart {
    func svg(id: String) -> String {
        let gaps = zip(labels, values).filter { $0.1 == nil }.map(\.0)
        var desc = "\(asLine ? "Line" : "Vertical bar") chart of \(unit) by \(keyName), in time order from \(labels.first ?? "") to \(labels.last ?? ""): "
            + ChartFrame.list(zip(labels, texts).compactMap { l, t in t.map { "\(l) \($0)" } }) + "."
        if !gaps.isEmpty {
            if let cut = leftOutBy {
                desc += " Not drawn (no group, or left out by \(cut)): " + ChartFrame.list(gaps) + "."
            } else {
                desc += " No group for " + ChartFrame.list(gaps) + ": shown as \(gaps.count == 1 ? "a gap" : "gaps")."
            }
        }
        let frame = ChartFrame(id: id, heading: heading, description: desc)
        let width = frame.width
        var body: [String] = []
        let top = frame.head(into: &body) + 10
        let finite = values.compactMap { $0 }.filter(\.isFinite)
        let integer = finite.allSatisfy { $0 == $0.rounded() }
        let scale = ChartStyle.scale(low: min(0, finite.min() ?? 0), high: max(finite.max() ?? 1, finite.allSatisfy { $0 <= 0 } ? 1 : 0), integer: integer)
        let lo = scale.low, hi = scale.high
        let tickTexts = scale.ticks.map { Grid.value($0, integer: integer || $0 == $0.rounded()).shown }
        let plotHeight = 220.0, bottom = top + plotHeight
        // The unit, turned, left of the ticks; the ticks right-aligned to the plot.
        let left = 22 + (tickTexts.map { ChartStyle.textWidth($0) }.max() ?? 0) + 8
        let labelWidth = (labels.map { ChartStyle.textWidth($0) }.max() ?? 30) + 8
        let right = width - max(12, labelWidth / 2)
        func y(_ v: Double) -> Double { bottom - (v - lo) / (hi - lo) * plotHeight }
        let band = (right - left) / Double(max(labels.count, 1))
        func cx(_ i: Int) -> Double { left + band * (Double(i) + 0.5) }
        for (t, text) in zip(scale.ticks, tickTexts) {
            body.append(ChartFrame.line(left, y(t), right, y(t), cls: t == 0 ? "axis" : "grid"))
            body.append(ChartFrame.text(text, x: left - 6, y: y(t) + 4, anchor: "end", cls: "tick"))
        }
        if lo < 0, !scale.ticks.contains(0) { body.append(ChartFrame.line(left, y(0), right, y(0), cls: "axis")) }
        // Labels thinned to fit: every kth, always the first.
        let every = max(1, Int((labelWidth / band).rounded(.up)))
        for (i, l) in labels.enumerated() where i % every == 0 {
            body.append(ChartFrame.text(l, x: cx(i), y: bottom + 16, anchor: "middle", cls: values[i] == nil ? "tick gap" : "tick"))
        }
        if asLine {
            var path = "", pen = false
            for (i, v) in values.enumerated() {
                guard let v, v.isFinite else { pen = false; continue }
                path += (pen ? " L" : (path.isEmpty ? "M" : " M")) + "\(Markup.n(cx(i))) \(Markup.n(y(v)))"
                pen = true
            }
            body.append(Markup.empty("path", [("class", "line"), ("d", path)]))
            for (i, v) in values.enumerated() {
                guard let v, v.isFinite, let t = texts[i] else { continue }
                body.append(Markup.element("circle", [("class", "point"), ("cx", Markup.n(cx(i))), ("cy", Markup.n(y(v))), ("r", "2.5")],
                                           Markup.element("title", [], Markup.escape("\(labels[i]): \(t) \(unit)"))))
            }
        } else {
            let width = band * 0.7
            // Each column's figure above it, where the figures fit their columns.
            let figures = labels.count <= 16 && (texts.compactMap { $0 }.map { ChartStyle.textWidth($0) }.max() ?? 0) <= band - 2
            for (i, v) in values.enumerated() {
                guard let v, let t = texts[i] else { continue }
                guard v.isFinite else {
                    body.append(ChartFrame.text("no value", x: cx(i), y: y(0) - 4, anchor: "middle", cls: "value"))
                    continue
                }
                let y0 = y(max(0, v)), y1 = y(min(0, v))
                body.append(Markup.element("rect", [("class", "bar"), ("x", Markup.n(cx(i) - width / 2)), ("y", Markup.n(y0)),
                                                    ("width", Markup.n(width)), ("height", Markup.n(max(y1 - y0, 0)))],
                                           Markup.element("title", [], Markup.escape("\(labels[i]): \(t) \(unit)"))))
                if figures { body.append(ChartFrame.text(t, x: cx(i), y: y0 - 4, anchor: "middle", cls: "value")) }
            }
        }
        body.append(ChartFrame.text(ChartStyle.cut(keyName, width: right - left, bold: true), x: (left + right) / 2, y: bottom + 36, anchor: "middle",
                                    cls: "axis-label", full: keyName))
        body.append(ChartFrame.text(ChartStyle.cut(unit, width: plotHeight, bold: true), x: 14, y: top + plotHeight / 2, anchor: "middle",
                                    cls: "axis-label", rotate: true, full: unit))
        return frame.svg(height: bottom + 44, body)
    }
}
