/// `misq report --vega DIR`: each chart also as a Vega-Lite v5 spec, so a
/// user can restyle it in the Vega editor or their own tools. The spec
/// holds the same figures, order, titles and notes as the SVG misq drew;
/// its data is inline, so a spec stands alone.
public enum VegaLite {
    /// Each drawn chart's spec, named as the report's `<svg>` ids are
    /// (`chart3.vl.json` is the chart `chart3`), in document order.
    public static func specs(_ doc: ReportDocument) -> [(name: String, json: String)] {
        var out: [(String, String)] = []
        var n = 0
        for a in doc.answers {
            for chart in ChartChoice.charts(for: a) {
                guard let json = spec(chart) else { continue }
                n += 1
                out.append(("chart\(n).vl.json", json))
            }
        }
        return out
    }

    static let schema = "https://vega.github.io/schema/vega-lite/v5.json"

    /// The spec of a chart, or nil for one that is not drawn (a figure, none).
    static func spec(_ chart: Chart) -> String? {
        switch chart {
        case .bars(let c):
            let rows = zip(c.labels, c.values).map { l, v in "{\"\(key)\": \(q(l)), \"value\": \(num(v))}" }
            return document(c.heading, rows, """
              "mark": "bar",
              "encoding": {
                "y": {"field": "\(key)", "type": "nominal", "title": \(q(c.keyName)), "sort": null},
                "x": {"field": "value", "type": "quantitative", "title": \(q(c.unit))},
                "tooltip": [{"field": "\(key)", "type": "nominal", "title": \(q(c.keyName))}, {"field": "value", "type": "quantitative", "title": \(q(c.unit))}]
              }
            """)
        case .time(let c):
            // A gap is a row with a null value: the axis keeps its label
            // (the domain lists every period), and no bar or point is drawn.
            let rows = zip(c.labels, c.values).map { l, v in "{\"\(key)\": \(q(l)), \"value\": \(v.map(num) ?? "null")}" }
            let mark = c.asLine ? "{\"type\": \"line\", \"point\": true}" : "\"bar\""
            return document(c.heading, rows, """
              "mark": \(mark),
              "encoding": {
                "x": {"field": "\(key)", "type": "ordinal", "title": \(q(c.keyName)), "scale": {"domain": [\(c.labels.map(q).joined(separator: ", "))]}},
                "y": {"field": "value", "type": "quantitative", "title": \(q(c.unit))}
              }
            """)
        case .grid(let c):
            var rows: [String] = []
            for (i, r) in c.rowLabels.enumerated() {
                for (j, col) in c.columnLabels.enumerated() where j < c.values[i].count {
                    rows.append("{\"\(key)\": \(q(r)), \"\(across)\": \(q(col)), \"value\": \(num(c.values[i][j])), \"text\": \(q(c.texts[i][j]))}")
                }
            }
            let axes = """
                "x": {"field": "\(across)", "type": "nominal", "title": \(q(c.columnName)), "sort": null, "axis": {"orient": "top"}},
                "y": {"field": "\(key)", "type": "nominal", "title": \(q(c.rowName)), "sort": null}
            """
            return document(c.heading, rows, """
              "encoding": {
            \(axes)
              },
              "layer": [
                {"mark": "rect", "encoding": {"color": {"field": "value", "type": "quantitative", "title": \(q(c.unit)), "scale": {"scheme": "blues"}}}},
                {"mark": "text", "encoding": {"text": {"field": "text", "type": "nominal"},
                  "color": {"condition": {"test": "datum.value > \(num(((c.values.flatMap { $0 }.filter(\.isFinite).max() ?? 0)) / 2))", "value": "white"}, "value": "black"}}}
              ]
            """)
        case .number, .none:
            return nil
        }
    }

    static let key = "key", across = "across"

    static func document(_ h: ChartHeading, _ rows: [String], _ body: String) -> String {
        let title = h.notes.isEmpty ? q(h.title) : "{\"text\": \(q(h.title)), \"subtitle\": [\(h.notes.map(q).joined(separator: ", "))]}"
        return """
        {
          "$schema": \(q(schema)),
          "title": \(title),
          "data": {"values": [
            \(rows.joined(separator: ",\n    "))
          ]},
        \(body)
        }

        """
    }

    static func q(_ s: String) -> String { JSONOutput.quote(s) }
    /// A figure as JSON has it; no value is null.
    static func num(_ v: Double) -> String { Renderer.rawNumber(v) ?? "null" }
}
