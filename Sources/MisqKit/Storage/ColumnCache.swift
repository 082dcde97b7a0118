#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The binary columnar cache beside a dataset: a metadata file (header, row
/// count, the CSV's key) and one file per parsed column, so a later run
/// reads the columns a query needs and never parses the CSV. Every file is
/// versioned, keyed to the CSV, sized, checksummed and written to a
/// temporary file then renamed: a stale, truncated or damaged file is
/// detected and rebuilt, and two processes writing at once leave one whole
/// file either way. The checksum covers a file's first and last 64 KB and
/// pages spread between (see `checksum`), and what is read is checked for
/// structure (label lengths, code widths, zones that fit), so no damage can
/// crash a query. Codes are checked against the labels as queries read them
/// (`CodeCheck`); one past them sends the query back to the CSV.
final class ColumnCache: @unchecked Sendable {
    /// Bump on any change to how a CSV is read or a column typed: the key
    /// only says the CSV is unchanged, not that misq reads it the same way.
    /// 2: any run of leading byte-order marks is skipped.
    /// 3: 48-byte header, aligned arrays (mapped in place), block checksum.
    /// 4: category codes one, two or four bytes wide.
    /// 5: the labels section's length, so labels are read on first use.
    /// 6: date columns carry their zones; the checksum samples pages.
    /// 7 (helper "load"): a column is a number only when every value reads
    /// as one exactly (`007`, 19-digit ids are text); unnamed and repeated
    /// header names get names. Format unchanged: only older types are stale.
    static let version: UInt32 = 7
    static let magic = Array("MISQCCH".utf8)

    let directory: String
    /// What identifies the CSV's contents: size, modification time and a
    /// hash of sampled blocks (a full hash would read the whole file).
    let key: [UInt64]

