/// An exact rational number, for `~`, `=` and `within` in assertions:
/// binary floating point turns 14.5 into 14.4999… and 1.005 into
/// 1.00499…, so rounding a Double to the published figure's decimals can
/// pass a figure that is wrong. Counts are integers, literals are exact
/// decimals, and `+ - * /` and `percent()` keep them exact. 128-bit parts
/// with overflow checks: a result too large for them has no exact value
/// (nil), and the assertion falls back to floating point.
public struct ExactNumber: Equatable, Sendable, CustomStringConvertible {
    /// In lowest terms; the denominator is positive.
    public let numerator: Int128
    public let denominator: Int128

    public init?(_ numerator: Int128, _ denominator: Int128) {
        guard denominator != 0, numerator != .min, denominator != .min else { return nil }
        let g = ExactNumber.gcd(numerator.magnitude, denominator.magnitude)
        var n = numerator / Int128(g), d = denominator / Int128(g)
        if d < 0 { n = -n; d = -d }
        self.numerator = n; self.denominator = d
    }

    public init(_ integer: Int) { numerator = Int128(integer); denominator = 1 }

    /// A decimal as written: `1,131`, `-14.5`, `0.005`, `2.5e-7`.
    public init?(decimal text: String) {
        var s = Substring(text.filter { $0 != "," })
        var negative = false
        if s.first == "-" { negative = true; s = s.dropFirst() } else if s.first == "+" { s = s.dropFirst() }
        var exponent = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let x = Int(s[s.index(after: e)...]), abs(x) < 60 else { return nil }
            exponent = x
            s = s[..<e]
        }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, parts.count <= 2 else { return nil }
        let frac = parts.count == 2 ? parts[1] : ""
        let digits = whole + frac
        guard !digits.isEmpty, digits.count <= 36, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var n: Int128 = 0
        for ch in digits { n = n * 10 + Int128(ch.wholeNumberValue ?? 0) }
        exponent -= frac.count
        guard let p = ExactNumber.power10(abs(exponent)) else { return nil }
        var num = negative ? -n : n, den: Int128 = 1
        if exponent >= 0 {
            let (m, o) = num.multipliedReportingOverflow(by: p)
            if o { return nil }
            num = m
        } else { den = p }
        self.init(num, den)
    }

    /// A computed Double (a count, a sum) read as the shortest decimal that
    /// gives it back: exact for whole numbers, and the written decimal for
    /// a value parsed from text.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        if value.rounded() == value, abs(value) < 1e18 { self.init(Int(value)); return }
        self.init(decimal: "\(value)")
    }

    public var doubleValue: Double { Double(numerator) / Double(denominator) }

    public static func + (a: ExactNumber, b: ExactNumber) -> ExactNumber? {
        guard let x = mul(a.numerator, b.denominator), let y = mul(b.numerator, a.denominator),
              let d = mul(a.denominator, b.denominator) else { return nil }
        let (s, o) = x.addingReportingOverflow(y)
        return o ? nil : ExactNumber(s, d)
    }
    public static prefix func - (a: ExactNumber) -> ExactNumber { ExactNumber(-a.numerator, a.denominator) ?? a }
    public static func - (a: ExactNumber, b: ExactNumber) -> ExactNumber? { a + (-b) }
    public static func * (a: ExactNumber, b: ExactNumber) -> ExactNumber? {
        // Cross-reduce first so products of counts stay small.
        let g1 = Int128(gcd(a.numerator.magnitude, b.denominator.magnitude)), g2 = Int128(gcd(b.numerator.magnitude, a.denominator.magnitude))
        guard g1 != 0, g2 != 0, let n = mul(a.numerator / g1, b.numerator / g2), let d = mul(a.denominator / g2, b.denominator / g1) else { return nil }
        return ExactNumber(n, d)
    }
    public static func / (a: ExactNumber, b: ExactNumber) -> ExactNumber? {
        guard b.numerator != 0, let inverse = ExactNumber(b.denominator, b.numerator) else { return nil }
        return a * inverse
    }
    public static func < (a: ExactNumber, b: ExactNumber) -> Bool? {
        guard let x = mul(a.numerator, b.denominator), let y = mul(b.numerator, a.denominator) else { return nil }
        return x < y
    }
    public var magnitude: ExactNumber { numerator < 0 ? -self : self }

    /// Rounded to `decimals` places, half away from zero (77.5 → 78,
    /// 78.5 → 79, -0.5 → -1), as the integer count of 10^-decimals units.
    public func roundedUnits(decimals: Int) -> Int128? {
        guard let p = ExactNumber.power10(decimals), let scaled = ExactNumber.mul(numerator, p) else { return nil }
        let q = scaled.magnitude / denominator.magnitude, r = scaled.magnitude % denominator.magnitude
        // r / d >= 1/2 rounds up in magnitude.
        let up = r * 2 >= denominator.magnitude
        let units = Int128(q) + (up ? 1 : 0)
        return scaled < 0 ? -units : units
    }

    /// `units` × 10^-decimals as text with exactly `decimals` places.
    public static func fixed(units: Int128, decimals: Int) -> String {
        let digits = String(units.magnitude)
        guard decimals > 0 else { return (units < 0 ? "-" : "") + digits }
        let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
        let cut = padded.index(padded.endIndex, offsetBy: -decimals)
        return (units < 0 ? "-" : "") + padded[..<cut] + "." + padded[cut...]
    }

    public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }

    static func mul(_ a: Int128, _ b: Int128) -> Int128? {
        let (m, o) = a.multipliedReportingOverflow(by: b)
        return o ? nil : m
    }
    static func power10(_ k: Int) -> Int128? {
        guard k >= 0, k <= 36 else { return nil }
        var p: Int128 = 1
        for _ in 0..<k { p *= 10 }
        return p
    }
    static func gcd(_ a: UInt128, _ b: UInt128) -> UInt128 {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x == 0 ? 1 : x
    }
}
