/// `misq report`'s file: one HTML page that needs nothing else — no script,
/// no font, no image, no stylesheet from anywhere — so it can be attached
/// to an FOI response and opened from disk, offline, in any browser.
/// Each answer: its question as a heading, the query, its chart(s) (inline
/// SVG drawn here, `ChartChoice`), the table (a caption, scoped headers,
/// numbers right-aligned with thousands separators), and under it the
/// footer every format prints — provenance, period in days, notes — in the
/// same words (`Render/FooterText.swift`).
public enum HTMLReport {
    public static func render(_ doc: ReportDocument) -> String {
        var charts = 0
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        out += Markup.empty("meta", [("name", "generator"), ("content", "misq \(doc.version)")]) + "\n"
        out += Markup.element("title", [], Markup.escape(doc.title)) + "\n"
        out += "<style>\n" + style + "</style>\n</head>\n<body>\n"
        out += header(doc)
        out += "<main>\n"
        for file in doc.files { out += section(file, several: doc.files.count > 1, vega: doc.vegaName, charts: &charts) }
        out += "</main>\n"
        out += Markup.element("footer", [], Markup.element("p", [], Markup.escape("Made by misq \(doc.version). Figures and their footers are as misq run prints them; the charts draw the same figures."))) + "\n"
        out += "</body>\n</html>\n"
        return out
    }

    static func header(_ doc: ReportDocument) -> String {
        var h = Markup.element("h1", [], Markup.escape(doc.title)) + "\n"
        if doc.answers.contains(where: { $0.result.footer.synthetic }) {
            h += Markup.element("p", [("class", "synthetic")],
                                Markup.escape("[SYNTHETIC DATA] Some answers here come from synthetic data: see the dataset line under each.")) + "\n"
        }
        // A failed assertion is said first: the figures below may be wrong.
        let checks = doc.files.flatMap(\.items).compactMap { if case .check(let c) = $0 { return c } else { return nil } }
        let failed = checks.filter { !$0.passed }
        if !failed.isEmpty {
            h += Markup.element("p", [("class", "failed")],
                                Markup.escape("\(NumberFormat.count(failed.count)) of \(Plural.count(checks.count, "assertion")) FAILED: "
                                              + failed.map(\.location).joined(separator: ", ") + " (see Checks below).")) + "\n"
        }
        var rows = [("misq", doc.version), ("made", doc.generated)]
        rows.append(("command", doc.command))
        if !checks.isEmpty {
            rows.append(("checks", failed.isEmpty ? "\(Plural.count(checks.count, "assertion")), all passed"
                                                  : "\(Plural.count(checks.count, "assertion")), \(NumberFormat.count(failed.count)) FAILED"))
        }
        var made = rows.map { Markup.element("dt", [], Markup.escape($0.0)) + Markup.element("dd", [], $0.0 == "command" ? Markup.element("code", [], Markup.escape($0.1)) : Markup.escape($0.1)) }
        let params = doc.files.flatMap { f in f.params.map { (f, $0) } }
        if !params.isEmpty {
            let list = params.map { f, p in
                Markup.element("li", [], Markup.element("code", [], Markup.escape("\(p.name) = \(p.value)"))
                               + Markup.escape(p.overridden ? " (given with --param)" : " (as the file sets it)")
                               + (doc.files.count > 1 ? Markup.escape(" — \(f.path ?? "")") : ""))
            }.joined()
            made.append(Markup.element("dt", [], "params") + Markup.element("dd", [], Markup.element("ul", [], list)))
        }
        h += Markup.element("dl", [("class", "made")], made.joined()) + "\n"
        return Markup.element("header", [], "\n" + h) + "\n"
    }

    static func section(_ file: ReportFile, several: Bool, vega: String?, charts: inout Int) -> String {
        var s = ""
        // Several files: each file a heading, its questions one level below.
        if several, let p = file.path { s += Markup.element("h2", [("class", "file")], Markup.escape(p)) + "\n" }
        let level = several ? "h3" : "h2"
        for paragraph in paragraphs(file.introduction) {
            s += Markup.element("p", [("class", "introduction")], codeSpans(paragraph)) + "\n"
        }
        var checks: [ReportCheck] = []
        for item in file.items {
            switch item {
            case .answer(let a): s += answer(a, heading: level, vega: vega, charts: &charts)
            case .check(let c): checks.append(c)
            }
        }
        if !checks.isEmpty { s += checkList(checks, heading: level) }
        return Markup.element("section", [("class", "file")], "\n" + s) + "\n"
    }

