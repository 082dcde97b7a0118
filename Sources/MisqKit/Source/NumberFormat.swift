/// Locale-independent number text: results pasted into an FOI response must
/// not change with the machine's locale.
public enum NumberFormat {
    /// Fixed decimals, rounding half away from zero: 77.5 → "78" at 0 decimals.
    public static func fixed(_ v: Double, decimals: Int) -> String {
        guard v.isFinite else { return v.isNaN ? "NaN" : (v > 0 ? "inf" : "-inf") }
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

    /// Shortest text for a value: integers without a point, others with up
    /// to 4 decimals and no trailing zeros.
    public static func plain(_ v: Double) -> String {
        if v.rounded() == v, abs(v) < 1e15 { return fixed(v, decimals: 0) }
        var s = fixed(v, decimals: 4)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}

