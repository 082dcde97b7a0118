/// A stored column as a `show` reads it: categories, dates and yes/no as a
/// code per row and a text per code, so an export formats each distinct
/// value once; numbers as numbers.
enum RowColumns {
    static func make(_ col: Column) -> RowColumn {
        switch col {
        case .category(let c):
            let labels = c.labels
            func coded<C: FixedWidthInteger & BitwiseCopyable>(_ v: ColumnValues<C>) -> RowColumn {
                // A code past the labels (a damaged cache) shows as missing
                // rather than reading past them.
                let n = labels.count
                return .coded(count: n, text: { labels[$0] }, code: { r in
                    let k = v[r]
                    return k == C.max || Int(k) >= n ? -1 : Int(k)
                }, codes: { rows, out in
                    v.withUnsafeBufferPointer { c in
                        for (j, r) in rows.enumerated() {
                            let k = c[r]
                            out[j] = k == C.max || Int(k) >= n ? -1 : Int32(truncatingIfNeeded: k)
                        }
                    }
                })
            }
            switch c.codes {
            case .u8(let v): return coded(v)
            case .u16(let v): return coded(v)
            case .u32(let v): return coded(v)
            }
        case .number(let n):
            let values = n.values
            return .number { values[$0] }
        case .date(let d):
            let days = d.days
            guard let range = d.range else {
                return .coded(count: 0, text: { _ in "" }, code: { _ in -1 }, codes: { rows, out in out.update(repeating: -1, count: rows.count) })
            }
            let first = Int(range.lowerBound)
            return .coded(count: Int(range.upperBound) - first + 1, text: { Day.iso(first + $0) }, code: { r in
                let x = days[r]
                return x == DateColumn.missing ? -1 : Int(x) - first
            }, codes: { rows, out in
                days.withUnsafeBufferPointer { dd in
                    for (j, r) in rows.enumerated() {
                        let x = dd[r]
                        out[j] = x == DateColumn.missing ? -1 : Int32(truncatingIfNeeded: Int(x) - first)
                    }
                }
            })
        case .boolean(let b):
            func code(_ r: Int) -> Int { b.known[r] ? (b.value[r] ? 1 : 0) : -1 }
            return .coded(count: 2, text: { $0 == 1 ? "yes" : "no" }, code: code, codes: { rows, out in
                for (j, r) in rows.enumerated() { out[j] = Int32(code(r)) }
            })
        }
    }
}