    /// Comment lines in paragraphs: a line that is empty (`--` alone) ends one.
    static func paragraphs(_ lines: [String]) -> [String] {
        var out: [String] = [], current: [String] = []
        for l in lines {
            if l.trimmingCharacters(in: .whitespaces).isEmpty { if !current.isEmpty { out.append(current.joined(separator: " ")); current = [] } }
            else { current.append(l.trimmingCharacters(in: .whitespaces)) }
        }
        if !current.isEmpty { out.append(current.joined(separator: " ")) }
        return out
    }

    /// A comment's text, escaped, with `code` spans set as code. Only code
    /// spans: the comments are plain text that quotes requests and names
    /// columns like `daso_window`, which a Markdown renderer (JohnSundell/Ink
    /// was the candidate) would turn into emphasis at the underscores.
    static func codeSpans(_ text: String) -> String {
        let parts = text.split(separator: "`", omittingEmptySubsequences: false).map(String.init)
        // An odd number of backticks leaves the last one as written.
        guard parts.count >= 3 else { return Markup.escape(text) }
        var out = ""
        for (i, p) in parts.enumerated() {
            let closed = i % 2 == 1 && i < parts.count - 1
            if i % 2 == 1 && !closed { out += Markup.escape("`" + p); continue }
            out += closed ? Markup.element("code", [], Markup.escape(p)) : Markup.escape(p)
        }
        return out
    }

    static func answer(_ a: ReportAnswer, heading: String = "h2", vega: String?, charts: inout Int) -> String {
        var r = a.result
        r.withBars = false  // the chart draws them; the table keeps to figures
        let grid = Grid(r)
        var s = Markup.element(heading, [], a.question.map(codeSpans) ?? Markup.escape("Statement at line \(a.line)")) + "\n"
        s += Markup.element("pre", [("class", "statement")], Markup.element("code", [], Markup.escape(a.statement))) + "\n"
        for chart in ChartChoice.charts(for: a) {
            switch chart {
            case .number(let b):
                s += Markup.element("div", [("class", "figure")],
                                    Markup.element("p", [("class", "big")], Markup.element("span", [("class", "value")], Markup.escape(b.figure)) + " "
                                                   + Markup.element("span", [("class", "unit")], Markup.escape(b.label)))
                                    + b.scope.map { Markup.element("p", [("class", "scope")], Markup.escape($0)) }.joined()) + "\n"
            case .none(let why):
                s += Markup.element("p", [("class", "no-chart")], Markup.escape(why)) + "\n"
            case .bars(let c):
                charts += 1; s += figure(c.svg(id: "chart\(charts)"), vega: vega, charts)
            case .time(let c):
                charts += 1; s += figure(c.svg(id: "chart\(charts)"), vega: vega, charts)
            case .grid(let c):
                charts += 1; s += figure(c.svg(id: "chart\(charts)"), vega: vega, charts)
            }
        }
        s += table(grid, caption: caption(r), keyColumns: keyColumns(r))
        s += Markup.element("ul", [("class", "provenance")], grid.footer.map(provenanceLine).joined()) + "\n"
        return Markup.element("section", [("class", "answer")], "\n" + s) + "\n"
    }

    /// A chart; with `--vega`, the file its spec went to, named (as text:
    /// the report links to nothing) by the folder's name, not its path on
    /// the machine that made the report.
    static func figure(_ svg: String, vega: String?, _ n: Int) -> String {
        let spec = vega.map { Markup.element("figcaption", [("class", "vega")], Markup.escape("Vega-Lite spec of this chart: \($0)/chart\(n).vl.json")) } ?? ""
        return Markup.element("figure", [("class", "chart")], "\n" + svg + "\n" + spec) + "\n"
    }

    /// What the table holds, in a line: `cases by severity`, `individuals by outcome, across finalised`.
    static func caption(_ r: QueryResult) -> String {
        switch r.body {
        case .scalar: return r.valueName
        case .rows(let rr): return "Rows: " + rr.columns.joined(separator: ", ")
        case .groups(let g):
            let values = g.valueColumns.isEmpty ? r.valueName : g.valueColumns.map(\.name).joined(separator: ", ")
            return values + " by " + g.keyNames.joined(separator: ", ") + (g.acrossName.map { ", across " + $0 } ?? "")
        }
    }

