import Foundation

/// The column types misq stores. Categories (and ids) are dictionary codes,
/// dates are day numbers, numbers are doubles with NaN for missing, booleans
/// are packed bits.

/// A category column's codes, as narrow as its labels allow: one byte for
/// fewer than 255 labels, two for fewer than 65,535, else four. The largest
/// value of the width means missing. A 10M-row column of outcomes is 10 MB,
/// not 40, in memory and in the cache.
public enum CategoryCodes: Sendable, Equatable {
    case u8(ColumnValues<UInt8>)
    case u16(ColumnValues<UInt16>)
    case u32(ColumnValues<UInt32>)

    public var count: Int {
        switch self {
        case .u8(let c): return c.count
        case .u16(let c): return c.count
        case .u32(let c): return c.count
        }
    }

    /// Code of row `r`; `CategoryColumn.missing` when missing, whatever the width.
    @inline(__always) public subscript(r: Int) -> UInt32 {
        switch self {
        case .u8(let c): let k = c[r]; return k == .max ? CategoryColumn.missing : UInt32(k)
        case .u16(let c): let k = c[r]; return k == .max ? CategoryColumn.missing : UInt32(k)
        case .u32(let c): return c[r]
        }
    }

    /// Bytes per code for a column with `labels` labels.
    static func width(labels: Int) -> Int { labels < 0xFF ? 1 : (labels < 0xFFFF ? 2 : 4) }

    /// One past the largest code of `rows`, missing (the width's largest
    /// value) counting as none: code + 1 wraps it to 0, and the max
    /// vectorises. Codes fit `labels` labels when this is at most `labels`.
    @inline(__always) static func top<C: FixedWidthInteger>(_ c: UnsafeBufferPointer<C>, _ rows: Range<Int>) -> Int {
        var top = C(0)
        for r in rows { top = Swift.max(top, c[r] &+ 1) }
        return Int(top)
    }

    /// Whether every code indexes one of `labels` labels or is missing; on
    /// all cores.
    func fit(labels: Int) -> Bool {
        func top<C: FixedWidthInteger & BitwiseCopyable>(_ v: ColumnValues<C>) -> Int {
            v.withUnsafeBufferPointer { c in
                Parallel.perSlice(c.count, grain: 1 << 20, initial: 0) { CategoryCodes.top(c, $0) }.max() ?? 0
            }
        }
        switch self {
        case .u8(let v): return top(v) <= labels
        case .u16(let v): return top(v) <= labels
        case .u32(let v): return top(v) <= labels
        }
    }
}

/// Category codes read from the cache are not checked against their labels
/// when the cache is opened (reading every code of a 10M-row column twice
/// was a sixth of a warm query). A pass that reads the codes anyway checks
/// those it reads and reports a code past the labels here; only a damaged
/// cache holds one, and the query is then run again from the CSV
/// (`Executor.run`). Every other use checks the whole column first
/// (`Dataset.column`).
final class CodeCheck: @unchecked Sendable {
    private let lock = NSLock()
    private var seen = false

    func report() { lock.lock(); seen = true; lock.unlock() }

    /// Whether a code was reported since the last call.
    func take() -> Bool {
        lock.lock(); defer { seen = false; lock.unlock() }
        return seen
    }
}

public final class CategoryColumn: @unchecked Sendable {
    public static let missing = UInt32.max
    public let codes: CategoryCodes
    /// Distinct values; codes are 0 ..< labelCount.
    public let labelCount: Int
    let declaredOrder: [String]?
    private let lock = NSLock()
    private var _labels: [String]?
    private let loadLabels: (@Sendable () -> [String])?
    private var _rank: [Int]?
    private var _normalized: [String: [UInt32]]?
    /// Values looked up by scanning the labels (`codes(normalized:)`).
    private var scans = 0

    init(codes: CategoryCodes, labels: [String], declaredOrder: [String]? = nil) {
        self.codes = codes
        self.labelCount = labels.count
        self._labels = labels
        self.loadLabels = nil
        self.declaredOrder = declaredOrder
    }

    /// Labels read on first use: an id column from the cache has millions,
    /// and counting its distinct values never needs them.
    init(codes: CategoryCodes, labelCount: Int, declaredOrder: [String]?, loadLabels: @escaping @Sendable () -> [String]) {
        self.codes = codes
        self.labelCount = labelCount
        self._labels = nil
        self.loadLabels = loadLabels
        self.declaredOrder = declaredOrder
    }

    public var labels: [String] {
        lock.lock(); defer { lock.unlock() }
        if let l = _labels { return l }
        let l = loadLabels?() ?? []
        _labels = l
        return l
    }

