import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import MisqKit
@testable import MisqCLI

/// `misq report` (issue 21): the HTML of a corpus of every result shape is
/// a golden snapshot (`Golden/report/corpus.html`, re-recorded with
/// MISQ_RECORD=1 — read the diff); the structure of it and of the report
/// of every file in queries/ is checked: it parses as XML, every table
/// has a caption and scoped headers, every chart a title and a text
/// alternative, and nothing points outside the file.
final class ReportTests: XCTestCase {
    static let root = ShippedDataTests.root
    static let golden = Fixtures.testsDirectory.appendingPathComponent("Golden/report")

    /// The report of one file, made as `misq report` makes it, with a fixed
    /// time and command so the snapshot is stable.
    static func report(_ path: String, command: String) throws -> (html: String, code: Int32) {
        setenv("SOURCE_DATE_EPOCH", "1767225600", 1)  // 2026-01-01 00:00 UTC
        defer { unsetenv("SOURCE_DATE_EPOCH") }
        let c = Console(collect: true)
        var cmd = try ReportCommand.parse([path, "--datasets", root.appendingPathComponent("datasets").path])
        let code = cmd.execute(c)
        guard code != 2 else { throw NSError(domain: "report", code: 2, userInfo: [NSLocalizedDescriptionKey: c.err]) }
        // The header's command names this machine's paths: stated as the docs would.
        // So do the assertions' file names (the checkout's folder): relative.
        let html = c.out.replacingOccurrences(of: HTMLEscape.text(cmd.commandLine), with: HTMLEscape.text(command))
            .replacingOccurrences(of: HTMLEscape.text(root.path + "/"), with: "")
        return (html, code)
    }

