import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import MisqKit
@testable import MisqCLI

/// The geometry of `misq report`'s charts, on results shaped to break it
/// (`Golden/report/layout/layout.misq` and its made-up CSVs): every mark and
/// every label inside its drawing's viewBox (text measured with the
/// conservative per-character estimate the layout uses; Chromium measures
/// the real boxes in `.ci/report_browser.py`), every column and group the
/// table has drawn, cut labels distinct and whole in a tooltip, axes and
/// legends scaled to the data, and no chart for an empty result.
final class ReportLayoutTests: XCTestCase {
    static let folder = ReportTests.golden.appendingPathComponent("layout")

    static func answers() throws -> [Answer] {
        let (html, code) = try ReportTests.report(folder.appendingPathComponent("layout.misq").path, command: "misq report layout.misq")
        XCTAssertEqual(code, 0)
        try ReportTests.checkStructure(html, name: "layout")
        let reader = Reader()
        let p = XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>\n", with: "").utf8))
        p.delegate = reader
        XCTAssertTrue(p.parse(), String(describing: p.parserError))
        return reader.answers
    }

    func testEveryMarkInsideItsDrawing() throws {
        let answers = try Self.answers()
        XCTAssertEqual(answers.count, 12)
        var drawn = 0
        for a in answers {
            for c in a.charts {
                drawn += 1
                XCTAssertEqual(c.outside(), [], "\(a.title): drawn outside the viewBox 0 0 \(c.width) \(c.height)")
            }
        }
        XCTAssertEqual(drawn, 9)
        // The cold tester's figures as well, where they are at hand, are
        // covered by the browser check; here, the shipped queries.
        for f in try FileManager.default.contentsOfDirectory(atPath: ReportTests.root.appendingPathComponent("queries").path).filter({ $0.hasSuffix(".misq") }) {
            let (html, _) = try ReportTests.report(ReportTests.root.appendingPathComponent("queries/" + f).path, command: "misq report queries/\(f)")
            let reader = Reader()
            let p = XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>\n", with: "").utf8))
            p.delegate = reader
            XCTAssertTrue(p.parse())
            for a in reader.answers { for c in a.charts { XCTAssertEqual(c.outside(), [], "\(f): \(a.title)") } }
        }
    }

    /// A grid draws a cell for every row and column of its table (24
    /// months; 15 named columns), and a column label for each, whole or
    /// with the whole as its tooltip.
    func testGridDrawsEveryColumn() throws {
        let answers = try Self.answers()
        for (title, columns) in [("24 months across: every column drawn", 24), ("15 named columns across", 15)] {
            let a = try XCTUnwrap(answers.first { $0.title == title })
            let chart = try XCTUnwrap(a.charts.first)
            XCTAssertEqual(a.header.count - 1, columns, title)
            XCTAssertEqual(chart.count("cell"), a.rows * columns, title)
            let labels = chart.texts.filter { $0.cls == "tick" && $0.afterCells == false }.map { $0.full ?? $0.text }
            XCTAssertEqual(Array(labels.prefix(columns)), Array(a.header.dropFirst()), title)
        }
    }

    /// Labels that differ only at their ends stay distinct when cut, and
    /// each cut one has the whole label as its tooltip.
    func testCutLabelsStayDistinct() throws {
        let a = try XCTUnwrap(try Self.answers().first { $0.title == "Long row labels that differ only at their ends" })
        let labels = try XCTUnwrap(a.charts.first).texts.filter { $0.cls == "label" }
        XCTAssertEqual(labels.count, 4)
        // Distinct to the eye: spaces do not count (`with …` and `with…` read the same).
        XCTAssertEqual(Set(labels.map { $0.text.filter { !$0.isWhitespace } }).count, 4, "\(labels.map(\.text))")
        let cut = labels.filter { $0.full != nil }
        XCTAssertEqual(cut.count, 2)
        XCTAssertEqual(Set(cut.compactMap(\.full)), ["Gross misconduct hearing outcome: dismissal of the officer with notice",
                                                      "Gross misconduct hearing outcome: dismissal of the officer without notice"])
        // The end cut alone made them the same; the middle cut keeps both ends.
        XCTAssertEqual(Set(cut.map { ChartStyle.cut($0.full ?? "", width: 200) }).count, 1)
        // queries/01.FOI.23.030744.misq's last grid had these two as `Misconduct hearing · Dismissal with…`.
        let pair = ["Misconduct hearing · Dismissal with notice", "Misconduct hearing · Dismissal without notice"]
        let twoCut = ChartStyle.cutDistinct(pair, width: ChartStyle.textWidth("Misconduct hearing · Dismissal with…"))
        XCTAssertEqual(Set(twoCut.map { $0.filter { !$0.isWhitespace } }).count, 2, "\(twoCut)")
        XCTAssertTrue(twoCut.allSatisfy { ChartStyle.textWidth($0) <= ChartStyle.textWidth("Misconduct hearing · Dismissal with…") }, "\(twoCut)")
        // Two keys' title is drawn whole (it was cut at the chart's left edge).
        let keys = try XCTUnwrap(try Self.answers().first { $0.title == "Two keys: the key title is wide" }?.charts.first)
        XCTAssertTrue(keys.texts.contains { $0.cls == "axis-label" && $0.text == "restricted · suspended" && $0.full == nil })
    }

