/// A group key as a dense code per row, with labels and a sort rank per
/// code. The last code is "missing". Codes are worked out per row as the
/// executor asks (`code(r)`), from the column itself or a table over its
/// days, so grouping 10M rows does not copy a 10M-row column per key.
struct KeyCodes {
    enum Source {
        /// A category column's own codes; its missing code is this key's last.
        case category(CategoryCodes)
        /// Day numbers through a table over the column's range of days.
        case days(ColumnValues<Int32>, first: Int32, table: [UInt32])
        /// Codes worked out per row beforehand.
        case codes(ColumnValues<UInt32>)
    }
    var source: Source
    var cardinality: Int
    var labels: [String]
    var ranks: [Int]

    @inline(__always) func code(_ r: Int) -> Int {
        switch source {
        case .category(let c):
            let k = c[r]
            return k == CategoryColumn.missing ? cardinality &- 1 : Int(k)
        case .days(let d, let first, let table):
            let day = d[r]
            let i = Int(day) &- Int(first)
            return day == DateColumn.missing || i < 0 || i >= table.count ? cardinality &- 1 : Int(table[i])
        case .codes(let c):
            return Int(c[r])
        }
    }

    /// Adds `code(r) * stride` to `out[r - rows.lowerBound]` for every row
    /// in `rows`: one tight loop per kind of source, for building group ids
    /// a block of rows at a time.
    func accumulate(into out: UnsafeMutablePointer<Int32>, stride: Int, rows: Range<Int>) {
        let s = Int32(truncatingIfNeeded: stride), last = Int32(truncatingIfNeeded: cardinality &- 1)
        let o = out - rows.lowerBound
        switch source {
        case .category(let c):
            func add<C: FixedWidthInteger & BitwiseCopyable>(_ codes: ColumnValues<C>) {
                codes.withUnsafeBufferPointer { codes in
                    for r in rows {
                        let k = codes[r]
                        o[r] &+= (k == C.max ? last : Int32(truncatingIfNeeded: k)) &* s
                    }
                }
            }
            switch c {
            case .u8(let v): add(v)
            case .u16(let v): add(v)
            case .u32(let v): add(v)
            }
        case .days(let d, let first, let table):
            d.withUnsafeBufferPointer { days in
                table.withUnsafeBufferPointer { t in
                    for r in rows {
                        let day = days[r]
                        let i = Int(day) &- Int(first)
                        let code = day == DateColumn.missing || i < 0 || i >= t.count ? last : Int32(truncatingIfNeeded: t[i])
                        o[r] &+= code &* s
                    }
                }
            }
        case .codes(let c):
            c.withUnsafeBufferPointer { codes in
                for r in rows { o[r] &+= Int32(truncatingIfNeeded: codes[r]) &* s }
            }
        }
    }

    static func make(_ key: BoundKey, _ ds: Dataset, selection: Bitmap) throws -> KeyCodes {
        switch key {
        case .column(let k, _):
            switch try ds.column(k) {
            case .category(let c):
                return KeyCodes(source: .category(c.codes), cardinality: c.labels.count + 1, labels: c.labels + ["(missing)"], ranks: c.rank + [Int.max])
            case .boolean(let b):
                let codes = ColumnValues<UInt32>(count: b.value.count) { p in
                    for r in 0..<b.value.count { (p + r).initialize(to: b.known[r] ? (b.value[r] ? 1 : 0) : 2) }
                }
                return KeyCodes(source: .codes(codes), cardinality: 3, labels: ["no", "yes", "(missing)"], ranks: [1, 0, 2])
            case .number(let col):
                return distinctValues(col.values.map { $0.isNaN ? nil : $0 }, label: NumberFormat.plain)
            case .date(let col):
                return distinctValues(col.days.map { $0 == DateColumn.missing ? nil : Double($0) }, label: { Day.iso(Int($0)) })
            }
        case .condition(let c, _):
            let bits = try Filter.evaluate(c, ds)
            let codes = ColumnValues<UInt32>(count: bits.count) { p in
                for r in 0..<bits.count { (p + r).initialize(to: bits[r] ? 1 : 0) }
            }
            return KeyCodes(source: .codes(codes), cardinality: 3, labels: ["no", "yes", "(missing)"], ranks: [1, 0, 2])
        case .periods(let k, let intervals, _):
            guard case .date(let col) = try ds.column(k) else { throw MisqError(.type, "a period list needs a date column") }
            let missing = UInt32(intervals.count)
            let labels = intervals.map { "\(Day.iso($0.start)) to \(Day.iso($0.end - 1))" } + ["(missing)"]
            let source = dayTable(col.days) { d in intervals.firstIndex { $0.contains(d) }.map(UInt32.init) ?? missing }
            return KeyCodes(source: source, cardinality: intervals.count + 1, labels: labels, ranks: Array(0...intervals.count))
        case .time(let bucket, let k, _):
            guard case .date(let col) = try ds.column(k) else {
                throw MisqError(.type, "\(bucket.rawValue) needs a date column")
            }
            // Buckets of the selected rows only, so the labels span what was selected.
            guard case .days(_, let first, let numbers) = dayTable(col.days, { d in UInt32(bitPattern: Int32(truncatingIfNeeded: bucketNumber(bucket, d))) }) else {
                throw MisqError(.type, "\(bucket.rawValue) needs a date column")
            }
            var lo = Int.max, hi = Int.min
            col.days.withUnsafeBufferPointer { d in
                selection.forEachSet { r in
                    guard d[r] != DateColumn.missing else { return }
                    let b = Int(Int32(bitPattern: numbers[Int(d[r]) - Int(first)]))
                    lo = min(lo, b); hi = max(hi, b)
                }
            }
            if lo > hi { lo = 0; hi = -1 }
            let span = hi - lo + 1
            let missing = UInt32(span)
            let table = numbers.map { t in
                let b = Int(Int32(bitPattern: t))
                return b >= lo && b <= hi ? UInt32(b - lo) : missing
            }
            let source = Source.days(col.days, first: first, table: table)
            let labels = (0..<span).map { bucketLabel(bucket, lo + $0) } + ["(missing)"]
            return KeyCodes(source: source, cardinality: span + 1, labels: labels, ranks: Array(0...span))
        }
    }

