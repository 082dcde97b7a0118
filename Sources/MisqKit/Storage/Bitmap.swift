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

    /// Whether any index in `range` is set.
    public func anySet(in range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return false }
        let first = range.lowerBound >> 6, last = (range.upperBound - 1) >> 6
        for k in first...last {
            var word = words[k]
            if k == first { word &= ~0 &<< UInt64(range.lowerBound & 63) }
            if k == last, range.upperBound & 63 != 0 { word &= (1 &<< UInt64(range.upperBound & 63)) &- 1 }
            if word != 0 { return true }
        }
        return false
    }

    /// Whether every index in `range` is set.
    public func allSet(in range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return true }
        let first = range.lowerBound >> 6, last = (range.upperBound - 1) >> 6
        for k in first...last {
            var mask: UInt64 = ~0
            if k == first { mask &= ~0 &<< UInt64(range.lowerBound & 63) }
            if k == last, range.upperBound & 63 != 0 { mask &= (1 &<< UInt64(range.upperBound & 63)) &- 1 }
            if words[k] & mask != mask { return false }
        }
        return true
    }

    /// How many indices in `range` are set.
    public func setCount(in range: Range<Int>) -> Int {
        guard !range.isEmpty else { return 0 }
        let first = range.lowerBound >> 6, last = (range.upperBound - 1) >> 6
        var n = 0
        for k in first...last {
            var word = words[k]
            if k == first { word &= ~0 &<< UInt64(range.lowerBound & 63) }
            if k == last, range.upperBound & 63 != 0 { word &= (1 &<< UInt64(range.upperBound & 63)) &- 1 }
            n &+= word.nonzeroBitCount
        }
        return n
    }

    /// Calls `body` with each set index in `range`, in order.
    @inline(__always) public func forEachSet(in range: Range<Int>, _ body: (Int) throws -> Void) rethrows {
        guard !range.isEmpty else { return }
        var k = range.lowerBound >> 6
        let lastWord = (range.upperBound - 1) >> 6
        while k <= lastWord {
            var word = words[k]
            if k == range.lowerBound >> 6 { word &= ~0 &<< UInt64(range.lowerBound & 63) }
            if k == lastWord, range.upperBound & 63 != 0 { word &= (1 &<< UInt64(range.upperBound & 63)) &- 1 }
            while word != 0 {
                let bit = word.trailingZeroBitCount
                try body(k << 6 | bit)
                word &= word &- 1
            }
            k += 1
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
