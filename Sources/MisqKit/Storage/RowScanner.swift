#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a wanted field lies in the bytes: trimmed of spaces (and a line's
/// carriage return), between the quotes if it was quoted.
struct FieldSpan {
    var start = 0, end = 0
    var quoted = false
}

/// The CSV row grammar, the one place it is written: every pass over a file
/// (checking and counting rows, extracting columns, finding a row for an
/// error message) parses rows with `row(at:)`, so they cannot disagree.
///
/// A field may start with spaces or tabs; then a `"` opens a quoted field
/// (`""` inside is one quote, and only spaces may follow the closing quote);
/// otherwise the field runs to the next separator or line end, and a quote
/// inside it is an ordinary character.
struct RowScanner {
    let p: UnsafePointer<UInt8>
    let n: Int
    let expected: Int
    let separator: UInt8
    private let separatorWord: UInt64

    init(_ p: UnsafePointer<UInt8>, count: Int, fields: Int, separator: UInt8) {
        self.p = p
        self.n = count
        self.expected = fields
        self.separator = separator
        separatorWord = UInt64(separator) &* RowScanner.ones
    }

    enum Failure: Equatable {
        case blankLine(at: Int)
        case tooManyFields(at: Int)
        case fieldCount(Int, at: Int)
        case unterminatedQuote(at: Int, field: Int)
        case textAfterQuote(at: Int, field: Int)
        /// A speculative parse (a chunk that may have started inside a
        /// quoted field) reached its search limit; the caller re-parses.
        case gaveUp
    }

    enum Step {
        case row(next: Int)
        /// Only blank lines remain: the data has ended.
        case end
        case failed(Failure)
    }

    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let newlineWord: UInt64 = 0x0A * ones
    static let quoteWord: UInt64 = 0x22 * ones
    private static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// The high bit of each byte of `x` that is zero, exactly (no borrow
    /// between bytes, unlike the shorter `(x - 1) & ~x` trick).
    @inline(__always) static func zeroBytes(_ x: UInt64) -> UInt64 {
        ~(((x & low7) &+ low7) | x | low7)
    }

    /// The first separator or line feed at or after `i`, or `n`. Eight
    /// bytes at a time: fields are short, rows are long, and this loop is
    /// where a scan spends its time. Little-endian loads, so the lowest
    /// flagged byte is the first.
    @inline(__always) func fieldEnd(from start: Int) -> Int {
        var i = start
        while i &+ 8 <= n {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            let m = RowScanner.zeroBytes(w ^ separatorWord) | RowScanner.zeroBytes(w ^ RowScanner.newlineWord)
            if m != 0 { return i &+ (m.trailingZeroBitCount >> 3) }
            i &+= 8
        }
        while i < n, p[i] != separator, p[i] != 0x0A { i &+= 1 }
        return i
    }

