import CScan
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One pass over a CSV's rows on all cores: checks and counts every row
/// and, in the same pass, dictionary-codes the fields a query wants. The
/// first pass over a file also builds its row index; later passes (a
/// column a later query needs) start from that index.
///
/// Without an index, each chunk after the first starts speculatively after
/// its first line feed, which is wrong only when that line feed is inside a
/// quoted field. The chunks are then checked in order, and a chunk whose
/// start is not where the previous one ended is parsed again from the true
/// start. So the rows, and the first error reported, are exactly those of
/// one parse from the top.
struct ChunkScan {
    /// What one chunk's parse found: its rows, where the next row starts,
    /// and for each wanted field a dictionary and the rows' codes into it
    /// (row-major: `codes[row * width + slot]`). Codes take one byte when
    /// every dictionary of the chunk has at most 256 entries (a chunk is a
    /// few MB: most fields hold a few dozen values in it), two up to
    /// 65,536, four beyond: they are held until every chunk is parsed.
    struct Part {
        var start = 0, rows = 0, next = 0
        var failure: RowScanner.Failure?
        var dicts: [ByteDictionary] = []
        var small: [UInt8] = []
        var narrow: [UInt16] = []
        var wide: [UInt32] = []
        /// 1, 2 or 4: which of small, narrow and wide holds the codes.
        var codeBytes = 2
        /// Each row's start, from the part's start, when the scan keeps
        /// them; the top bit (`RowStart.exact`) marks a row the fast path
        /// did not read (a quote in it).
        var starts: [UInt32] = []

        /// `count` codes, all zero, two bytes each (a later pass over some
        /// rows: an id column's chunk seldom has under 256 of them).
        init(start: Int = 0, rows: Int = 0, next: Int = 0, zeroCodes count: Int = 0) {
            self.start = start; self.rows = rows; self.next = next
            narrow = [UInt16](repeating: 0, count: count)
        }

        /// The codes from a buffer, at the narrowest width that holds the
        /// largest (`top`).
        mutating func store(_ codes: UnsafeBufferPointer<UInt32>, top: Int) {
            small = []; narrow = []; wide = []
            if top <= 0xFF { small = codes.map { UInt8(truncatingIfNeeded: $0) }; codeBytes = 1 }
            else if top <= 0xFFFF { narrow = codes.map { UInt16(truncatingIfNeeded: $0) }; codeBytes = 2 }
            else { wide = Array(codes); codeBytes = 4 }
        }

        /// Sets code `i` (row * width + slot) of codes from
        /// `init(zeroCodes:)`, widening them all when `code` does not fit.
        @inline(__always) mutating func set(_ i: Int, _ code: UInt32) {
            if codeBytes != 4 {
                if code <= 0xFFFF { narrow[i] = UInt16(truncatingIfNeeded: code); return }
                wide = narrow.map(UInt32.init); narrow = []; codeBytes = 4
            }
            wide[i] = code
        }

        /// The codes, whatever their width.
        func withCodes<R>(_ body: (UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt16>?, UnsafeBufferPointer<UInt32>?) -> R) -> R {
            switch codeBytes {
            case 1: return small.withUnsafeBufferPointer { body($0, nil, nil) }
            case 2: return narrow.withUnsafeBufferPointer { body(nil, $0, nil) }
            default: return wide.withUnsafeBufferPointer { body(nil, nil, $0) }
            }
        }

        /// Code `i` (row * width + slot).
        @inline(__always) func code(_ i: Int) -> UInt32 {
            codeBytes == 1 ? UInt32(small[i]) : codeBytes == 2 ? UInt32(narrow[i]) : wide[i]
        }
    }

    /// A kept row start: its offset in the chunk, and the top bit set when
    /// only the exact path can read the row.
    enum RowStart {
        static let exact: UInt32 = 1 << 31
        static let offset: UInt32 = exact - 1
    }

