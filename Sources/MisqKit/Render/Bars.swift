/// `with bars` (and `.mode bars` at the prompt): a column of Unicode block
/// bars beside a grouped result's values, as DuckDB's `bar()` draws them —
/// whole blocks, then one of the seven eighth-blocks for the remainder, so
/// a bar's length is exact to an eighth of a character.
///
/// The scale starts at 0 and ends at the largest value shown, so bars
/// compare groups by length; the total row has none (it would dwarf them).
/// A value at or below 0, or missing, has no bar; negatives are said in
/// the footer, since an empty bar would otherwise read as zero.
public enum Bars {
    /// The width of a bar column where no terminal width is known (files,
    /// pipes, CSV, JSON): the full bar is this many characters.
    public static let defaultWidth = 30
    /// At the prompt the bar takes what the terminal leaves, within these.
    static let narrowest = 8, widest = 60

    static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// A bar `fraction` (0…1) of `width` characters long.
    public static func draw(_ fraction: Double, width: Int) -> String {
        guard fraction.isFinite, fraction > 0, width > 0 else { return "" }
        let eighthsLong = Int((min(fraction, 1) * Double(width) * 8).rounded())
        var s = String(repeating: "█", count: eighthsLong / 8)
        let rest = eighthsLong % 8
        if rest > 0 { s.append(eighths[rest - 1]) }
        return s
    }

    /// Each row's share of the largest value (nil: no bar), and the footer
    /// lines that say how the bars were scaled.
    static func scale(_ values: [Double], rows: Int, valueName: String, firstOf columns: Int) -> (fractions: [Double?], notes: [String]) {
        let largest = values.filter { $0.isFinite && $0 > 0 }.max()
        var fractions: [Double?] = values.map { v in
            guard let m = largest, v.isFinite, v > 0 else { return nil }
            return v / m
        }
        fractions += [Double?](repeating: nil, count: max(0, rows - values.count))
        var notes: [String] = []
        if let m = largest {
            notes.append("bars: each group's \(valueName) as a share of the largest shown, \(NumberFormat.figure(m))"
                         + (columns > 1 ? " ('\(valueName)' is the first of \(columns) value columns)" : ""))
        } else {
            notes.append("bars: none drawn, as no group's \(valueName) is above 0")
        }
        let negative = values.filter { $0.isFinite && $0 < 0 }.count
        if negative > 0 { notes.append("bars: \(Plural.count(negative, "group")) below 0 \(negative == 1 ? "has" : "have") no bar (the bars start at 0)") }
        return (fractions, notes)
    }

    /// The bar column's width in a terminal `maxWidth` wide: what the
    /// other columns leave, within `narrowest…widest`.
    public static func width(for g: Grid, maxWidth: Int?) -> Int {
        guard let mw = maxWidth else { return defaultWidth }
        var w = g.header.map { min(DisplayWidth.of($0), BoxTable.maxCellWidth) }
        for row in g.rows { for (k, c) in row.enumerated() where k < w.count { w[k] = max(w[k], min(DisplayWidth.of(c.shown), BoxTable.maxCellWidth)) } }
        let table = w.reduce(1) { $0 + $1 + 3 }
        return min(widest, max(narrowest, mw - table - 3))
    }
}

extension Grid {
    /// The grid with its bars drawn as a last column, headed "bar"; the
    /// grid itself when it has none.
    public func withBarColumn(width: Int) -> Grid {
        guard let fractions = bars else { return self }
        var g = self
        g.header.append("bar")
        g.rows = rows.enumerated().map { i, row in row + [Cell(Bars.draw(i < fractions.count ? fractions[i] ?? 0 : 0, width: width))] }
        g.bars = nil
        return g
    }
}