    init?(csvPath: String) {
        // getenv, not ProcessInfo's environment, which copies every
        // variable into a dictionary: a tenth of a millisecond at start-up.
        func env(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
        if env("MISQ_CACHE")?.lowercased() == "off" { return nil }
        var st = stat()
        guard stat(csvPath, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        guard let k = ColumnCache.fileKey(csvPath, st) else { return nil }
        key = k
        let absolute = csvPath.hasPrefix("/") ? csvPath : FileManager.default.currentDirectoryPath + "/" + csvPath
        // Standardised, so `./cases.csv` and `cases.csv` share one cache.
        let canonical = ColumnCache.lexicallyStandard(absolute)
        let name = (csvPath as NSString).lastPathComponent + "-" + String(ColumnCache.hash(Array(canonical.utf8)), radix: 16)
        func writable(_ base: String) -> String? {
            let d = (base as NSString).appendingPathComponent(name)
            return (try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)) != nil && access(d, W_OK) == 0 ? d : nil
        }
        let folder = (csvPath as NSString).deletingLastPathComponent
        // The first place we can write to; no cache if none. The home
        // folder is looked up only when needed (it reads the user database).
        guard let dir = env("MISQ_CACHE_DIR").flatMap(writable) ?? writable((folder.isEmpty ? "." : folder) + "/.misqcache")
                ?? writable((env("XDG_CACHE_HOME") ?? NSHomeDirectory() + "/.cache") + "/misq") else { return nil }
        directory = dir
    }

    /// An absolute path without `.` components, repeated slashes, or `..`
    /// after a folder (which it cancels). Written out because NSString's
    /// `standardizingPath` also asks the file system about every component
    /// (a readlink each), a tenth of a millisecond at start-up; two
    /// spellings through a symbolic link just keep two caches.
    static func lexicallyStandard(_ absolute: String) -> String {
        var parts: [Substring] = []
        for c in absolute.split(separator: "/", omittingEmptySubsequences: true) {
            if c == "." { continue }
            if c == "..", !parts.isEmpty { parts.removeLast(); continue }
            if c == ".." { continue }
            parts.append(c)
        }
        return "/" + parts.joined(separator: "/")
    }

    static func fileKey(_ path: String, _ st: stat) -> [UInt64]? {
        let size = Int(st.st_size)
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var h: UInt64 = 0
        var block = [UInt8](repeating: 0, count: 4096)
        // 33 blocks spread over the file, ends included.
        for i in 0...32 {
            let offset = size <= 4096 ? 0 : (size - 4096) * i / 32
            let n = block.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 4096, off_t(offset)) }
            if n > 0 { h = block.withUnsafeBytes { combine(seed: h, blockHash(UnsafeRawBufferPointer(rebasing: $0[0..<n]))) } }
            if size <= 4096 { break }
        }
        let mtime = UInt64(st.st_mtim.tv_sec) &* 1_000_000_000 &+ UInt64(st.st_mtim.tv_nsec)
        return [UInt64(size), mtime, h]
    }

    /// The cache's one hash (the checksum's), over a few bytes: names.
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { combine(seed: 0, blockHash($0)) }
    }

    // MARK: metadata

    struct Meta {
        var header: [String]
        var rowCount: Int
    }

    func readMeta() -> Meta? {
        guard var r = read("meta") else { return nil }
        guard let n = r.u64(), let rows = r.u64() else { return nil }
        var header: [String] = []
        for _ in 0..<n { guard let s = r.string() else { return nil }; header.append(s) }
        return Meta(header: header, rowCount: Int(rows))
    }

    func writeMeta(_ m: Meta) {
        var w = Writer()
        w.u64(UInt64(m.header.count)); w.u64(UInt64(m.rowCount))
        for h in m.header { w.string(h) }
        write("meta", w)
    }

    // MARK: columns

    /// A column's file name includes a fingerprint of how it was typed, so a
    /// package's declared types never read a bare CSV's inferred column.
    func columnName(_ index: Int, _ schema: FieldSchema, _ missing: Set<String>) -> String {
        var w = Writer()
        w.string(schema.declaredType?.rawValue ?? "-")
        for v in schema.enumValues ?? [] { w.string(v) }
        w.string("|"); for v in schema.trueValues ?? [] { w.string(v) }
        w.string("|"); for v in schema.falseValues ?? [] { w.string(v) }
        w.string(schema.dateOrder.rawValue)
        for v in missing.sorted() { w.string(v) }
        return "col\(index)-" + String(ColumnCache.hash(w.small), radix: 16)
    }

    func readColumn(_ name: String, rows: Int) -> Column? {
        guard var r = read(name), let tag = r.u64(), let n = r.u64(), Int(n) == rows else { return nil }
        switch tag {
        case 0:
            // The labels are made into Strings only when first used (a count
            // of distinct ids never needs its million labels, nor the pages
            // they are on); each is read within the section, and one that
            // is not there (a damaged file) reads as a visible placeholder.
            guard let count64 = r.u64(), let section = r.u64(), count64 <= section / 8, section <= UInt64(r.bytes.count - r.position) else { return nil }
            let count = Int(count64)
            let labelsAt = r.position, labelsEnd = r.position + Int(section)
            r.position = labelsEnd
            guard let width = r.u64() else { return nil }
            // The codes' width must fit the labels. Each code is checked
            // against the labels as it is used (`CodeCheck`), not here.
            func sized<C: FixedWidthInteger & BitwiseCopyable>(_ v: ColumnValues<C>?) -> ColumnValues<C>? {
                guard let v = v, CategoryCodes.width(labels: count) == MemoryLayout<C>.size else { return nil }
                return v
            }
            let codes: CategoryCodes
            switch width {
            case 1: guard let v = sized(r.values(rows) as ColumnValues<UInt8>?) else { return nil }; codes = .u8(v)
            case 2: guard let v = sized(r.values(rows) as ColumnValues<UInt16>?) else { return nil }; codes = .u16(v)
            case 4: guard let v = sized(r.values(rows) as ColumnValues<UInt32>?) else { return nil }; codes = .u32(v)
            default: return nil
            }
            var declared: [String]? = nil
            if let flag = r.u64(), flag > 0 {
                declared = []
                for _ in 0..<flag { guard let s = r.string() else { return nil }; declared?.append(s) }
            }
            let source = Reader(bytes: UnsafeRawBufferPointer(rebasing: r.bytes[..<labelsEnd]), owner: r.owner, position: labelsAt)
            return .category(CategoryColumn(codes: codes, labelCount: count, declaredOrder: declared) {
                var l = source
                return (0..<count).map { i in l.string() ?? "(label \(i + 1) unreadable: damaged cache)" }
            })
        case 1:
            guard let ints = r.u64(), let values: ColumnValues<Double> = r.values(rows) else { return nil }
            return .number(NumberColumn(values: values, allIntegers: ints == 1))
        case 2:
            guard let days: ColumnValues<Int32> = r.values(rows), let zoneCount = r.u64(), zoneCount <= UInt64(rows),
                  let lo: ColumnValues<Int32> = r.values(Int(zoneCount)), let hi: ColumnValues<Int32> = r.values(Int(zoneCount)),
                  let gaps: ColumnValues<UInt8> = r.values(Int(zoneCount)),
                  let column = DateColumn(days: days, zones: DateZones(lo: Array(lo), hi: Array(hi), hasMissing: Array(gaps))) else { return nil }
            return .date(column)
        case 3:
            let words = (rows + 63) / 64
            guard let v: ColumnValues<UInt64> = r.values(words), let k: ColumnValues<UInt64> = r.values(words) else { return nil }
            // Used in place: a query reads the words its filter reaches.
            return .boolean(BoolColumn(value: PackedBits(words: v, count: rows), known: PackedBits(words: k, count: rows)))
        default: return nil
        }
    }

    func writeColumn(_ name: String, _ column: Column, declaredOrder: [String]?) {
        var w = Writer()
        switch column {
        case .category(let c):
            w.u64(0); w.u64(UInt64(c.codes.count)); w.u64(UInt64(c.labelCount))
            let labels = c.labels
            w.u64(UInt64(labels.reduce(0) { $0 + 8 + $1.utf8.count }))
            for l in labels { w.string(l) }
            switch c.codes {
            case .u8(let v): w.u64(1); w.values(v)
            case .u16(let v): w.u64(2); w.values(v)
            case .u32(let v): w.u64(4); w.values(v)
            }
            w.u64(UInt64(declaredOrder?.count ?? 0))
            for d in declaredOrder ?? [] { w.string(d) }
        case .number(let c):
            w.u64(1); w.u64(UInt64(c.values.count)); w.u64(c.allIntegers ? 1 : 0); w.values(c.values)
        case .date(let c):
            w.u64(2); w.u64(UInt64(c.days.count)); w.values(c.days)
            // After the days, so they fall in the file's fully checksummed end.
            w.u64(UInt64(c.zones.count))
            w.values(ColumnValues(c.zones.lo)); w.values(ColumnValues(c.zones.hi)); w.values(ColumnValues(c.zones.hasMissing))
        case .boolean(let c):
            w.u64(3); w.u64(UInt64(c.value.count)); w.values(c.value.words); w.values(c.known.words)
        }
        write(name, w)
    }

    // MARK: files

    /// Layout: magic (8 bytes), version, the CSV key, payload length,
    /// payload, checksum. The header is 48 bytes and arrays in the payload
    /// start on 8-byte boundaries, so a mapped file's columns are used in
    /// place.
    static let headerBytes = 48

    private func write(_ name: String, _ payload: Writer) {
        var head = Writer()
        head.small += ColumnCache.magic + [0]
        head.u64(UInt64(ColumnCache.version))
        for k in key { head.u64(k) }
        head.u64(UInt64(payload.length))
        // A cache that cannot be written is only a slower next run.
        try? AtomicFile.write(to: (directory as NSString).appendingPathComponent(name)) { fd in
            var out = BlockWriter(fd: fd, payloadLength: payload.length)
            head.small.withUnsafeBytes { out.emit($0) }
            out.startHash()
            payload.pieces { out.emit($0) }
            let sum = out.finishHash()
            withUnsafeBytes(of: sum.littleEndian) { out.emit($0) }
            return out.flush()
        }
    }

    /// The payload of a cache file, mapped, or nil if it is missing, from
    /// another version, for other CSV contents, truncated or corrupted.
    private func read(_ name: String) -> Reader? {
        let path = (directory as NSString).appendingPathComponent(name)
        guard let file = MappedFile(path: path) else { return nil }
        let bytes = file.bytes
        var r = Reader(bytes: bytes, owner: file)
        guard r.take(ColumnCache.magic.count + 1) == ColumnCache.magic + [0], r.u64() == UInt64(ColumnCache.version) else { return nil }
        for k in key { guard r.u64() == k else { return nil } }
        guard let len = r.u64(), len <= UInt64(bytes.count), ColumnCache.headerBytes + Int(len) + 8 == bytes.count else { return nil }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[ColumnCache.headerBytes..<(ColumnCache.headerBytes + Int(len))])
        var tail = Reader(bytes: bytes, owner: file, position: ColumnCache.headerBytes + Int(len))
        guard tail.u64() == ColumnCache.checksum(payload) else { return nil }
        return Reader(bytes: payload, owner: file)
    }

    // MARK: checksum

    /// Checksummed pages are this size, and the writer's blocks a multiple.
    static let page = 1 << 12
    static let checksumBlock = 1 << 20

    /// The payload's pages the checksum covers: all of a payload up to
    /// 64 pages; else the first 16 and last 16 (the small fields, labels'
    /// start, a date column's zones) and 32 spread between. Not every page:
    /// hashing every byte on every read was a fifth of a warm query's time
    /// and faulted in pages the query never reads (an id column's labels).
    static func sampledPages(_ length: Int) -> [Int] {
        let pages = (length + page - 1) / page
        guard pages > 64 else { return Array(0..<pages) }
        var picked = Set(0..<16).union((pages - 16)..<pages)
        for i in 0..<32 { picked.insert(16 + (pages - 32) * i / 32) }
        return picked.sorted()
    }

    /// The checksum of a payload: its length and its sampled pages.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        sampledPages(bytes.count).reduce(combine(seed: 0, UInt64(bytes.count))) { h, p in
            let lo = p * page, hi = min(bytes.count, lo + page)
            return combine(seed: h, blockHash(UnsafeRawBufferPointer(rebasing: bytes[lo..<hi])))
        }
    }

    @inline(__always) static func combine(seed: UInt64, _ h: UInt64) -> UInt64 {
        var x = (seed ^ h) &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 29
        return x
    }

    static func blockHash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        guard let p = bytes.baseAddress else { return 0 }
        var a: UInt64 = 0x243F_6A88_85A3_08D3, b: UInt64 = 0x1319_8A2E_0370_7344
        var c: UInt64 = 0xA409_3822_299F_31D0, d: UInt64 = 0x082E_FA98_EC4E_6C89
        let m: UInt64 = 0xFF51_AFD7_ED55_8CCD
        var i = 0
        let n = bytes.count
        while i &+ 32 <= n {
            a = ((a ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* m) ^ (a >> 31)
            b = ((b ^ p.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self)) &* m) ^ (b >> 31)
            c = ((c ^ p.loadUnaligned(fromByteOffset: i &+ 16, as: UInt64.self)) &* m) ^ (c >> 31)
            d = ((d ^ p.loadUnaligned(fromByteOffset: i &+ 24, as: UInt64.self)) &* m) ^ (d >> 31)
            i &+= 32
        }
        var t = UInt64(truncatingIfNeeded: n)
        while i < n { t = (t ^ UInt64(p.load(fromByteOffset: i, as: UInt8.self))) &* 0x100_0000_01B3; i &+= 1 }
        var h = a
        for x in [b, c, d, t] { h = combine(seed: h, x) }
        return h
    }

    /// Writes a file through a block-sized buffer, hashing the payload's
    /// sampled pages as they pass (a block holds whole pages).
    struct BlockWriter {
        let fd: Int32
        var buffer = [UInt8]()
        private var hashing = false
        private var hash: UInt64 = 0
        private var failed = false
        /// Payload bytes drained so far, and the sampled pages not yet hashed.
        private var offset = 0
        private var pages: [Int]
        private var nextPage = 0
        private let payloadLength: Int

        init(fd: Int32, payloadLength: Int) {
            self.fd = fd
            self.payloadLength = payloadLength
            pages = ColumnCache.sampledPages(payloadLength)
            hash = ColumnCache.combine(seed: 0, UInt64(payloadLength))
            buffer.reserveCapacity(ColumnCache.checksumBlock)
        }

        mutating func emit(_ bytes: UnsafeRawBufferPointer) {
            var i = 0
            while i < bytes.count {
                let take = min(bytes.count - i, ColumnCache.checksumBlock - buffer.count)
                buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<(i + take)]))
                i += take
                if buffer.count == ColumnCache.checksumBlock { drain() }
            }
        }

        /// The payload starts here, at the start of a block.
        mutating func startHash() {
            if !buffer.isEmpty { drain() }
            hashing = true
        }

        /// The payload's checksum; what follows is not hashed.
        mutating func finishHash() -> UInt64 {
            if !buffer.isEmpty { drain() }
            hashing = false
            return hash
        }

        private mutating func drain() {
            if hashing {
                buffer.withUnsafeBytes { b in
                    while nextPage < pages.count {
                        let lo = pages[nextPage] * ColumnCache.page - offset
                        guard lo < b.count else { break }
                        let hi = min(b.count, lo + ColumnCache.page, payloadLength - offset)
                        hash = ColumnCache.combine(seed: hash, ColumnCache.blockHash(UnsafeRawBufferPointer(rebasing: b[lo..<hi])))
                        nextPage += 1
                    }
                }
                offset += buffer.count
            }
            failed = failed || !buffer.withUnsafeBytes { AtomicFile.writeAll(fd, $0) }
            buffer.removeAll(keepingCapacity: true)
        }

        mutating func flush() -> Bool {
            if !buffer.isEmpty { drain() }
            return !failed
        }
    }

    /// A payload: small fields in order, and columns by reference (not
    /// copied), each starting on an 8-byte boundary.
    struct Writer {
        var small: [UInt8] = []
        private var columns: [(at: Int, bytes: UnsafeRawBufferPointer, owner: AnyObject?)] = []
        private var columnBytes = 0

        var length: Int { small.count + columnBytes }

        mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { small += $0 } }
        mutating func string(_ s: String) { let u = Array(s.utf8); u64(UInt64(u.count)); small += u }
        mutating func values<T>(_ v: ColumnValues<T>) {
            while length % 8 != 0 { small.append(0) }
            let raw = UnsafeRawBufferPointer(start: v.base, count: v.count * MemoryLayout<T>.stride)
            columns.append((small.count, raw, v.owner))
            columnBytes += raw.count
        }

        /// The payload's bytes, in pieces.
        func pieces(_ body: (UnsafeRawBufferPointer) -> Void) {
            var from = 0
            small.withUnsafeBytes { s in
                for c in columns {
                    body(UnsafeRawBufferPointer(rebasing: s[from..<c.at]))
                    withExtendedLifetime(c.owner) { body(c.bytes) }
                    from = c.at
                }
                body(UnsafeRawBufferPointer(rebasing: s[from...]))
            }
        }
    }

    /// Reads a payload in place: strings are copied, columns are views of
    /// the mapping.
    /// Sendable: it only reads a mapping that lives as long as `owner`.
    struct Reader: @unchecked Sendable {
        let bytes: UnsafeRawBufferPointer
        let owner: AnyObject
        var position = 0

        mutating func take(_ n: Int) -> [UInt8]? {
            guard n >= 0, position + n <= bytes.count else { return nil }
            defer { position += n }
            return Array(bytes[position..<(position + n)])
        }
        mutating func u64() -> UInt64? {
            guard position + 8 <= bytes.count, let p = bytes.baseAddress else { return nil }
            defer { position += 8 }
            return UInt64(littleEndian: p.loadUnaligned(fromByteOffset: position, as: UInt64.self))
        }
        mutating func string() -> String? {
            guard let n = u64(), n <= UInt64(bytes.count), let b = take(Int(n)) else { return nil }
            return String(decoding: b, as: UTF8.self)
        }
        /// `count` values of a fixed-size type at the next 8-byte boundary,
        /// in place.
        mutating func values<T>(_ count: Int) -> ColumnValues<T>? {
            position = (position + 7) / 8 * 8
            let (size, o) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
            guard count >= 0, !o, position + size <= bytes.count, let p = bytes.baseAddress else { return nil }
            let start = p + position
            guard Int(bitPattern: start) % MemoryLayout<T>.alignment == 0 else { return nil }
            position += size
            return ColumnValues(base: start.assumingMemoryBound(to: T.self), count: count, owner: owner)
        }
    }
}
