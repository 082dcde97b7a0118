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
/// error message) parses rows with `fullRow`, or `plainRow` for the common
/// row that `fullRow` would read the same way, so they cannot disagree.
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

    /// False only to test the fast path against the exact one.
    let fastPlainRows: Bool
    /// Most bytes a row may take (with the line feeds in its quoted
    /// fields): a file with no line feed is an error at this length, not a
    /// row read to the end of however many gigabytes.
    let rowLimit: Int

    init(_ p: UnsafePointer<UInt8>, count: Int, fields: Int, separator: UInt8, fastPlainRows: Bool = true, rowLimit: Int = RowScanner.defaultRowLimit) {
        self.p = p
        self.fastPlainRows = fastPlainRows
        self.rowLimit = max(1, rowLimit)
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
        /// The row runs past `rowLimit` bytes from its start.
        case rowTooLong(at: Int)
    }

    static let defaultRowLimit = 64 << 20

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
    @inline(__always) func fieldEnd(from start: Int, upTo end: Int? = nil) -> Int {
        let n = end ?? self.n
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

    /// One row on its own (finding a row for an error message, a field for
    /// `show`, a row the fast path left), by the exact path. Field `f` is
    /// wanted when `wanted[f] >= 0`; its span goes to `spans[wanted[f]]`.
    func row(at start: Int, wanted: [Int32]?, spans: UnsafeMutablePointer<FieldSpan>?) -> Step {
        guard let w = wanted else { return fullRow(at: start, limit: n, wanted: nil, spans: spans) }
        return w.withUnsafeBufferPointer { fullRow(at: start, limit: n, wanted: $0.baseAddress, spans: spans) }
    }

    /// The common row, read from the offsets of its structural bytes in
    /// `window` (whose cursors are at the first entries at or after
    /// `start`): not starting with a blank, the right number of separators
    /// before a line feed in the window, and no quote, or only quotes that
    /// `quotedRow` takes. Anything else returns nil and `fullRow` decides,
    /// so the two cannot disagree on a row this one accepts: for such a row
    /// every field runs from after a separator to the next separator or the
    /// line feed, exactly as `fullRow` reads an unquoted field.
    ///
    /// Slot k takes field `fields[k]` (`width` of them); `quoted` says
    /// whether the row had quotes. Taking a row moves the window's cursors
    /// past it. No branch here depends on where the fields fall, so a row
    /// costs the same whatever its shape.
    @inline(__always)
    func plainRow(at start: Int, window w: inout StructuralWindow, fields: UnsafePointer<Int32>?, width: Int,
                  spans: UnsafeMutablePointer<FieldSpan>?, quoted: inout Bool) -> Int? {
        guard w.f < w.feedCount else { return nil }
        let base = w.base, seps = w.separators
        let lineEnd = base &+ Int(w.feeds[w.f])
        if lineEnd == start || isBlank(p[start]) { return nil }
        if w.q < w.quoteCount, base &+ Int(w.quotes[w.q]) < lineEnd {
            quoted = true
            return quotedRow(at: start, lineEnd: lineEnd, window: &w, fields: fields, width: width, spans: spans)
        }
        quoted = false
        // Exactly `last` separators before the line feed.
        let first = w.s, last = expected &- 1
        if last > 0 {
            guard first &+ last &- 1 < w.separatorCount, base &+ Int(seps[first &+ last &- 1]) < lineEnd else { return nil }
        }
        if first &+ last < w.separatorCount, base &+ Int(seps[first &+ last]) < lineEnd { return nil }
        if let out = spans, let fs = fields {
            for k in 0..<width {
                let field = Int(fs[k])
                let from = field == 0 ? start : base &+ Int(seps[first &+ field &- 1]) &+ 1
                let to = field == last ? lineEnd : base &+ Int(seps[first &+ field])
                out[k] = unquoted(from, to)
            }
        }
        w.s = first &+ last
        w.f &+= 1
        return lineEnd &+ 1
    }

    /// A row with quotes (one in sixteen of a national export, where a
    /// value such as "Authority, respect and courtesy" holds a comma), when
    /// every quote pairs with the next to enclose a whole field: the
    /// opening one right after a separator or at the row's start, the
    /// closing one right before a separator or the line feed, none doubled
    /// inside. `fullRow` reads such a field as the bytes between the two,
    /// and its separators are part of it; any other quoting is left to
    /// `fullRow` (nil). Not inlined: the plain row's loop stays small.
    @inline(never)
    private func quotedRow(at start: Int, lineEnd: Int, window w: inout StructuralWindow, fields: UnsafePointer<Int32>?,
                           width: Int, spans: UnsafeMutablePointer<FieldSpan>?) -> Int? {
        let base = w.base, quotes = w.quotes, seps = w.separators
        // The pairs: quote entries w.q ..< pairsEnd.
        var k = w.q
        while k < w.quoteCount, base &+ Int(quotes[k]) < lineEnd {
            guard k &+ 1 < w.quoteCount else { return nil }
            let open = base &+ Int(quotes[k]), close = base &+ Int(quotes[k &+ 1])
            guard close < lineEnd, open == start || p[open &- 1] == separator,
                  close &+ 1 == lineEnd || p[close &+ 1] == separator else { return nil }
            k &+= 2
        }
        let pairsEnd = k
        // The row's own separators (not those inside a pair), which must
        // number one fewer than the fields: their offsets, in `own`.
        let last = expected &- 1
        let own = w.rowSeparators
        var count = 0, pair = w.q, s = w.s
        while s < w.separatorCount {
            let at = base &+ Int(seps[s])
            if at >= lineEnd { break }
            while pair < pairsEnd, base &+ Int(quotes[pair &+ 1]) < at { pair &+= 2 }
            if !(pair < pairsEnd && base &+ Int(quotes[pair]) < at) {
                guard count < last else { return nil }
                own[count] = at
                count &+= 1
            }
            s &+= 1
        }
        guard count == last else { return nil }
        if let out = spans, let fs = fields {
            for slot in 0..<width {
                let field = Int(fs[slot])
                let from = field == 0 ? start : own[field &- 1] &+ 1
                let to = field == last ? lineEnd : own[field]
                // Every quote opens or closes a pair at a field's ends.
                out[slot] = p[from] == 0x22 ? FieldSpan(start: from &+ 1, end: to &- 1, quoted: true) : unquoted(from, to)
            }
        }
        w.s = s
        w.f &+= 1
        w.q = pairsEnd
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
    func fullRow(at start: Int, limit: Int, wanted: UnsafePointer<Int32>?, spans: UnsafeMutablePointer<FieldSpan>?) -> Step {
        // A blank line: the end of the data if only blank lines follow,
        // else an error (misq never skips a row silently) unless the file
        // has one column, where it is a row with an empty field.
        // Reading stops `rowLimit` bytes on: a row that long is an error.
        let rowEnd = rowLimit < n &- start ? start &+ rowLimit : n
        var j = start
        while j < rowEnd, isBlank(p[j]) { j &+= 1 }
        if j == rowEnd, rowEnd < n { return .failed(.rowTooLong(at: start)) }
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
            while s < rowEnd, p[s] == 0x20 || p[s] == 0x09 { s &+= 1 }
            if s == rowEnd, rowEnd < n { return .failed(.rowTooLong(at: start)) }
            let stop: Int
            if s < n, p[s] == 0x22 {
                var k = s &+ 1
                var close = -1
                let searchEnd = min(rowEnd, limit)
                while k < searchEnd {
                    guard let q = memchr(p + k, 0x22, searchEnd - k) else { break }
                    let at = UnsafeRawPointer(q) - UnsafeRawPointer(p)
                    if at &+ 1 < n, p[at &+ 1] == 0x22 { k = at &+ 2; continue }
                    close = at
                    break
                }
                if close < 0 {
                    if limit < rowEnd { return .failed(.gaveUp) }
                    return .failed(rowEnd < n ? .rowTooLong(at: start) : .unterminatedQuote(at: s, field: field &+ 1))
                }
                var e = close &+ 1
                while e < rowEnd, p[e] == 0x20 || p[e] == 0x09 { e &+= 1 }
                if e == rowEnd, rowEnd < n { return .failed(.rowTooLong(at: start)) }
                if e < n, p[e] != separator, p[e] != 0x0A, !(p[e] == 0x0D && (e &+ 1 >= n || p[e &+ 1] == 0x0A)) {
                    return .failed(.textAfterQuote(at: e, field: field &+ 1))
                }
                if e < n, p[e] == 0x0D { e &+= 1 }
                if let w = wanted, w[field] >= 0, let out = spans { out[Int(w[field])] = FieldSpan(start: s &+ 1, end: close, quoted: true) }
                stop = e
            } else {
                stop = fieldEnd(from: s, upTo: rowEnd)
                if stop == rowEnd, rowEnd < n { return .failed(.rowTooLong(at: start)) }
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
