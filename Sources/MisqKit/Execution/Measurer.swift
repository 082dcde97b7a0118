/// Computes the measure (count, distinct count, weight sum, aggregate) for
/// any grouping of the selected rows. Totals are groupings too, so a
/// distinct total is a true distinct count, never a sum of groups.
struct Measurer {
    enum Kind {
        case rows
        /// Id codes; a code past `cardinality` (only a damaged cache has
        /// one, `CodeCheck`) is not an id, and is reported to `check`.
        case distinct(codes: CategoryCodes, cardinality: Int, check: CodeCheck)
        case weighted(ColumnValues<Double>)
        case aggregate(Aggregate, ColumnValues<Double>)
    }
    let kind: Kind
    /// `min`, `max` or `median` of a date column: the values are day numbers.
    var isDate = false

    init(plan: PhysicalPlan, selection: Bitmap) throws {
        let ds = plan.dataset
        switch plan.measure {
        case .rows, .show: kind = .rows
        case .distinct(let k):
            let (codes, card) = IdCodes.make(try ds.column(k, selection: selection, checkedCodes: false))
            kind = .distinct(codes: codes, cardinality: card, check: ds.codeCheck)
        case .weighted(let w):
            guard case .number(let col) = try ds.column(w) else { throw MisqError(.data, "the weight column of '\(ds.name)' is not numeric") }
            kind = .weighted(col.values)
        case .aggregate(let a, let k):
            switch try ds.column(k) {
            case .number(let col): kind = .aggregate(a, col.values)
            case .date(let col) where a == .min || a == .max || a == .median:
                kind = .aggregate(a, ColumnValues(col.days.map { $0 == DateColumn.missing ? .nan : Double($0) }))
                isDate = true
            default: throw MisqError(.type, "\(a.rawValue) needs a number column")
            }
        }
    }

    var isDistinct: Bool { if case .distinct = kind { return true } else { return false } }
    var isInteger: Bool {
        switch kind {
        case .rows, .distinct: return true
        case .weighted(let w): return w.allSatisfy { $0.isNaN || $0.rounded() == $0 }
        case .aggregate(let a, _): return a == .min || a == .max || isDate
        }
    }

    /// Distinct ids among the selected rows, for one group: each slice of
    /// rows marks the ids it sees in its own bitset (2 MB at most), then
    /// the bitsets are joined and counted.
    static func distinctCount<C: FixedWidthInteger & BitwiseCopyable>(_ codes: UnsafeBufferPointer<C>, card: Int, selection: Bitmap,
                                                                      check: CodeCheck? = nil) -> Int {
        let words = (card + 63) / 64
        let n = Swift.min(codes.count, selection.count)
        // A slice a core, not a few: each slice's bitset is zeroed and
        // joined, which for an id of millions costs more than balance gains.
        let grain = Swift.max(1 << 20, (n + Parallel.cores - 1) / Parallel.cores)
        let slices = Parallel.sliceCount(n, grain: grain, align: 64)
        guard slices > 0, words > 0 else { return 0 }
        let seen = UnsafeMutablePointer<UInt64>.allocate(capacity: slices * words)
        seen.initialize(repeating: 0, count: slices * words)
        defer { seen.deallocate() }
        Parallel.slices(n, grain: grain, align: 64) { i, rows in
            let s = seen + i * words
            var past = false
            selection.forEachSet(in: rows) { r in
                let id = codes[r]
                // Missing (the width's largest value) and any code past
                // the ids are not ids.
                guard id != C.max else { return }
                guard Int(id) < card else { past = true; return }
                s[Int(id) >> 6] |= UInt64(1) &<< UInt64(Int(id) & 63)
            }
            if past { check?.report() }
        }
        var total = 0
        for w in 0..<words {
            var x: UInt64 = 0
            for i in 0..<slices { x |= seen[i * words + w] }
            total += x.nonzeroBitCount
        }
        return total
    }

    func values(groupOf: (Int) -> Int, groups: Int, selection: Bitmap) throws -> [Double] {
        var out = [Double](repeating: 0, count: groups)
        switch kind {
        case .rows:
            selection.forEachSet { out[groupOf($0)] += 1 }
        case .weighted(let w):
            selection.forEachSet { r in if !w[r].isNaN { out[groupOf(r)] += w[r] } }
        case .distinct(let codes, let card, let check):
            // One bitset over id codes per group when that fits in 64 MB,
            // else sort (group, id) pairs and count the unique ones.
            func count<C: FixedWidthInteger & BitwiseCopyable>(_ ids: ColumnValues<C>) {
                ids.withUnsafeBufferPointer { codes in
                    if groups == 1 && card <= 1 << 24 {
                        out[0] = Double(Measurer.distinctCount(codes, card: card, selection: selection, check: check))
                    } else if groups * card <= 1 << 29 {
                        var seen = [UInt64](repeating: 0, count: (groups * card + 63) / 64)
                        seen.withUnsafeMutableBufferPointer { s in
                            out.withUnsafeMutableBufferPointer { o in
                                selection.forEachSet { r in
                                    let id = codes[r]
                                    guard id != C.max else { return }
                                    guard Int(id) < card else { check.report(); return }
                                    let g = groupOf(r)
                                    let bit = g &* card &+ Int(id)
                                    let m = UInt64(1) &<< UInt64(bit & 63)
                                    if s[bit >> 6] & m == 0 { s[bit >> 6] |= m; o[g] += 1 }
                                }
                            }
                        }
                    } else {
                        var pairs: [UInt64] = []
                        selection.forEachSet { r in
                            let id = codes[r]
                            guard id != C.max else { return }
                            guard Int(id) < card else { check.report(); return }
                            pairs.append(UInt64(groupOf(r)) << 32 | UInt64(id))
                        }
                        pairs.sort()
                        var last: UInt64?
                        for p in pairs where p != last { out[Int(p >> 32)] += 1; last = p }
                    }
                }
            }
            switch codes {
            case .u8(let c): count(c)
            case .u16(let c): count(c)
            case .u32(let c): count(c)
            }
        case .aggregate(let agg, let v):
            switch agg {
            case .sum, .avg:
                var n = [Double](repeating: 0, count: groups)
                selection.forEachSet { r in if !v[r].isNaN { let g = groupOf(r); out[g] += v[r]; n[g] += 1 } }
                if agg == .avg { for g in 0..<groups { out[g] = n[g] > 0 ? out[g] / n[g] : .nan } }
                else { for g in 0..<groups where n[g] == 0 { out[g] = .nan } }
            case .min, .max:
                out = [Double](repeating: .nan, count: groups)
                selection.forEachSet { r in
                    guard !v[r].isNaN else { return }
                    let g = groupOf(r)
                    if out[g].isNaN || (agg == .min ? v[r] < out[g] : v[r] > out[g]) { out[g] = v[r] }
                }
            case .median:
                var lists = [[Double]](repeating: [], count: groups)
                selection.forEachSet { r in if !v[r].isNaN { lists[groupOf(r)].append(v[r]) } }
                for g in 0..<groups {
                    let s = lists[g].sorted()
                    // Of an even count of dates, the earlier middle one (DuckDB's
                    // quantile_disc(d, 0.5)), so the median is a day in the data
                    // rather than a half-day between two.
                    out[g] = s.isEmpty ? .nan : (s.count % 2 == 1 || isDate ? s[(s.count - 1) / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
                }
            }
        }
        return out
    }
}
