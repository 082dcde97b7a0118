/// Locale-independent number text: results pasted into an FOI response must
/// not change with the machine's locale.
public enum NumberFormat {
    /// Fixed decimals, rounding half away from zero: 77.5 → "78" at 0 decimals.
    public static func fixed(_ v: Double, decimals: Int) -> String {
        // NaN is how a number column holds a missing value (and what an
        // average of nothing is): shown as the tables' missing marker.
        guard v.isFinite else { return v.isNaN ? "(missing)" : (v > 0 ? "inf" : "-inf") }
        let d = max(0, min(decimals, 12))
        var scale = 1.0
        for _ in 0..<d { scale *= 10 }
        let scaled = (abs(v) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e18 else { return String(v) }
        let n = UInt64(scaled)
        var digits = String(n)
        if d > 0 {
            if digits.count <= d { digits = String(repeating: "0", count: d - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -d))
        }
        return (v < 0 && n != 0 ? "-" : "") + digits
    }

    /// Thousands separators on the integer part: 1636 → "1,636".
    public static func grouped(_ v: Double, decimals: Int) -> String {
        // Most counts are below a thousand: no separator, and no walk over
        // the digits (a million groups each printed a count).
        if decimals <= 0, abs(v) < 999.5 {
            let n = UInt64(abs(v).rounded(.toNearestOrAwayFromZero))
            return (v < 0 && n != 0 ? "-" : "") + String(n)
        }
        let s = fixed(v, decimals: decimals)
        var sign = "", body = Substring(s)
        if body.hasPrefix("-") { sign = "-"; body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1)
        guard let intPart = parts.first, intPart.allSatisfy(\.isNumber) else { return s }
        var out = ""
        for (i, ch) in intPart.enumerated() {
            if i > 0, (intPart.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return sign + out + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// A count as the tables print it: 715061 → "715,061".
    public static func count(_ n: Int) -> String { grouped(Double(n), decimals: 0) }

    /// Thousands separators, and enough decimals for `digits` significant
    /// digits (at least `minDecimals`), zeros kept since they are figures
    /// too: 0.02412 → "0.0241" (not "0.02"), 0.27997 → "0.280",
    /// 2.5 → "2.50", 1234.567 → "1,234.57".
    public static func significant(_ v: Double, digits: Int, minDecimals: Int) -> String {
        guard v.isFinite, v != 0 else { return grouped(v, decimals: minDecimals) }
        var magnitude = 0, a = abs(v)
        while a >= 10 { a /= 10; magnitude += 1 }
        while a < 1 { a *= 10; magnitude -= 1 }
        return grouped(v, decimals: min(12, max(minDecimals, digits - 1 - magnitude)))
    }

    /// A figure as tables, Markdown and notes show it (docs/language.md,
    /// "Scalars"): a whole number without a point, any other value with
    /// three significant figures and at least two decimals.
    public static func figure(_ v: Double) -> String {
        v.rounded() == v ? grouped(v, decimals: 0) : significant(v, digits: 3, minDecimals: 2)
    }

    /// A percentage as shown: two significant figures, at least one decimal.
    public static func percent(_ p: Double) -> String { significant(p, digits: 2, minDecimals: 1) + "%" }

    /// Shortest text for a value: integers without a point, others with up
    /// to 4 decimals and no trailing zeros. A value that form cannot hold —
    /// a whole number past 10^15 (where `fixed` falls back to exponent
    /// form, whose zeros are not trailing fraction zeros: 1.5e+20 must not
    /// become 1.5e+2) or a non-zero value that 4 decimals would round to 0 —
    /// is written `exact`.
    public static func plain(_ v: Double) -> String {
        guard v.isFinite else { return fixed(v, decimals: 0) }
        if v.rounded() == v, abs(v) < 1e15 { return fixed(v, decimals: 0) }
        if abs(v) >= 1e15 || abs(v) < 0.00005 { return exact(v) }
        var s = fixed(v, decimals: 4)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// The shortest text that reads back as the same Double: a value as
    /// the data holds it (a cell shown or exported, a literal printed back
    /// into a query). Whole numbers below 2^53 as digits; others as Swift's
    /// shortest round-trip form, in exponent form when very large or small
    /// (1.5e+20, 1e-07), which `Double(String)`, JSON and spreadsheets read.
    public static func exact(_ v: Double) -> String {
        guard v.isFinite else { return fixed(v, decimals: 0) }
        if v.rounded() == v, abs(v) < 9_007_199_254_740_992 { return String(Int64(v)) }
        return v.description
    }
}
