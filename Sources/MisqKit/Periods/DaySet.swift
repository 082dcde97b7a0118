/// A set of days: sorted, disjoint, non-touching half-open intervals. It is
/// what a footer states, so `reported < 2022 or reported in 2023` is said
/// as exactly the days it admits ("up to 2021-12-31 and 2023-01-01 to
/// 2023-12-31"), and `and`, `or` and `not` over periods are intersection,
/// union and complement.
///
/// Days are stored in columns as Int32, so every day a column can hold
/// lies in `lowest ..< highest`: an interval that starts at `lowest` has
/// no first day, one that ends at `highest` no last day.
public struct DaySet: Hashable, Sendable, CustomStringConvertible {
    public static let lowest = Int(Int32.min) + 1
    public static let highest = Int(Int32.max)

    public private(set) var intervals: [DayInterval]

    public static let empty = DaySet(intervals: [])
    public static let all = DaySet(intervals: [DayInterval(start: lowest, end: highest)])

    private init(intervals: [DayInterval]) { self.intervals = intervals }

    /// Days in [start, end), clamped to the days a column can hold.
    public init(from start: Int, to end: Int) {
        self.init([DayInterval(start: start, end: end)])
    }

    public init(_ interval: DayInterval) { self.init([interval]) }

    /// Any intervals, in any order, overlapping or not.
    public init(_ list: [DayInterval]) {
        let clamped = list.map { DayInterval(start: max($0.start, DaySet.lowest), end: min($0.end, DaySet.highest)) }
            .filter { $0.end > $0.start }
            .sorted { $0.start < $1.start }
        var out: [DayInterval] = []
        for i in clamped {
            if let last = out.last, i.start <= last.end {
                out[out.count - 1].end = max(last.end, i.end)
            } else {
                out.append(i)
            }
        }
        intervals = out
    }

    public var isEmpty: Bool { intervals.isEmpty }
    public var isAll: Bool { self == .all }

    public func contains(_ day: Int) -> Bool {
        // Few intervals: a footer names a handful.
        intervals.contains { $0.contains(day) }
    }

    public func union(_ other: DaySet) -> DaySet { DaySet(intervals + other.intervals) }

    public func intersection(_ other: DaySet) -> DaySet {
        var out: [DayInterval] = []
        var i = 0, j = 0
        let a = intervals, b = other.intervals
        while i < a.count, j < b.count {
            let s = max(a[i].start, b[j].start), e = min(a[i].end, b[j].end)
            if s < e { out.append(DayInterval(start: s, end: e)) }
            if a[i].end < b[j].end { i += 1 } else { j += 1 }
        }
        return DaySet(intervals: out)
    }

    /// Every day a column can hold that is not in the set.
    public var complement: DaySet {
        var out: [DayInterval] = []
        var from = DaySet.lowest
        for i in intervals {
            if i.start > from { out.append(DayInterval(start: from, end: i.start)) }
            from = i.end
        }
        if from < DaySet.highest { out.append(DayInterval(start: from, end: DaySet.highest)) }
        return DaySet(intervals: out)
    }

    /// "up to 2021-12-31", "from 2022-05-01", "2022-05-01 to 2023-04-30
    /// (12 months, 365 days)", several joined by "and"; "all dates", "no dates".
    public var description: String {
        if isEmpty { return "no dates" }
        if isAll { return "all dates" }
        return intervals.map { i in
            if i.start == DaySet.lowest { return "up to \(Day.iso(i.end - 1))" }
            if i.end == DaySet.highest { return "from \(Day.iso(i.start))" }
            return i.description
        }.joined(separator: " and ")
    }
}
