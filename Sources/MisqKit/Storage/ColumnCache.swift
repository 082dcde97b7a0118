#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The binary columnar cache beside a dataset: a metadata file (header, row
/// count, the CSV's key) and one file per parsed column, so a later run
/// reads the columns a query needs and never parses the CSV. Every file is
/// versioned and checksummed and written to a temporary file then renamed:
/// a truncated or corrupted file is detected and rebuilt, and two processes
/// writing at once leave one whole file either way.
final class ColumnCache: @unchecked Sendable {
    /// Bump on any change to how a CSV is read or a column typed: the key
    /// only says the CSV is unchanged, not that misq reads it the same way.
    /// 2: any run of leading byte-order marks is skipped.
    static let version: UInt32 = 2
    static let magic = Array("MISQCCH".utf8)

    let directory: String
    /// What identifies the CSV's contents: size, modification time and a
    /// hash of sampled blocks (a full hash would read the whole file).
    let key: [UInt64]

    init?(csvPath: String) {
        let env = ProcessInfo.processInfo.environment
        if env["MISQ_CACHE"]?.lowercased() == "off" { return nil }
        var st = stat()
        guard stat(csvPath, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        guard let k = ColumnCache.fileKey(csvPath, st) else { return nil }
        key = k
        let absolute = csvPath.hasPrefix("/") ? csvPath : FileManager.default.currentDirectoryPath + "/" + csvPath
        let name = (csvPath as NSString).lastPathComponent + "-" + String(ColumnCache.hash(Array(absolute.utf8)), radix: 16)
        var candidates: [String] = []
        if let d = env["MISQ_CACHE_DIR"] { candidates.append(d) }
        candidates.append(((csvPath as NSString).deletingLastPathComponent.isEmpty ? "." : (csvPath as NSString).deletingLastPathComponent) + "/.misqcache")
        candidates.append((env["XDG_CACHE_HOME"] ?? NSHomeDirectory() + "/.cache") + "/misq")
        // The first place we can write to; no cache if none.
        guard let dir = candidates.lazy.map({ ($0 as NSString).appendingPathComponent(name) }).first(where: { d in
            (try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)) != nil && access(d, W_OK) == 0
        }) else { return nil }
        directory = dir
    }

