/// The frame every SVG chart shares: `role="img"` named by its `<title>`
/// and described by its `<desc>` (the text alternative: what a screen
/// reader says, and what shows where SVG does not), a visible title, and
/// the notes that change how it reads.
struct ChartFrame {
    let id: String
    let heading: ChartHeading
    let description: String

    /// The drawing's width: `ChartStyle.width`, or more for a grid of many columns.
    var width: Double = ChartStyle.width

    /// The heading's lines, drawn from the top; returns the y below them.
    func head(into body: inout [String]) -> Double {
        var y = 0.0
        for line in ChartStyle.wrap(heading.title, width: width, size: ChartStyle.titleFont, bold: true).prefix(3) {
            y += 18
            body.append(Markup.element("text", [("x", "0"), ("y", Markup.n(y)), ("class", "chart-title")], Markup.escape(line)))
        }
        for note in heading.notes {
            for line in ChartStyle.wrap(note, width: width) {
                y += 16
                body.append(Markup.element("text", [("x", "0"), ("y", Markup.n(y)), ("class", "chart-note")], Markup.escape(line)))
            }
        }
        return y + 14
    }

    /// The drawing; its description is followed by the heading's notes, so
    /// a screen reader hears what the eye reads above the chart.
    func svg(height: Double, _ body: [String]) -> String {
        let w = Markup.n(width), h = Markup.n(height)
        return Markup.element("svg", [("class", "chart"), ("role", "img"), ("aria-labelledby", "\(id)-title \(id)-desc"),
                                      ("viewBox", "0 0 \(w) \(h)"), ("width", w), ("height", h)],
                              "\n" + Markup.element("title", [("id", "\(id)-title")], Markup.escape(heading.title)) + "\n"
                              + Markup.element("desc", [("id", "\(id)-desc")], Markup.escape(([description] + heading.notes).joined(separator: " "))) + "\n"
                              + body.joined(separator: "\n") + "\n")
    }

    /// A text; `full`, when the text is a cut of it, is its tooltip.
    static func text(_ s: String, x: Double, y: Double, anchor: String? = nil, cls: String? = nil, fill: String? = nil, rotate: Bool = false,
                     full: String? = nil) -> String {
        var a: [(String, String)] = [("x", Markup.n(x)), ("y", Markup.n(y))]
        if let anchor { a.append(("text-anchor", anchor)) }
        if let cls { a.append(("class", cls)) }
        if let fill { a.append(("fill", fill)) }
        if rotate { a.append(("transform", "rotate(-90 \(Markup.n(x)) \(Markup.n(y)))")) }
        let tip = full.flatMap { $0 == s ? nil : Markup.element("title", [], Markup.escape($0)) } ?? ""
        return Markup.element("text", a, tip + Markup.escape(s))
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, cls: String) -> String {
        Markup.empty("line", [("x1", Markup.n(x1)), ("y1", Markup.n(y1)), ("x2", Markup.n(x2)), ("y2", Markup.n(y2)), ("class", cls)])
    }

    /// A list for a text alternative: at most `limit` items, then how many more.
    static func list(_ items: [String], limit: Int = 40) -> String {
        let shown = items.prefix(limit).joined(separator: "; ")
        return items.count > limit ? shown + "; and \(items.count - limit) more (see the table)" : shown
    }
}