    func testCorpusGolden() throws {
        let (html, code) = try Self.report(Self.golden.appendingPathComponent("corpus.misq").path, command: "misq report corpus.misq")
        XCTAssertEqual(code, 0)
        let file = Self.golden.appendingPathComponent("corpus.html")
        if ProcessInfo.processInfo.environment["MISQ_RECORD"] != nil {
            try html.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        XCTAssertEqual(html, expected, "Golden/report/corpus.html differs (MISQ_RECORD=1 re-records; read the diff)")
        try Self.checkStructure(html, name: "corpus")
    }

    /// Every saved FOI file makes a report, and each holds its structure.
    func testEveryQueryFileReports() throws {
        let dir = Self.root.appendingPathComponent("queries")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".misq") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 5)
        for f in files {
            let (html, code) = try Self.report(dir.appendingPathComponent(f).path, command: "misq report queries/\(f)")
            XCTAssertEqual(code, 0, f)
            try Self.checkStructure(html, name: f)
        }
    }

    /// What the issue asks of the markup, read with an XML parser.
    static func checkStructure(_ html: String, name: String) throws {
        let body = html.replacingOccurrences(of: "<!DOCTYPE html>\n", with: "")
        let p = XMLParser(data: Data(body.utf8))
        let reader = StructureReader()
        p.delegate = reader
        XCTAssertTrue(p.parse(), "\(name): does not parse: \(String(describing: p.parserError))")
        XCTAssertGreaterThan(reader.tables, 0, name)
        XCTAssertEqual(reader.captions, reader.tables, "\(name): a table without a caption")
        XCTAssertEqual(reader.unscopedHeaders, 0, "\(name): a th without scope")
        for chart in reader.charts {
            XCTAssertEqual(chart.role, "img", name)
            let ids = chart.labelledBy.split(separator: " ").map(String.init)
            XCTAssertEqual(ids.count, 2, name)
            XCTAssertTrue(ids.allSatisfy { chart.texts[$0]?.isEmpty == false }, "\(name): a chart's title or description is missing: \(ids)")
            XCTAssertFalse(chart.axisLabels.isEmpty, "\(name): a chart without axis labels")
        }
        // Nothing from elsewhere: no script, stylesheet link, image, frame or URL.
        for banned in ["<script", "<link", "<img", "<iframe", "http:", "https:", "url(", "@import", "src=", "href="] {
            XCTAssertFalse(html.contains(banned), "\(name): holds \(banned)")
        }
    }

    final class StructureReader: NSObject, XMLParserDelegate {
        struct Chart { var role = "", labelledBy = "", texts: [String: String] = [:], axisLabels: [String] = [] }
        var tables = 0, captions = 0, unscopedHeaders = 0
        var charts: [Chart] = []
        private var inSVG = false, textID: String?, text = "", inAxisLabel = false
        func parser(_ parser: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes a: [String: String] = [:]) {
            switch e {
            case "table": tables += 1
            case "caption": captions += 1
            case "th": if a["scope"] != "col" && a["scope"] != "row" { unscopedHeaders += 1 }
            case "svg": inSVG = true; charts.append(Chart(role: a["role"] ?? "", labelledBy: a["aria-labelledby"] ?? ""))
            case "title", "desc": if inSVG, let id = a["id"] { textID = id; text = "" }
            case "text": if inSVG, a["class"] == "axis-label" { inAxisLabel = true; text = "" }
            default: break
            }
        }
        func parser(_ parser: XMLParser, foundCharacters s: String) { text += s }
        func parser(_ parser: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) {
            if e == "svg" { inSVG = false }
            if (e == "title" || e == "desc"), let id = textID { charts[charts.count - 1].texts[id] = text; textID = nil }
            if e == "text", inAxisLabel { charts[charts.count - 1].axisLabels.append(text); inAxisLabel = false }
        }
    }

    /// `--vega`: each chart's Vega-Lite spec, a golden snapshot of all of
    /// them (`Golden/report/corpus.vega`), and each compiled and rendered
    /// by vl-convert-python (`.ci/vega_check.py`: renders, titled axes, one
    /// mark per value) where it is installed; `.ci/run` installs it.
    func testVegaSpecs() throws {
        setenv("SOURCE_DATE_EPOCH", "1767225600", 1)
        defer { unsetenv("SOURCE_DATE_EPOCH") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("misq-vega-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = Console(collect: true)
        var cmd = try ReportCommand.parse([Self.golden.appendingPathComponent("corpus.misq").path, "--datasets",
                                           Self.root.appendingPathComponent("datasets").path, "--vega", dir.path])
        XCTAssertEqual(cmd.execute(c), 0, c.err)
        XCTAssertTrue(c.err.contains("note: wrote 13 Vega-Lite specs to \(dir.path)"), c.err)
        // Named by the folder's name: the report does not carry this machine's paths.
        XCTAssertTrue(c.out.contains("Vega-Lite spec of this chart: \(dir.lastPathComponent)/chart13.vl.json"))
        XCTAssertFalse(c.out.contains("spec of this chart: /"))
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted { $0.count == $1.count ? $0 < $1 : $0.count < $1.count }
        XCTAssertEqual(names, (1...13).map { "chart\($0).vl.json" })
        var all = ""
        for n in names { all += "== \(n)\n" + (try String(contentsOf: dir.appendingPathComponent(n), encoding: .utf8)) }
        let file = Self.golden.appendingPathComponent("corpus.vega")
        if ProcessInfo.processInfo.environment["MISQ_RECORD"] != nil { try all.write(to: file, atomically: true, encoding: .utf8) }
        XCTAssertEqual(all, try String(contentsOf: file, encoding: .utf8), "Golden/report/corpus.vega differs (MISQ_RECORD=1 re-records)")
        // A folder holding anything else is refused, not mixed.
        try "x".write(to: dir.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let c2 = Console(collect: true)
        XCTAssertEqual(cmd.execute(c2), 2)
        XCTAssertTrue(c2.err.contains("holds files misq did not write: notes.txt"), c2.err)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("notes.txt"))

        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", ".ci/vega_check.py", dir.path]
        check.currentDirectoryURL = Self.root
        let pipe = Pipe()
        check.standardOutput = pipe; check.standardError = pipe
        try check.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        try XCTSkipIf(check.terminationStatus == 77, "no vl-convert-python: pip install vl-convert-python")
        XCTAssertEqual(check.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("13 specs, 0 failures"), text)
    }

    /// Each report of queries/ in headless Chromium (`.ci/report_browser.py`):
    /// the charts have the marks their tables say, every text and mark lies
    /// inside its drawing as Chromium lays it out, the screenshots are not
    /// blank. Skipped where no Chromium is installed; `.ci/run` installs it.
    func testRenderedInChromium() throws {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/local/bin/chromium"].first { FileManager.default.isExecutableFile(atPath: $0) }
        try XCTSkipUnless(chromium != nil, "no chromium: apt-get install chromium")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: Fixtures.misqBinary.path), "misq binary not built")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("misq-report-browser-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // queries/, and the layout cases (ReportLayoutTests), whose labels and ticks press on the edges.
        let queries = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("queries").path)
            .filter { $0.hasSuffix(".misq") }.sorted().map { "queries/" + $0 }
        p.arguments = ["python3", ".ci/report_browser.py", "--misq", Fixtures.misqBinary.path, "--out", out.path]
            + queries + ["Tests/MisqKitTests/Golden/report/layout/layout.misq"]
        p.currentDirectoryURL = Self.root
        let pipe = Pipe()
        p.standardOutput = pipe; p.standardError = pipe
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("marks as the tables say, all inside their drawings"), text)
        XCTAssertTrue(text.contains("layout.misq: 12 answers, 9 charts"), text)
    }

    /// Several files: files are h2, their questions h3; backticks in a
    /// question are code; a failed assertion is said in the header.
    func testHeadingsAndFailedChecks() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("misq-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.misq"), b = dir.appendingPathComponent("b.misq")
        try "-- How many `vawg` cases?\ncount cases where vawg\n\nassert count cases where vawg = 1\n".write(to: a, atomically: true, encoding: .utf8)
        try "-- Cases by severity\ncount cases by severity\n".write(to: b, atomically: true, encoding: .utf8)
        setenv("SOURCE_DATE_EPOCH", "1767225600", 1)
        defer { unsetenv("SOURCE_DATE_EPOCH") }
        let c = Console(collect: true)
        var cmd = try ReportCommand.parse([a.path, b.path, "--datasets", Self.root.appendingPathComponent("datasets").path])
        XCTAssertEqual(cmd.execute(c), 1, c.err)
        let html = c.out
        XCTAssertEqual(html.components(separatedBy: "<h2 class=\"file\">").count - 1, 2)
        XCTAssertTrue(html.contains("<h3>How many <code>vawg</code> cases?</h3>"), html)
        XCTAssertTrue(html.contains("<h3>Cases by severity</h3>"))
        XCTAssertTrue(html.contains("<h3>Checks: 1 assertion, 0 passed, 1 failed</h3>"))
        let header = try XCTUnwrap(html.components(separatedBy: "</header>").first)
        XCTAssertTrue(header.contains("<p class=\"failed\">1 of 1 assertion FAILED: \(a.path):4 (see Checks below).</p>"), header)
        XCTAssertTrue(header.contains("<dt>checks</dt><dd>1 assertion, 1 FAILED</dd>"), header)
        try Self.checkStructure(html, name: "two files")
        // One file: questions are h2, and a header says all passed.
        let one = Console(collect: true)
        var cmd1 = try ReportCommand.parse([b.path, "--datasets", Self.root.appendingPathComponent("datasets").path])
        XCTAssertEqual(cmd1.execute(one), 0)
        XCTAssertTrue(one.out.contains("<h2>Cases by severity</h2>"))
        XCTAssertFalse(one.out.contains("<h3>"))
        XCTAssertFalse(one.out.contains("class=\"failed\""))
    }

    /// SOURCE_DATE_EPOCH that is not a number of seconds stops the report.
    func testSourceDateEpochMustBeANumber() throws {
        XCTAssertEqual(try ReportCommand.madeAt(["SOURCE_DATE_EPOCH": "1767225600"]), "2026-01-01 00:00 UTC")
        XCTAssertEqual(try ReportCommand.madeAt(["SOURCE_DATE_EPOCH": "0"]), "1970-01-01 00:00 UTC")
        for bad in ["abc", "1.5e9", "-1", "17672256OO"] {
            XCTAssertThrowsError(try ReportCommand.madeAt(["SOURCE_DATE_EPOCH": bad]), bad)
        }
        setenv("SOURCE_DATE_EPOCH", "abc", 1)
        defer { unsetenv("SOURCE_DATE_EPOCH") }
        let c = Console(collect: true)
        var cmd = try ReportCommand.parse([Self.golden.appendingPathComponent("corpus.misq").path, "--datasets", Self.root.appendingPathComponent("datasets").path])
        XCTAssertEqual(cmd.execute(c), 2)
        XCTAssertTrue(c.err.contains("SOURCE_DATE_EPOCH is 'abc', not a number of seconds since 1970-01-01 UTC"), c.err)
        XCTAssertEqual(c.out, "")
    }

    // MARK: the pieces

    /// A time key's missing buckets are gaps, in time order.
    func testTimeAxisFillsGaps() throws {
        let years = try XCTUnwrap(TimeAxis(keyName: "year", labels: ["2019", "2022", nil, "2021"]))
        XCTAssertEqual(years.labels, ["2019", "2020", "2021", "2022"])
        XCTAssertEqual(years.rows, [0, nil, 3, 1])
        XCTAssertEqual(TimeAxis(keyName: "quarter", labels: ["2022-Q4", "2023-Q2"])?.labels, ["2022-Q4", "2023-Q1", "2023-Q2"])
        XCTAssertEqual(TimeAxis(keyName: "month(finalised)", labels: ["2022-11", "2023-02"])?.labels, ["2022-11", "2022-12", "2023-01", "2023-02"])
        XCTAssertEqual(TimeAxis(keyName: "fy", labels: ["FY1999/00", "FY2001/02"])?.labels, ["FY1999/00", "FY2000/01", "FY2001/02"])
        XCTAssertNil(TimeAxis(keyName: "outcome", labels: ["2019"]))
        XCTAssertNil(TimeAxis(keyName: "year", labels: ["2019", "unknown"]))
        XCTAssertNil(TimeAxis(keyName: "month", labels: ["2022-13"]))
    }

    /// A gap draws no column and says so in the text alternative.
    func testTimeChartDrawsGapsAsGaps() {
        let chart = TimeChart(heading: ChartHeading(title: "t", notes: []), keyName: "year", unit: "cases",
                              labels: ["2019", "2020", "2021"], values: [3, nil, 5], texts: ["3", nil, "5"])
        let svg = chart.svg(id: "c")
        XCTAssertEqual(svg.components(separatedBy: "class=\"bar\"").count - 1, 2)
        XCTAssertTrue(svg.contains("No group for 2020: shown as a gap."), svg)
        XCTAssertTrue(svg.contains(">2020</text>"), "the gap keeps its label")
    }

    /// WCAG 2.1 contrast: the formula against WebAIM's published figures
    /// (#767676 on white is 4.54:1; black on white 21:1), then the palette:
    /// text 4.5:1, bars 3:1 (graphical objects), and the cell text on
    /// every shade of the heat map 4.5:1.
    func testColoursPassContrast() throws {
        let white = RGB(0xff, 0xff, 0xff)
        XCTAssertEqual(RGB(0x76, 0x76, 0x76).contrast(with: white), 4.54, accuracy: 0.01)
        XCTAssertEqual(RGB(0, 0, 0).contrast(with: white), 21, accuracy: 0.001)
        for hex in [ChartStyle.ink, ChartStyle.muted] {
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(RGB(hex: hex)).contrast(with: white), 4.5, hex)
        }
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(RGB(hex: ChartStyle.bar)).contrast(with: white), 3)
        for k in 0...100 {
            let fill = ChartStyle.shade(Double(k) / 100)
            XCTAssertGreaterThanOrEqual(ChartStyle.textColour(on: fill).contrast(with: fill), 4.5, "shade \(k)%: \(fill.hex)")
        }
        // Greyscale keeps the order: lightness falls along the ramp.
        let lum = (0...10).map { ChartStyle.shade(Double($0) / 10).luminance }
        XCTAssertEqual(lum, lum.sorted(by: >))
    }

    /// Round ticks cover the values (steps of 1, 2 or 5 × 10ⁿ).
    func testTicks() {
        XCTAssertEqual(ChartStyle.ticks(low: 0, high: 286), [0, 100, 200, 300])
        XCTAssertEqual(ChartStyle.ticks(low: 0, high: 4), [0, 1, 2, 3, 4])
        XCTAssertEqual(ChartStyle.ticks(low: -30, high: 45), [-40, -20, 0, 20, 40, 60])
    }

    /// Text from data cannot become markup.
    func testEscaping() {
        XCTAssertEqual(Markup.escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;")
        XCTAssertEqual([1.5, 2, -0.004, 12.346, .infinity, .nan, 1e300].map(Markup.n), ["1.5", "2", "0", "12.35", "0", "0", "0"])
        XCTAssertEqual(Markup.escape("a\u{1B}[2J"), "a⟨U+001B⟩[2J")
        // Comments: code spans only; an unclosed backtick stays as written.
        XCTAssertEqual(HTMLReport.codeSpans("see `misq describe vawg` and daso_window"), "see <code>misq describe vawg</code> and daso_window")
        XCTAssertEqual(HTMLReport.codeSpans("a `b` c `d<"), "a <code>b</code> c `d&lt;")
        XCTAssertEqual(HTMLReport.codeSpans("one ` alone"), "one ` alone")
    }
}

/// The header's command as the HTML writes it.
enum HTMLEscape {
    static func text(_ s: String) -> String { Markup.escape(s) }
}