    let scanner: RowScanner
    /// Slot of each field (-1: not wanted).
    let wanted: [Int32]
    /// The field of each slot.
    let columns: [Int32]
    let width: Int
    /// Keep each row's start (`Part.starts`), for a later pass over some rows.
    var keepsRowStarts = false
    /// Bytes indexed at a time by the fast row path (`StructuralWindow`).
    var windowBytes = StructuralWindow.defaultBytes

    init(_ scanner: RowScanner, columns: [Int]) {
        self.scanner = scanner
        var w = [Int32](repeating: -1, count: scanner.expected)
        for (slot, c) in columns.enumerated() { w[c] = Int32(slot) }
        wanted = w
        self.columns = columns.map { Int32($0) }
        width = columns.count
    }

    /// The code of a wanted field's value in `dict`; a quoted field with a
    /// doubled quote in it is unescaped first.
    @inline(__always) func fieldCode(_ s: FieldSpan, _ dict: inout ByteDictionary) -> UInt32 {
        let p = scanner.p, len = s.end &- s.start
        if s.quoted, memchr(p + s.start, 0x22, len) != nil {
            return dict.code(CSVFile.unescape(Array(UnsafeBufferPointer(start: p + s.start, count: len))))
        }
        return dict.code(p + s.start, len, wordPastEnd: s.end &+ 8 <= scanner.n)
    }

