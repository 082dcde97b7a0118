/// A group key as a dense code per row, with labels and a sort rank per
/// code. The last code is "missing". Codes are worked out per row as the
/// executor asks (`code(r)`), from the column itself or a table over its
/// days, so grouping 10M rows does not copy a 10M-row column per key.
struct KeyCodes {
    enum Source {
        /// A category column's own codes; its missing code is this key's last.
        case category(CategoryCodes)
        /// Day numbers through a table over the column's range of days.
        /// With `zones` (a table whose codes other than the last never
        /// decrease with the day, as time buckets are), a zone whose first
        /// and last day share a code other than the last has that code on
        /// every row, and its days are not read.
        case days(ColumnValues<Int32>, first: Int32, table: [UInt32], zones: DateZones?)
        /// Codes worked out per row beforehand.
        case codes(ColumnValues<UInt32>)
    }
    var source: Source
    var cardinality: Int
    var labels: [String]
    var ranks: [Int]
    /// For a category column's unchecked codes (`CodeCheck`): where a code
    /// past the labels is reported. Such a code counts as missing here, so
    /// no index runs past the key.
    var check: CodeCheck? = nil
    /// A number column's values: the labels are numbers, written plainly.
    var isNumber = false

    /// A category code as this key's code: missing (`missing`) and any code
    /// past the labels (only a damaged cache has one; `past` is then set)
    /// are the key's last code, so no index runs past the key.
    @inline(__always) static func keyCode(_ raw: Int, missing: Bool, last: Int, past: inout Bool) -> Int {
        past = past || (!missing && raw >= last)
        return missing ? last : Swift.min(raw, last)
    }

