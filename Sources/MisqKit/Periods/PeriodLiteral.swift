/// A literal naming a whole calendar unit. Each denotes a half-open day
/// interval [start, end).
public enum PeriodLiteral: Hashable, Sendable, CustomStringConvertible {
    case year(Int)
    case month(Int, Int)
    case dayOf(Int, Int, Int)
    case quarter(Int, Int)
    /// UK financial year starting 1 April of the given year (FY2022/23 → 2022).
    case financialYear(Int)

    /// A checked day literal; nil when the day does not exist.
    public static func day(_ y: Int, _ m: Int, _ d: Int) -> PeriodLiteral? {
        Day.valid(y, m, d) == nil ? nil : .dayOf(y, m, d)
    }

    public var start: Int {
        switch self {
        case .year(let y): return Day.number(y, 1, 1)
        case .month(let y, let m): return Day.number(y, m, 1)
        case .dayOf(let y, let m, let d): return Day.number(y, m, d)
        case .quarter(let y, let q): return Day.number(y, (q - 1) * 3 + 1, 1)
        case .financialYear(let y): return Day.number(y, 4, 1)
        }
    }

    /// First day after the period.
    public var end: Int {
        switch self {
        case .year(let y): return Day.number(y + 1, 1, 1)
        case .month(let y, let m): return m == 12 ? Day.number(y + 1, 1, 1) : Day.number(y, m + 1, 1)
        case .dayOf: return start + 1
        case .quarter(let y, let q): return q == 4 ? Day.number(y + 1, 1, 1) : Day.number(y, q * 3 + 1, 1)
        case .financialYear(let y): return Day.number(y + 1, 4, 1)
        }
    }

    public var interval: DayInterval { DayInterval(start: start, end: end) }

    /// Source form, so a parsed literal prints back as it is written.
    public var description: String {
        switch self {
        case .year(let y): return Day.year(y)
        case .month(let y, let m): return "\(Day.year(y))-\(String(format2: m))"
        case .dayOf(let y, let m, let d): return "\(Day.year(y))-\(String(format2: m))-\(String(format2: d))"
        case .quarter(let y, let q): return "\(Day.year(y))-Q\(q)"
        case .financialYear(let y): return "FY\(Day.year(y))/\(String(format2: (y + 1) % 100))"
        }
    }
}

/// A resolved period: days [start, end). The footer shows it inclusively.
public struct DayInterval: Hashable, Sendable, CustomStringConvertible {
    public var start: Int
    public var end: Int
    public init(start: Int, end: Int) { self.start = start; self.end = end }

    public var days: Int { max(0, end - start) }
    public func contains(_ day: Int) -> Bool { day >= start && day < end }
    public func contains(_ other: DayInterval) -> Bool { other.start >= start && other.end <= end }

    /// Whole months when the interval runs from a first-of-month to a
    /// first-of-month, else nil.
    public var wholeMonths: Int? {
        let s = Day.civil(start), e = Day.civil(end)
        guard s.day == 1, e.day == 1, end > start else { return nil }
        return (e.year * 12 + e.month) - (s.year * 12 + s.month)
    }

    /// "2022-05-01 to 2023-04-30 (12 months, 365 days)".
    public var description: String {
        guard end > start else { return "empty (\(Day.iso(start)) to \(Day.iso(end - 1)))" }
        var size = "\(NumberFormat.count(days)) day\(days == 1 ? "" : "s")"
        if let m = wholeMonths { size = "\(m) month\(m == 1 ? "" : "s"), " + size }
        return "\(Day.iso(start)) to \(Day.iso(end - 1)) (\(size))"
    }
}
