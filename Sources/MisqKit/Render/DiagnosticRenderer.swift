/// Renders an error as text: location, the source line, a caret under the
/// fault, what was expected and a suggestion. A pure function of the error,
/// so golden tests can pin it down.
public enum DiagnosticRenderer {
    public static func render(_ error: MisqError, color: Bool = false) -> String {
        let red = color ? "\u{1B}[1;31m" : "", green = color ? "\u{1B}[32m" : "", bold = color ? "\u{1B}[1m" : "", reset = color ? "\u{1B}[0m" : ""
        // Messages quote labels and names from data: shown, never sent as controls.
        let message = TerminalText.escape(error.message), expected = error.expected.map(TerminalText.escape)
        var out = "\(red)error\(reset)\(bold): \(message)\(reset)\n"
        if let source = error.source {
            let loc = source.location(error.span)
            // A long line (minified, or not a script at all) shows a window
            // around the caret, so one error stays a few lines long.
            let (lineText, column) = window(source.lineText(loc.line - source.lineOffset), column: loc.column)
            let gutter = String(repeating: " ", count: String(loc.line).count)
            out += "\(gutter)--> \(loc)\n"
            out += "\(gutter) |\n"
            let shown = visible(lineText)
            out += "\(loc.line) | \(shown)\n"
            // Caret length: the columns of the span's characters on this
            // line, at least one; a CJK character takes two.
            let spanText = source.text(error.span)
            let firstLine = spanText.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let chars = Array(shown)
            let start = min(max(0, column - 1), chars.count)
            let under = chars[start..<min(chars.count, start + firstLine.count)]
            let width = max(1, under.reduce(0) { $0 + ($1 == "\t" ? 1 : DisplayWidth.of($1)) })
            let pad = caretPadding(shown, column: column)
            out += "\(gutter) | \(pad)\(red)\(String(repeating: "^", count: width))"
            if let expected = expected { out += " expected \(expected)" }
            out += "\(reset)\n"
        } else if let expected = expected {
            out += "  expected \(expected)\n"
        }
        if let suggestion = error.suggestion { out += "  = \(green)help\(reset): \(TerminalText.escape(suggestion))\n" }
        for note in error.notes { out += "  = note: \(TerminalText.escape(note))\n" }
        return out
    }

    public static func render(_ errors: [MisqError], color: Bool = false) -> String {
        errors.map { render($0, color: color) }.joined(separator: "\n")
    }

    /// Characters of a line shown before and after the caret at most.
    static let windowBefore = 60, windowAfter = 60

    /// The part of `line` around 1-based `column`, with `…` where it is cut,
    /// and the caret's column in that part.
    static func window(_ line: String, column: Int) -> (String, Int) {
        let chars = Array(line)
        guard chars.count > windowBefore + windowAfter + 20 else { return (line, column) }
        let caret = max(0, min(column - 1, chars.count))
        let lo = max(0, caret - windowBefore), hi = min(chars.count, caret + windowAfter)
        let head = lo > 0 ? "…" : "", tail = hi < chars.count ? "…" : ""
        return (head + String(chars[lo..<hi]) + tail, caret - lo + 1 + (lo > 0 ? 1 : 0))
    }

    /// Tabs keep their width under the caret; control characters (C0, C1
    /// and bidirectional overrides) are shown as `?`, one column each, so a
    /// NUL or escape in a line cannot garble the terminal or move the caret.
    static func visible(_ s: String) -> String {
        String(s.map { ch -> Character in
            if ch == "\t" { return "\t" }
            if ch.unicodeScalars.contains(where: TerminalText.isControl) { return "?" }
            return ch
        })
    }

    /// What goes under the shown line before the caret: its tabs, and a
    /// space per column of everything else (two under a wide character).
    static func caretPadding(_ line: String, column: Int) -> String {
        line.prefix(max(0, column - 1)).map { $0 == "\t" ? "\t" : String(repeating: " ", count: DisplayWidth.of($0)) }.joined()
    }
}