    static func fileKey(_ path: String, _ st: stat) -> [UInt64]? {
        let size = Int(st.st_size)
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var h: UInt64 = 0xcbf29ce484222325
        var block = [UInt8](repeating: 0, count: 4096)
        // 33 blocks spread over the file, ends included.
        for i in 0...32 {
            let offset = size <= 4096 ? 0 : (size - 4096) * i / 32
            let n = block.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 4096, off_t(offset)) }
            if n > 0 { h = hash(Array(block[0..<n]), seed: h) }
            if size <= 4096 { break }
        }
        let mtime = UInt64(st.st_mtim.tv_sec) &* 1_000_000_000 &+ UInt64(st.st_mtim.tv_nsec)
        return [UInt64(size), mtime, h]
    }

    /// 64-bit FNV-1a over words where it can, bytes at the end.
    static func hash(_ bytes: [UInt8], seed: UInt64 = 0xcbf29ce484222325) -> UInt64 {
        var h = seed
        bytes.withUnsafeBytes { raw in
            let words = raw.count / 8
            for w in 0..<words { h = (h ^ raw.loadUnaligned(fromByteOffset: w * 8, as: UInt64.self)) &* 0x100000001b3; h ^= h >> 32 }
            for b in raw[(words * 8)...] { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        }
        return h
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
        return "col\(index)-" + String(ColumnCache.hash(w.bytes), radix: 16)
    }

    func readColumn(_ name: String, rows: Int) -> Column? {
        guard var r = read(name), let tag = r.u64(), let n = r.u64(), Int(n) == rows else { return nil }
        switch tag {
        case 0:
            guard let count = r.u64() else { return nil }
            var labels: [String] = []
            for _ in 0..<count { guard let s = r.string() else { return nil }; labels.append(s) }
            guard let codes: [UInt32] = r.array(rows) else { return nil }
            var declared: [String]? = nil
            if let flag = r.u64(), flag > 0 {
                declared = []
                for _ in 0..<flag { guard let s = r.string() else { return nil }; declared?.append(s) }
            }
            // Codes must index the labels: a bad one means a damaged file.
            let limit = UInt32(labels.count)
            guard codes.allSatisfy({ $0 < limit || $0 == CategoryColumn.missing }) else { return nil }
            return .category(CategoryColumn(codes: codes, labels: labels, declaredOrder: declared))
        case 1:
            guard let ints = r.u64(), let values: [Double] = r.array(rows) else { return nil }
            return .number(NumberColumn(values: values, allIntegers: ints == 1))
        case 2:
            guard let days: [Int32] = r.array(rows) else { return nil }
            return .date(DateColumn(days: days))
        case 3:
            let words = (rows + 63) / 64
            guard let v: [UInt64] = r.array(words), let k: [UInt64] = r.array(words) else { return nil }
            var value = Bitmap(count: rows), known = Bitmap(count: rows)
            value.words = v; known.words = k
            return .boolean(BoolColumn(value: value, known: known))
        default: return nil
        }
    }

    func writeColumn(_ name: String, _ column: Column, declaredOrder: [String]?) {
        var w = Writer()
        switch column {
        case .category(let c):
            w.u64(0); w.u64(UInt64(c.codes.count)); w.u64(UInt64(c.labels.count))
            for l in c.labels { w.string(l) }
            w.array(c.codes)
            w.u64(UInt64(declaredOrder?.count ?? 0))
            for d in declaredOrder ?? [] { w.string(d) }
        case .number(let c):
            w.u64(1); w.u64(UInt64(c.values.count)); w.u64(c.allIntegers ? 1 : 0); w.array(c.values)
        case .date(let c):
            w.u64(2); w.u64(UInt64(c.days.count)); w.array(c.days)
        case .boolean(let c):
            w.u64(3); w.u64(UInt64(c.value.count)); w.array(c.value.words); w.array(c.known.words)
        }
        write(name, w)
    }

    // MARK: files

    /// Layout: magic, version, the CSV key, payload length, payload, checksum.
    private func write(_ name: String, _ payload: Writer) {
        var w = Writer()
        w.bytes += ColumnCache.magic
        w.u64(UInt64(ColumnCache.version))
        for k in key { w.u64(k) }
        w.u64(UInt64(payload.bytes.count))
        w.bytes += payload.bytes
        w.u64(ColumnCache.hash(payload.bytes))
        // A cache that cannot be written is only a slower next run.
        try? AtomicFile.write(w.bytes, to: (directory as NSString).appendingPathComponent(name))
    }

    /// The payload of a cache file, or nil if it is missing, from another
    /// version, for other CSV contents, truncated or corrupted.
    private func read(_ name: String) -> Reader? {
        let path = (directory as NSString).appendingPathComponent(name)
        guard let bytes = try? CSVFile.read(path) else { return nil }
        var r = Reader(bytes: bytes)
        guard r.take(ColumnCache.magic.count) == ColumnCache.magic, r.u64() == UInt64(ColumnCache.version) else { return nil }
        for k in key { guard r.u64() == k else { return nil } }
        guard let len = r.u64(), len <= UInt64(bytes.count), r.position + Int(len) + 8 == bytes.count else { return nil }
        let payload = Array(bytes[r.position..<(r.position + Int(len))])
        var tail = Reader(bytes: bytes, position: r.position + Int(len))
        guard tail.u64() == ColumnCache.hash(payload) else { return nil }
        return Reader(bytes: payload)
    }

    struct Writer {
        var bytes: [UInt8] = []
        mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        mutating func string(_ s: String) { let u = Array(s.utf8); u64(UInt64(u.count)); bytes += u }
        mutating func array<T>(_ a: [T]) { a.withUnsafeBytes { bytes += $0 } }
    }

    struct Reader {
        let bytes: [UInt8]
        var position = 0
        mutating func take(_ n: Int) -> [UInt8]? {
            guard n >= 0, position + n <= bytes.count else { return nil }
            defer { position += n }
            return Array(bytes[position..<(position + n)])
        }
        mutating func u64() -> UInt64? {
            guard position + 8 <= bytes.count else { return nil }
            defer { position += 8 }
            return bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: position, as: UInt64.self)) }
        }
        mutating func string() -> String? {
            guard let n = u64(), n <= UInt64(bytes.count), let b = take(Int(n)) else { return nil }
            return String(decoding: b, as: UTF8.self)
        }
        /// `count` values of a fixed-size type, copied out in one go.
        mutating func array<T>(_ count: Int) -> [T]? {
            let size = count * MemoryLayout<T>.stride
            guard count >= 0, position + size <= bytes.count else { return nil }
            let start = position
            position += size
            return [T](unsafeUninitializedCapacity: count) { buf, initialized in
                bytes.withUnsafeBytes { raw in
                    if let dst = buf.baseAddress, let src = raw.baseAddress { memcpy(dst, src + start, size) }
                }
                initialized = count
            }
        }
    }
}