    /// Display rank of each code: the declared enum order when the package
    /// gives one, else alphabetical. Built on first use: an id column with a
    /// million values is counted far more often than it is sorted.
    public var rank: [Int] {
        let labels = self.labels
        lock.lock(); defer { lock.unlock() }
        if let r = _rank { return r }
        let r = CategoryColumn.ranks(labels, declaredOrder)
        _rank = r
        return r
    }

    /// Normalised label → codes, for bare-word matching; built on first use.
    public var normalized: [String: [UInt32]] {
        let labels = self.labels
        lock.lock(); defer { lock.unlock() }
        if let n = _normalized { return n }
        var norm: [String: [UInt32]] = [:]
        for (k, l) in labels.enumerated() { norm[Suggestions.normalize(l), default: []].append(UInt32(k)) }
        _normalized = norm
        return norm
    }

    /// Above this many labels a value is looked up by a scan of the
    /// labels instead of the table: an id column has millions, and the
    /// table costs a String and an entry for each (seconds at 10M rows)
    /// where a scan of bytes costs milliseconds.
    static let normalizedTableLimit = LabelSet.tableLimit
    /// A long `in (…)` list on an id column scanned the labels once per
    /// value (1,000 ids of 300,000 took 20 s). Building the table costs
    /// about one scan, so from the second lookup on a column the table is
    /// built and kept.
    static let scansBeforeTable = 1

    /// The codes whose labels normalise to `norm` (`Suggestions.normalize`).
    public func codes(normalized norm: String) -> [UInt32] {
        lock.lock()
        scans += 1
        let tableWanted = labelCount <= CategoryColumn.normalizedTableLimit || scans > CategoryColumn.scansBeforeTable || _normalized != nil
        lock.unlock()
        if tableWanted { return normalized[norm] ?? [] }
        let want = Array(norm.utf8)
        var out: [UInt32] = []
        for (k, l) in labels.enumerated() where Suggestions.normalizes(l, to: want) { out.append(UInt32(k)) }
        return out
    }

    static func ranks(_ labels: [String], _ declaredOrder: [String]?) -> [Int] {
        // Sort keys made once per label, not once per comparison: an id
        // column's millions of labels took seconds lowercasing in the sort.
        let order: [Int]
        if let declared = declaredOrder {
            let pos = Dictionary(declared.enumerated().map { (Suggestions.normalize($1), $0) }, uniquingKeysWith: { a, _ in a })
            let at = labels.map { pos[Suggestions.normalize($0)] ?? Int.max }
            order = Array(labels.indices).sorted { at[$0] != at[$1] ? at[$0] < at[$1] : labels[$0] < labels[$1] }
        } else if let ascii = asciiOrder(labels) {
            order = ascii
        } else {
            // Labels equal but for case ("Upheld", "upheld") in the labels'
            // own order, not the order the file first holds them: the same
            // data in another row order (or in a database, which has none)
            // shows its groups in the same order.
            let lower = labels.map { $0.lowercased() }
            order = Array(labels.indices).sorted { lower[$0] != lower[$1] ? lower[$0] < lower[$1] : labels[$0] < labels[$1] }
        }
        var r = [Int](repeating: 0, count: labels.count)
        for (k, c) in order.enumerated() { r[c] = k }
        return r
    }

    /// The order `ranks` gives labels with no declared order (lowercased,
    /// then as written) when every label is ASCII, where both are plain
    /// byte orders: the labels radix-sorted by their first eight lowercased
    /// bytes, then each run that shares those compared in full. nil when
    /// a label is not ASCII. An id column's million labels took a tenth of
    /// a query through String comparison.
    static func asciiOrder(_ labels: [String]) -> [Int]? {
        let n = labels.count
        guard n > 1, n < 1 << 32 else { return n == 1 ? [0] : (n == 0 ? [] : nil) }
        @inline(__always) func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
        var bytes: [UInt8] = []
        var ends = [Int](repeating: 0, count: n)
        var keys = [UInt64](repeating: 0, count: n)
        for (i, l) in labels.enumerated() {
            var ascii = true
            var key: UInt64 = 0
            var k = 0
            for b in l.utf8 {
                if b >= 0x80 { ascii = false; break }
                bytes.append(b)
                if k < 8 { key |= UInt64(lower(b)) << UInt64(56 - 8 * k) }
                k += 1
            }
            guard ascii else { return nil }
            ends[i] = bytes.count
            keys[i] = key
        }
        var order = (0..<n).map(UInt32.init)
        RadixSort.sort(&keys, carrying: &order, bits: 64)
        // Runs of one key: labels that share their first eight lowercased
        // bytes, ordered in full (lowercased, then as written).
        bytes.withUnsafeBufferPointer { p in
            func span(_ i: UInt32) -> UnsafeBufferPointer<UInt8> {
                let s = i == 0 ? 0 : ends[Int(i) - 1]
                return UnsafeBufferPointer(rebasing: p[s..<ends[Int(i)]])
            }
            func before(_ a: UInt32, _ b: UInt32) -> Bool {
                let x = span(a), y = span(b)
                for (u, v) in zip(x, y) where lower(u) != lower(v) { return lower(u) < lower(v) }
                if x.count != y.count { return x.count < y.count }
                return x.lexicographicallyPrecedes(y)
            }
            var s = 0
            while s < n {
                var e = s + 1
                while e < n && keys[e] == keys[s] { e += 1 }
                if e - s > 1 { order[s..<e].sort(by: before) }
                s = e
            }
        }
        return order.map(Int.init)
    }
}

