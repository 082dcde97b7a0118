/// Bound condition → selection bitmap, one whole column at a time.
enum Filter {
    static func evaluate(_ c: BoundCondition, _ ds: Dataset) throws -> Bitmap {
        try Cancellation.check()
        let n = try ds.rowCount
        switch c {
        case .all: return Bitmap(count: n, filled: true)
        case .none: return Bitmap(count: n)
        case .boolTrue(let k):
            guard case .boolean(let b) = try ds.column(k) else { return Bitmap(count: n) }
            var out = b.value
            out.formIntersection(b.known)
            return out
        case .boolEquals(let k, let want):
            guard case .boolean(let b) = try ds.column(k) else { return Bitmap(count: n) }
            var out = b.value
            if !want { out.invert() }
            out.formIntersection(b.known)
            return out
        case .nonZero(let k):
            guard case .number(let col) = try ds.column(k) else { return Bitmap(count: n) }
            return build(n) { r in let v = col.values[r]; return !v.isNaN && v != 0 }
        case .categoryIn(let k, let matches):
            guard case .category(let col) = try ds.column(k) else { return Bitmap(count: n) }
            // A 0/1 table with a last entry for missing: a lookup, no branch.
            let table = matches.map { UInt8($0 ? 1 : 0) } + [0]
            // Missing is the width's largest value, never below `top`.
            func bits<C: FixedWidthInteger & BitwiseCopyable>(_ codes: ColumnValues<C>) -> Bitmap {
                let top = C(truncatingIfNeeded: Swift.min(matches.count, Int(C.max)))
                return codes.withUnsafeBufferPointer { codes in
                    table.withUnsafeBufferPointer { t in
                        build(n) { r in t[Int(Swift.min(codes[r], top))] != 0 }
                    }
                }
            }
            switch col.codes {
            case .u8(let c): return bits(c)
            case .u16(let c): return bits(c)
            case .u32(let c): return bits(c)
            }
        case .number(let k, let op, let x):
            guard case .number(let col) = try ds.column(k) else { return Bitmap(count: n) }
            return col.values.withUnsafeBufferPointer { v in
                switch op {
                case .eq: return build(n) { v[$0] == x }
                case .ne: return build(n) { !v[$0].isNaN && v[$0] != x }
                case .lt: return build(n) { v[$0] < x }
                case .le: return build(n) { v[$0] <= x }
                case .gt: return build(n) { v[$0] > x }
                case .ge: return build(n) { v[$0] >= x }
                }
            }
        case .numberIn(let k, let set):
            guard case .number(let col) = try ds.column(k) else { return Bitmap(count: n) }
            return build(n) { set.contains(col.values[$0]) }
        case .dateIn(let k, let lo, let hi):
            guard case .date(let col) = try ds.column(k) else { return Bitmap(count: n) }
            // Missing is Int32.min, below every lo the checker makes.
            let l = Int32(clamping: lo), h = Int32(clamping: hi)
            return col.days.withUnsafeBufferPointer { d in
                build(n) { r in let x = d[r]; return x != DateColumn.missing && x >= l && x < h }
            }
        case .missing(let k):
            let col = try ds.column(k)
            return build(n) { col.isMissing($0) }
        case .periodInside(let sk, let ek, let lo, let hi):
            guard case .date(let s) = try ds.column(sk), case .date(let e) = try ds.column(ek) else { return Bitmap(count: n) }
            // A published row's period is inclusive [start, end]: inside [lo, hi) when start >= lo and end < hi.
            return build(n) { r in
                s.days[r] != DateColumn.missing && e.days[r] != DateColumn.missing && Int(s.days[r]) >= lo && Int(e.days[r]) < hi
            }
        case .not(let inner):
            var b = try evaluate(inner, ds)
            b.invert()
            return b
        case .and(let parts):
            var acc = Bitmap(count: n, filled: true)
            for p in parts { acc.formIntersection(try evaluate(p, ds)) }
            return acc
        case .or(let parts):
            var acc = Bitmap(count: n)
            for p in parts { acc.formUnion(try evaluate(p, ds)) }
            return acc
        }
    }

    /// Packs a predicate over rows into a bitmap, 64 rows per word.
    @inline(__always)
    static func build(_ n: Int, _ pred: (Int) -> Bool) -> Bitmap {
        var b = Bitmap(count: n)
        b.words.withUnsafeMutableBufferPointer { w in
            var r = 0
            for k in 0..<w.count {
                // Branch-free: a data-dependent branch per row mispredicts
                // on real columns.
                var word: UInt64 = 0
                let end = min(n, r &+ 64)
                var shift: UInt64 = 0
                while r < end {
                    word |= UInt64(pred(r) ? 1 : 0) &<< shift
                    shift &+= 1; r &+= 1
                }
                w[k] = word
            }
        }
        return b
    }
}
