/// JSON output: `{"columns": […], "rows": [{…}], "footer": […]}`, numbers
/// as numbers at full precision, missing as null. Written by hand to keep
/// key order stable (JSONSerialization sorts or scrambles it).
enum JSONOutput {
    static func render(_ g: Grid) -> String {
        var out = "{\n  \"columns\": [" + g.header.map(quote).joined(separator: ", ") + "],\n  \"rows\": [\n"
        out += g.rows.map { row in
            "    {" + row.enumerated().map { k, c in
                let key = k < g.header.count ? g.header[k] : "column\(k + 1)"
                return quote(key) + ": " + value(c)
            }.joined(separator: ", ") + "}"
        }.joined(separator: ",\n")
        out += "\n  ],\n  \"footer\": [" + g.footer.map(quote).joined(separator: ", ") + "]\n}\n"
        return out
    }

    static func value(_ c: Grid.Cell) -> String {
        if c.isMissing { return "null" }
        // JSON has no infinity or NaN: such a value is null, never `inf`.
        if let n = c.number { return Renderer.rawNumber(n) ?? "null" }
        return quote(c.text)
    }

    /// Control characters, C1 controls and bidirectional overrides are
    /// written as `\u` escapes: valid JSON that no terminal acts on.
    static func quote(_ s: String) -> String {
        // Printable ASCII but a quote or backslash needs no escape.
        let plain = s.utf8.withContiguousStorageIfAvailable { b in
            !b.contains { $0 < 0x20 || $0 > 0x7E || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        } ?? false
        if plain { return "\"" + s + "\"" }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if TerminalText.isControl(u) {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
