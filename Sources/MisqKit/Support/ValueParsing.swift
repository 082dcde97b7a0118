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

    /// A value that reads as a number only when reading it loses nothing:
    /// `number` of a value that `numberLoses` passes. Column types are
    /// inferred with this, so an id column keeps `007` apart from `7`.
    public static func exactNumber(_ s: String) -> Double? {
        switch plainNumber(s) {
        case .exact(let v): return v
        case .loses: return nil
        case .undecided: return numberLoses(s) == nil ? (number(s) ?? exponentNumber(s)) : nil
        }
    }

    /// A number in exponent form, as a program writes a very large or
    /// small one (`1e300`, `2.5E-3`, `-4e+2`): a plain decimal mantissa (no
    /// grouping), `e` or `E`, a signed whole exponent; finite. DuckDB's
    /// read_csv reads these as DOUBLE; a CSV column of them was text.
    /// Whether reading one loses anything is `numberLoses`'s question.
    public static func exponentNumber(_ s: String) -> Double? {
        let u = Array(s.utf8)
        guard let e = u.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }), e > 0, e < u.count - 1 else { return nil }
        var k = u[0] == UInt8(ascii: "-") || u[0] == UInt8(ascii: "+") ? 1 : 0
        var digits = 0, point = false
        while k < e {
            if (48...57).contains(u[k]) { digits += 1 } else if u[k] == UInt8(ascii: "."), !point { point = true } else { return nil }
            k += 1
        }
        k = e + 1
        if u[k] == UInt8(ascii: "-") || u[k] == UInt8(ascii: "+") { k += 1 }
        guard digits > 0, k < u.count, u[k...].allSatisfy({ (48...57).contains($0) }), u.count - k <= 6 else { return nil }
        guard let v = Double(s), v.isFinite else { return nil }
        return v
    }

    /// Whether `s` is written in exponent form (a digit then `e`/`E`).
    static func hasExponent(_ s: String) -> Bool {
        s.utf8.contains(UInt8(ascii: "e")) || s.utf8.contains(UInt8(ascii: "E"))
    }

    enum PlainReading { case exact(Double), loses, undecided }

    /// The common value read straight from its bytes, with no String made:
    /// a sign, digits and a point, at most 15 significant digits (which a
    /// double holds exactly, so the mantissa over a power of ten is the
    /// correctly rounded value, the same as `Double(String)` gives).
    /// Anything else (grouping commas, more digits, not a number) is left to
    /// the careful path. An id column has a label per row or two, and
    /// reading each through Strings took seconds at 1M rows.
    static func plainNumber(_ s: String) -> PlainReading {
        s.utf8.withContiguousStorageIfAvailable { b -> PlainReading in
            var i = 0
            if let c = b.first, c == UInt8(ascii: "-") || c == UInt8(ascii: "+") { i = 1 }
            let negative = b.first == UInt8(ascii: "-")
            var mantissa: UInt64 = 0, significant = 0, intDigits = 0, fracDigits = 0
            var seenPoint = false, leadingZero = false
            while i < b.count {
                let c = b[i]
                if c >= 48 && c <= 57 {
                    if seenPoint { fracDigits += 1 } else {
                        if intDigits == 0 && c == 48 { leadingZero = true }
                        intDigits += 1
                    }
                    if mantissa != 0 || c != 48 {
                        significant += 1
                        if significant > 15 { return .undecided }
                    }
                    mantissa = mantissa &* 10 &+ UInt64(c &- 48)
                } else if c == UInt8(ascii: "."), !seenPoint {
                    seenPoint = true
                } else {
                    return .undecided
                }
                i += 1
            }
            guard intDigits + fracDigits > 0, fracDigits < ValueParsing.powersOfTen.count else { return .undecided }
            if leadingZero && intDigits > 1 { return .loses }
            // `+7` and `-0` are written apart from `7` and `0`; a number
            // would merge them (see `numberLoses`).
            if b.first == UInt8(ascii: "+") || (negative && mantissa == 0) { return .loses }
            let v = Double(mantissa) / ValueParsing.powersOfTen[fracDigits]
            return .exact(negative ? -v : v)
        } ?? .undecided
    }

    /// 1e0 … 1e22: each exact in a double.
    static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { v, _ in v * 10 } }

    /// A value as a number, through the fast path when it decides.
    static func anyNumber(_ s: String) -> Double? {
        if case .exact(let v) = plainNumber(s) { return v }
        return number(s) ?? exponentNumber(s)
    }

    /// Why reading `s` as a number would lose something, or nil when it
    /// would not (or `s` is no number at all). The rule: a value is a
    /// number when the number gives back the value — its sign and digits,
    /// not its grouping or trailing fraction zeros (`1.50` is an amount
    /// written to the penny, and stays a number). Four things break that:
    /// a leading zero (`007` and `7` would be one number; DuckDB reads such
    /// a column as text too), a plus sign (`+7` and `7`; DuckDB: text), a
    /// negative zero (`-0` and `0`; DuckDB reads `-0` as 0, we keep it
    /// apart) and more significant digits than a double holds
    /// (`9007199254740993` would read as `9007199254740992`). Grouping
    /// commas lose nothing in one value, but can merge two (`1,000` and
    /// `1000`): `groupingMerges` checks that per column. Cheap on the
    /// common value: one pass over the bytes, and the exact comparison only
    /// past 15 significant digits, below which every decimal round-trips.
    public static func numberLoses(_ s: String) -> String? {
        // Exponent form: the mantissa decides, as a plain decimal would
        // (`01e3` a leading zero, `+1e3` a sign, `-0e5` a negative zero),
        // and its digits must survive the double (`sameDecimal` reads the
        // exponent).
        if hasExponent(s), exponentNumber(s) != nil {
            let mantissa = String(s.prefix { $0 != "e" && $0 != "E" })
            // An exponent padded past printf's two digits (`2023E0001`, an
            // id) is not how a program writes a number, and would not come back.
            let exponent = s.drop { $0 != "e" && $0 != "E" }.dropFirst().drop { $0 == "+" || $0 == "-" }
            if exponent.count > 2, exponent.first == "0" {
                return "'\(s)' pads its exponent with zeros, which reading it as a number would drop"
            }
            // The mantissa's digits alone are not the number's: checked whole below.
            if let why = numberLoses(mantissa), !why.contains("more digits than") {
                return why.replacingOccurrences(of: "'\(mantissa)'", with: "'\(s)'")
            }
            let unsigned = s.first == "-" || s.first == "+" ? String(s.dropFirst()) : s
            if let v = exponentNumber(s), decimalDigits(unsigned) != decimalDigits(v.magnitude.description) {
                return "'\(s)' has more digits than a number holds exactly: it would read as \(v.description)"
            }
            return nil
        }
        var u = Substring(s).utf8
        if u.first == UInt8(ascii: "-") || u.first == UInt8(ascii: "+") { u = u.dropFirst() }
        var intDigits = 0, leadingZero = false, significant = 0, pendingZeros = 0, seenPoint = false, seenNonZero = false
        for b in u {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if !seenPoint {
                    if intDigits == 0 && b == UInt8(ascii: "0") { leadingZero = true }
                    intDigits += 1
                }
                // Significant digits: from the first non-zero; zeros at the
                // end count only once a digit follows them.
                if b == UInt8(ascii: "0") { if seenNonZero { pendingZeros += 1 } }
                else { seenNonZero = true; significant += pendingZeros + 1; pendingZeros = 0 }
            case UInt8(ascii: "."):
                seenPoint = true
                significant += pendingZeros; pendingZeros = 0
            case UInt8(ascii: ","): if seenPoint { return nil }
            default: return nil
            }
        }
        // Trailing zeros of the integer part are significant ("1000").
        if !seenPoint { significant += pendingZeros }
        guard let read = number(s) else { return nil }
        if leadingZero && intDigits > 1 {
            return "'\(s)' has a leading zero, which reading it as a number would drop"
        }
        if s.utf8.first == UInt8(ascii: "+") {
            return "'\(s)' has a plus sign, which reading it as a number would drop"
        }
        if read == 0 && s.utf8.first == UInt8(ascii: "-") {
            return "'\(s)' is a negative zero, which reading it as a number would make 0"
        }
        if significant > 15, let v = number(s), !sameDecimal(s, v) {
            return "'\(s)' has more digits than a number holds exactly: it would read as \(v.rounded() == v ? NumberFormat.plain(v) : v.description)"
        }
        return nil
    }

    /// Whether the decimal written in `s` (a value `number` reads) is the
    /// one that `v`'s shortest round-trip form writes.
    static func sameDecimal(_ s: String, _ v: Double) -> Bool {
        decimalDigits(s.filter { $0 != "," && $0 != "+" && $0 != "-" }) == decimalDigits(v.magnitude.description)
    }

    /// Significant digits and the power of ten of the first one, of a plain
    /// or exponent-form decimal ("12.5", "1.25e+16").
    static func decimalDigits(_ text: String) -> (digits: [UInt8], exponent: Int) {
        let parts = text.lowercased().split(separator: "e", maxSplits: 1)
        let mantissa = parts.first.map(String.init) ?? ""
        let power = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        var digits: [UInt8] = []
        var pointAt: Int?
        for b in mantissa.utf8 {
            if b == UInt8(ascii: ".") { pointAt = digits.count } else { digits.append(b) }
        }
        var point = pointAt ?? digits.count
        while digits.first == UInt8(ascii: "0") { digits.removeFirst(); point -= 1 }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        return digits.isEmpty ? ([], 0) : (digits, point + power)
    }

    /// Why a column whose values all read as numbers is still text: the
    /// first value that reading as a number would change, and how. Nil
    /// when the column is not that case.
    public static func textReason(_ labels: [String]) -> String? {
        var reason: String?
        for l in labels where !l.isEmpty {
            guard number(l) ?? exponentNumber(l) != nil else { return nil }
            if reason == nil { reason = numberLoses(l) }
        }
        return reason ?? groupingMerges(labels.lazy.filter { !$0.isEmpty })
    }

    /// Why the distinct values of a column would not stay distinct as
    /// numbers because of grouping commas (`1,000` and `1000` would be one
    /// number), or nil. Each value alone loses nothing, so this is checked
    /// per column; it costs a pass only when some value has a comma.
    /// Exponent forms are spellings as grouping is: `1e5`, `1E5` and
    /// `100000` would be one number.
    public static func groupingMerges<S: Sequence>(_ labels: S) -> String? where S.Element == String {
        func spelled(_ l: String) -> Bool { l.utf8.contains(UInt8(ascii: ",")) || hasExponent(l) }
        var grouped: [Double: String] = [:]
        for l in labels where spelled(l) {
            guard let v = anyNumber(l) else { continue }
            if let g = grouped[v] { return "'\(g)' and '\(l)' would read as the same number" }
            grouped[v] = l
        }
        if grouped.isEmpty { return nil }
        for l in labels where !spelled(l) {
            if let v = anyNumber(l), let g = grouped[v] {
                return "'\(g)' and '\(l)' would read as the same number"
            }
        }
        return nil
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
