import Foundation
/// Output formats for results.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, csv, tsv, json, markdown
}

public enum Renderer {
    public static func render(_ r: QueryResult, as format: OutputFormat, maxRows: Int? = nil, maxWidth: Int? = nil) -> String {
        render(Grid(r), as: format, maxRows: maxRows, maxWidth: maxWidth)
    }

    public static func render(_ g: Grid, as format: OutputFormat, maxRows: Int? = nil, maxWidth: Int? = nil) -> String {
        switch format {
        case .table: return BoxTable.render(g, maxRows: maxRows, maxWidth: maxWidth)
        case .csv: return delimited(g, separator: ",")
        case .tsv: return delimited(g, separator: "\t")
        case .json: return JSONOutput.render(g)
        case .markdown: return markdown(g)
        }
    }

    /// RFC 4180: quote fields holding the separator, a quote or a line break.
    static func delimited(_ g: Grid, separator: Character) -> String {
        func field(_ s: String) -> String {
            if separator == "\t" { return s.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }
            if s.contains(separator) || s.contains("\"") || s.contains("\n") || s.contains("\r") {
                return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return s
        }
        func raw(_ c: Grid.Cell) -> String {
            if c.text == "(missing)" { return "" }
            if let n = c.number { return c.isPercent ? NumberFormat.fixed(n, decimals: 1) : NumberFormat.plain(n) }
            return c.text
        }
        var out = g.header.map(field).joined(separator: String(separator)) + "\n"
        for row in g.rows { out += row.map { field(raw($0)) }.joined(separator: String(separator)) + "\n" }
        return out
    }

    static func markdown(_ g: Grid) -> String {
        func esc(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        let numeric = (0..<g.header.count).map { k in g.rows.contains { k < $0.count && $0[k].number != nil } }
        var out = "| " + g.header.map(esc).joined(separator: " | ") + " |\n"
        out += "|" + numeric.map { $0 ? " ---: |" : " --- |" }.joined() + "\n"
        for (i, row) in g.rows.enumerated() {
            let isTotal = i >= g.rows.count - g.totalRows
            out += "| " + row.map { isTotal && !$0.text.isEmpty ? "**\(esc($0.text))**" : esc($0.text) }.joined(separator: " | ") + " |\n"
        }
        if !g.footer.isEmpty { out += "\n" + g.footer.map { "_\(esc($0))_  " }.joined(separator: "\n") + "\n" }
        return out
    }
}

extension Renderer {
    /// A JSON string literal, escaped as the JSON format escapes cells: for
    /// the keys the command line adds around a result (its file, its question).
    public static func jsonString(_ s: String) -> String { JSONOutput.quote(s) }
}
