/// JSON output: `{"columns": […], "rows": [{…}], "footer": […]}`, numbers
/// as numbers, missing as null. Written by hand to keep key order stable
/// (JSONSerialization sorts or scrambles it).
enum JSONOutput {
    static func render(_ g: Grid) -> String {
        var out = "{\n  \"columns\": [" + g.header.map(quote).joined(separator: ", ") + "],\n  \"rows\": [\n"
        out += g.rows.map { row in
            "    {" + row.enumerated().map { k, c in
                let key = k < g.header.count ? g.header[k] : "column\(k + 1)"
                let value: String
                if c.text == "(missing)" { value = "null" }
                else if let n = c.number { value = c.isPercent ? NumberFormat.fixed(n, decimals: 1) : NumberFormat.plain(n) }
                else { value = quote(c.text) }
                return quote(key) + ": " + value
            }.joined(separator: ", ") + "}"
        }.joined(separator: ",\n")
        out += "\n  ],\n  \"footer\": [" + g.footer.map(quote).joined(separator: ", ") + "]\n}\n"
        return out
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16) }
                else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
