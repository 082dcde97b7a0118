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
    private let separatorVector: SIMD16<UInt8>

    /// False only to test the fast path against the exact one.
    let fastPlainRows: Bool

    init(_ p: UnsafePointer<UInt8>, count: Int, fields: Int, separator: UInt8, fastPlainRows: Bool = true) {
        self.p = p
        self.fastPlainRows = fastPlainRows
        self.n = count
        self.expected = fields
        self.separator = separator
        separatorWord = UInt64(separator) &* RowScanner.ones
        separatorVector = SIMD16(repeating: separator)
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
    private static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// The high bit of each byte of `x` that is zero, exactly (no borrow
    /// between bytes, unlike the shorter `(x - 1) & ~x` trick).
    @inline(__always) static func zeroBytes(_ x: UInt64) -> UInt64 {
        ~(((x & low7) &+ low7) | x | low7)
    }

    /// The first separator or line feed at or after `i`, or `n`, for the
    /// exact path's unquoted fields. Eight bytes at a time; little-endian
    /// loads, so the lowest flagged byte is the first.
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
    /// `wanted[f] >= 0`; its span goes to `spans[wanted[f]]`, and
    /// `nextWanted[f]` is the first wanted field at or after `f`
    /// (`Int32.max` when none; `nextWanted` has a last entry for f = fields).
    /// A quoted field searches for its closing quote no further than `limit`.
    @inline(__always)
    func row(at start: Int, limit: Int, wanted: UnsafePointer<Int32>?, nextWanted: UnsafePointer<Int32>?,
             spans: UnsafeMutablePointer<FieldSpan>?) -> Step {
        var plain = false
        return row(at: start, limit: limit, wanted: wanted, nextWanted: nextWanted, spans: spans, plain: &plain)
    }

    /// As above, and `plain` says whether the fast path read the row: it
    /// has no quote and its fields, so `plainField` can find any of them.
    @inline(__always)
    func row(at start: Int, limit: Int, wanted: UnsafePointer<Int32>?, nextWanted: UnsafePointer<Int32>?,
             spans: UnsafeMutablePointer<FieldSpan>?, plain: inout Bool) -> Step {
        if fastPlainRows, let next = plainRow(at: start, wanted: wanted, nextWanted: nextWanted, spans: spans) {
            plain = true
            return .row(next: next)
        }
        plain = false
        return fullRow(at: start, limit: limit, wanted: wanted, spans: spans)
    }

    /// One row on its own (finding a row for an error message, a field for
    /// `show`), with `wanted` as above.
    func row(at start: Int, wanted: [Int32]?, spans: UnsafeMutablePointer<FieldSpan>?) -> Step {
        guard let w = wanted else { return row(at: start, limit: n, wanted: nil, nextWanted: nil, spans: spans) }
        let next = RowScanner.nextWanted(w)
        return w.withUnsafeBufferPointer { wp in
            next.withUnsafeBufferPointer { np in
                row(at: start, limit: n, wanted: wp.baseAddress, nextWanted: np.baseAddress, spans: spans)
            }
        }
    }

    /// For `wanted` (slot per field, -1 when not wanted): the first wanted
    /// field at or after each field, and a last entry past the end.
    static func nextWanted(_ wanted: [Int32]) -> [Int32] {
        var next = [Int32](repeating: Int32.max, count: wanted.count + 1)
        for f in stride(from: wanted.count - 1, through: 0, by: -1) { next[f] = wanted[f] >= 0 ? Int32(f) : next[f + 1] }
        return next
    }

    /// The common row: no quote in it, not starting with a blank, the
    /// right number of fields, ended by a line feed. Anything else returns
    /// nil and `fullRow` decides, so the two cannot disagree on a row this
    /// one accepts: for such a row every field runs from after a separator
    /// to the next separator or the line feed, exactly as `fullRow` reads it.
    ///
    /// One read of the row's bytes finds its separators, its line feed and
    /// any quote (a memchr for the line feed, and another for quotes, read
    /// every byte three times). Blocks in which no wanted field starts or
    /// ends, and no line feed or quote lies, are stepped over after counting
    /// their separators.
    @inline(__always)
    private func plainRow(at start: Int, wanted: UnsafePointer<Int32>?, nextWanted: UnsafePointer<Int32>?,
                          spans: UnsafeMutablePointer<FieldSpan>?) -> Int? {
        guard start < n else { return nil }
        let first = p[start]
        if first == 0x0A || isBlank(first) || first == 0x22 { return nil }
        let newlines = SIMD16<UInt8>(repeating: 0x0A), quoteMarks = SIMD16<UInt8>(repeating: 0x22)
        var field = 0
        var fieldStart = start
        var nw = nextWanted.map { Int($0[0]) } ?? Int.max
        var i = start
        var lineEnd = n
        while true {
            // The common step, kept small so its state stays in registers.
            // (A row with too many fields is caught by the count at the
            // end.) Thirty-two bytes a step while they last: one multiply
            // sums both halves' flags.
            while i &+ 32 <= n {
                let va = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<UInt8>.self)
                let vb = UnsafeRawPointer(p + i + 16).loadUnaligned(as: SIMD16<UInt8>.self)
                let la = unsafeBitCast((va .== newlines) .| (va .== quoteMarks), to: SIMD2<UInt64>.self)
                let lb = unsafeBitCast((vb .== newlines) .| (vb .== quoteMarks), to: SIMD2<UInt64>.self)
                if (la[0] | la[1] | lb[0] | lb[1]) != 0 { break }
                let a = unsafeBitCast(va .== separatorVector, to: SIMD2<UInt64>.self)
                let b = unsafeBitCast(vb .== separatorVector, to: SIMD2<UInt64>.self)
                let bytes = ((a[0] & RowScanner.ones) &+ (a[1] & RowScanner.ones)) &+ ((b[0] & RowScanner.ones) &+ (b[1] & RowScanner.ones))
                let count = Int(truncatingIfNeeded: (bytes &* RowScanner.ones) >> 56)
                if field &+ count >= nw { break }
                field &+= count
                i &+= 32
            }
            // Sixteen bytes: one vector compare marks each separator (and
            // each line feed) byte 0xFF, read back as two words (first byte
            // lowest).
            var lo: UInt64 = 0, hi: UInt64 = 0, feedLo: UInt64 = 0, feedHi: UInt64 = 0, quoteLo: UInt64 = 0, quoteHi: UInt64 = 0
            if i &+ 16 <= n {
                let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<UInt8>.self)
                let flags = unsafeBitCast(v .== separatorVector, to: SIMD2<UInt64>.self)
                let feeds = unsafeBitCast(v .== newlines, to: SIMD2<UInt64>.self)
                let marks = unsafeBitCast(v .== quoteMarks, to: SIMD2<UInt64>.self)
                lo = flags[0]; hi = flags[1]; feedLo = feeds[0]; feedHi = feeds[1]; quoteLo = marks[0]; quoteHi = marks[1]
            } else {
                for k in 0..<(n &- i) {
                    let c = p[i &+ k], bit = UInt64(0xFF) &<< UInt64((k & 7) &* 8)
                    if c == separator { if k < 8 { lo |= bit } else { hi |= bit } }
                    if c == 0x0A { if k < 8 { feedLo |= bit } else { feedHi |= bit } }
                    if c == 0x22 { if k < 8 { quoteLo |= bit } else { quoteHi |= bit } }
                }
                // No line feed before the end of the file: fullRow reads it.
                if feedLo | feedHi == 0 { return nil }
            }
            let ended = feedLo | feedHi != 0
            if ended {
                // Keep the bytes before the line feed. A shift of 64 is a
                // shift of 0 with &<<, so a word with all 8 bytes kept is
                // left whole rather than masked.
                let valid = feedLo != 0 ? feedLo.trailingZeroBitCount >> 3 : 8 &+ (feedHi.trailingZeroBitCount >> 3)
                lineEnd = i &+ valid
                if valid < 8 {
                    let keep = (UInt64(1) &<< UInt64(valid &* 8)) &- 1
                    lo &= keep; hi = 0; quoteLo &= keep; quoteHi = 0
                } else {
                    let keep = (UInt64(1) &<< UInt64((valid &- 8) &* 8)) &- 1
                    hi &= keep; quoteHi &= keep
                }
            }
            // A quote in the row: fullRow reads it.
            if quoteLo | quoteHi != 0 { return nil }
            if lo | hi != 0 {
                // One flag per byte: summing the bytes by a multiply counts
                // them without a popcount instruction (not in baseline x86-64).
                let count = Int(truncatingIfNeeded: (((lo & RowScanner.ones) &+ (hi & RowScanner.ones)) &* RowScanner.ones) >> 56)
                if field &+ count < nw {
                    // Fields field ..< field + count end here and the next
                    // starts here; none of them is wanted.
                    field &+= count
                    if field >= expected { return nil }
                } else {
                    var m = lo, base = i
                    while true {
                        if m == 0 {
                            if base != i || hi == 0 { break }
                            m = hi; base = i &+ 8
                            continue
                        }
                        let bit = m.trailingZeroBitCount
                        let at = base &+ (bit >> 3)
                        m &= ~(UInt64(0xFF) &<< UInt64(bit))
                        if field == nw {
                            record(field, fieldStart, at, wanted: wanted, spans: spans)
                            nw = nextWanted.map { Int($0[field &+ 1]) } ?? Int.max
                        }
                        field &+= 1
                        if field >= expected { return nil }
                        fieldStart = at &+ 1
                    }
                }
            }
            if ended { break }
            i &+= 16
        }
        guard field &+ 1 == expected else { return nil }
        if field == nw { record(field, fieldStart, lineEnd, wanted: wanted, spans: spans) }
        return lineEnd &+ 1
    }

    /// Field `f` of a row already checked to have no quote and its fields,
    /// from `start` to its line feed: after the f-th separator, trimmed as
    /// `fullRow` reads an unquoted field.
    func plainField(_ f: Int, from start: Int) -> FieldSpan {
        var s = start
        for _ in 0..<f { s = fieldEnd(from: s) &+ 1 }
        return unquoted(s, fieldEnd(from: s))
    }

    /// A wanted unquoted field's span, trimmed of blanks. Not a closure in
    /// `plainRow`: capturing its loop variables kept them out of registers.
    @inline(__always)
    private func record(_ field: Int, _ s0: Int, _ t0: Int, wanted: UnsafePointer<Int32>?, spans: UnsafeMutablePointer<FieldSpan>?) {
        guard let want = wanted, let out = spans else { return }
        out[Int(want[field])] = unquoted(s0, t0)
    }

    /// An unquoted field from `s` to its separator or line end `t`: leading
    /// spaces and tabs, and trailing blanks (a line's carriage return), are
    /// not part of it.
    @inline(__always) private func unquoted(_ s0: Int, _ t0: Int) -> FieldSpan {
        var s = s0, t = t0
        while s < t, p[s] == 0x20 || p[s] == 0x09 { s &+= 1 }
        while t > s, isBlank(p[t &- 1]) { t &-= 1 }
        return FieldSpan(start: s, end: t, quoted: false)
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
                if let w = wanted, w[field] >= 0, let out = spans { out[Int(w[field])] = unquoted(s, stop) }
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
