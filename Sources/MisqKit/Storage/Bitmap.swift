/// A packed bit per row: filters produce these, and boolean columns are
/// stored as two of them (value, known).
public struct Bitmap: Sendable {
    public var words: [UInt64]
    public let count: Int

    public init(count: Int, filled: Bool = false) {
        self.count = count
        words = [UInt64](repeating: filled ? ~0 : 0, count: (count + 63) / 64)
        if filled { clearTail() }
    }

    /// All clear, the words zeroed by `zero` (given each word range to
    /// clear), so that a caller can clear them in slices on all cores, where
    /// each slice is then filled: one thread clearing 1.25 MB for 10M rows
    /// takes its page faults one by one, a millisecond of a warm query.
    init(count: Int, zeroedBy zero: (UnsafeMutableBufferPointer<UInt64>) -> Void) {
        self.count = count
        let n = (count + 63) / 64
        words = [UInt64](unsafeUninitializedCapacity: n) { buffer, initialized in
            zero(buffer)
            initialized = n
        }
    }

    mutating func clearTail() {
        let extra = count % 64
        if extra != 0, !words.isEmpty { words[words.count - 1] &= (UInt64(1) << UInt64(extra)) - 1 }
    }

    @inline(__always) public subscript(i: Int) -> Bool {
        get { words[i >> 6] & (UInt64(1) << UInt64(i & 63)) != 0 }
        set {
            if newValue { words[i >> 6] |= UInt64(1) << UInt64(i & 63) }
            else { words[i >> 6] &= ~(UInt64(1) << UInt64(i & 63)) }
        }
    }

    public var popCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    public mutating func formIntersection(_ o: Bitmap) { for k in words.indices { words[k] &= o.words[k] } }
    public mutating func formUnion(_ o: Bitmap) { for k in words.indices { words[k] |= o.words[k] } }
    public mutating func invert() { for k in words.indices { words[k] = ~words[k] }; clearTail() }

    /// The words `range` (not empty) covers.
    @inline(__always) private static func wordSpan(_ range: Range<Int>) -> ClosedRange<Int> {
        (range.lowerBound >> 6)...((range.upperBound - 1) >> 6)
    }

    /// The bits of word `k` inside `range`.
    @inline(__always) private static func mask(_ k: Int, in range: Range<Int>) -> UInt64 {
        var m: UInt64 = ~0
        if k == range.lowerBound >> 6 { m &= ~0 &<< UInt64(range.lowerBound & 63) }
        if k == (range.upperBound - 1) >> 6, range.upperBound & 63 != 0 { m &= (1 &<< UInt64(range.upperBound & 63)) &- 1 }
        return m
    }

    /// Whether any index in `range` is set.
    public func anySet(in range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return false }
        return Bitmap.wordSpan(range).contains { words[$0] & Bitmap.mask($0, in: range) != 0 }
    }

    /// Whether every index in `range` is set.
    public func allSet(in range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return true }
        return Bitmap.wordSpan(range).allSatisfy { let m = Bitmap.mask($0, in: range); return words[$0] & m == m }
    }

    /// How many indices in `range` are set.
    public func setCount(in range: Range<Int>) -> Int {
        guard !range.isEmpty else { return 0 }
        return Bitmap.wordSpan(range).reduce(0) { $0 &+ (words[$1] & Bitmap.mask($1, in: range)).nonzeroBitCount }
    }

    /// Calls `body` with each set index in `range`, in order.
    @inline(__always) public func forEachSet(in range: Range<Int>, _ body: (Int) throws -> Void) rethrows {
        guard !range.isEmpty else { return }
        for k in Bitmap.wordSpan(range) {
            var word = words[k] & Bitmap.mask(k, in: range)
            while word != 0 {
                let bit = word.trailingZeroBitCount
                try body(k << 6 | bit)
                word &= word &- 1
            }
        }
    }

    /// Calls `body` with each set index, in order.
    @inline(__always) public func forEachSet(_ body: (Int) throws -> Void) rethrows {
        for (k, w) in words.enumerated() {
            var word = w
            while word != 0 {
                let bit = word.trailingZeroBitCount
                try body(k << 6 | bit)
                word &= word &- 1
            }
        }
    }
}