    static func keyColumns(_ r: QueryResult) -> Int {
        if case .groups(let g) = r.body { return g.keyNames.count }
        return 0
    }

    /// The table: `th scope="col"` for the header, `th scope="row"` for
    /// the key cells, numbers right-aligned as the text table has them.
    static func table(_ g: Grid, caption: String, keyColumns: Int) -> String {
        let numeric = (0..<g.header.count).map { k in g.rows.contains { k < $0.count && $0[k].number != nil } }
        var t = Markup.element("caption", [], Markup.escape(caption)) + "\n"
        t += "<thead><tr>" + g.header.enumerated().map { k, h in
            Markup.element("th", [("scope", "col")] + (numeric[k] ? [("class", "num")] : []), Markup.escape(h))
        }.joined() + "</tr></thead>\n"
        func row(_ cells: [Grid.Cell]) -> String {
            "<tr>" + cells.enumerated().map { k, c in
                var cls: [String] = []
                if c.number != nil { cls.append("num") }
                if c.isMissing { cls.append("missing") }
                // `[c]`, `[x]`, `[z]` stand where a figure would: aligned as one.
                if c.marker != nil { cls += ["num", "marker"] }
                let attrs: [(String, String)] = cls.isEmpty ? [] : [("class", cls.joined(separator: " "))]
                return k < keyColumns ? Markup.element("th", [("scope", "row")] + attrs, Markup.escape(c.shown))
                    : Markup.element("td", attrs, Markup.escape(c.shown))
            }.joined() + "</tr>\n"
        }
        let body = g.rows.count - g.totalRows
        t += "<tbody>\n" + g.rows.prefix(body).map(row).joined() + "</tbody>\n"
        if g.totalRows > 0 { t += "<tfoot>\n" + g.rows.suffix(g.totalRows).map(row).joined() + "</tfoot>\n" }
        return Markup.element("div", [("class", "table")], Markup.element("table", [], "\n" + t)) + "\n"
    }

    /// A footer line with its label set apart: `period: 2022-05-01 to …`.
    static func provenanceLine(_ line: String) -> String {
        if let colon = line.range(of: ": "), line[..<colon.lowerBound].allSatisfy({ $0.isLetter || $0 == " " }), !line[..<colon.lowerBound].isEmpty {
            let key = String(line[..<colon.lowerBound])
            var rest = Markup.escape(String(line[colon.upperBound...]))
            rest = rest.replacingOccurrences(of: "[SYNTHETIC DATA]", with: Markup.element("strong", [("class", "synthetic-mark")], "[SYNTHETIC DATA]"))
            return Markup.element("li", [("class", key.replacingOccurrences(of: " ", with: "-"))],
                                  Markup.element("span", [("class", "k")], Markup.escape(key)) + " " + rest)
        }
        return Markup.element("li", [], Markup.escape(line))
    }

    static func checkList(_ checks: [ReportCheck], heading: String = "h2") -> String {
        let failed = checks.filter { !$0.passed }.count
        var s = Markup.element(heading, [], Markup.escape("Checks: \(Plural.count(checks.count, "assertion")), \(NumberFormat.count(checks.count - failed)) passed, \(NumberFormat.count(failed)) failed")) + "\n"
        let items = checks.map { c in
            Markup.element("li", [("class", c.passed ? "ok" : "fail")],
                           Markup.element("span", [("class", "verdict")], c.passed ? "passed" : "FAILED") + " "
                           + Markup.element("code", [], Markup.escape(c.statement))
                           + Markup.element("span", [("class", "where")], Markup.escape(" — " + c.location))
                           + (c.details.isEmpty ? "" : Markup.element("pre", [], Markup.escape(c.details.joined(separator: "\n"))))
                           + (c.source.map { Markup.element("span", [("class", "source")], Markup.escape("source: " + $0)) } ?? ""))
        }.joined(separator: "\n")
        s += Markup.element("ul", [("class", "checks")], "\n" + items + "\n") + "\n"
        return Markup.element("section", [("class", "checks")], "\n" + s) + "\n"
    }