    @inline(__always) private func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D }

    /// Parses the row starting at `start`. Field `f` is wanted when
    /// `wanted[f] >= 0`; its span goes to `spans[wanted[f]]`. A quoted field
    /// searches for its closing quote no further than `limit`.
    @inline(__always)
    /// `wantedBits` has bit f set when field f (< 64) is wanted, and is all
    /// ones when a wanted field is past the 64th: words holding no wanted
    /// field's end are then skipped with one popcount.
    func row(at start: Int, limit: Int, wanted: UnsafePointer<Int32>?, spans: UnsafeMutablePointer<FieldSpan>?,
             wantedBits: UInt64 = ~0) -> Step {
        if let next = plainRow(at: start, wanted: wanted, spans: spans, wantedBits: wanted == nil ? 0 : wantedBits) { return .row(next: next) }
        return fullRow(at: start, limit: limit, wanted: wanted, spans: spans)
    }

    /// The common row, parsed a word at a time: no quote anywhere in its
    /// words, not starting with a blank, the right number of fields, and
    /// at least eight bytes from the end of the file. Anything else returns
    /// nil and `fullRow` decides, so the two cannot disagree on a row this
    /// one accepts: for such a row every field runs from after a separator
    /// to the next separator or line feed, exactly as `fullRow` reads it.
    @inline(__always)
    private func plainRow(at start: Int, wanted: UnsafePointer<Int32>?, spans: UnsafeMutablePointer<FieldSpan>?, wantedBits: UInt64) -> Int? {
        guard start < n else { return nil }
        let first = p[start]
        if first == 0x0A || isBlank(first) || first == 0x22 { return nil }
        var i = start
        var field = 0
        var fieldStart = start
        while i &+ 8 <= n {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            if RowScanner.zeroBytes(w ^ RowScanner.quoteWord) != 0 { return nil }
            let lineFeeds = RowScanner.zeroBytes(w ^ RowScanner.newlineWord)
            let separators = RowScanner.zeroBytes(w ^ separatorWord)
            if lineFeeds == 0 {
                // Fields field ..< field + count end in this word; if none
                // of them is wanted, step over them all at once.
                // One flag per byte: summing the bytes by a multiply counts
                // them without a popcount instruction (not in baseline x86-64).
                let count = Int(truncatingIfNeeded: ((separators >> 7) &* RowScanner.ones) >> 56)
                if count == 0 { i &+= 8; continue }
                if field &+ count <= 64, wantedBits & (((1 &<< UInt64(count)) &- 1) &<< UInt64(field)) == 0 {
                    field &+= count
                    if field >= expected { return nil }
                    fieldStart = i &+ ((63 &- separators.leadingZeroBitCount) >> 3) &+ 1
                    i &+= 8
                    continue
                }
            }
            var m = separators | lineFeeds
            while m != 0 {
                let bit = m & (0 &- m)
                let at = i &+ (m.trailingZeroBitCount >> 3)
                m ^= bit
                if let want = wanted, want[field] >= 0, let out = spans {
                    var s = fieldStart, t = at
                    while s < t, p[s] == 0x20 || p[s] == 0x09 { s &+= 1 }
                    while t > s, isBlank(p[t &- 1]) { t &-= 1 }
                    out[Int(want[field])] = FieldSpan(start: s, end: t, quoted: false)
                }
                if lineFeeds & bit != 0 {
                    return field &+ 1 == expected ? at &+ 1 : nil
                }
                field &+= 1
                if field >= expected { return nil }
                fieldStart = at &+ 1
            }
            i &+= 8
        }
        return nil
    }

    /// Any row, byte by byte where it must be: quoted fields, blank lines,
    /// the end of the file, and every error.
    @inline(__always)
    private func fullRow(at start: Int, limit: Int, wanted: UnsafePointer<Int32>?, spans: UnsafeMutablePointer<FieldSpan>?) -> Step {
        // A blank line: the end of the data if only blank lines follow,
        // else an error (misq never skips a row silently) unless the file
        // has one column, where it is a row with an empty field.
        var j = start
        while j < n, isBlank(p[j]) { j &+= 1 }
        if j >= n || p[j] == 0x0A {
            var k = j
            while k < n, p[k] == 0x0A || isBlank(p[k]) { k &+= 1 }
            if k >= n { return .end }
            if expected > 1 { return .failed(.blankLine(at: start)) }
        }
        var i = start
        var field = 0
        while true {
            var s = i
            while s < n, p[s] == 0x20 || p[s] == 0x09 { s &+= 1 }
            let stop: Int
            if s < n, p[s] == 0x22 {
                var k = s &+ 1
                var close = -1
                let searchEnd = min(n, limit)
                while k < searchEnd {
                    guard let q = memchr(p + k, 0x22, searchEnd - k) else { break }
                    let at = UnsafeRawPointer(q) - UnsafeRawPointer(p)
                    if at &+ 1 < n, p[at &+ 1] == 0x22 { k = at &+ 2; continue }
                    close = at
                    break
                }
                if close < 0 { return .failed(limit < n ? .gaveUp : .unterminatedQuote(at: s, field: field &+ 1)) }
                var e = close &+ 1
                while e < n, p[e] == 0x20 || p[e] == 0x09 { e &+= 1 }
                if e < n, p[e] != separator, p[e] != 0x0A, !(p[e] == 0x0D && (e &+ 1 >= n || p[e &+ 1] == 0x0A)) {
                    return .failed(.textAfterQuote(at: e, field: field &+ 1))
                }
                if e < n, p[e] == 0x0D { e &+= 1 }
                if let w = wanted, w[field] >= 0, let out = spans { out[Int(w[field])] = FieldSpan(start: s &+ 1, end: close, quoted: true) }
                stop = e
            } else {
                stop = fieldEnd(from: s)
                if let w = wanted, w[field] >= 0, let out = spans {
                    var t = stop
                    while t > s, isBlank(p[t &- 1]) { t &-= 1 }
                    out[Int(w[field])] = FieldSpan(start: s, end: t, quoted: false)
                }
            }
            if stop < n, p[stop] == separator {
                field &+= 1
                if field >= expected { return .failed(.tooManyFields(at: stop)) }
                i = stop &+ 1
                continue
            }
            // A line feed or the end of the file.
            if field &+ 1 != expected {
                var end = stop
                if end > start, p[end &- 1] == 0x0D { end &-= 1 }
                return .failed(.fieldCount(field &+ 1, at: end))
            }
            return .row(next: stop < n ? stop &+ 1 : n)
        }
    }
}
