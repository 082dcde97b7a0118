/// A group key as a dense code per row, with labels and a sort rank per
/// code. The last code is "missing".
struct KeyCodes {
    var codes: [UInt32]
    var cardinality: Int
    var labels: [String]
    var ranks: [Int]

    static func make(_ key: BoundKey, _ ds: Dataset, selection: Bitmap) throws -> KeyCodes {
        switch key {
        case .column(let k, _):
            switch try ds.column(k) {
            case .category(let c):
                let missing = UInt32(c.labels.count)
                let codes = c.codes.map { $0 == CategoryColumn.missing ? missing : $0 }
                return KeyCodes(codes: codes, cardinality: c.labels.count + 1, labels: c.labels + ["(missing)"], ranks: c.rank + [Int.max])
            case .boolean(let b):
                var codes = [UInt32](repeating: 2, count: b.value.count)
                for r in 0..<codes.count where b.known[r] { codes[r] = b.value[r] ? 1 : 0 }
                return KeyCodes(codes: codes, cardinality: 3, labels: ["no", "yes", "(missing)"], ranks: [1, 0, 2])
            case .number(let col):
                return distinctValues(col.values.map { $0.isNaN ? nil : $0 }, label: NumberFormat.plain)
            case .date(let col):
                return distinctValues(col.days.map { $0 == DateColumn.missing ? nil : Double($0) }, label: { Day.iso(Int($0)) })
            }
        case .condition(let c, _):
            let bits = try Filter.evaluate(c, ds)
            let codes = (0..<(try ds.rowCount)).map { bits[$0] ? UInt32(1) : 0 }
            return KeyCodes(codes: codes, cardinality: 3, labels: ["no", "yes", "(missing)"], ranks: [1, 0, 2])
        case .periods(let k, let intervals, _):
            guard case .date(let col) = try ds.column(k) else { throw MisqError(.type, "a period list needs a date column") }
            let missing = UInt32(intervals.count)
            let codes = col.days.map { d -> UInt32 in
                guard d != DateColumn.missing else { return missing }
                return intervals.firstIndex { $0.contains(Int(d)) }.map(UInt32.init) ?? missing
            }
            let labels = intervals.map { "\(Day.iso($0.start)) to \(Day.iso($0.end - 1))" } + ["(missing)"]
            return KeyCodes(codes: codes, cardinality: intervals.count + 1, labels: labels, ranks: Array(0...intervals.count))
        case .time(let bucket, let k, _):
            guard case .date(let col) = try ds.column(k) else {
                throw MisqError(.type, "\(bucket.rawValue) needs a date column")
            }
            var lo = Int.max, hi = Int.min
            var buckets = [Int](repeating: Int.min, count: col.days.count)
            selection.forEachSet { r in
                let d = col.days[r]
                guard d != DateColumn.missing else { return }
                let b = bucketNumber(bucket, Int(d))
                buckets[r] = b
                lo = min(lo, b); hi = max(hi, b)
            }
            if lo > hi { lo = 0; hi = -1 }
            let span = hi - lo + 1
            let missing = UInt32(span)
            let codes = buckets.map { $0 == Int.min ? missing : UInt32($0 - lo) }
            let labels = (0..<span).map { bucketLabel(bucket, lo + $0) } + ["(missing)"]
            return KeyCodes(codes: codes, cardinality: span + 1, labels: labels, ranks: Array(0...span))
        }
    }

    static func distinctValues(_ values: [Double?], label: (Double) -> String) -> KeyCodes {
        let distinct = Array(Set(values.compactMap { $0 })).sorted()
        var index: [Double: UInt32] = [:]
        for (k, v) in distinct.enumerated() { index[v] = UInt32(k) }
        let missing = UInt32(distinct.count)
        let codes = values.map { v in v.flatMap { index[$0] } ?? missing }
        return KeyCodes(codes: codes, cardinality: distinct.count + 1, labels: distinct.map(label) + ["(missing)"], ranks: Array(0...distinct.count))
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
    static func make(_ col: Column) -> (codes: [UInt32], cardinality: Int) {
        switch col {
        case .category(let c): return (c.codes, c.labels.count)
        case .boolean(let b):
            var codes = [UInt32](repeating: CategoryColumn.missing, count: b.value.count)
            for r in 0..<codes.count where b.known[r] { codes[r] = b.value[r] ? 1 : 0 }
            return (codes, 2)
        case .number(let c):
            var index: [Double: UInt32] = [:]
            let codes = c.values.map { v -> UInt32 in
                if v.isNaN { return CategoryColumn.missing }
                if let k = index[v] { return k }
                let k = UInt32(index.count); index[v] = k; return k
            }
            return (codes, index.count)
        case .date(let c):
            let present = c.days.filter { $0 != DateColumn.missing }
            let lo = present.min() ?? 0
            let hi = present.max() ?? -1
            return (c.days.map { $0 == DateColumn.missing ? CategoryColumn.missing : UInt32(Int($0) - Int(lo)) }, Int(hi) - Int(lo) + 1)
        }
    }
}
