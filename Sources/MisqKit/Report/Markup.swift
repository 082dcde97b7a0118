/// The report's markup is written by hand rather than with a template or
/// HTML library (JohnSundell/Plot 0.14.0 was the candidate): nearly all of
/// it is inline SVG, for which Plot has no elements, and the accessibility
/// attributes that matter here (`scope` on `th`, `role`, `aria-labelledby`)
/// would each be a custom attribute too. One escaping function, used for
/// every text and attribute value, and the structural tests (the file
/// parses as XML; every table has a caption and scoped headers; every
/// chart a title and a description; no URL) keep it honest without a
/// dependency CI would build on every run.
///
/// The output is XHTML-compatible HTML5: every element closed, every
/// attribute quoted, only the five XML entities, so an XML parser reads
/// it as well as a browser does.
enum Markup {
    /// Text or an attribute value, escaped for both.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Control characters from data are not allowed in XML 1.0: shown as ⟨U+001B⟩.
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}", "\u{FFFE}", "\u{FFFF}":
                out += "⟨U+" + String(u.value, radix: 16, uppercase: true).leftPadded(4) + "⟩"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// An element with escaped attribute values around already-escaped content.
    static func element(_ name: String, _ attributes: [(String, String)] = [], _ content: String) -> String {
        "<\(name)\(attrs(attributes))>\(content)</\(name)>"
    }

    /// An element with no content, self-closed.
    static func empty(_ name: String, _ attributes: [(String, String)]) -> String {
        "<\(name)\(attrs(attributes))/>"
    }

    static func attrs(_ a: [(String, String)]) -> String {
        a.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    /// A coordinate: at most two decimals, no trailing zeros, so goldens
    /// are stable and small.
    static func n(_ v: Double) -> String {
        // Coordinates lie on the drawing; anything else (a scale of zero
        // span) is drawn at 0 rather than trapping in Int().
        guard v.isFinite, abs(v) < 1e9 else { return "0" }
        let r = (v * 100).rounded() / 100
        if r == r.rounded() { return String(Int(r)) }
        var s = String(format: "%.2f", r)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }
}

extension String {
    func leftPadded(_ width: Int, with c: Character = "0") -> String {
        count >= width ? self : String(repeating: c, count: width - count) + self
    }
}
