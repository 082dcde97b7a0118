import XCTest
@testable import MisqKit
@testable import MisqSynth

/// The cache never serves an answer the CSV would not give: not after an
/// edit that keeps the CSV's size and modification time, not from a cache
/// file that is damaged anywhere or forged with a recomputed checksum, not
/// from a header claiming 2^63 rows; and it is made safely (the CSV's
/// permissions, no system folders, no hang on a FIFO). The reference answer
/// is always the same query over the CSV read with no cache at all (what
/// `MISQ_CACHE=off` does: a table source without a cache).
final class CacheTrustTests: XCTestCase {
    static let labels = ["Alpha", "Bravo", "Delta"]  // one length: an edit between them keeps the size
    static let queries = ["count rows by outcome with total", "sum days", "count distinct case_id where outcome = alpha",
                          "count rows where days > 50 by outcome"]

    func makeCSV(rows: Int = 3_000, mode: mode_t? = nil) throws -> String {
        var text = "id,case_id,outcome,days\n"
        for i in 0..<rows { text += "A\(i),C\(i / 3),\(Self.labels[i % 3]),\(i % 97)\n" }
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("cases.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        if let m = mode { XCTAssertEqual(chmod(path, m), 0) }
        return path
    }

    /// The answers as CSV; an error (an edit can make a column text) is
    /// an answer too, and must be the same either way.
    func render(_ ds: Dataset) throws -> String {
        let s = Session()
        try s.add(ds)
        return Self.queries.map { q in
            do {
                let events = try ScriptRunner(session: s).run(SourceFile(name: "q", text: q), mode: .run)
                return events.compactMap { if case .result(let r, _, _, _) = $0 { return Renderer.render(r, as: .csv) } else { return nil } }.joined()
            } catch {
                return DiagnosticRenderer.render(error.misqErrors)
            }
        }.joined()
    }

    /// Through the cache, as a run of misq does.
    func cached(_ path: String) throws -> String { try render(try Dataset.bare(name: "cases", path: path)) }

    /// With no cache: the CSV's bytes, indexed in memory.
    func uncached(_ path: String) throws -> String {
        try render(Dataset(name: "cases", path: path, csv: try CSVFile(path: path, bytes: try CSVFile.read(path)), units: ["rows": .rows]))
    }

    func cacheFiles(_ csv: String) throws -> [String] {
        let dir = (csv as NSString).deletingLastPathComponent + "/.misqcache"
        let sub = try FileManager.default.contentsOfDirectory(atPath: dir)
        return try sub.flatMap { d in try FileManager.default.contentsOfDirectory(atPath: dir + "/" + d).map { dir + "/" + d + "/" + $0 } }
    }

    func status(_ path: String) -> stat {
        var st = stat()
        XCTAssertEqual(stat(path, &st), 0)
        return st
    }

    /// A seeded generator (misq-synth's), so a failing round can be replayed.
    typealias SplitMix = SplitMix64

    /// Edits the CSV without changing its size, then sets its modification
    /// (and access) time back, as `touch -r` or a copy tool would: in place,
    /// or as a new file renamed over it (a checkout).
    func editKeepingSizeAndTime(_ path: String, _ rng: inout SplitMix) throws {
        let before = status(path)
        var bytes = try CSVFile.read(path)
        for _ in 0..<(1 + Int(rng.next() % 3)) {
            let at = Int(rng.next() % UInt64(bytes.count))
            if let s = bytes[at...].firstIndex(where: { [UInt8(ascii: "A"), UInt8(ascii: "B"), UInt8(ascii: "D")].contains($0) }),
               s + 5 <= bytes.count, let label = Self.labels.first(where: { Array($0.utf8) == Array(bytes[s..<(s + 5)]) }) {
                let other = Self.labels.filter { $0 != label }[Int(rng.next() % 2)]
                bytes.replaceSubrange(s..<(s + 5), with: Array(other.utf8))
            } else if let d = bytes[at...].firstIndex(where: { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
                // Another digit, never a leading zero (which makes a number text).
                let digit = Int(bytes[d] - UInt8(ascii: "0"))
                var next = (digit + 1 + Int(rng.next() % 9)) % 10
                if next == 0, bytes[d - 1] == UInt8(ascii: ","), bytes[d + 1] != UInt8(ascii: "\n") { next = digit == 1 ? 2 : 1 }
                bytes[d] = UInt8(ascii: "0") + UInt8(next)
            }
        }
        if rng.next() % 2 == 0 {
            let fd = open(path, O_WRONLY)
            XCTAssertGreaterThanOrEqual(fd, 0)
            XCTAssertEqual(bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }, bytes.count)
            close(fd)
        } else {
            try AtomicFile.write(bytes, to: path)
        }
        var times = [before.st_atim, before.st_mtim]
        XCTAssertEqual(utimensat(AT_FDCWD, path, &times, 0), 0)
        let after = status(path)
        XCTAssertEqual(after.st_size, before.st_size)
        XCTAssertEqual(after.st_mtim.tv_sec, before.st_mtim.tv_sec)
        XCTAssertEqual(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec)
    }

    /// The cache-equivalence property: over many random edits that keep the
    /// size and the modification time, the cached answer (the run that may
    /// rebuild, and the warm run after it) is the uncached one. Run with
    /// the CSV young (its contents hashed) and with the racy window off
    /// (its fingerprint alone). Fails on the old key (size, mtime, sampled
    /// blocks), which missed most such edits.
    func testEditsThatKeepSizeAndTimeAreNeverServedStale() throws {
        let saved = CacheTrust.racyNanoseconds
        defer { CacheTrust.racyNanoseconds = saved }
        for (window, seed) in [(saved, UInt64(1)), (0, 2)] {
            CacheTrust.racyNanoseconds = window
            let path = try makeCSV()
            var rng = SplitMix(seed: seed)
            var changed = 0
            var previous = try uncached(path)
            XCTAssertEqual(try cached(path), previous)
            for round in 0..<40 {
                try editKeepingSizeAndTime(path, &rng)
                let want = try uncached(path)
                if want != previous { changed += 1 }
                previous = want
                XCTAssertEqual(try cached(path), want, "window \(window), round \(round): first run after the edit")
                XCTAssertEqual(try cached(path), want, "window \(window), round \(round): warm run")
            }
            XCTAssertGreaterThan(changed, 30, "the edits must change the answers for the property to mean anything")
        }
    }

    /// The same property through the misq binary, against `MISQ_CACHE=off`
    /// literally: a few rounds of the same edits.
    func testEditsThroughTheBinaryMatchCacheOff() throws {
        let misq = try XCTUnwrap(Fixtures.builtMisqBinary, "misq binary not built")
        let path = try makeCSV()
        func run(_ cacheOff: Bool) throws -> String {
            let p = Process(), out = Pipe()
            p.executableURL = misq
            p.arguments = ["--data", path, "--format", "csv"] + Self.queries.flatMap { ["-e", $0.replacingOccurrences(of: "rows", with: "cases")] }
            if cacheOff { p.environment = ProcessInfo.processInfo.environment.merging(["MISQ_CACHE": "off"]) { $1 } }
            p.standardOutput = out
            try p.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, text)
            return text
        }
        var rng = SplitMix(seed: 3)
        XCTAssertEqual(try run(false), try run(true))
        for round in 0..<8 {
            try editKeepingSizeAndTime(path, &rng)
            let off = try run(true)
            XCTAssertEqual(try run(false), off, "round \(round)")
            XCTAssertEqual(try run(false), off, "round \(round), warm")
        }
    }

