/// The first and last day of each zone of 16,384 rows of a date column, and
/// whether the zone has a missing day. Case exports are mostly in date
/// order, so a zone usually spans days or weeks: a period filter then
/// settles whole zones from two numbers (none of the zone's days read), and
/// a `by year` key is one value for a whole zone. Written to the cache with
/// the column, so a warm run reads only the zones it cannot settle.
public struct DateZones: Sendable, Equatable {
    /// A power of two, a whole number of bitmap words (256).
    static let shift = 14
    static let rows = 1 << shift

    /// Per zone: the least and greatest day present (Int32.max and Int32.min
    /// when every day is missing), and 1 if any day is missing.
    var lo: [Int32]
    var hi: [Int32]
    var hasMissing: [UInt8]

    init(lo: [Int32], hi: [Int32], hasMissing: [UInt8]) {
        self.lo = lo; self.hi = hi; self.hasMissing = hasMissing
    }

    /// One pass over the days, zones on all cores.
    init(days: ColumnValues<Int32>) {
        let n = days.count
        let count = (n + DateZones.rows - 1) >> DateZones.shift
        var lo = [Int32](repeating: .max, count: count), hi = [Int32](repeating: .min, count: count)
        var missing = [UInt8](repeating: 0, count: count)
        lo.withUnsafeMutableBufferPointer { l in
            hi.withUnsafeMutableBufferPointer { h in
                missing.withUnsafeMutableBufferPointer { m in
                    days.withUnsafeBufferPointer { d in
                        Parallel.slices(count, grain: 16) { _, zones in
                            for z in zones {
                                var a = Int32.max, b = Int32.min, gap = false
                                // Branch-free, so it vectorises: missing is
                                // Int32.min, swapped for max against the min.
                                for r in (z << DateZones.shift)..<Swift.min(n, (z + 1) << DateZones.shift) {
                                    let x = d[r]
                                    let absent = x == DateColumn.missing
                                    a = Swift.min(a, absent ? .max : x); b = Swift.max(b, x); gap = gap || absent
                                }
                                l[z] = a; h[z] = b == DateColumn.missing ? .min : b; m[z] = gap ? 1 : 0
                            }
                        }
                    }
                }
            }
        }
        self.lo = lo; self.hi = hi; self.hasMissing = missing
    }

    var count: Int { lo.count }

    /// The first and last day present in the column; nil if none is.
    var range: ClosedRange<Int32>? {
        let a = lo.min() ?? .max, b = hi.max() ?? .min
        return a <= b ? a...b : nil
    }

    /// Whether the zone's rows could be told by a simpler test: every day
    /// of zone `z` lies in [from, to) with none missing (`inside`), or no
    /// day does (`outside`; missing days are in no range).
    enum Verdict { case inside, outside, mixed }

    @inline(__always) func verdict(_ z: Int, from: Int32, to: Int32) -> Verdict {
        let a = lo[z], b = hi[z]
        if a > b || b < from || a >= to { return .outside }
        if hasMissing[z] == 0, a >= from, b < to { return .inside }
        return .mixed
    }

    /// Structurally sound for `rows` rows (a cache file's zones are checked
    /// before use: a wrong zone would give a wrong answer, not a crash).
    func fits(rows: Int) -> Bool {
        let count = (rows + DateZones.rows - 1) >> DateZones.shift
        return lo.count == count && hi.count == count && hasMissing.count == count
    }
}