    /// `top 3` on a year: the years it left out are not called gaps.
    func testTopOnATimeKeyIsNotAGap() throws {
        let a = try XCTUnwrap(try Self.answers().first { $0.title == "A year cut by top" })
        let chart = try XCTUnwrap(a.charts.first)
        XCTAssertEqual(chart.count("bar"), 3)
        XCTAssertFalse(chart.desc.contains("No group for"), chart.desc)
        // events.csv: 2019 has 10 rows, 2020 3, 2021 4, 2022-23 many: top 3 keeps 2019, 2022, 2023.
        XCTAssertTrue(chart.desc.contains("Not drawn (no group, or left out by top 3): 2020; 2021."), chart.desc)
        XCTAssertTrue(chart.texts.contains { $0.cls == "chart-note" && $0.text.contains("left out by top 3") })
    }

    /// A group with no year is named above the time chart and in its text
    /// alternative, with its figure (54 rows of events.csv have no
    /// `finalised`: counted here from the file).
    func testMissingTimeKeyIsSaid() throws {
        let csv = try String(contentsOf: Self.folder.appendingPathComponent("events.csv"), encoding: .utf8)
        let noFinalised = csv.split(separator: "\n").dropFirst().filter { $0.hasSuffix(",") }.count
        XCTAssertEqual(noFinalised, 54)
        let a = try XCTUnwrap(try Self.answers().first { $0.title == "A year with no value in some rows" })
        let chart = try XCTUnwrap(a.charts.first)
        let said = "Not on the time axis: (missing) (no year(finalised)), \(noFinalised) events; the table shows it."
        XCTAssertTrue(chart.desc.contains(said), chart.desc)
        XCTAssertTrue(chart.texts.contains { $0.cls == "chart-note" && $0.text == said })
    }

    /// A −5 beside 10¹² starts the axis at −5, not at a step of −2·10¹¹;
    /// counts have whole ticks; a legend reaches the largest value.
    func testScalesFollowTheData() throws {
        let s = ChartStyle.scale(low: -5, high: 1e12)
        XCTAssertEqual(s.low, -5)
        XCTAssertEqual(s.ticks.first, 0)
        XCTAssertEqual(ChartStyle.scale(low: 0, high: 1, integer: true).ticks, [0, 1])
        XCTAssertEqual(ChartStyle.scale(low: -30, high: 45).ticks, [-40, -20, 0, 20, 40, 60])
        let answers = try Self.answers()
        let sums = try XCTUnwrap(answers.first { $0.title == "Negatives beside a huge value" }?.charts.first)
        XCTAssertFalse(sums.texts.contains { $0.cls == "tick" && $0.text.hasPrefix("-") }, "\(sums.texts.filter { $0.cls == "tick" }.map(\.text))")
        let counts = try XCTUnwrap(answers.first { $0.title == "24 months across: every column drawn" }?.charts.first)
        XCTAssertFalse(counts.legend.isEmpty)
        XCTAssertTrue(counts.legend.allSatisfy { !$0.contains(".") }, "\(counts.legend)")
        let avg = try XCTUnwrap(answers.first { $0.title == "Averages across: the legend runs past the largest" }?.charts.first)
        XCTAssertEqual(avg.legend.last, "50", "scores.csv's largest average is 49.25: \(avg.legend)")
    }

    /// No chart of nothing: a line says no group matched.
    func testEmptyResultHasNoChart() throws {
        let empty = try Self.answers().filter { $0.title.hasPrefix("Nothing matches") }
        XCTAssertEqual(empty.count, 3)
        for a in empty {
            XCTAssertEqual(a.charts.count, 0, a.title)
            XCTAssertEqual(a.rows, 0, a.title)
            XCTAssertTrue(a.noChart.hasPrefix("No group matched"), a.noChart)
        }
    }

    // MARK: reading the report

    struct Text { var text: String, full: String?, cls: String, x: Double, y: Double, anchor: String, rotated: Bool, afterCells: Bool }
    struct Box { var kind: String, cls: String, x0: Double, y0: Double, x1: Double, y1: Double }

    struct Chart {
        var width = 0.0, height = 0.0, desc = ""
        var boxes: [Box] = []
        var texts: [Text] = []
        /// The legend's figures, in order (the text after each swatch).
        var legend: [String] = []

        func count(_ cls: String) -> Int { boxes.filter { $0.cls == cls }.count }

