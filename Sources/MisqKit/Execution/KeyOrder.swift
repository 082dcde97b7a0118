/// Groups in their keys' order without a comparison sort: each key's codes
/// get dense ranks, a group's ranks are combined into one integer (the
/// first key most significant) with the group's id beneath, and those
/// integers are radix-sorted. Sorting 800,000 groups by officer and
/// outcome through a comparator that looked up each key's rank was a
/// sixth of the run; this is a few passes over one array.
enum KeyOrder {
    /// The group ids 0..<count in the order of their keys' ranks, groups
    /// whose ranks are all equal in id order: what a stable sort by rank
    /// gives. nil when the combined ranks and ids do not fit 64 bits, or a
    /// rank is negative (the caller then sorts by comparison).
    static func order(_ keys: GroupKeyTable, _ rowKeys: [KeyCodes]) -> [Int]? {
        let g = keys.count
        guard g > 1 else { return Array(0..<g) }
        let idBits = UInt64(g - 1).bitWidth - UInt64(g - 1).leadingZeroBitCount
        // Each key's code → dense rank, and how many dense ranks it has.
        var dense: [[UInt32]] = [], counts: [UInt64] = []
        var space: UInt64 = 1
        for k in rowKeys {
            guard let (d, n) = denseRanks(k.ranks) else { return nil }
            let (product, o) = space.multipliedReportingOverflow(by: UInt64(n))
            guard !o else { return nil }
            space = product
            dense.append(d)
            counts.append(UInt64(n))
        }
        let spaceBits = (space - 1).bitWidth - (space - 1).leadingZeroBitCount
        guard spaceBits + idBits <= 64 else { return nil }
        let width = rowKeys.count
        var packed = [UInt64](repeating: 0, count: g)
        packed.withUnsafeMutableBufferPointer { p in
            for i in 0..<g {
                var c: UInt64 = 0
                for k in 0..<width { c = c &* counts[k] &+ UInt64(dense[k][Int(keys[i, k])]) }
                p[i] = c << UInt64(idBits) | UInt64(i)
            }
        }
        RadixSort.sort(&packed, bits: spaceBits + idBits)
        let mask = idBits == 64 ? UInt64.max : (UInt64(1) << UInt64(idBits)) &- 1
        return packed.map { Int($0 & mask) }
    }

    /// Each code's place among the distinct ranks (equal ranks, equal
    /// places) and the number of places; nil for a negative rank. A rank
    /// of Int.max (a key's missing code) sorts last, as it does by value.
    static func denseRanks(_ ranks: [Int]) -> (dense: [UInt32], count: Int)? {
        let n = ranks.count
        guard n > 0, n < 1 << 31 else { return n == 0 ? ([], 1) : nil }
        // Ranks are usually 0..<n with the missing code at Int.max: a
        // rank's place is then the rank, found by one pass.
        var direct = true
        var seen = [Bool](repeating: false, count: n)
        for r in ranks {
            if r < 0 { return nil }
            if r == Int.max { continue }
            if r >= n || seen[r] { direct = false; break }
            seen[r] = true
        }
        if direct {
            // Places in rank order: the ranks present, then Int.max.
            var place = [UInt32](repeating: 0, count: n)
            var next: UInt32 = 0
            for r in 0..<n where seen[r] { place[r] = next; next += 1 }
            let top = next
            let d = ranks.map { $0 == Int.max ? top : place[$0] }
            return (d, Int(top) + (ranks.contains(Int.max) ? 1 : 0))
        }
        // Any other ranks: (rank, code) pairs sorted, then numbered.
        guard ranks.allSatisfy({ $0 < 1 << 32 || $0 == Int.max }) else { return nil }
        var pairs = ranks.enumerated().map { c, r in UInt64(r == Int.max ? (1 << 32) - 1 : r) << 31 | UInt64(c) }
        RadixSort.sort(&pairs, bits: 63)
        var d = [UInt32](repeating: 0, count: n)
        var place: UInt32 = 0
        for (i, p) in pairs.enumerated() {
            if i > 0, p >> 31 != pairs[i - 1] >> 31 { place += 1 }
            d[Int(p & ((1 << 31) - 1))] = place
        }
        return (d, Int(place) + 1)
    }
}

extension GroupCodes {
    /// The groups `order` lists, their codes and values gathered into that
    /// order, one tight loop an array (independent loads, so the misses of
    /// a random order overlap rather than stall the writer one by one).
    convenience init(_ keys: GroupKeyTable, _ grouped: Executor.Grouped, order: [Int], labels: [[String]]) {
        let w = keys.width, vw = grouped.width, n = order.count
        var codes = [UInt32](repeating: 0, count: n * w)
        var values = [Double](repeating: 0, count: n * vw)
        var totals = [Double](repeating: 0, count: grouped.rowTotals.isEmpty ? 0 : n)
        keys.codes.withUnsafeBufferPointer { src in
            codes.withUnsafeMutableBufferPointer { dst in
                for (i, g) in order.enumerated() { for k in 0..<w { dst[i &* w &+ k] = src[g &* w &+ k] } }
            }
        }
        grouped.values.withUnsafeBufferPointer { src in
            values.withUnsafeMutableBufferPointer { dst in
                for (i, g) in order.enumerated() { for k in 0..<vw { dst[i &* vw &+ k] = src[g &* vw &+ k] } }
            }
        }
        if !totals.isEmpty {
            for (i, g) in order.enumerated() { totals[i] = grouped.rowTotals[g] }
        }
        self.init(count: n, width: w, codes: codes, labels: labels, valueWidth: vw, values: values, rowTotals: totals)
    }
}
