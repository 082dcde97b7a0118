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
        case aggregate(AggregateKernel, ColumnValues<Double>)
    }
    let kind: Kind
    /// An aggregate of a date column: the values are day numbers.
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
            case .number(let col): kind = .aggregate(a.kernel, col.values)
            case .date(let col) where a.spec.argumentTypes.contains(.date):
                kind = .aggregate(a.kernel, ColumnValues(col.days.map { $0 == DateColumn.missing ? .nan : Double($0) }))
                // Day numbers in; a date out only where the entry says the
                // result has the argument's type.
                isDate = a.spec.result == .sameAsArgument
            default: throw MisqError(.type, "\(a.name) needs \(a.spec.argumentsListed)")
            }
        }
    }

    /// For tests: the most bits of one bitset per group (64 MB), made
    /// small so a few thousand rows take the path past it.
    @TaskLocal static var testBitsetLimit: Int?

    var isDistinct: Bool { if case .distinct = kind { return true } else { return false } }
    var isInteger: Bool {
        switch kind {
        case .rows, .distinct: return true
        case .weighted(let w): return w.allSatisfy { $0.isNaN || $0.rounded() == $0 }
        // Not min or max either: the largest of 2.5 and 1,000,000.25 is not whole.
        case .aggregate: return isDate
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
                    } else if groups * card <= (Measurer.testBitsetLimit ?? 1 << 29) {
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
                        // Too many groups for a bitset each: the ids are laid
                        // out group after group (counted first, so no sort),
                        // then each group's run is counted with one stamp per
                        // id, the last group that saw it.
                        var start = [Int](repeating: 0, count: groups + 1)
                        selection.forEachSet { r in
                            let id = codes[r]
                            guard id != C.max else { return }
                            guard Int(id) < card else { check.report(); return }
                            start[groupOf(r) + 1] += 1
                        }
                        for g in 0..<groups { start[g + 1] += start[g] }
                        var next = start
                        var ids = [UInt32](repeating: 0, count: start[groups])
                        ids.withUnsafeMutableBufferPointer { buf in
                            next.withUnsafeMutableBufferPointer { nx in
                                selection.forEachSet { r in
                                    let id = codes[r]
                                    guard id != C.max, Int(id) < card else { return }
                                    let g = groupOf(r)
                                    buf[nx[g]] = UInt32(id)
                                    nx[g] += 1
                                }
                            }
                        }
                        var stamp = [Int32](repeating: -1, count: card)
                        stamp.withUnsafeMutableBufferPointer { st in
                            ids.withUnsafeBufferPointer { buf in
                                for g in 0..<groups {
                                    var n = 0
                                    let mark = Int32(truncatingIfNeeded: g)
                                    for i in start[g]..<start[g + 1] {
                                        let id = Int(buf[i])
                                        if st[id] != mark { st[id] = mark; n += 1 }
                                    }
                                    out[g] = Double(n)
                                }
                            }
                        }
                    }
                }
            }
            switch codes {
            case .u8(let c): count(c)
            case .u16(let c): count(c)
            case .u32(let c): count(c)
            }
        case .aggregate(let kernel, let v):
            switch kernel {
            case .sum, .mean:
                var n = [Double](repeating: 0, count: groups)
                selection.forEachSet { r in if !v[r].isNaN { let g = groupOf(r); out[g] += v[r]; n[g] += 1 } }
                if kernel == .mean { for g in 0..<groups { out[g] = n[g] > 0 ? out[g] / n[g] : .nan } }
                else { for g in 0..<groups where n[g] == 0 { out[g] = .nan } }
            case .least, .greatest:
                out = [Double](repeating: .nan, count: groups)
                selection.forEachSet { r in
                    guard !v[r].isNaN else { return }
                    let g = groupOf(r)
                    if out[g].isNaN || (kernel == .least ? v[r] < out[g] : v[r] > out[g]) { out[g] = v[r] }
                }
            case .quantile(let q):
                out = Measurer.quantiles(q, of: v, groupOf: groupOf, groups: groups, selection: selection, discrete: isDate)
            }
        }
        return out
    }

    /// Each group's quantile: the groups' values laid out one group after
    /// another in a single buffer (counted first, so nothing is allocated
    /// per row or per group), then in each group's run the one or two
    /// values needed are selected in place (`select`), not the run sorted.
    static func quantiles(_ q: ExactNumber, of v: ColumnValues<Double>, groupOf: (Int) -> Int, groups: Int, selection: Bitmap,
                          discrete: Bool) -> [Double] {
        var start = [Int](repeating: 0, count: groups + 1)
        selection.forEachSet { r in if !v[r].isNaN { start[groupOf(r) + 1] += 1 } }
        for g in 0..<groups { start[g + 1] += start[g] }
        var next = start
        var values = [Double](repeating: 0, count: start[groups])
        values.withUnsafeMutableBufferPointer { buf in
            selection.forEachSet { r in
                guard !v[r].isNaN else { return }
                let g = groupOf(r)
                buf[next[g]] = v[r]
                next[g] += 1
            }
        }
        let fraction = q.doubleValue
        var out = [Double](repeating: .nan, count: groups)
        values.withUnsafeMutableBufferPointer { buf in
            for g in 0..<groups where start[g + 1] > start[g] {
                let run = UnsafeMutableBufferPointer(rebasing: buf[start[g]..<start[g + 1]])
                let n = run.count
                if discrete {
                    let k = discreteRank(q, n)
                    select(run, k)
                    out[g] = run[k]
                    continue
                }
                // DuckDB's quantile_cont: position (n - 1)·q, and with
                // d its fraction, lo·(1 - d) + hi·d of the values either
                // side. DuckDB 2.0.1 fuses the first product into the
                // sum (measured: only this order gives its last digit on
                // all of PercentileTests' cases), so the same is done here.
                let position = Double(n - 1) * fraction
                let lo = Int(position.rounded(.down)), hi = Int(position.rounded(.up))
                select(run, lo)
                guard hi != lo else { out[g] = run[lo]; continue }
                // The next value up is the least of those after lo.
                var above = run[hi]
                for i in hi..<n where run[i] < above { above = run[i] }
                let d = position - Double(lo)
                out[g] = (above * d).addingProduct(run[lo], 1 - d)
            }
        }
        return out
    }

    /// Reorders `a` so that `a[k]` holds the value sorting would put there,
    /// no greater value before it and no smaller after (C++'s nth_element):
    /// partitions three ways around a median of three, so runs of equal
    /// values (ties are common: days, dates) end a round at once. Input
    /// that defeats the pivot is sorted after 64 rounds, so the cost stays
    /// at most a sort's.
    static func select(_ a: UnsafeMutableBufferPointer<Double>, _ k: Int) {
        var lo = 0, hi = a.count - 1
        var rounds = 0
        while hi > lo {
            rounds += 1
            if rounds > 64 {
                var rest = UnsafeMutableBufferPointer(rebasing: a[lo...hi])
                rest.sort()
                return
            }
            let x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi]
            let pivot = Swift.max(Swift.min(x, y), Swift.min(Swift.max(x, y), z))
            var lt = lo, i = lo, gt = hi
            while i <= gt {
                let e = a[i]
                if e < pivot { a.swapAt(lt, i); lt += 1; i += 1 }
                else if e > pivot { a.swapAt(i, gt); gt -= 1 }
                else { i += 1 }
            }
            if k < lt { hi = lt - 1 } else if k > gt { lo = gt + 1 } else { return }
        }
    }

    /// quantile_disc's place among n sorted values: ⌈n·q⌉ - 1, at least 0,
    /// in exact arithmetic (n·0.07 is 7 for n = 100, not 7.000…01).
    static func discreteRank(_ q: ExactNumber, _ n: Int) -> Int {
        let (scaled, o) = Int128(n).multipliedReportingOverflow(by: q.numerator)
        let rank: Int128
        if o { rank = Int128((Double(n) * q.doubleValue).rounded(.up)) }
        else { rank = (scaled + q.denominator - 1) / q.denominator }
        return Int(Swift.min(Swift.max(rank, 1), Int128(n))) - 1
    }
}