        /// Each mark or text that leaves the drawing (half a pixel of slack).
        func outside() -> [String] {
            var out: [String] = []
            func check(_ what: String, _ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) {
                if x0 < -0.5 || y0 < -0.5 || x1 > width + 0.5 || y1 > height + 0.5 {
                    out.append("\(what) [\(Markup.n(x0)), \(Markup.n(y0)) – \(Markup.n(x1)), \(Markup.n(y1))]")
                }
            }
            for b in boxes { check("\(b.kind).\(b.cls)", b.x0, b.y0, b.x1, b.y1) }
            for t in texts {
                let size = t.cls == "chart-title" ? ChartStyle.titleFont : ChartStyle.font
                let w = ChartStyle.textWidth(t.text, size: size, bold: t.cls == "chart-title" || t.cls == "axis-label")
                let (a, b): (Double, Double) = t.anchor == "middle" ? (-w / 2, w / 2) : t.anchor == "end" ? (-w, 0) : (0, w)
                if t.rotated {
                    check("text '\(t.text)'", t.x - size * 0.8, t.y - b, t.x + size * 0.25, t.y - a)
                } else {
                    check("text '\(t.text)'", t.x + a, t.y - size * 0.8, t.x + b, t.y + size * 0.25)
                }
            }
            return out
        }
    }

    struct Answer {
        var title = "", noChart = ""
        var charts: [Chart] = []
        var header: [String] = []
        var rows = 0
    }

    final class Reader: NSObject, XMLParserDelegate {
        var answers: [Answer] = []
        private var stack: [String] = []
        private var text = "", tip: String?, textAttrs: [String: String] = [:], inText = false
        private var afterSwatch = false, cells = false, noChart = false
        private var where_ = ""

        func parser(_ parser: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes a: [String: String] = [:]) {
            stack.append(e)
            let cls = a["class"] ?? ""
            func d(_ k: String) -> Double { Double(a[k] ?? "0") ?? 0 }
            switch e {
            case "section" where cls == "answer": answers.append(Answer())
            case "svg":
                let box = (a["viewBox"] ?? "").split(separator: " ").compactMap { Double($0) }
                var c = Chart()
                if box.count == 4 { c.width = box[2]; c.height = box[3] }
                answers[answers.count - 1].charts.append(c)
                cells = false
            case "rect", "line", "circle":
                let b: Box
                switch e {
                case "rect": b = Box(kind: e, cls: cls, x0: d("x"), y0: d("y"), x1: d("x") + d("width"), y1: d("y") + d("height"))
                case "line": b = Box(kind: e, cls: cls, x0: min(d("x1"), d("x2")), y0: min(d("y1"), d("y2")), x1: max(d("x1"), d("x2")), y1: max(d("y1"), d("y2")))
                default: b = Box(kind: e, cls: cls, x0: d("cx") - d("r"), y0: d("cy") - d("r"), x1: d("cx") + d("r"), y1: d("cy") + d("r"))
                }
                chart { $0.boxes.append(b) }
                if cls == "cell" { cells = true }
                afterSwatch = cls == "swatch"
            case "text":
                inText = true; text = ""; tip = nil; textAttrs = a
            case "title" where inText: tip = ""
            case "thead", "tbody", "tfoot": where_ = e
            case "th" where where_ == "thead": answers[answers.count - 1].header.append("")
            case "p": noChart = cls == "no-chart"
            case "tr" where where_ == "tbody": answers[answers.count - 1].rows += 1
            default: break
            }
        }

        private func chart(_ f: (inout Chart) -> Void) {
            guard !answers.isEmpty, !answers[answers.count - 1].charts.isEmpty else { return }
            f(&answers[answers.count - 1].charts[answers[answers.count - 1].charts.count - 1])
        }

        func parser(_ parser: XMLParser, foundCharacters s: String) {
            guard !answers.isEmpty else { return }
            let top = stack.last ?? ""
            if inText { if top == "title" { tip? += s } else { text += s }; return }
            switch top {
            case "h2": answers[answers.count - 1].title += s
            case "p" where noChart: answers[answers.count - 1].noChart += s
            case "desc": chart { $0.desc += s }
            case "th" where where_ == "thead": answers[answers.count - 1].header[answers[answers.count - 1].header.count - 1] += s
            default: break
            }
        }

        func parser(_ parser: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
            if e == "text", inText {
                inText = false
                let a = textAttrs
                let t = Text(text: text, full: tip, cls: a["class"] ?? "", x: Double(a["x"] ?? "0") ?? 0, y: Double(a["y"] ?? "0") ?? 0,
                             anchor: a["text-anchor"] ?? "start", rotated: a["transform"]?.hasPrefix("rotate(-90") == true, afterCells: cells)
                let legend = afterSwatch
                chart { $0.texts.append(t); if legend { $0.legend.append(t.text) } }
                afterSwatch = false
            }
        }
    }
}
