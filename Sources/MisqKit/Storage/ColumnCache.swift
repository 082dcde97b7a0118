#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The binary columnar cache beside a dataset: a metadata file (header, row
/// count, what vouches for the CSV and for each column file) and one file
/// per parsed column, so a later run reads the columns a query needs and
/// never parses the CSV. Files are written to a temporary name then renamed,
/// so two processes writing at once leave one whole file either way.
///
/// What it defends against, and how (the threat model):
/// - A changed CSV, whatever the change, even one that keeps the size and
///   sets the modification time back (`touch -r`, `cp -p`, a checkout): the
///   metadata records the CSV's device, inode, size, modification and
///   change time (ctime), and the cache is used only if all five are the
///   same now. The kernel sets ctime on every write and no user can set it
///   back. A CSV changed within `CacheTrust.racyNanoseconds` of being read
///   could change again within one tick of the kernel's coarse clock and
///   keep its ctime, so its full contents are hashed (a keyed hash) when the
///   cache is opened, before any pass parses it, and hashed again by each
///   run while it is that young. A CSV whose fingerprint moves between the
///   opening and a write gets nothing more written: the columns may hold
///   bytes from before the change.
///   That hash also lets a moved or touched CSV with the same bytes keep its
///   cache. Otherwise the cache is rebuilt from the CSV.
/// - Damage and forgery of cache files: every file carries a MAC (SipHash-2-4
///   keyed by a secret of the user's, `CacheTrust.secret`, kept outside the
///   cache folder, readable by the user alone) over its name, header and
///   every byte of its payload, and belongs to one build of the cache (a
///   random id the MAC covers). Someone who can write the cache folder but
///   not read the user's key (another user, a copied or checked-in cache)
///   cannot make a file that passes. The metadata is verified whole on
///   every run (it is small); a column file is verified whole when it is
///   first read, and its own fingerprint (inode, size, times, ctime) is then
///   recorded in the metadata, so later runs, finding it unchanged, map it
///   without hashing it again (hashing every byte a warm query reads would
///   cost more than the query). Any change to a file (even in place, by its
///   owner) changes its ctime, so it is verified again.
/// - Anything read is still range-checked (counts against the bytes there,
///   codes against the labels, a date column's days against its zones), so a file that passed, however made, can
///   send the query back to the CSV but never crash it.
/// Not defended: the user's own account (it can rewrite the CSV itself),
/// the file system lying about ctime (e.g. a clock set back by exactly the
/// right amount), and a disk that flips bits under an unchanged file's
/// metadata after it was verified.
/// Files made have the CSV's permissions (less the umask), and are made as
/// strict when the CSV is; a cache is made beside the CSV only in the
/// user's own folders (never a system folder such as `/etc`, however
/// reached, never `/tmp`), else in the user's cache folder.
package final class ColumnCache: @unchecked Sendable {
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
    /// 8: a keyed MAC over every byte, build ids, fingerprints in the metadata.
    /// 9 (helper "loadfix"): `+7`, `-0` and grouping that merges two values
    /// keep a column text. Format unchanged: only older types are stale.
    /// 10 (helper "sheets"): numbers in exponent form (`1e300`) are
    /// numbers. Format unchanged: only older types are stale.
    static let version: UInt32 = 10
    static let magic = Array("MISQCCH".utf8)

    package let directory: String
    let secret: (UInt64, UInt64)
    let csvPath: String
    /// The CSV as it was when the cache was opened.
    let csv: FileFingerprint
    /// Whether the CSV changed too recently for its fingerprint to vouch.
    let racy: Bool
    let fileMode: mode_t
    let fileGroup: gid_t

    private let lock = NSLock()
    /// The build this cache's files belong to: the stored one when the
    /// metadata vouches for the CSV, else a new one.
    private(set) var build: UInt64
    /// The metadata, once it vouches for the CSV or has been written.
    private var meta: Meta?
    private var contentHash: UInt64?
    /// Set once the CSV is seen to have changed since it was opened: what
    /// this run parsed may be neither the old file nor the new, so nothing
    /// more is written (the next run rebuilds from the CSV as it is then).
    private var spoiled = false
    /// Tests only: called with a file's name just before it is written,
    /// after the pass that parsed it (to change the CSV at that moment).
    nonisolated(unsafe) static var beforeWriting: ((String) -> Void)?
    /// Column files verified whole, by the fingerprint they had then.
    private var vouched: [String: FileFingerprint] = [:]
    /// Every file this cache has mapped and handed out, held weakly: a
    /// column read from one keeps it alive as long as it is used.
    private var mapped: [WeakMappedFile] = []
    private struct WeakMappedFile { weak var file: MappedFile? }

    /// Whether a mapped cache file was truncated under a read (see
    /// `MappedFile.faulted`): the answer just computed may hold zeros read
    /// in place of the cache, so it is computed again from the CSV.
    var faulted: Bool {
        lock.lock(); defer { lock.unlock() }
        mapped.removeAll { $0.file == nil }
        return mapped.contains { $0.file?.faulted == true }
    }

    /// `variant`: what else picks the table out of the file (a
    /// spreadsheet's sheet and range), so each has its own cache.
    package init?(csvPath: String, variant: String? = nil) {
        // getenv, not ProcessInfo's environment, which copies every
        // variable into a dictionary: a tenth of a millisecond at start-up.
        func env(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
        if env("MISQ_CACHE")?.lowercased() == "off" { return nil }
        let started = CacheTrust.now()
        var st = stat()
        guard stat(csvPath, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, let secret = CacheTrust.secret() else { return nil }
        self.secret = secret
        self.csvPath = csvPath
        csv = FileFingerprint(st)
        racy = csv.changed &+ CacheTrust.racyNanoseconds > started
        // Readable as the CSV is; written by its owner alone (a file others
        // may write would only ever fail its MAC).
        fileMode = st.st_mode & 0o044 | 0o600
        fileGroup = st.st_gid
        let absolute = csvPath.hasPrefix("/") ? csvPath : FileManager.default.currentDirectoryPath + "/" + csvPath
        // Standardised, so `./cases.csv` and `cases.csv` share one cache.
        let canonical = ColumnCache.lexicallyStandard(absolute)
        let key = variant.map { canonical + "\u{0}" + $0 } ?? canonical
        let name = (csvPath as NSString).lastPathComponent + "-" + String(ColumnCache.hash(Array(key.utf8)), radix: 16)
        let mode = CacheTrust.folderMode(csvMode: st.st_mode)
        func usable(_ base: String, baseMode: mode_t) -> String? {
            let d = (base as NSString).appendingPathComponent(name)
            return CacheTrust.ensureFolder(base, mode: baseMode) && CacheTrust.ensureFolder(d, mode: mode) ? d : nil
        }
        let beside = PathText.folder(of: csvPath)
        // The first place we may write to; no cache if none.
        guard let dir = env("MISQ_CACHE_DIR").flatMap({ usable($0, baseMode: 0o700) })
                ?? (CacheTrust.mayCacheBeside(beside) ? usable(beside + "/.misqcache", baseMode: 0o755) : nil)
                ?? usable(CacheTrust.userFolder(), baseMode: 0o700) else { return nil }
        directory = dir
        CacheTrust.tighten(dir, folderMode: mode, fileMode: fileMode)
        build = UInt64.random(in: 1...UInt64.max)
        adoptStoredMeta()
        // A young CSV's contents are hashed now, before any pass parses
        // it: hashed after, the hash could cover an edit made during the
        // pass while the columns hold the bytes from before it.
        if meta == nil && racy { contentHash = CacheTrust.contentHash(csvPath, key: secret) }
    }

    /// Whether the CSV is still the file this cache was opened on (checked
    /// before anything parsed from it is written); once not, never again.
    /// An in-place write always moves the CSV's ctime.
    private func csvUnchanged() -> Bool {
        if spoiled { return false }
        var st = stat()
        if stat(csvPath, &st) != 0 || FileFingerprint(st) != csv { spoiled = true }
        return !spoiled
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

    /// A hash of a few bytes, for names (not a secret: SipHash, zero key).
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { SipHash.hash($0, key: (0, 0)) }
    }

    // MARK: metadata

    struct Meta {
        var header: [String]
        var rowCount: Int
        /// What every result from the table must say (a spreadsheet's
        /// rows left below it), so a warm run says it without the file.
        var notes: [String] = []
    }

    /// The stored metadata, if it vouches for the CSV as it is now.
    func readMeta() -> Meta? {
        lock.lock(); defer { lock.unlock() }
        return meta
    }

    /// Records a CSV's header and rows (after a pass over it), and from
    /// then on which column files are vouched for.
    func writeMeta(_ m: Meta) {
        ColumnCache.beforeWriting?("meta")
        lock.lock(); defer { lock.unlock() }
        meta = m
        persistMeta()
    }

    /// Reads the metadata file, and adopts its build if it vouches for the
    /// CSV: by fingerprint, or (when the fingerprint was too young to, or
    /// has changed) by the CSV's contents hashing as they did.
    private func adoptStoredMeta() {
        guard let file = read("meta", build: nil) else { return }
        var r = file.payload
        guard let stored = ColumnCache.parseMeta(&r, build: file.build, csvSize: csv.size) else { return }
        var trusted = stored.csv == csv && !stored.racy
        if !trusted, let h = stored.contentHash, stored.csv.size == csv.size, CacheTrust.contentHash(csvPath, key: secret) == h {
            trusted = true
        }
        guard trusted else { return }
        build = stored.build
        meta = stored.meta
        contentHash = stored.contentHash
        vouched = stored.vouched
        if stored.csv != csv || stored.racy != racy {
            lock.lock(); persistMeta(); lock.unlock()
        }
    }

    struct StoredMeta {
        var build: UInt64
        var csv: FileFingerprint
        var racy: Bool
        var contentHash: UInt64?
        var meta: Meta
        var vouched: [String: FileFingerprint]
    }

    /// The metadata's payload, every count checked against the bytes there
    /// and the row count against the CSV's size (a row takes a byte).
    static func parseMeta(_ r: inout Reader, build: UInt64, csvSize: UInt64) -> StoredMeta? {
        func fingerprint() -> FileFingerprint? {
            guard let d = r.u64(), let i = r.u64(), let s = r.u64(), let m = r.u64(), let c = r.u64() else { return nil }
            return FileFingerprint(device: d, inode: i, size: s, modified: m, changed: c)
        }
        guard let csv = fingerprint(), let racy = r.u64(), let hashed = r.u64(), let hash = r.u64(),
              let rows = r.u64(), rows <= csvSize, let n = r.u64(), n <= UInt64(r.remaining / 8) else { return nil }
        var header: [String] = []
        for _ in 0..<n { guard let s = r.string() else { return nil }; header.append(s) }
        guard let files = r.u64(), files <= UInt64(r.remaining / 48) else { return nil }
        var vouched: [String: FileFingerprint] = [:]
        for _ in 0..<files {
            guard let name = r.string(), let f = fingerprint() else { return nil }
            vouched[name] = f
        }
        // Notes follow, in files written since they were added.
        var notes: [String] = []
        if r.remaining > 0 {
            guard let count = r.u64(), count <= UInt64(r.remaining / 8) else { return nil }
            for _ in 0..<count { guard let s = r.string() else { return nil }; notes.append(s) }
        }
        return StoredMeta(build: build, csv: csv, racy: racy != 0, contentHash: hashed != 0 ? hash : nil,
                          meta: Meta(header: header, rowCount: Int(rows), notes: notes), vouched: vouched)
    }

    /// Writes the metadata (under the lock), if there is any yet.
    private func persistMeta() {
        guard let m = meta, csvUnchanged() else { return }
        var w = Writer()
        for v in csv.words { w.u64(v) }
        w.u64(racy ? 1 : 0); w.u64(contentHash == nil ? 0 : 1); w.u64(contentHash ?? 0)
        w.u64(UInt64(m.rowCount)); w.u64(UInt64(m.header.count))
        for h in m.header { w.string(h) }
        w.u64(UInt64(vouched.count))
        for (name, f) in vouched.sorted(by: { $0.key < $1.key }) { w.string(name); for v in f.words { w.u64(v) } }
        if !m.notes.isEmpty { w.u64(UInt64(m.notes.count)); for n in m.notes { w.string(n) } }
        _ = seal("meta", w)
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
        guard let file = read(name, build: build) else { return nil }
        var r = file.payload
        guard let tag = r.u64(), let n = r.u64(), n == UInt64(rows) else { return nil }
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
                guard flag <= UInt64(r.remaining / 8) else { return nil }
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
            guard let days: ColumnValues<Int32> = r.values(rows), let zoneCount = r.u64(), zoneCount <= UInt64(rows), zoneCount <= UInt64(r.remaining),
                  let lo: ColumnValues<Int32> = r.values(Int(zoneCount)), let hi: ColumnValues<Int32> = r.values(Int(zoneCount)),
                  let gaps: ColumnValues<UInt8> = r.values(Int(zoneCount)),
                  let column = DateColumn(days: days, zones: DateZones(lo: Array(lo), hi: Array(hi), hasMissing: Array(gaps))) else { return nil }
            // Zones within the days a CSV can hold (years 1 to 9999): a
            // by-year key makes a table over the column's range.
            let first = Int32(Day.number(1, 1, 1)), last = Int32(Day.number(9999, 12, 31))
            for z in 0..<Int(zoneCount) where lo[z] <= hi[z] && (lo[z] < first || hi[z] > last) { return nil }
            // And every day within its zone (or missing): a day outside
            // would be a year no table was made for. Checked in the pass
            // that verifies the file's MAC, so a file already vouched for
            // (whose days were checked then) costs a warm run nothing.
            if let fresh = file.unvouched {
                guard ColumnCache.daysFitZones(days, lo: lo, hi: hi) else { return nil }
                vouch(name, fresh)
            }
            return .date(column)
        case 3:
            let words = (rows + 63) / 64
            guard let v: ColumnValues<UInt64> = r.values(words), let k: ColumnValues<UInt64> = r.values(words) else { return nil }
            // Used in place: a query reads the words its filter reaches.
            return .boolean(BoolColumn(value: PackedBits(words: v, count: rows), known: PackedBits(words: k, count: rows)))
        default: return nil
        }
    }

    /// Whether each day is missing or within its zone's first and last day.
    static func daysFitZones(_ days: ColumnValues<Int32>, lo: ColumnValues<Int32>, hi: ColumnValues<Int32>) -> Bool {
        days.withUnsafeBufferPointer { d in
            var ok = true
            for z in 0..<lo.count {
                let a = lo[z], b = hi[z]
                for r in (z << DateZones.shift)..<min(d.count, (z + 1) << DateZones.shift) {
                    let x = d[r]
                    ok = ok && (x == DateColumn.missing || (x >= a && x <= b))
                }
                if !ok { return false }
            }
            return ok
        }
    }

    /// Records a column file as verified whole, by its fingerprint now.
    private func vouch(_ name: String, _ fingerprint: FileFingerprint?) {
        lock.lock()
        vouched[name] = fingerprint
        persistMeta()
        lock.unlock()
    }

    func writeColumn(_ name: String, _ column: Column, declaredOrder: [String]?) {
        writeColumns([(name, column, declaredOrder)])
    }

    /// Writes the columns of one pass, then the metadata once: the metadata
    /// holds the header and every vouched file, so writing it after each
    /// column made a load of n columns O(n²) (a 4,000-column CSV took half
    /// a minute; cold test of issue 22).
    func writeColumns(_ columns: [(name: String, column: Column, declaredOrder: [String]?)]) {
        var written: [(String, FileFingerprint)] = []
        for (name, column, declaredOrder) in columns {
            guard let st = sealColumn(name, column, declaredOrder: declaredOrder) else { continue }
            written.append((name, FileFingerprint(st)))
        }
        guard !written.isEmpty else { return }
        lock.lock()
        for (name, f) in written { vouched[name] = f }
        persistMeta()
        lock.unlock()
    }

    private func sealColumn(_ name: String, _ column: Column, declaredOrder: [String]?) -> stat? {
        ColumnCache.beforeWriting?(name)
        lock.lock(); let unchanged = csvUnchanged(); lock.unlock()
        guard unchanged else { return nil }
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
            w.u64(UInt64(c.zones.count))
            w.values(ColumnValues(c.zones.lo)); w.values(ColumnValues(c.zones.hi)); w.values(ColumnValues(c.zones.hasMissing))
        case .boolean(let c):
            w.u64(3); w.u64(UInt64(c.value.count)); w.values(c.value.words); w.values(c.known.words)
        }
        return seal(name, w)
    }

    // MARK: files

    /// Layout: magic (8 bytes), version, build, payload length, payload,
    /// then the MAC of the file's name, the header and the payload. The
    /// header is 32 bytes and arrays in the payload start on 8-byte
    /// boundaries, so a mapped file's columns are used in place.
    package static let headerBytes = 32

    /// Writes a cache file of this build; the written file's status, or
    /// nil if it could not be written (a cache that cannot be written is
    /// only a slower next run).
    @discardableResult
    package func seal(_ name: String, _ payload: Writer) -> stat? {
        var head = Writer()
        head.small += ColumnCache.magic + [0]
        head.u64(UInt64(ColumnCache.version))
        head.u64(build)
        head.u64(UInt64(payload.length))
        let path = (directory as NSString).appendingPathComponent(name)
        return try? AtomicFile.write(to: path, mode: fileMode, group: fileGroup) { fd in
            var out = BlockWriter(fd: fd, mac: mac(name))
            head.small.withUnsafeBytes { out.emit($0) }
            payload.pieces { out.emit($0) }
            let tag = out.finishMAC()
            withUnsafeBytes(of: tag.littleEndian) { out.emit($0) }
            return out.flush()
        }
    }

    /// The MAC of a file named `name`, before its bytes.
    func mac(_ name: String) -> SipHash {
        var h = SipHash(key: secret)
        let n = Array(name.utf8)
        h.update(UInt64(n.count)); h.update(n)
        return h
    }

    /// The payload of a cache file, mapped, and its build; nil if it is
    /// missing, not a regular file, from another version or build (when
    /// `build` is given), the wrong size, or fails its MAC. A column file
    /// whose fingerprint was recorded when it was verified or written is
    /// not hashed again.
    /// `unvouched` is the fingerprint of a file verified now, not vouched
    /// for yet: a date column is vouched for only after its days are checked
    /// (`readColumn`), every other file here.
    func read(_ name: String, build: UInt64?) -> (payload: Reader, build: UInt64, unvouched: FileFingerprint?)? {
        let path = (directory as NSString).appendingPathComponent(name)
        guard let file = MappedFile(path: path) else { return nil }
        lock.lock(); mapped.append(WeakMappedFile(file: file)); lock.unlock()
        let bytes = file.bytes
        var r = Reader(bytes: bytes, owner: file)
        guard r.take(ColumnCache.magic.count + 1) == ColumnCache.magic + [0], r.u64() == UInt64(ColumnCache.version),
              let fileBuild = r.u64(), build == nil || build == fileBuild,
              let len = r.u64(), len <= UInt64(bytes.count), ColumnCache.headerBytes + Int(len) + 8 == bytes.count else { return nil }
        let end = ColumnCache.headerBytes + Int(len)
        lock.lock()
        let known = name != "meta" && vouched[name] == file.fingerprint
        lock.unlock()
        var unvouched: FileFingerprint?
        if !known {
            var h = mac(name)
            h.update(UnsafeRawBufferPointer(rebasing: bytes[0..<end]))
            var tail = Reader(bytes: bytes, owner: file, position: end)
            guard tail.u64() == h.finish() else { return nil }
            if name != "meta" {
                let payload = bytes[ColumnCache.headerBytes..<end]
                // Tag 2: a date column, whose days readColumn checks first.
                if payload.count >= 8, payload.prefix(8).elementsEqual([2, 0, 0, 0, 0, 0, 0, 0]) {
                    unvouched = file.fingerprint
                } else {
                    vouch(name, file.fingerprint)
                }
            }
        }
        return (Reader(bytes: UnsafeRawBufferPointer(rebasing: bytes[ColumnCache.headerBytes..<end]), owner: file), fileBuild, unvouched)
    }

    /// Writes a file through a block-sized buffer, feeding the MAC as the
    /// bytes pass.
    struct BlockWriter {
        static let block = 1 << 20
        let fd: Int32
        var buffer = [UInt8]()
        private var mac: SipHash?
        private var failed = false

        init(fd: Int32, mac: SipHash) {
            self.fd = fd
            self.mac = mac
            buffer.reserveCapacity(BlockWriter.block)
        }

        mutating func emit(_ bytes: UnsafeRawBufferPointer) {
            var i = 0
            while i < bytes.count {
                let take = min(bytes.count - i, BlockWriter.block - buffer.count)
                buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<(i + take)]))
                i += take
                if buffer.count == BlockWriter.block { drain() }
            }
        }

        /// The MAC of everything emitted so far; what follows is not in it.
        mutating func finishMAC() -> UInt64 {
            if !buffer.isEmpty { drain() }
            defer { mac = nil }
            return mac?.finish() ?? 0
        }

        private mutating func drain() {
            buffer.withUnsafeBytes { b in mac?.update(b) }
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
    package struct Writer {
        package var small: [UInt8] = []
        private var columns: [(at: Int, bytes: UnsafeRawBufferPointer, owner: AnyObject?)] = []
        private var columnBytes = 0

        package init() {}

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

        var remaining: Int { bytes.count - position }

        mutating func take(_ n: Int) -> [UInt8]? {
            guard n >= 0, n <= bytes.count - position else { return nil }
            defer { position += n }
            return Array(bytes[position..<(position + n)])
        }
        mutating func u64() -> UInt64? {
            guard position + 8 <= bytes.count, let p = bytes.baseAddress else { return nil }
            defer { position += 8 }
            return UInt64(littleEndian: p.loadUnaligned(fromByteOffset: position, as: UInt64.self))
        }
        mutating func string() -> String? {
            guard let n = u64(), n <= UInt64(remaining), let b = take(Int(n)) else { return nil }
            return String(decoding: b, as: UTF8.self)
        }
        /// `count` values of a fixed-size type at the next 8-byte boundary,
        /// in place.
        mutating func values<T>(_ count: Int) -> ColumnValues<T>? {
            // `position` never passes the end, so this cannot overflow.
            let aligned = (position + 7) / 8 * 8
            let (size, o) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
            guard count >= 0, !o, aligned <= bytes.count, size <= bytes.count - aligned, let p = bytes.baseAddress else { return nil }
            position = aligned
            let start = p + position
            guard Int(bitPattern: start) % MemoryLayout<T>.alignment == 0 else { return nil }
            position += size
            return ColumnValues(base: start.assumingMemoryBound(to: T.self), count: count, owner: owner)
        }
    }
}

/// What the cache fuzzer (Sources/MisqFuzz) needs to see of a cache without
/// the metadata and fingerprint types leaving the library.
extension ColumnCache {
    package var hasReadableMeta: Bool { readMeta() != nil }
    /// The CSV's fingerprint as the metadata file starts with it.
    package var fingerprintWords: [UInt64] { csv.words }
}
