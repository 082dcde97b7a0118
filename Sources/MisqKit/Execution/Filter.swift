/// Bound condition → selection bitmap, whole columns at a time. The
/// condition's columns are fetched first (`RowTest`), then slices of the
/// bitmap's words are filled on all cores, each slice working the whole
/// condition tree over its rows.
enum Filter {
    static func evaluate(_ c: BoundCondition, _ ds: Dataset) throws -> Bitmap {
        try Cancellation.check()
        let n = try ds.rowCount
        let test = try RowTest(c, ds)
        // Each slice clears its words (the bitmap's first touch) and fills
        // them: 4,096 words, 256K rows a slice, so 1M rows use both cores.
        return Bitmap(count: n) { w in
            guard let base = w.baseAddress else { return }
            Parallel.slices(w.count, grain: 1 << 12) { _, words in
                (base + words.lowerBound).initialize(repeating: 0, count: words.count)
                test.fill(base, words, rows: n)
            }
        }
    }
}

/// A condition with its columns in hand. Immutable, so slices on many
/// threads share it.
indirect enum RowTest {
    case constant(Bool)
    /// A yes/no column: `value == want` where known.
    case bools(value: PackedBits, known: PackedBits, want: Bool)
    case nonZero(ColumnValues<Double>)
    /// A 0/1 table by code with a last entry for missing (always 0). With
    /// `check`, the codes are unchecked (`CodeCheck`): each slice checks
    /// the codes it read against the labels (table.count - 1).
    case categoryIn(CategoryCodes, table: [UInt8], check: CodeCheck? = nil)
    case number(ColumnValues<Double>, CompareOp, Double)
    case numberIn(ColumnValues<Double>, Set<Double>)
    case dateIn(ColumnValues<Int32>, DateZones, lo: Int32, hi: Int32)
    case missing(Column)
    case periodInside(ColumnValues<Int32>, ColumnValues<Int32>, lo: Int, hi: Int)
    case not(RowTest)
    case and([RowTest])
    case or([RowTest])

    init(_ c: BoundCondition, _ ds: Dataset) throws {
        switch c {
        case .all: self = .constant(true)
        case .none: self = .constant(false)
        case .boolTrue(let k), .boolEquals(let k, _):
            guard case .boolean(let b) = try ds.column(k) else { self = .constant(false); return }
            var want = true
            if case .boolEquals(_, let w) = c { want = w }
            self = .bools(value: b.value, known: b.known, want: want)
        case .nonZero(let k):
            guard case .number(let col) = try ds.column(k) else { self = .constant(false); return }
            self = .nonZero(col.values)
        case .categoryIn(let k, let matches):
            guard case .category(let col) = try ds.column(k, checkedCodes: false) else { self = .constant(false); return }
            self = .categoryIn(col.codes, table: matches.map { $0 ? 1 : 0 } + [0], check: ds.codeCheck)
        case .number(let k, let op, let x):
            guard case .number(let col) = try ds.column(k) else { self = .constant(false); return }
            self = .number(col.values, op, x)
        case .numberIn(let k, let set):
            guard case .number(let col) = try ds.column(k) else { self = .constant(false); return }
            self = .numberIn(col.values, set)
        case .dateIn(let k, let lo, let hi):
            guard case .date(let col) = try ds.column(k) else { self = .constant(false); return }
            self = .dateIn(col.days, col.zones, lo: Int32(clamping: lo), hi: Int32(clamping: hi))
        case .missing(let k):
            self = .missing(try ds.column(k))
        case .periodInside(let sk, let ek, let lo, let hi):
            guard case .date(let s) = try ds.column(sk), case .date(let e) = try ds.column(ek) else { self = .constant(false); return }
            self = .periodInside(s.days, e.days, lo: lo, hi: hi)
        case .not(let inner): self = .not(try RowTest(inner, ds))
        case .and(let parts): self = .and(try RowTest.merged(parts, or: false).map { try RowTest($0, ds) }.cheapestFirst)
        case .or(let parts): self = .or(try RowTest.merged(parts, or: true).map { try RowTest($0, ds) }.cheapestFirst)
        }
    }

    /// The parts of an `or` (or an `and`), with nested ones of the same kind
    /// flattened and tests of one category column made one: a list like
    /// `type in (a, b, c, d)` binds to four tests, which would be four
    /// passes over the codes, and is one table lookup per row.
    static func merged(_ parts: [BoundCondition], or: Bool) -> [BoundCondition] {
        var out: [BoundCondition] = []
        var at: [Int: Int] = [:]  // column → its test's place in `out`
        func add(_ p: BoundCondition, depth: Int) {
            switch p {
            case .or(let inner) where or && depth < 64: for q in inner { add(q, depth: depth + 1) }
            case .and(let inner) where !or && depth < 64: for q in inner { add(q, depth: depth + 1) }
            case .categoryIn(let k, let m):
                if let i = at[k], case .categoryIn(_, let prev) = out[i], prev.count == m.count {
                    out[i] = .categoryIn(column: k, matches: zip(prev, m).map { or ? $0 || $1 : $0 && $1 })
                } else {
                    at[k] = out.count
                    out.append(p)
                }
            default: out.append(p)
            }
        }
        for p in parts { add(p, depth: 0) }
        return out
    }

    /// Writes `out[k]` for every word `k` in `words` (rows 64k ..< 64k+64,
    /// none at or past `rows`).
    func fill(_ out: UnsafeMutablePointer<UInt64>, _ words: Range<Int>, rows n: Int) {
        switch self {
        case .constant(let yes):
            for k in words { out[k] = yes ? RowTest.ones(k, n) : 0 }
        case .bools(let value, let known, let want):
            value.words.withUnsafeBufferPointer { v in
                known.words.withUnsafeBufferPointer { m in
                    // Masked to the rows: a cached column's last word is used as read.
                    for k in words { out[k] = (want ? v[k] : ~v[k]) & m[k] & RowTest.ones(k, n) }
                }
            }
        case .nonZero(let col):
            col.withUnsafeBufferPointer { v in RowTest.build(out, words, n) { r in !v[r].isNaN && v[r] != 0 } }
        case .categoryIn(let codes, let table, let check):
            // Missing is the width's largest value, never below `top`.
            func bits<C: FixedWidthInteger & BitwiseCopyable>(_ codes: ColumnValues<C>) {
                let top = C(truncatingIfNeeded: Swift.min(table.count - 1, Int(C.max)))
                codes.withUnsafeBufferPointer { c in
                    table.withUnsafeBufferPointer { t in
                        RowTest.build(out, words, n) { r in t[Int(Swift.min(c[r], top))] != 0 }
                    }
                    // The slice's codes again, while they are in cache.
                    let first = words.lowerBound &<< 6, end = Swift.min(n, words.upperBound &<< 6)
                    guard let check, first < end else { return }
                    if CategoryCodes.top(c, first..<end) > table.count - 1 { check.report() }
                }
            }
            switch codes {
            case .u8(let c): bits(c)
            case .u16(let c): bits(c)
            case .u32(let c): bits(c)
            }
        case .number(let col, let op, let x):
            col.withUnsafeBufferPointer { v in
                switch op {
                case .eq: RowTest.build(out, words, n) { v[$0] == x }
                case .ne: RowTest.build(out, words, n) { !v[$0].isNaN && v[$0] != x }
                case .lt: RowTest.build(out, words, n) { v[$0] < x }
                case .le: RowTest.build(out, words, n) { v[$0] <= x }
                case .gt: RowTest.build(out, words, n) { v[$0] > x }
                case .ge: RowTest.build(out, words, n) { v[$0] >= x }
                }
            }
        case .numberIn(let col, let set):
            col.withUnsafeBufferPointer { v in RowTest.build(out, words, n) { set.contains(v[$0]) } }
        case .dateIn(let days, let zones, let lo, let hi):
            // Missing is Int32.min, below every lo the checker makes; one
            // unsigned compare tests lo <= x < hi. A zone wholly inside or
            // outside the range is settled without reading its days.
            let span = UInt32(bitPattern: hi &- lo)
            let zoneWords = DateZones.rows >> 6
            days.withUnsafeBufferPointer { d in
                var k = words.lowerBound
                while k < words.upperBound {
                    let z = k / zoneWords
                    let end = Swift.min(words.upperBound, (z + 1) * zoneWords)
                    switch hi > lo ? zones.verdict(z, from: lo, to: hi) : .outside {
                    case .outside: for j in k..<end { out[j] = 0 }
                    case .inside: for j in k..<end { out[j] = RowTest.ones(j, n) }
                    case .mixed:
                        RowTest.build(out, k..<end, n) { r in
                            let x = d[r]
                            return x != DateColumn.missing && UInt32(bitPattern: x &- lo) < span
                        }
                    }
                    k = end
                }
            }
        case .missing(let col):
            RowTest.build(out, words, n) { col.isMissing($0) }
        case .periodInside(let s, let e, let lo, let hi):
            // A published row's period is inclusive [start, end]: inside [lo, hi) when start >= lo and end < hi.
            RowTest.build(out, words, n) { r in
                s[r] != DateColumn.missing && e[r] != DateColumn.missing && Int(s[r]) >= lo && Int(e[r]) < hi
            }
        case .not(let inner):
            inner.fill(out, words, rows: n)
            for k in words { out[k] = ~out[k] & RowTest.ones(k, n) }
        case .and(let parts), .or(let parts):
            let isAnd: Bool
            if case .and = self { isAnd = true } else { isAnd = false }
            guard let first = parts.first else {
                RowTest.constant(isAnd).fill(out, words, rows: n)
                return
            }
            first.fill(out, words, rows: n)
            guard parts.count > 1 else { return }
            // The other parts into this slice's own scratch words, each only
            // over the words the parts so far leave undecided (any row still
            // selected, for and; any not yet selected, for or): a selective
            // first part (a period over dated rows) spares the rest most rows.
            let scratch = UnsafeMutablePointer<UInt64>.allocate(capacity: words.count)
            defer { scratch.deallocate() }
            let shifted = scratch - words.lowerBound
            for p in parts.dropFirst() {
                var k = words.lowerBound
                while k < words.upperBound {
                    let run = RowTest.undecidedRun(out, from: k, to: words.upperBound, isAnd: isAnd, rows: n)
                    guard !run.isEmpty else { break }
                    p.fill(shifted, run, rows: n)
                    if isAnd { for j in run { out[j] &= shifted[j] } } else { for j in run { out[j] |= shifted[j] } }
                    k = run.upperBound
                }
            }
        }
    }

    /// The next words from `from` that an and (or an or) has not decided:
    /// from the first undecided word to the last before a gap of eight
    /// decided ones (shorter gaps are filled too: a call per word would
    /// cost more than the rows it spares). Empty when none is left.
    static func undecidedRun(_ out: UnsafeMutablePointer<UInt64>, from: Int, to: Int, isAnd: Bool, rows n: Int) -> Range<Int> {
        @inline(__always) func decided(_ k: Int) -> Bool { isAnd ? out[k] == 0 : out[k] == RowTest.ones(k, n) }
        var k = from
        while k < to, decided(k) { k &+= 1 }
        guard k < to else { return to..<to }
        var end = k &+ 1, gap = 0, j = k &+ 1
        while j < to, gap < 8 {
            if decided(j) { gap &+= 1 } else { gap = 0; end = j &+ 1 }
            j &+= 1
        }
        return k..<end
    }

    /// Roughly what a test costs a row, to try the cheapest part of an and
    /// or an or first (it then decides rows the others skip): a bitmap is
    /// whole words, a date or number one compare, a category a table load.
    var cost: Int {
        switch self {
        case .constant: return 0
        case .bools: return 1
        case .nonZero, .number, .dateIn, .missing: return 8
        case .categoryIn: return 10
        case .periodInside: return 12
        case .numberIn: return 30
        case .not(let inner): return inner.cost + 1
        case .and(let parts), .or(let parts): return parts.reduce(0) { $0 + $1.cost }
        }
    }

    /// Word k with a bit for every row that exists.
    @inline(__always) static func ones(_ k: Int, _ n: Int) -> UInt64 {
        let left = n &- (k &<< 6)
        return left >= 64 ? ~0 : (UInt64(1) &<< UInt64(left)) &- 1
    }

    /// Packs a predicate over the rows of `words` into them.
    @inline(__always)
    static func build(_ out: UnsafeMutablePointer<UInt64>, _ words: Range<Int>, _ n: Int, _ pred: (Int) -> Bool) {
        for k in words {
            let r = k &<< 6
            out[k] = r &+ 64 <= n ? fullWord(r, pred) : partialWord(r, n, pred)
        }
    }

    /// Rows r ..< r+64. Branch-free (a data-dependent branch per row
    /// mispredicts on real columns): each eight rows' 0/1 answers go into
    /// the bytes of a word, which one multiply packs into eight bits.
    @inline(__always)
    static func fullWord(_ r: Int, _ pred: (Int) -> Bool) -> UInt64 {
        var word: UInt64 = 0
        for j in 0..<8 {
            var bytes: UInt64 = 0
            for i in 0..<8 { bytes |= UInt64(pred(r &+ j &* 8 &+ i) ? 1 : 0) &<< UInt64(i &* 8) }
            // Byte i's low bit lands on bit 56 + i and nothing carries into
            // the top byte, as every product term has its own position.
            word |= ((bytes &* 0x0102_0408_1020_4080) &>> 56) &<< UInt64(j &* 8)
        }
        return word
    }

    static func partialWord(_ r: Int, _ n: Int, _ pred: (Int) -> Bool) -> UInt64 {
        var word: UInt64 = 0
        for i in 0..<(n &- r) where pred(r &+ i) { word |= 1 &<< UInt64(i) }
        return word
    }
}

extension Array where Element == RowTest {
    /// In order of cost, ties as written (a stable sort).
    var cheapestFirst: [RowTest] {
        enumerated().sorted { ($0.element.cost, $0.offset) < ($1.element.cost, $1.offset) }.map(\.element)
    }
}
