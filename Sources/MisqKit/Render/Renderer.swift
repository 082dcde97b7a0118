import Foundation
/// Output formats for results.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, csv, tsv, json, markdown
}

public enum Renderer {
    /// `rawCells`: CSV and TSV text cells exactly as in the data, with no
    /// guard against spreadsheet formulas (`--raw`).
    public static func render(_ r: QueryResult, as format: OutputFormat, maxRows: Int? = nil, maxWidth: Int? = nil, rawCells: Bool = false) -> String {
        render(Grid(r), as: format, maxRows: maxRows, maxWidth: maxWidth, rawCells: rawCells)
    }

    public static func render(_ g: Grid, as format: OutputFormat, maxRows: Int? = nil, maxWidth: Int? = nil, rawCells: Bool = false) -> String {
        // The table fits its bars to the terminal; the rest draw them at one width.
        let g = format == .table ? g : g.withBarColumn(width: Bars.defaultWidth)
        switch format {
        case .table: return BoxTable.render(g, maxRows: maxRows, maxWidth: maxWidth)
        case .csv: return delimited(g, separator: ",", rawCells: rawCells)
        case .tsv: return delimited(g, separator: "\t", rawCells: rawCells)
        case .json: return JSONOutput.render(g)
        case .markdown: return markdown(g)
        }
    }

    /// CSV per RFC 4180 (fields holding the separator, a quote or a line
    /// break are quoted); TSV with tab, line feed, carriage return and
    /// backslash written `\t`, `\n`, `\r`, `\\` (as PostgreSQL's COPY and
    /// Miller read them), so a value never splits a row or a column.
    /// Numbers are written at full precision. Text cells (headers too) that
    /// a spreadsheet would run as a formula get a leading `'` unless
    /// `rawCells`.
    static func delimited(_ g: Grid, separator: Character, rawCells: Bool) -> String {
        let sep = String(separator)
        var out = g.header.map { field($0, separator: separator, rawCells: rawCells) }.joined(separator: sep) + "\n"
        for row in g.rows { out += row.map { cell($0, separator: separator, rawCells: rawCells) }.joined(separator: sep) + "\n" }
        return out
    }

    /// A text field (a header or a text cell) of CSV or TSV.
    static func field(_ text: String, separator: Character, rawCells: Bool) -> String {
        let s = rawCells ? text : SpreadsheetGuard.neutralise(text)
        // Spaces at either end are the value's ("Met " beside "Met"): quoted
        // in CSV, since many readers trim them from a bare field.
        if separator == ",", s.first == " " || s.last == " " { return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        // Printable ASCII with no separator, quote or backslash is written
        // as it is in both formats: checked on the bytes, before the
        // searches below (a million-row answer spent a third of its time
        // in them).
        if plainASCII(s, separator: separator) { return s }
        if separator == "\t" { return tsvEscape(s) }
        if s.contains(separator) || s.contains("\"") || s.contains("\n") || s.contains("\r") {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// A cell of CSV or TSV.
    static func cell(_ c: Grid.Cell, separator: Character, rawCells: Bool) -> String {
        if c.isMissing { return "" }
        // A number is never a formula; "-2" as a number stays -2.
        if let n = c.number {
            let s = rawNumber(n) ?? c.text
            return separator == "\t" ? tsvEscape(s) : s
        }
        return field(c.text, separator: separator, rawCells: rawCells)
    }

    static func plainASCII(_ s: String, separator: Character) -> Bool {
        let sep = separator.asciiValue ?? 0
        return s.utf8.withContiguousStorageIfAvailable { b in
            for x in b where x < 0x20 || x > 0x7E || x == sep || x == UInt8(ascii: "\"") || x == UInt8(ascii: "\\") { return false }
            return true
        } ?? false
    }

    static func tsvEscape(_ s: String) -> String {
        guard s.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\\" || $0 == "\r\n" }) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// A number as written for machines: whole numbers without a point,
    /// others in the shortest form that reads back as the same Double
    /// (33.333333333333336, not 33.3). nil for infinity and NaN, which
    /// neither JSON nor a spreadsheet reads as a number.
    public static func rawNumber(_ v: Double) -> String? {
        v.isFinite ? NumberFormat.exact(v) : nil
    }

    /// GitHub-flavoured Markdown: `|` escaped, line breaks as `<br>`, HTML
    /// in values shown as text, control characters as escapes, and the
    /// inline syntax (links, images, emphasis, code, headings) backslash-
    /// escaped (CommonMark 2.4) so a value shows as its own text.
    static func markdown(_ g: Grid) -> String {
        func esc(_ s: String) -> String {
            var t = ""
            for ch in s {
                switch ch {
                case "&": t += "&amp;"
                case "<": t += "&lt;"
                case ">": t += "&gt;"
                case "\\", "|", "`", "*", "_", "[", "]", "!", "#", "~": t += "\\" + String(ch)
                default: t.append(ch)
                }
            }
            t = t.replacingOccurrences(of: "\r\n", with: "<br>").replacingOccurrences(of: "\n", with: "<br>")
                .replacingOccurrences(of: "\r", with: "<br>")
            return TerminalText.escape(t)
        }
        let numeric = (0..<g.header.count).map { k in g.rows.contains { k < $0.count && $0[k].number != nil } }
        var out = "| " + g.header.map(esc).joined(separator: " | ") + " |\n"
        out += "|" + numeric.map { $0 ? " ---: |" : " --- |" }.joined() + "\n"
        for (i, row) in g.rows.enumerated() {
            let isTotal = i >= g.rows.count - g.totalRows
            out += "| " + row.map { isTotal && !$0.text.isEmpty ? "**\(esc($0.shown))**" : esc($0.shown) }.joined(separator: " | ") + " |\n"
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

/// Spreadsheet formula injection (OWASP, "CSV Injection"): a cell that
/// begins with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a
/// formula when the file is opened in Excel or LibreOffice. Such text
/// cells get a leading `'`, which the spreadsheet shows as text; numbers
/// are never touched.
public enum SpreadsheetGuard {
    public static func neutralise(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return s }
        return "'" + s
    }
}