public struct NumberColumn: Sendable {
    public var values: ColumnValues<Double>
    /// Every present value is a whole number: shown without decimals.
    public var allIntegers: Bool
}

public struct DateColumn: Sendable {
    public static let missing = Int32.min
    public var days: ColumnValues<Int32>
    /// Each zone's first and last day (see DateZones).
    public var zones: DateZones

    /// Zones worked out from the days (one parallel pass).
    public init(days: ColumnValues<Int32>) {
        self.days = days
        zones = DateZones(days: days)
    }

    /// Zones as read from the cache; nil if they do not fit the days.
    init?(days: ColumnValues<Int32>, zones: DateZones) {
        guard zones.fits(rows: days.count) else { return nil }
        self.days = days
        self.zones = zones
    }

    /// The first and last day present; nil if all are missing.
    public var range: ClosedRange<Int32>? { zones.range }
}

/// A yes/no column's bits, read-only: built once, or used in place from a
/// cache file's mapping (a warm run copies none of them). Bits past
/// `count` in the last word may be anything; readers mask them.
public struct PackedBits: Sendable {
    public let words: ColumnValues<UInt64>
    public let count: Int

    public init(_ bitmap: Bitmap) {
        words = ColumnValues(bitmap.words)
        count = bitmap.count
    }

    init(words: ColumnValues<UInt64>, count: Int) {
        self.words = words
        self.count = count
    }

    @inline(__always) public subscript(i: Int) -> Bool { (words[i >> 6] >> UInt64(i & 63)) & 1 == 1 }

    /// Rows set here, and in `other` if given.
    public func setCount(and other: PackedBits? = nil) -> Int {
        var total = 0
        for k in 0..<words.count {
            var w = words[k]
            if let o = other { w &= o.words[k] }
            if k == words.count - 1, count % 64 != 0 { w &= (UInt64(1) << UInt64(count % 64)) - 1 }
            total += w.nonzeroBitCount
        }
        return total
    }
}

public struct BoolColumn: Sendable {
    public var value: PackedBits
    public var known: PackedBits

    public init(value: PackedBits, known: PackedBits) {
        self.value = value
        self.known = known
    }

    /// 0 for no, 1 for yes and `missing` for missing, a code per row.
    func codes(missing: UInt32) -> ColumnValues<UInt32> {
        ColumnValues(count: value.count) { p in
            for r in 0..<value.count { (p + r).initialize(to: known[r] ? (value[r] ? 1 : 0) : missing) }
        }
    }
}

public enum Column: Sendable {
    case category(CategoryColumn)
    case number(NumberColumn)
    case date(DateColumn)
    case boolean(BoolColumn)

    public var type: ColumnType {
        switch self {
        case .category: return .category
        case .number: return .number
        case .date: return .date
        case .boolean: return .boolean
        }
    }

    public var count: Int {
        switch self {
        case .category(let c): return c.codes.count
        case .number(let c): return c.values.count
        case .date(let c): return c.days.count
        case .boolean(let c): return c.value.count
        }
    }

    public func isMissing(_ row: Int) -> Bool {
        switch self {
        case .category(let c): return c.codes[row] == CategoryColumn.missing
        case .number(let c): return c.values[row].isNaN
        case .date(let c): return c.days[row] == DateColumn.missing
        case .boolean(let c): return !c.known[row]
        }
    }

    /// The value as text, for `show` and CSV output; nil when missing.
    public func text(_ row: Int) -> String? {
        switch self {
        case .category(let c): let k = c.codes[row]; return k == CategoryColumn.missing ? nil : c.labels[Int(k)]
        case .number(let c): let v = c.values[row]; return v.isNaN ? nil : NumberFormat.exact(v)
        case .date(let c): let d = c.days[row]; return d == DateColumn.missing ? nil : Day.iso(Int(d))
        case .boolean(let c): return c.known[row] ? (c.value[row] ? "yes" : "no") : nil
        }
    }
}