    /// Same bytes, new times (`touch`, a copy): a young CSV's cache is kept
    /// by its content hash; with the racy window off there is no hash and
    /// the cache is rebuilt. Both answer as the CSV does.
    func testTouchedCSVKeepsItsCacheByContent() throws {
        let path = try makeCSV()
        let want = try uncached(path)
        XCTAssertEqual(try cached(path), want)
        var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, path, &times, 0), 0)
        let ds = try Dataset.bare(name: "cases", path: path)
        XCTAssertEqual(try render(ds), want)
        XCTAssertFalse(ds.source.isIndexed, "same contents: the cache is used")
    }

    /// Damage anywhere in any cache file (a byte flipped at random offsets
    /// over the whole file, header, payload and MAC alike) never changes an
    /// answer. Fails on the old sampled checksum, which used most pages of
    /// a large file unchecked.
    func testDamageAnywhereNeverChangesAnAnswer() throws {
        let path = try makeCSV(rows: 20_000)  // files of many pages
        let want = try uncached(path)
        XCTAssertEqual(try cached(path), want)
        var rng = SplitMix(seed: 7)
        let files = try cacheFiles(path)
        XCTAssertGreaterThanOrEqual(files.count, 4)
        for f in files {
            for _ in 0..<8 {
                let good = try CSVFile.read(f)
                var bytes = good
                let at = Int(rng.next() % UInt64(bytes.count))
                bytes[at] ^= UInt8(1 + rng.next() % 255)
                XCTAssertTrue(FileManager.default.createFile(atPath: f, contents: Data(bytes)))
                XCTAssertEqual(try cached(path), want, "\((f as NSString).lastPathComponent) byte \(at) of \(bytes.count)")
            }
        }
        // Damage in place, keeping the inode: caught all the same.
        for f in try cacheFiles(path) {
            let size = status(f).st_size
            let fd = open(f, O_WRONLY)
            var b: UInt8 = 0x5A
            XCTAssertEqual(pwrite(fd, &b, 1, off_t(size / 2)), 1)
            close(fd)
            XCTAssertEqual(try cached(path), want, (f as NSString).lastPathComponent)
        }
    }

    /// Forged cache files, their checksum recomputed the only way a forger
    /// without the user's key can (with a key of their own): a label
    /// renamed in a column file, and the metadata's row count changed. The
    /// answers stay the CSV's. Fails on the old checksum, which anyone
    /// could recompute.
    /// A cache file truncated while a dataset has it mapped: the next read
    /// of its pages would be SIGBUS (it killed misq before the files were
    /// guarded); now the zeros read in their place are never an answer,
    /// and the query is answered from the CSV.
    func testCacheFileTruncatedWhileMappedIsAnsweredFromTheCSV() throws {
        let path = try makeCSV(rows: 30_000)
        let expected = try uncached(path)
        XCTAssertEqual(try cached(path), expected)  // builds the cache
        let ds = try Dataset.bare(name: "cases", path: path)
        XCTAssertEqual(try render(ds), expected)  // maps its column files
        for f in try cacheFiles(path) { XCTAssertEqual(truncate(f, 0), 0, f) }
        XCTAssertEqual(try render(ds), expected)
    }

    func testForgedCacheFilesAreNotBelieved() throws {
        let path = try makeCSV()
        let want = try uncached(path)
        XCTAssertEqual(try cached(path), want)
        guard let cache = ColumnCache(csvPath: path) else { return XCTFail("no cache") }
        let ds = try Dataset.bare(name: "cases", path: path)
        let outcome = cache.directory + "/" + cache.columnName(2, ds.schema(2), [])
        let meta = cache.directory + "/meta"
        func forge(_ file: String, _ change: (inout [UInt8]) -> Void) throws {
            var bytes = try CSVFile.read(file)
            change(&bytes)
            let end = bytes.count - 8
            var mac = SipHash(key: (0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210))
            let name = Array((file as NSString).lastPathComponent.utf8)
            mac.update(UInt64(name.count)); mac.update(name)
            bytes.withUnsafeBytes { mac.update(UnsafeRawBufferPointer(rebasing: $0[0..<end])) }
            let tag = mac.finish()
            withUnsafeBytes(of: tag.littleEndian) { bytes.replaceSubrange(end..., with: $0) }
            XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data(bytes)))
        }
        try forge(outcome) { bytes in
            // "Alpha" relabelled "Bravo" in the labels.
            let alpha = Array("Alpha".utf8)
            guard let at = (0...(bytes.count - 5)).first(where: { Array(bytes[$0..<($0 + 5)]) == alpha }) else { return XCTFail("no label") }
            bytes.replaceSubrange(at..<(at + 5), with: Array("Bravo".utf8))
        }
        XCTAssertEqual(try cached(path), want, "forged labels")
        try forge(meta) { bytes in
            // The row count: after the fingerprint (5 words), racy flag and content hash (3).
            let at = ColumnCache.headerBytes + 64
            withUnsafeBytes(of: UInt64(2_999).littleEndian) { bytes.replaceSubrange(at..<(at + 8), with: $0) }
        }
        XCTAssertEqual(try cached(path), want, "forged row count")
    }

    /// A metadata file claiming 2^63 rows (or any count past what the CSV
    /// could hold), even with a valid MAC, and column files claiming huge
    /// counts, send the query to the CSV instead of crashing misq.
    func testHugeCountsInAHeaderAreRefused() throws {
        let path = try makeCSV()
        let want = try uncached(path)
        XCTAssertEqual(try cached(path), want)
        guard let cache = ColumnCache(csvPath: path), cache.readMeta() != nil else { return XCTFail("no cache") }
        let meta = try CSVFile.read(cache.directory + "/meta")
        for huge in [UInt64(1) << 63, UInt64.max, UInt64(Int.max), 1 << 40] {
            // Sealed with the user's key: only the range checks stand between it and a crash.
            var payload = Array(meta[ColumnCache.headerBytes..<(meta.count - 8)])
            withUnsafeBytes(of: huge.littleEndian) { payload.replaceSubrange(64..<72, with: $0) }
            var w = ColumnCache.Writer()
            w.small = payload
            XCTAssertNotNil(cache.seal("meta", w))
            XCTAssertEqual(try cached(path), want, "rows \(huge)")
            // A column file's row count, label count and section length.
            let ds = try Dataset.bare(name: "cases", path: path)
            for offset in [8, 16, 24] {
                let name = cache.columnName(2, ds.schema(2), [])
                guard let good = try? CSVFile.read(cache.directory + "/" + name) else { continue }
                var column = Array(good[ColumnCache.headerBytes..<(good.count - 8)])
                withUnsafeBytes(of: huge.littleEndian) { column.replaceSubrange(offset..<(offset + 8), with: $0) }
                var c = ColumnCache.Writer()
                c.small = column
                XCTAssertNotNil(cache.seal(name, c))
                XCTAssertEqual(try cached(path), want, "column word \(offset / 8) = \(huge)")
            }
        }
    }

    /// A 0600 CSV gives 0600 cache files in a folder only its owner can
    /// enter; a 0640 one gives 0640 files in the CSV's group; a 0666 one
    /// gives files only their owner may write. Fails on the old writer
    /// (0644 whatever the CSV).
    func testCacheFilesTakeTheCSVsPermissions() throws {
        let group = getegid() == 0 ? gid_t(4) : getegid()  // as root, a group not the process's
        for (mode, files, folder) in [(mode_t(0o600), mode_t(0o600), mode_t(0o700)), (0o640, 0o640, 0o750), (0o666, 0o644, 0o755)] {
            let path = try makeCSV(mode: mode)
            XCTAssertEqual(chown(path, uid_t.max, group), 0)
            XCTAssertEqual(try cached(path), try uncached(path))
            let made = try cacheFiles(path)
            XCTAssertGreaterThanOrEqual(made.count, 4)
            for f in made {
                XCTAssertEqual(status(f).st_mode & 0o777, files, f)
                XCTAssertEqual(status(f).st_gid, group, f)
            }
            XCTAssertEqual(status((made[0] as NSString).deletingLastPathComponent).st_mode & 0o777, folder)
        }
    }

    /// A FIFO in place of a cache file (a column file, or the metadata) is
    /// refused, not waited on. Fails (hangs) on the old reader, which
    /// opened it blocking.
    func testAFIFOInTheCacheFolderDoesNotHang() throws {
        let path = try makeCSV()
        let want = try uncached(path)
        XCTAssertEqual(try cached(path), want)
        for f in try cacheFiles(path) {
            XCTAssertEqual(unlink(f), 0)
            XCTAssertEqual(mkfifo(f, 0o600), 0)
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var answer: String?
            Thread.detachNewThread {
                answer = try? self.cached(path)
                done.signal()
            }
            guard done.wait(timeout: .now() + 30) == .success else { return XCTFail("hung on a FIFO at \(f)") }
            XCTAssertEqual(answer, want, f)
            // The FIFO is replaced by a real file when the cache is written again.
            unlink(f)
        }
    }

    /// Never a cache folder beside data in a system folder (even as root,
    /// who could write there) or in a folder anyone may write (`/tmp`):
    /// those CSVs are cached in the user's folder.
    func testNoCacheFolderInSystemOrSharedFolders() throws {
        XCTAssertFalse(CacheTrust.mayCacheBeside("/etc"))
        XCTAssertFalse(CacheTrust.mayCacheBeside("/usr/share/misq"))
        XCTAssertFalse(CacheTrust.mayCacheBeside("/"))
        XCTAssertFalse(CacheTrust.mayCacheBeside("/tmp"))
        let dir = try Fixtures.temporaryDirectory()
        XCTAssertTrue(CacheTrust.mayCacheBeside(dir.path))
        XCTAssertEqual(chmod(dir.path, 0o777), 0)
        XCTAssertFalse(CacheTrust.mayCacheBeside(dir.path))
        let path = dir.appendingPathComponent("shared.csv").path
        try "a\n1\n".write(toFile: path, atomically: true, encoding: .utf8)
        guard let cache = ColumnCache(csvPath: path) else { return XCTFail("no cache") }
        XCTAssertTrue(cache.directory.hasPrefix(CacheTrust.userFolder() + "/"), cache.directory)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent(".misqcache").path))
        try? FileManager.default.removeItem(atPath: cache.directory)
    }

    /// A CSV rewritten in place (same size, modification time set back)
    /// after the pass that parsed it and before the cache is written: the
    /// next runs answer from the CSV as it is now, never from columns of
    /// the bytes before the edit. Young (the racy case: fails on the old
    /// code, which hashed the contents after the pass, so the hash vouched
    /// for the new bytes while the columns held the old) and old.
    func testAnEditDuringTheBuildIsNeverCached() throws {
        let saved = CacheTrust.racyNanoseconds
        defer { CacheTrust.racyNanoseconds = saved; ColumnCache.beforeWriting = nil }
        for window in [saved, 0] {
            CacheTrust.racyNanoseconds = window
            let path = try makeCSV()
            let before = status(path)
            nonisolated(unsafe) var edited = false
            ColumnCache.beforeWriting = { _ in
                guard !edited else { return }
                edited = true
                // The last fifth's "Alpha"s become "Bravo", in place.
                guard var bytes = try? CSVFile.read(path) else { return XCTFail("unreadable") }
                let from = bytes.count * 4 / 5
                for i in from..<(bytes.count - 5) where Array(bytes[i..<(i + 5)]) == Array("Alpha".utf8) {
                    bytes.replaceSubrange(i..<(i + 5), with: Array("Bravo".utf8))
                }
                let fd = open(path, O_WRONLY)
                XCTAssertEqual(bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }, bytes.count)
                close(fd)
                var times = [before.st_atim, before.st_mtim]
                XCTAssertEqual(utimensat(AT_FDCWD, path, &times, 0), 0)
            }
            _ = try cached(path)  // the run during which it changed: any answer or error
            ColumnCache.beforeWriting = nil
            XCTAssertTrue(edited)
            let want = try uncached(path)
            XCTAssertTrue(want.contains("Bravo,2000") || want.contains("Bravo,1"), want)
            XCTAssertEqual(try cached(path), want, "window \(window)")
            XCTAssertEqual(try cached(path), want, "window \(window), warm")
        }
    }

    /// A folder reached through a symbolic link, or `..` from one, is
    /// judged as the folder it is: `/etc` through a link in a temporary
    /// folder is still `/etc`. Fails on the old check, which read the path
    /// as written (`/tmp/...`).
    func testASystemFolderThroughALinkIsStillASystemFolder() throws {
        let dir = try Fixtures.temporaryDirectory().path
        XCTAssertEqual(symlink("/etc", dir + "/etclink"), 0)
        XCTAssertEqual(symlink("/etc/ssl", dir + "/ssllink"), 0)
        XCTAssertFalse(CacheTrust.mayCacheBeside(dir + "/etclink"))
        XCTAssertFalse(CacheTrust.mayCacheBeside(dir + "/etclink/"))
        XCTAssertFalse(CacheTrust.mayCacheBeside(dir + "/ssllink/.."))
        XCTAssertTrue(CacheTrust.mayCacheBeside(dir))
        XCTAssertFalse(CacheTrust.mayCacheBeside(dir + "/missing"))
    }

    /// A CSV made private after it was cached: its cache folder and every
    /// file in it (the columns not read since too) become private when
    /// the cache is next opened. Fails on the old code, which left them
    /// 0644 in a 0755 folder.
    func testACSVMadePrivateMakesItsCachePrivate() throws {
        let path = try makeCSV(mode: 0o644)
        XCTAssertEqual(try cached(path), try uncached(path))
        let made = try cacheFiles(path)
        XCTAssertGreaterThanOrEqual(made.count, 4)
        XCTAssertEqual(status(made[0]).st_mode & 0o777, 0o644)
        XCTAssertEqual(chmod(path, 0o600), 0)
        guard ColumnCache(csvPath: path) != nil else { return XCTFail("no cache") }
        for f in made { XCTAssertEqual(status(f).st_mode & 0o777, 0o600, f) }
        XCTAssertEqual(status((made[0] as NSString).deletingLastPathComponent).st_mode & 0o777, 0o700)
        XCTAssertEqual(try cached(path), try uncached(path))
    }

    /// A date column's file sealed with the user's key whose days lie
    /// outside their zones (years past 9999, before 1, anything) sends the
    /// query to the CSV; on the old code `by year` trapped (SIGILL).
    func testDaysOutsideTheirZonesInACacheFileAreRefused() throws {
        var text = "id,reported\n"
        for i in 0..<3_000 { text += "A\(i),20\(10 + i % 12)-0\(1 + i % 9)-1\(i % 10)\n" }
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("dates.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        func answer(_ ds: Dataset) throws -> String {
            let s = Session()
            try s.add(ds)
            return ["count rows by year(reported)", "count rows by month(reported)", "min reported", "max reported"].map { q in
                do {
                    let events = try ScriptRunner(session: s).run(SourceFile(name: "q", text: q), mode: .run)
                    return events.compactMap { if case .result(let r, _, _, _) = $0 { return Renderer.render(r, as: .csv) } else { return nil } }.joined()
                } catch {
                    return DiagnosticRenderer.render(error.misqErrors)
                }
            }.joined()
        }
        let want = try answer(Dataset(name: "dates", path: path, csv: try CSVFile(path: path, bytes: try CSVFile.read(path)), units: ["rows": .rows]))
        XCTAssertTrue(want.contains("2021"), want)
        XCTAssertEqual(try answer(try Dataset.bare(name: "dates", path: path)), want)
        guard let cache = ColumnCache(csvPath: path) else { return XCTFail("no cache") }
        let ds = try Dataset.bare(name: "dates", path: path)
        let name = cache.columnName(1, ds.schema(1), [])
        let good = try CSVFile.read(cache.directory + "/" + name)
        XCTAssertEqual(good[ColumnCache.headerBytes], 2, "a date column")
        for (row, day) in [(5, Int32.max), (17, Int32.min + 1), (2_999, 3_000_000), (0, -800_000), (40, Int32(Day.number(2030, 1, 1)))] {
            var payload = Array(good[ColumnCache.headerBytes..<(good.count - 8)])
            let at = 16 + 4 * row
            withUnsafeBytes(of: day.littleEndian) { payload.replaceSubrange(at..<(at + 4), with: $0) }
            var w = ColumnCache.Writer()
            w.small = payload
            XCTAssertNotNil(cache.seal(name, w))
            XCTAssertEqual(try answer(try Dataset.bare(name: "dates", path: path)), want, "row \(row) day \(day)")
            XCTAssertEqual(try answer(try Dataset.bare(name: "dates", path: path)), want, "row \(row) day \(day), again")
        }
    }

    /// The key is used only from a regular file of the user's that no one
    /// else may read.
    func testTheKeyFileMustBePrivate() throws {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("key").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data((0..<16).map { UInt8($0) })))
        XCTAssertEqual(chmod(path, 0o644), 0)
        XCTAssertNil(CacheTrust.readSecret(path))
        XCTAssertEqual(chmod(path, 0o600), 0)
        XCTAssertNotNil(CacheTrust.readSecret(path))
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(count: 15)))
        XCTAssertEqual(chmod(path, 0o600), 0)
        XCTAssertNil(CacheTrust.readSecret(path))
    }

    /// SipHash-2-4 against the reference implementation's test vectors
    /// (key 00..0f, message 00..n-1), whole and fed in pieces.
    func testSipHashVectors() {
        let key = (UInt64(0x0706_0504_0302_0100), UInt64(0x0F0E_0D0C_0B0A_0908))
        let vectors: [Int: UInt64] = [0: 0x726F_DB47_DD0E_0E31, 1: 0x74F8_39C5_93DC_67FD, 8: 0x93F5_F579_9A93_2462, 15: 0xA129_CA61_49BE_45E5]
        for (n, want) in vectors {
            let message = (0..<n).map { UInt8($0) }
            XCTAssertEqual(message.withUnsafeBytes { SipHash.hash($0, key: key) }, want, "\(n) bytes")
            for cut in 0...n {
                var h = SipHash(key: key)
                h.update(Array(message[..<cut])); h.update(Array(message[cut...]))
                XCTAssertEqual(h.finish(), want, "\(n) bytes cut at \(cut)")
            }
        }
    }
}