    /// `.days` with `value` for every day from the column's first to last
    /// (a few thousand entries for real data, each worked out once).
    /// Missing days read as Int32.min through `code(_:_:)`.
    static func dayTable(_ days: ColumnValues<Int32>, _ value: (Int) -> UInt32) -> Source {
        var lo = Int32.max, hi = Int32.min
        days.withUnsafeBufferPointer { d in
            for x in d where x != DateColumn.missing { lo = min(lo, x); hi = max(hi, x) }
        }
        guard lo <= hi else { return .days(days, first: 0, table: []) }
        let table = (Int(lo)...Int(hi)).map(value)
        return .days(days, first: lo, table: table)
    }

    static func distinctValues(_ values: [Double?], label: (Double) -> String) -> KeyCodes {
        let distinct = Array(Set(values.compactMap { $0 })).sorted()
        var index: [Double: UInt32] = [:]
        for (k, v) in distinct.enumerated() { index[v] = UInt32(k) }
        let missing = UInt32(distinct.count)
        let codes = ColumnValues(values.map { v in v.flatMap { index[$0] } ?? missing })
        return KeyCodes(source: .codes(codes), cardinality: distinct.count + 1, labels: distinct.map(label) + ["(missing)"], ranks: Array(0...distinct.count))
    }

    static func bucketNumber(_ b: TimeBucket, _ day: Int) -> Int {
        let (y, m, _) = Day.civil(day)
        switch b {
        case .year: return y
        case .quarter: return y * 4 + (m - 1) / 3
        case .month: return y * 12 + (m - 1)
        case .fy: return m >= 4 ? y : y - 1
        }
    }

    static func bucketLabel(_ b: TimeBucket, _ n: Int) -> String {
        switch b {
        case .year: return "\(n)"
        case .quarter: return "\(n / 4)-Q\(n % 4 + 1)"
        case .month: return "\(n / 12)-\(String(format2: n % 12 + 1))"
        case .fy: return PeriodLiteral.financialYear(n).description
        }
    }
}

/// Distinct ids for a unit: dense codes over any column type.
enum IdCodes {
    static func make(_ col: Column) -> (codes: CategoryCodes, cardinality: Int) {
        switch col {
        case .category(let c): return (c.codes, c.labelCount)
        case .boolean(let b):
            let codes = ColumnValues<UInt32>(count: b.value.count) { p in
                for r in 0..<b.value.count { (p + r).initialize(to: b.known[r] ? (b.value[r] ? 1 : 0) : CategoryColumn.missing) }
            }
            return (.u32(codes), 2)
        case .number(let c):
            var index: [Double: UInt32] = [:]
            let codes = ColumnValues(c.values.map { v -> UInt32 in
                if v.isNaN { return CategoryColumn.missing }
                if let k = index[v] { return k }
                let k = UInt32(index.count); index[v] = k; return k
            })
            return (.u32(codes), index.count)
        case .date(let c):
            let present = c.days.filter { $0 != DateColumn.missing }
            let lo = present.min() ?? 0
            let hi = present.max() ?? -1
            return (.u32(ColumnValues(c.days.map { $0 == DateColumn.missing ? CategoryColumn.missing : UInt32(Int($0) - Int(lo)) })), Int(hi) - Int(lo) + 1)
        }
    }
}
