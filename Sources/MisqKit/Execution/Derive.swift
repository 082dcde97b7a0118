import Foundation

/// A derived column computed from a plan's `derive` step: the expression
/// flattened to a list of operations, each a tight loop over a block of
/// rows into its own register, block after block, the blocks spread over
/// the cores. Values are doubles throughout (dates as day numbers, missing
/// as NaN); a date result is stored as days again.
enum Derive {
    /// Rows per block: every register of a block stays in cache.
    static let block = 1024

    enum Op {
        case constant(Double)
        case numbers(ColumnValues<Double>)
        case days(ColumnValues<Int32>)
        case arithmetic(PlanExpr.Arithmetic, Int, Int)
        case negate(Int)
        /// `roundHalfAway`.
        case round(Int, digits: Int)
        case makeDate(Int, Int, Int?)
        case daysBetween(Int, Int)
        case monthsBetween(Int, Int)
        case part(PlanExpr.DatePart, Int)
    }

    /// The expression as operations in evaluation order; the last is the result.
    static func compile(_ e: PlanExpr, _ column: (String) throws -> Column) throws -> [Op] {
        var ops: [Op] = []
        func emit(_ e: PlanExpr) throws -> Int {
            let op: Op
            switch e {
            case .number(let x): op = .constant(x)
            case .day(let d): op = .constant(Double(d))
            case .column(let name):
                switch try column(name) {
                case .number(let c): op = .numbers(c.values)
                case .date(let c): op = .days(c.days)
                default: throw MisqError(.data, "the column '\(name)' no longer holds numbers or dates", suggestion: "run the query again")
                }
            case .arithmetic(let a, let l, let r): op = .arithmetic(a, try emit(l), try emit(r))
            case .negate(let a): op = .negate(try emit(a))
            case .round(let a, let d): op = .round(try emit(a), digits: d)
            case .makeDate(let y, let m, let d): op = .makeDate(try emit(y), try emit(m), try d.map(emit))
            case .days(let a, let b): op = .daysBetween(try emit(a), try emit(b))
            case .months(let a, let b): op = .monthsBetween(try emit(a), try emit(b))
            case .part(let p, let a): op = .part(p, try emit(a))
            }
            ops.append(op)
            return ops.count - 1
        }
        _ = try emit(e)
        return ops
    }

    struct Counts {
        var zero = 0, badDate = 0, range = 0
        var example: (Double, Double, Double)?
    }

    static func compute(_ e: PlanExpr, type: ColumnType, rows n: Int, column: (String) throws -> Column) throws -> DerivedColumn {
        let ops = try compile(e, column)
        let out = UnsafeMutablePointer<Double>.allocate(capacity: max(1, n))
        defer { out.deallocate() }
        let counts = Parallel.perSlice(n, grain: 1 << 16, initial: Counts()) { rows in
            run(ops, rows, into: out)
        }
        var total = Counts()
        for c in counts {
            total.zero += c.zero; total.badDate += c.badDate; total.range += c.range
            total.example = total.example ?? c.example
        }
        let col: Column
        if type == .date {
            let days = ColumnValues<Int32>(count: n) { p in
                for r in 0..<n { let v = out[r]; (p + r).initialize(to: v.isNaN ? DateColumn.missing : Int32(v)) }
            }
            col = .date(DateColumn(days: days))
        } else {
            var whole = true
            for r in 0..<n where whole { let v = out[r]; if !v.isNaN && v.rounded() != v { whole = false } }
            col = .number(NumberColumn(values: ColumnValues(count: n) { p in p.initialize(from: out, count: n) }, allIntegers: whole))
        }
        let example = total.example.map { y, m, d in "date(" + [y, m, d].map(NumberFormat.plain).joined(separator: ", ") + ")" }
        return DerivedColumn(column: col, divisionsByZero: total.zero, noSuchDate: total.badDate, noSuchDateExample: example, outOfRange: total.range)
    }

