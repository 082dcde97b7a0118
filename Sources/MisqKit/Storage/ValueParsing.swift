/// How a single text value reads as each type. Applied to distinct labels
/// only, so it can be plain and careful rather than fast.
public enum ValueParsing {
    public static let trueWords: Set<String> = ["yes", "y", "true", "t"]
    public static let falseWords: Set<String> = ["no", "n", "false", "f"]

    public static func boolean(_ s: String, allowDigits: Bool) -> Bool? {
        let l = s.lowercased()
        if trueWords.contains(l) || (allowDigits && l == "1") { return true }
        if falseWords.contains(l) || (allowDigits && l == "0") { return false }
        return nil
    }

    /// Plain decimals, with an optional sign, and thousands separators when
    /// every group has three digits ("1,131").
    public static func number(_ s: String) -> Double? {
        var t = Substring(s)
        if t.isEmpty { return nil }
        var sign = 1.0
        if t.first == "-" { sign = -1; t = t.dropFirst() } else if t.first == "+" { t = t.dropFirst() }
        guard let first = t.first, first.isASCII, first.isNumber || first == "." else { return nil }
        let parts = t.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var intPart = String(parts[0])
        if intPart.contains(",") {
            let groups = intPart.split(separator: ",", omittingEmptySubsequences: false)
            guard let g0 = groups.first, (1...3).contains(g0.count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
            intPart = groups.joined()
        }
        guard intPart.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var frac = ""
        if parts.count == 2 {
            frac = String(parts[1])
            guard frac.allSatisfy({ $0.isASCII && $0.isNumber }), !(intPart.isEmpty && frac.isEmpty) else { return nil }
        }
        guard let v = Double(intPart.isEmpty ? "0." + frac : (frac.isEmpty ? intPart : intPart + "." + frac)) else { return nil }
        return sign * v
    }

    public enum DateOrder: String, Sendable { case dayFirst = "dmy", monthFirst = "mdy" }

    /// Whether a value has the shape of a date, valid or not, so that
    /// "31/02/2023" in a date column is an error, not a category.
    public static func looksLikeDate(_ s: String) -> Bool {
        let u = Array(s.utf8.prefix(10))
        func d(_ k: Int) -> Bool { k < u.count && u[k] >= 48 && u[k] <= 57 }
        if u.count >= 10, d(0), d(1), d(2), d(3), u[4] == 45, d(5), d(6), u[7] == 45, d(8), d(9) { return true }
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0].count <= 2 && parts[1].count <= 2 && parts[2].count == 4
            && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    /// ISO `yyyy-mm-dd` (a time after it is ignored) or `dd/mm/yyyy` (UK,
    /// the default) / `mm/dd/yyyy` when the dataset says so.
    public static func date(_ s: String, order: DateOrder = .dayFirst) -> Int? {
        let u = Array(s.utf8)
        func num(_ a: Int, _ b: Int) -> Int? {
            guard b <= u.count, a < b else { return nil }
            var v = 0
            for k in a..<b { guard u[k] >= 48, u[k] <= 57 else { return nil }; v = v * 10 + Int(u[k] - 48) }
            return v
        }
        if u.count >= 10, u[4] == 45, u[7] == 45 {
            if u.count > 10, u[10] != UInt8(ascii: "T"), u[10] != UInt8(ascii: " ") { return nil }
            guard let y = num(0, 4), let m = num(5, 7), let d = num(8, 10) else { return nil }
            return Day.valid(y, m, d)
        }
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].count == 4, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count),
              let a = Int(parts[0]), let b = Int(parts[1]), let y = Int(parts[2]) else { return nil }
        return order == .dayFirst ? Day.valid(y, b, a) : Day.valid(y, a, b)
    }
}