    /// Row `r`'s code (for a group's first row, and keys too many to
    /// combine): `accumulate` over one row.
    func code(_ r: Int) -> Int {
        var c: Int32 = 0
        accumulate(into: &c, stride: 1, rows: r..<(r + 1))
        return Int(c)
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
                    var past = false
                    for r in rows {
                        let k = KeyCodes.keyCode(Int(codes[r]), missing: codes[r] == C.max, last: Int(last), past: &past)
                        o[r] &+= Int32(truncatingIfNeeded: k) &* s
                    }
                    if past { check?.report() }
                }
            }
            switch c {
            case .u8(let v): add(v)
            case .u16(let v): add(v)
            case .u32(let v): add(v)
            }
        case .days(let d, let first, let table, let zones):
            d.withUnsafeBufferPointer { days in
                table.withUnsafeBufferPointer { t in
                    func each(_ rows: Range<Int>) {
                        for r in rows {
                            let day = days[r]
                            let i = Int(day) &- Int(first)
                            let code = day == DateColumn.missing || i < 0 || i >= t.count ? last : Int32(truncatingIfNeeded: t[i])
                            o[r] &+= code &* s
                        }
                    }
                    guard zones != nil else { return each(rows) }
                    var r = rows.lowerBound
                    while r < rows.upperBound {
                        let end = Swift.min(rows.upperBound, ((r >> DateZones.shift) + 1) << DateZones.shift)
                        if let code = constantCode(r..<end) {
                            let add = code &* s
                            for j in r..<end { o[j] &+= add }
                        } else {
                            each(r..<end)
                        }
                        r = end
                    }
                }
            }
        case .codes(let c):
            c.withUnsafeBufferPointer { codes in
                for r in rows { o[r] &+= Int32(truncatingIfNeeded: codes[r]) &* s }
            }
        }
    }

    /// The one code of every row in `rows` when the key is a date's time
    /// bucket and `rows` lie in one zone whose first and last day share a
    /// bucket (other than missing); else nil.
    func constantCode(_ rows: Range<Int>) -> Int32? {
        guard case .days(_, let first, let table, let zones?) = source, !rows.isEmpty,
              rows.lowerBound >> DateZones.shift == (rows.upperBound - 1) >> DateZones.shift else { return nil }
        let z = rows.lowerBound >> DateZones.shift
        guard z < zones.lo.count, zones.hasMissing[z] == 0 else { return nil }
        let a = Int(zones.lo[z]) &- Int(first), b = Int(zones.hi[z]) &- Int(first)
        guard a >= 0, a <= b, b < table.count, table[a] == table[b] else { return nil }
        let code = Int32(truncatingIfNeeded: table[a])
        return code == Int32(truncatingIfNeeded: cardinality &- 1) ? nil : code
    }

    /// For a category key: adds to `cells[base + code * stride]` the rows
    /// of `rows` in `selection` (all of them when `allSelected`) with each
    /// code. Four copies of the cells (`width` apart) take turns, so that
    /// runs of one code add to different counters. Reads the column's codes
    /// once, with no combined key written per row; false (nothing counted)
    /// for any other kind of key. A code past the labels counts as missing
    /// and is reported to `check` (`keyCode`).
    func count(into cells: UnsafeMutablePointer<Int>, width: Int, base: Int, stride: Int, rows: Range<Int>,
               _ selection: Bitmap, allSelected: Bool) -> Bool {
        guard case .category(let c) = source else { return false }
        let last = cardinality &- 1
        func tally<C: FixedWidthInteger & BitwiseCopyable>(_ codes: ColumnValues<C>) {
            codes.withUnsafeBufferPointer { codes in
                var past = false
                defer { if past { check?.report() } }
                @inline(__always) func cell(_ r: Int) -> Int {
                    base &+ KeyCodes.keyCode(Int(codes[r]), missing: codes[r] == C.max, last: last, past: &past) &* stride
                }
                if allSelected {
                    var r = rows.lowerBound
                    while r &+ 4 <= rows.upperBound {
                        cells[cell(r)] &+= 1
                        cells[width &+ cell(r &+ 1)] &+= 1
                        cells[2 &* width &+ cell(r &+ 2)] &+= 1
                        cells[3 &* width &+ cell(r &+ 3)] &+= 1
                        r &+= 4
                    }
                    while r < rows.upperBound { cells[cell(r)] &+= 1; r &+= 1 }
                } else {
                    var lane = 0
                    selection.forEachSet(in: rows) { r in
                        cells[lane &* width &+ cell(r)] &+= 1
                        lane = (lane &+ 1) & 3
                    }
                }
            }
        }
        switch c {
        case .u8(let v): v.withUnsafeBufferPointer { histogram($0) }
        case .u16(let v): tally(v)
        case .u32(let v): tally(v)
        }
        return true

        /// One-byte codes: a histogram of the bytes first, in four tables
        /// of 256 counters (4 KB, in the first-level cache; the tables take
        /// turns so a run of one code does not wait on one counter), then
        /// one add per code present to the cells.
        func histogram(_ codes: UnsafeBufferPointer<UInt8>) {
            guard let p = codes.baseAddress else { return }
            let h = UnsafeMutablePointer<UInt32>.allocate(capacity: 1024)
            h.initialize(repeating: 0, count: 1024)
            defer { h.deallocate() }
            if allSelected {
                var r = rows.lowerBound
                while r &+ 8 <= rows.upperBound {
                    let w = UnsafeRawPointer(p + r).loadUnaligned(as: UInt64.self)
                    h[Int(truncatingIfNeeded: w & 0xFF)] &+= 1
                    h[256 &+ Int(truncatingIfNeeded: (w >> 8) & 0xFF)] &+= 1
                    h[512 &+ Int(truncatingIfNeeded: (w >> 16) & 0xFF)] &+= 1
                    h[768 &+ Int(truncatingIfNeeded: (w >> 24) & 0xFF)] &+= 1
                    h[Int(truncatingIfNeeded: (w >> 32) & 0xFF)] &+= 1
                    h[256 &+ Int(truncatingIfNeeded: (w >> 40) & 0xFF)] &+= 1
                    h[512 &+ Int(truncatingIfNeeded: (w >> 48) & 0xFF)] &+= 1
                    h[768 &+ Int(truncatingIfNeeded: w >> 56)] &+= 1
                    r &+= 8
                }
                while r < rows.upperBound { h[Int(p[r])] &+= 1; r &+= 1 }
            } else {
                var table = 0
                selection.forEachSet(in: rows) { r in
                    h[table &+ Int(p[r])] &+= 1
                    table = (table &+ 256) & 1023
                }
            }
            var past = false
            for k in 0..<256 {
                let n = Int(h[k]) &+ Int(h[256 &+ k]) &+ Int(h[512 &+ k]) &+ Int(h[768 &+ k])
                if n > 0 { cells[base &+ KeyCodes.keyCode(k, missing: k == 0xFF, last: last, past: &past) &* stride] &+= n }
            }
            if past { check?.report() }
        }
    }

    /// Each key's stride in a combined group code (the product of the
    /// cardinalities before it), and the space of combined codes; nil when
    /// it does not fit an Int (the groups are then found by whole tuples).
    static func strides(_ keys: [KeyCodes]) -> (strides: [Int], rowSpace: Int?) {
        var strides: [Int] = []
        var rowSpace = 1
        var overflow = false
        for k in keys {
            strides.append(rowSpace)
            let (product, o) = rowSpace.multipliedReportingOverflow(by: k.cardinality)
            rowSpace = product
            overflow = overflow || o
        }
        return (strides, overflow ? nil : rowSpace)
    }

    static func make(_ key: BoundKey, _ ds: Dataset, selection: Bitmap) throws -> KeyCodes {
        switch key {
        case .column(let k, _):
            switch try ds.column(k, selection: selection, checkedCodes: false) {
            case .category(let c):
                return KeyCodes(source: .category(c.codes), cardinality: c.labels.count + 1, labels: c.labels + ["(missing)"], ranks: c.rank + [Int.max],
                                check: ds.codeCheck)
            case .boolean(let b):
                return KeyCodes(source: .codes(b.codes(missing: 2)), cardinality: 3, labels: ["no", "yes", "(missing)"], ranks: [1, 0, 2])
            case .number(let col):
                var k = distinctValues(col.values.map { $0.isNaN ? nil : $0 }, label: NumberFormat.plain)
                k.isNumber = true
                return k
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
            let (first, table) = dayTable(col.range) { d in intervals.firstIndex { $0.contains(d) }.map(UInt32.init) ?? missing }
            // Listed periods may overlap or come in any order: no zone shortcut.
            return KeyCodes(source: .days(col.days, first: first, table: table, zones: nil), cardinality: intervals.count + 1, labels: labels, ranks: Array(0...intervals.count))
        case .time(let bucket, let k, _):
            guard case .date(let col) = try ds.column(k) else {
                throw MisqError(.type, "\(bucket.rawValue) needs a date column")
            }
            // Buckets of the selected rows only, so the labels span what was selected.
            let range = col.range
            let (first, numbers) = dayTable(range) { d in UInt32(bitPattern: Int32(truncatingIfNeeded: bucketNumber(bucket, d))) }
            // Bucket numbers never decrease with the day: the selected
            // rows' buckets run from their first day's to their last's.
            var lo = 0, hi = -1
            if let days = selectedDays(col, selection, columnRange: range) {
                lo = Int(Int32(bitPattern: numbers[Int(days.lowerBound) - Int(first)]))
                hi = Int(Int32(bitPattern: numbers[Int(days.upperBound) - Int(first)]))
            }
            let span = hi - lo + 1
            let missing = UInt32(span)
            let table = numbers.map { t in
                let b = Int(Int32(bitPattern: t))
                return b >= lo && b <= hi ? UInt32(b - lo) : missing
            }
            let source = Source.days(col.days, first: first, table: table, zones: col.zones)
            let labels = (0..<span).map { bucketLabel(bucket, lo + $0) } + ["(missing)"]
            return KeyCodes(source: source, cardinality: span + 1, labels: labels, ranks: Array(0...span))
        }
    }

    /// The first and last day among the selected rows (nil if none has
    /// one); `columnRange`, worked out once by the caller, when every row
    /// is selected.
    static func selectedDays(_ col: DateColumn, _ selection: Bitmap, columnRange: ClosedRange<Int32>?) -> ClosedRange<Int32>? {
        if selection.popCount == col.days.count { return columnRange }
        var lo = Int32.max, hi = Int32.min
        col.days.withUnsafeBufferPointer { d in
            selection.forEachSet { r in
                let x = d[r]
                if x != DateColumn.missing { lo = min(lo, x); hi = max(hi, x) }
            }
        }
        return lo <= hi ? lo...hi : nil
    }

    /// `value` for every day from the column's first to last (a few
    /// thousand entries for real data, each worked out once).
    static func dayTable(_ range: ClosedRange<Int32>?, _ value: (Int) -> UInt32) -> (first: Int32, table: [UInt32]) {
        guard let range else { return (0, []) }
        return (range.lowerBound, (Int(range.lowerBound)...Int(range.upperBound)).map(value))
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
        case .year: return PeriodLiteral.year(n).description
        case .quarter: return PeriodLiteral.quarter(n / 4, n % 4 + 1).description
        case .month: return PeriodLiteral.month(n / 12, n % 12 + 1).description
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
            return (.u32(b.codes(missing: CategoryColumn.missing)), 2)
        case .number(let c):
            var index: [Double: UInt32] = [:]
            let codes = ColumnValues(c.values.map { v -> UInt32 in
                if v.isNaN { return CategoryColumn.missing }
                if let k = index[v] { return k }
                let k = UInt32(index.count); index[v] = k; return k
            })
            return (.u32(codes), index.count)
        case .date(let c):
            // One pass for the range: it reads the whole column.
            guard let range = c.range else { return (.u32(ColumnValues(c.days.map { _ in CategoryColumn.missing })), 0) }
            let lo = Int(range.lowerBound)
            return (.u32(ColumnValues(c.days.map { $0 == DateColumn.missing ? CategoryColumn.missing : UInt32(Int($0) - lo) })),
                    Int(range.upperBound) - lo + 1)
        }
    }
}