    /// One slice of rows, a block at a time: each operation writes its
    /// register for the block, reading earlier registers.
    static func run(_ ops: [Op], _ rows: Range<Int>, into out: UnsafeMutablePointer<Double>) -> Counts {
        var counts = Counts()
        let regs = UnsafeMutablePointer<Double>.allocate(capacity: ops.count * block)
        defer { regs.deallocate() }
        var start = rows.lowerBound
        while start < rows.upperBound {
            let m = min(block, rows.upperBound - start)
            for (i, op) in ops.enumerated() {
                let o = regs + i * block
                func r(_ k: Int) -> UnsafeMutablePointer<Double> { regs + k * block }
                switch op {
                case .constant(let x):
                    for j in 0..<m { o[j] = x }
                case .numbers(let c):
                    c.withUnsafeBufferPointer { v in for j in 0..<m { o[j] = v[start + j] } }
                case .days(let c):
                    c.withUnsafeBufferPointer { v in
                        for j in 0..<m { let d = v[start + j]; o[j] = d == DateColumn.missing ? .nan : Double(d) }
                    }
                case .arithmetic(let a, let x, let y):
                    let l = r(x), rr = r(y)
                    switch a {
                    case .add: for j in 0..<m { o[j] = l[j] + rr[j] }
                    case .subtract: for j in 0..<m { o[j] = l[j] - rr[j] }
                    case .multiply: for j in 0..<m { o[j] = l[j] * rr[j] }
                    case .divide:
                        for j in 0..<m {
                            let d = rr[j]
                            if d == 0 {
                                // DuckDB gives inf or NaN; a rate per zero staff is no figure.
                                o[j] = .nan
                                if !l[j].isNaN { counts.zero += 1 }
                            } else {
                                o[j] = l[j] / d
                            }
                        }
                    }
                    for j in 0..<m where o[j].isInfinite { o[j] = .nan; counts.range += 1 }
                case .negate(let x):
                    let a = r(x)
                    for j in 0..<m { o[j] = -a[j] }
                case .round(let x, let digits):
                    let a = r(x)
                    for j in 0..<m { o[j] = roundHalfAway(a[j], digits: digits) }
                case .makeDate(let y, let mo, let d):
                    let ys = r(y), ms = r(mo), ds = d.map(r)
                    for j in 0..<m {
                        let yv = ys[j], mv = ms[j], dv = ds?[j] ?? 1
                        if yv.isNaN || mv.isNaN || dv.isNaN { o[j] = .nan; continue }
                        if yv.rounded() == yv, mv.rounded() == mv, dv.rounded() == dv, abs(yv) < 1e6, abs(mv) < 1e6, abs(dv) < 1e6,
                           let day = Day.valid(Int(yv), Int(mv), Int(dv)) {
                            o[j] = Double(day)
                        } else {
                            o[j] = .nan
                            counts.badDate += 1
                            if counts.example == nil { counts.example = (yv, mv, dv) }
                        }
                    }
                case .daysBetween(let x, let y):
                    let a = r(x), b = r(y)
                    for j in 0..<m { o[j] = b[j] - a[j] }
                case .monthsBetween(let x, let y):
                    let a = r(x), b = r(y)
                    for j in 0..<m {
                        if a[j].isNaN || b[j].isNaN { o[j] = .nan; continue }
                        o[j] = Double(wholeMonths(from: Int(a[j]), to: Int(b[j])))
                    }
                case .part(let p, let x):
                    let a = r(x)
                    for j in 0..<m {
                        if a[j].isNaN { o[j] = .nan; continue }
                        let (yy, mm, dd) = Day.civil(Int(a[j]))
                        switch p {
                        case .year: o[j] = Double(yy)
                        case .quarter: o[j] = Double((mm - 1) / 3 + 1)
                        case .month: o[j] = Double(mm)
                        case .day: o[j] = Double(dd)
                        }
                    }
                }
            }
            let last = regs + (ops.count - 1) * block
            (out + start).update(from: last, count: m)
            start += m
        }
        return counts
    }

    /// `x` to `digits` decimals (tens, hundreds for negative `digits`), as
    /// DuckDB 2.0's ROUND on a DOUBLE gives it: the double's exact value is
    /// rounded, halves away from zero, so round(2.675, 2) is 2.67 (2.675 is
    /// stored as 2.67499999…) though 2.675 × 100 is 267.5 in doubles, and
    /// round(0.125, 2) is 0.13. Where the scaled value overflows, `x`.
    static func roundHalfAway(_ x: Double, digits: Int) -> Double {
        guard x.isFinite else { return x }
        let k = pow(10.0, Double(abs(digits)))  // exact up to 10^22
        let y = digits >= 0 ? x * k : x / k
        guard y.isFinite else { return x }
        var rounded = y.rounded(.toNearestOrAwayFromZero)
        if abs(y - y.rounded(.towardZero)) == 0.5 {
            // Scaling may have rounded onto a half: the exact remainder
            // (one fused multiply-add) says which side the true value is on.
            let above = digits >= 0 ? (-y).addingProduct(x, k) : x.addingProduct(-y, k)
            if above != 0 { rounded = above > 0 ? y.rounded(.up) : y.rounded(.down) }
        }
        let v = digits >= 0 ? rounded / k : rounded * k
        return v.isFinite ? v : x
    }

    /// Whole months from day `a` to day `b`, negative when `b` is earlier:
    /// DuckDB's `date_sub('month', a, b)`. A month is whole when the day of
    /// the month is reached again, or the later date is the last day of its
    /// month (31 January to 29 February 2020 is one month).
    static func wholeMonths(from a: Int, to b: Int) -> Int {
        if a > b { return -wholeMonths(from: b, to: a) }
        let (ya, ma, da0) = Day.civil(a)
        let (yb, mb, db) = Day.civil(b)
        var da = da0
        let endDays = Day.daysInMonth(yb, mb)
        if db == endDays && da > endDays { da = endDays }
        return (yb - ya) * 12 + (mb - ma) - (db < da ? 1 : 0)
    }
}