    /// Rows from `start` while they start before `until`.
    func parse(from start: Int, until: Int, limit: Int) -> Part {
        var part = Part(start: start)
        var dicts = [ByteDictionary](repeating: ByteDictionary(capacity: 256), count: width)
        // Codes go to a buffer sized for the most rows that can start here
        // (each holds a separator per field after the first, or a line
        // feed), four bytes each, and are narrowed once at the end: no
        // array append, with its uniqueness check, per field.
        var capacity = max(1, ((until - start) / max(1, scanner.expected - 1) + 1) * width)
        var codes = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
        var written = 0
        defer { codes.deallocate() }
        var spans = [FieldSpan](repeating: FieldSpan(), count: max(1, width))
        let p = scanner.p, n = scanner.n
        var i = start
        // Offsets are kept in 31 bits; chunks are at most a few MB, and a
        // part without its starts only sends a later pass to the full scan.
        let keepsStarts = keepsRowStarts && until - start < Int(RowStart.exact)
        // Each slot's value in the row before and its code: a field that
        // repeats it (a date in a date-ordered export, a common yes or no)
        // is one compare of its bytes, not a hash and a probe.
        let before = UnsafeMutablePointer<(start: Int, len: Int, quoted: Bool, code: UInt32)>.allocate(capacity: max(1, width))
        before.initialize(repeating: (0, -1, false, 0), count: max(1, width))
        defer { before.deallocate() }
        let fast = scanner.fastPlainRows
        var window = StructuralWindow(scanner, bytes: fast ? windowBytes : 1, from: i)
        defer { window.deallocate() }
        wanted.withUnsafeBufferPointer { w in
            columns.withUnsafeBufferPointer { c in
                spans.withUnsafeMutableBufferPointer { sp in
                    dicts.withUnsafeMutableBufferPointer { d in
                        guard let out = sp.baseAddress else { return }
                        let wantedFields = width > 0 ? w.baseAddress : nil
                        let fields = width > 0 ? c.baseAddress : nil
                        while i < until {
                            var next = -1, plain = false
                            if fast {
                                window.resume(at: i)
                                var quoted = false
                                if let after = scanner.plainRow(at: i, window: &window, fields: fields, width: width, spans: out, quoted: &quoted) {
                                    // A later pass finds fields by separators only in a row without quotes.
                                    next = after; plain = !quoted
                                }
                            }
                            if next < 0 {
                                switch scanner.fullRow(at: i, limit: limit, wanted: wantedFields, spans: out) {
                                case .row(let after):
                                    next = after
                                    // The window's lists resume after this row (a
                                    // row past the window leaves them empty).
                                    if fast { window.skip(to: after) }
                                case .end:
                                    i = n
                                    return
                                case .failed(let f):
                                    part.failure = f
                                    return
                                }
                            }
                            if written &+ width > capacity {
                                // The bound above holds; this only keeps a wrong one safe.
                                let larger = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity * 2)
                                larger.initialize(from: codes, count: written)
                                codes.deallocate()
                                codes = larger
                                capacity *= 2
                            }
                            for k in 0..<width {
                                let s = out[k]
                                let len = s.end &- s.start
                                // Same bytes, quoted alike: the same value.
                                if before[k].len == len, before[k].quoted == s.quoted, ByteDictionary.same(p + before[k].start, p + s.start, len) {
                                    codes[written] = before[k].code
                                } else {
                                    let code = fieldCode(s, &d[k])
                                    before[k] = (s.start, len, s.quoted, code)
                                    codes[written] = code
                                }
                                written &+= 1
                            }
                            part.rows &+= 1
                            if keepsStarts { part.starts.append(UInt32(truncatingIfNeeded: i &- start) | (plain ? 0 : RowStart.exact)) }
                            i = next
                        }
                    }
                }
            }
        }
        part.next = i
        part.store(UnsafeBufferPointer(start: codes, count: written), top: (dicts.map(\.count).max() ?? 0) - 1)
        for k in dicts.indices { dicts[k].freeze() }
        part.dicts = dicts
        return part
    }

    /// A later pass that codes the wanted fields of only the rows
    /// `selection` holds, going straight to each from the row starts the
    /// first pass kept (`starts`, per chunk); every other row gets the code
    /// of an empty field (missing), code 0. A selected row the first pass
    /// read by the fast path has its field found by its separators; any
    /// other is parsed exactly.
    func selected(_ chunks: [CSVFile.Chunk], starts: [[UInt32]], _ selection: Bitmap, file: FileBytes) -> [Part] {
        var parts = [Part](repeating: Part(), count: chunks.count)
        let n = scanner.n
        let fields = wanted.enumerated().filter { $0.element >= 0 }.map { (field: $0.offset, slot: Int($0.element)) }
        parts.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: chunks.count) { k in
                let chunk = chunks[k], rowStarts = starts[k]
                let until = k + 1 < chunks.count ? chunks[k + 1].start : n
                var part = Part(start: chunk.start, rows: chunk.rows, next: until, zeroCodes: chunk.rows * width)
                let rowRange = chunk.firstRow..<(chunk.firstRow + chunk.rows)
                if selection.anySet(in: rowRange) { file.populate(chunk.start..<until) }
                part.dicts = [ByteDictionary](repeating: ByteDictionary(capacity: 256), count: width)
                var z: UInt8 = 0
                for slot in 0..<width { _ = part.dicts[slot].code(&z, 0) }  // code 0: empty
                var spans = [FieldSpan](repeating: FieldSpan(), count: max(1, width))
                spans.withUnsafeMutableBufferPointer { sp in
                    guard let out = sp.baseAddress, rowStarts.count == chunk.rows else { part.failure = .gaveUp; return }
                    // The selected rows' starts first, so each row's bytes
                    // can be asked for a few rows before they are read.
                    var picked: [Int] = []
                    selection.forEachSet(in: rowRange) { picked.append($0 - chunk.firstRow) }
                    let ahead = 8
                    for (x, j) in picked.enumerated() {
                        if x &+ ahead < picked.count {
                            misq_prefetch(scanner.p + chunk.start + Int(rowStarts[picked[x &+ ahead]] & RowStart.offset))
                        }
                        let start = chunk.start + Int(rowStarts[j] & RowStart.offset)
                        if rowStarts[j] & RowStart.exact == 0, start < n {
                            for f in fields { out[f.slot] = scanner.plainField(f.field, from: start) }
                        } else {
                            guard case .row = scanner.row(at: start, wanted: wanted, spans: out) else { part.failure = .gaveUp; return }
                        }
                        for slot in 0..<width { part.set(j * width + slot, fieldCode(out[slot], &part.dicts[slot])) }
                    }
                }
                for d in part.dicts.indices { part.dicts[d].freeze() }
                out[k] = part
                file.release(chunk.start..<until)
            }
        }
        return parts
    }

    /// Bytes per chunk: enough chunks to keep every core busy, each large
    /// enough that starting one costs nothing next to parsing it.
    static func chunkSize(_ bytes: Int) -> Int {
        let cores = Parallel.cores
        return max(1 << 16, min(1 << 22, bytes / max(1, cores * 8)))
    }

    /// The first pass: rows found, checked and indexed, and the wanted
    /// fields coded.
    func first(from dataStart: Int, file: FileBytes, chunkBytes: Int? = nil) -> [Part] {
        let n = scanner.n, p = scanner.p
        let size = chunkBytes ?? ChunkScan.chunkSize(n - dataStart)
        let count = max(1, (n - dataStart + size - 1) / size)
        func bound(_ k: Int) -> Int { k >= count ? n : dataStart + k * size }
        var parts = [Part](repeating: Part(), count: count)
        parts.withUnsafeMutableBufferPointer { out in
            // The first chunk starts where the data does, so its error is
            // the file's: the chunks not yet begun are then not read (a
            // file with no line feed fails in its first row, and would
            // otherwise still be read to its end).
            let firstFailed = Flag()
            DispatchQueue.concurrentPerform(iterations: count) { k in
                if k > 0, firstFailed.isSet { return }
                let lo = bound(k), hi = bound(k + 1)
                var s = lo
                if k > 0 {
                    // The first row start at or after lo: just after a line
                    // feed in [lo - 1, hi); none means no row starts here.
                    if let q = memchr(p + (lo - 1), 0x0A, hi - lo + 1) { s = UnsafeRawPointer(q) - UnsafeRawPointer(p) + 1 } else { s = hi }
                }
                // A speculative chunk gives up rather than search far for a
                // closing quote, so a wrong start cannot cost a whole file.
                let limit = k == 0 ? n : min(n, hi + 4 * size)
                out[k] = parse(from: s, until: hi, limit: limit)
                if k == 0, out[k].failure != nil { firstFailed.set() }
                file.release(lo..<hi)
            }
        }
        if let f = parts.first?.failure, f != .gaveUp { return [parts[0]] }
        var truth = dataStart
        for k in 0..<count {
            let hi = bound(k + 1)
            if truth >= hi {
                parts[k] = Part(start: truth, rows: 0, next: truth)
                parts[k].dicts = [ByteDictionary](repeating: ByteDictionary(), count: width)
                continue
            }
            if parts[k].start != truth || parts[k].failure == .gaveUp {
                parts[k] = parse(from: truth, until: hi, limit: n)
                file.release(truth..<hi)
            }
            if parts[k].failure != nil { return Array(parts[0...k]) }
            truth = parts[k].next
        }
        return parts
    }

    /// A later pass, over chunks already indexed.
    func again(_ chunks: [CSVFile.Chunk], file: FileBytes) -> [Part] {
        var parts = [Part](repeating: Part(), count: chunks.count)
        parts.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: chunks.count) { k in
                let until = k + 1 < chunks.count ? chunks[k + 1].start : scanner.n
                out[k] = parse(from: chunks[k].start, until: until, limit: scanner.n)
                file.release(chunks[k].start..<until)
            }
        }
        return parts
    }
}

/// A flag set once, read from several threads.
private final class Flag: @unchecked Sendable {
    private var value = false
    private let lock = NSLock()
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set() { lock.lock(); value = true; lock.unlock() }
}