    /// Local fonts only; colours from `ChartStyle`.
    static let style = """
    body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: \(ChartStyle.ink); background: #ffffff; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
    h1 { font-size: 1.6rem; margin-bottom: 0.5rem; }
    h2 { font-size: 1.15rem; margin: 2.2rem 0 0.6rem; border-top: 1px solid \(ChartStyle.rule); padding-top: 1rem; }
    h2.file { font-size: 1.35rem; border-top: 3px solid \(ChartStyle.ink); }
    h3 { font-size: 1.1rem; margin: 2rem 0 0.6rem; border-top: 1px solid \(ChartStyle.rule); padding-top: 1rem; }
    h2 code, h3 code { font-size: 0.95em; }
    p.failed { border: 2px solid \(ChartStyle.ink); padding: 0.4rem 0.6rem; font-weight: 700; }
    dl.made { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; font-size: 0.9rem; }
    dl.made dt { font-weight: 600; }
    dl.made dd { margin: 0; }
    dl.made ul { margin: 0; padding-left: 1.2rem; }
    p.synthetic { border: 2px solid \(ChartStyle.ink); padding: 0.4rem 0.6rem; font-weight: 600; }
    p.introduction { color: \(ChartStyle.muted); font-size: 0.95rem; }
    pre.statement { background: #f3f3f3; padding: 0.5rem 0.7rem; overflow-x: auto; font-size: 0.85rem; white-space: pre-wrap; }
    figure.chart { margin: 1rem 0 0; }
    svg.chart { max-width: 100%; height: auto; font-family: inherit; }
    svg.chart text { font-size: 12px; fill: \(ChartStyle.ink); }
    svg.chart .chart-title { font-size: 14px; font-weight: 600; }
    svg.chart .chart-note, svg.chart .tick { fill: \(ChartStyle.muted); }
    svg.chart .on-dark { fill: \(ChartStyle.white.hex); }
    svg.chart .tick.gap { font-style: italic; }
    svg.chart .axis-label { font-weight: 600; }
    svg.chart .bar, svg.chart .point { fill: \(ChartStyle.bar); }
    svg.chart .line { fill: none; stroke: \(ChartStyle.bar); stroke-width: 2; }
    svg.chart .grid { stroke: #e3e3e3; }
    svg.chart .axis { stroke: \(ChartStyle.muted); }
    svg.chart .cell { stroke: #ffffff; stroke-width: 1; }
    svg.chart .swatch { stroke: \(ChartStyle.muted); stroke-width: 0.5; }
    figcaption.vega { font-size: 0.8rem; color: \(ChartStyle.muted); }
    .figure .big { margin: 0.5rem 0 0; }
    .figure .value { font-size: 2.6rem; font-weight: 700; }
    .figure .unit { font-size: 1.1rem; }
    .figure .scope { margin: 0; color: \(ChartStyle.muted); }
    div.table { overflow-x: auto; }
    table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.9rem; }
    caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; white-space: nowrap; }
    th, td { border: 1px solid \(ChartStyle.rule); padding: 0.25rem 0.55rem; text-align: left; vertical-align: top; }
    thead th { background: #eef3fa; }
    tbody th { font-weight: normal; }
    tfoot th, tfoot td { font-weight: 700; border-top: 2px solid \(ChartStyle.ink); }
    .num { text-align: right; font-variant-numeric: tabular-nums; }
    .missing { color: \(ChartStyle.muted); font-style: italic; }
    ul.provenance { list-style: none; padding: 0; font-size: 0.85rem; color: \(ChartStyle.muted); }
    ul.provenance .k { font-weight: 600; color: \(ChartStyle.ink); }
    ul.provenance li.note { color: \(ChartStyle.ink); }
    .synthetic-mark { color: \(ChartStyle.ink); }
    ul.checks { padding-left: 1.2rem; font-size: 0.85rem; }
    ul.checks .verdict { font-weight: 700; }
    ul.checks li.fail .verdict { text-decoration: underline; }
    ul.checks .where, ul.checks .source { color: \(ChartStyle.muted); display: block; }
    footer { margin-top: 3rem; font-size: 0.8rem; color: \(ChartStyle.muted); }
    @media print { section.answer { break-inside: avoid; } body { margin: 0; } }

    """
}
