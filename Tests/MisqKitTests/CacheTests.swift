import XCTest
import MisqCLI
@testable import MisqKit

/// The columnar cache beside a dataset: used when valid, rebuilt when the
/// CSV changes or a cache file is truncated or corrupted, safe when two
/// processes build it at once.
final class CacheTests: XCTestCase {
    func makeCSV(rows: Int = 2_000) throws -> String {
        let dir = try Fixtures.temporaryDirectory()
        var text = "id,case_id,outcome,reported,suspended,days\n"
        for i in 0..<rows {
            text += "A\(i),C\(i / 3),\(["Pending", "Written warning", "Dismissal without notice"][i % 3]),\(Day.iso(Day.number(2022, 1, 1) + i % 700)),\(i % 4 == 0 ? "yes" : "no"),\(i % 250)\n"
        }
        let path = dir.appendingPathComponent("cases.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Counts by hand from the generator above: i % 3 == 2 for the dismissals.
    func answers(_ path: String) throws -> [Double] {
        let ds = try Dataset.bare(name: "cases", path: path)
        let s = Session()
        try s.add(ds)
        let q = "count cases where outcome = dismissal_without_notice\ncount cases where suspended and period 2022\nsum days"
        return try ScriptRunner(session: s).run(SourceFile(name: "q", text: q), mode: .run).compactMap {
            if case .result(let r, _, _, _) = $0 { return r.scalarValue } else { return nil }
        }
    }

    func cacheFiles(_ csv: String) throws -> [String] {
        let dir = (csv as NSString).deletingLastPathComponent + "/.misqcache"
        let sub = try FileManager.default.contentsOfDirectory(atPath: dir)
        return try sub.flatMap { d in try FileManager.default.contentsOfDirectory(atPath: dir + "/" + d).map { dir + "/" + d + "/" + $0 } }
    }

    // rows 0..1999: dismissals i%3==2 → 666 rows, cases i/3 → one per case → 666 cases.
    // suspended i%4==0 and reported (2022-01-01 + i%700) in 2022 (i%700 < 365): counted distinct cases.
    func expected(rows: Int = 2_000) -> [Double] {
        let dismissed = Set((0..<rows).filter { $0 % 3 == 2 }.map { $0 / 3 })
        let suspended = Set((0..<rows).filter { $0 % 4 == 0 && $0 % 700 < 365 }.map { $0 / 3 })
        return [Double(dismissed.count), Double(suspended.count), Double((0..<rows).map { $0 % 250 }.reduce(0, +))]
    }

    func testWarmRunsSkipTheCSV() throws {
        let path = try makeCSV()
        XCTAssertEqual(try answers(path), expected())
        let warm = try Dataset.bare(name: "cases", path: path)
        _ = try warm.column(2); _ = try warm.column(3)
        XCTAssertFalse(warm.source.isIndexed, "a warm run must not read the CSV")
        XCTAssertEqual(try answers(path), expected())
    }

    func testChangedCSVInvalidates() throws {
        let path = try makeCSV()
        XCTAssertEqual(try answers(path), expected())
        // Rewrite with more rows: size, time and content all change.
        let more = try makeCSV(rows: 2_500)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: more, toPath: path)
        XCTAssertEqual(try Dataset.bare(name: "cases", path: path).rowCount, 2_500)
        XCTAssertEqual(try answers(path), expected(rows: 2_500))
    }

    func testTruncatedOrCorruptedCacheIsRebuilt() throws {
        let path = try makeCSV()
        XCTAssertEqual(try answers(path), expected())
        let files = try cacheFiles(path)
        XCTAssertGreaterThanOrEqual(files.count, 4)  // meta and three columns
        for (i, f) in files.enumerated() {
            var bytes = try CSVFile.read(f)
            if i % 2 == 0 { bytes = Array(bytes.prefix(bytes.count / 2)) }   // truncated
            else { bytes[bytes.count / 2] ^= 0xFF }                           // one byte flipped
            XCTAssertTrue(FileManager.default.createFile(atPath: f, contents: Data(bytes)))
        }
        XCTAssertEqual(try answers(path), expected())
        // And the rebuilt files are good again: a warm run skips the CSV.
        let warm = try Dataset.bare(name: "cases", path: path)
        _ = try warm.column(2)
        XCTAssertFalse(warm.source.isIndexed)
    }

    /// Columns larger than the writer's block (1 MB) are written through it
    /// and read back in place; a byte flipped in any checksummed page (the
    /// first, the last, one sampled between) is caught, and a date column's
    /// zones come back with it.
    func testColumnsLargerThanAChecksumBlockRoundTrip() throws {
        let path = try makeCSV(rows: 10)
        guard let cache = ColumnCache(csvPath: path) else { return XCTFail("no cache directory") }
        let rows = 700_000  // 0.7 MB of codes, 5.6 MB of doubles: one block and several
        let codes = CategoryCodes.u8(ColumnValues((0..<rows).map { UInt8($0 % 7 == 6 ? UInt8.max : UInt8($0 % 7)) }))
        let labels = (0..<6).map { "label \($0)" }
        cache.writeColumn("big-cat", .category(CategoryColumn(codes: codes, labels: labels)), declaredOrder: nil)
        let values = ColumnValues((0..<rows).map { Double($0) / 4 })
        cache.writeColumn("big-num", .number(NumberColumn(values: values, allIntegers: false)), declaredOrder: nil)
        guard case .category(let c)? = cache.readColumn("big-cat", rows: rows),
              case .number(let v)? = cache.readColumn("big-num", rows: rows) else { return XCTFail("not read back") }
        XCTAssertEqual(c.codes, codes)
        XCTAssertEqual(c.labels, labels)
        XCTAssertEqual(v.values, values)
        XCTAssertNil(cache.readColumn("big-num", rows: rows - 1), "a row count that does not match")

        let days = ColumnValues((0..<rows).map { (r: Int) -> Int32 in r % 1000 == 999 ? DateColumn.missing : Int32(18_000 + r / 500) })
        cache.writeColumn("big-date", .date(DateColumn(days: days)), declaredOrder: nil)
        guard case .date(let d)? = cache.readColumn("big-date", rows: rows) else { return XCTFail("dates not read back") }
        XCTAssertEqual(d.days, days)
        XCTAssertEqual(d.zones, DateZones(days: days))
        XCTAssertEqual(d.range, 18_000...Int32(18_000 + (rows - 1) / 500))

        // Every byte is under the MAC: the header, the first page, one in
        // the middle of 5.6 MB (the old checksum sampled only some pages),
        // the last and the MAC itself.
        let file = cache.directory + "/big-num"
        let good = try CSVFile.read(file)
        let middle = good.count / 2 + 1_234
        for at in [9, ColumnCache.headerBytes + 30, middle, good.count - 100, good.count - 1] {
            var bytes = good
            bytes[at] ^= 0x01
            XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data(bytes)))
            XCTAssertNil(cache.readColumn("big-num", rows: rows), "flipped byte \(at)")
        }
    }

    /// Category codes are one, two or four bytes wide by label count, the
    /// width's largest value meaning missing: at each boundary every value
    /// and every blank survives the build and a trip through the cache.
    func testCategoryCodeWidthsAtTheirBoundaries() throws {
        for (labels, width) in [(254, 1), (255, 2), (256, 2), (65_534, 2), (65_535, 4)] {
            var text = "v\n"
            let rows = 2 * labels  // every label at least once outside the blank rows (labels % 41 != 0)
            for i in 0..<rows { text += i % 41 == 40 ? "\n" : "L\(i % labels)\n" }
            let path = try Fixtures.temporaryDirectory().appendingPathComponent("w.csv").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            // Cold (parsed), then warm (read back from the cache).
            for pass in ["cold", "warm"] {
                let ds = try Dataset.bare(name: "w", path: path)
                guard case .category(let c) = try ds.column(0) else { return XCTFail("\(labels): not a category") }
                XCTAssertEqual(pass == "warm", !ds.source.isIndexed, "\(labels) \(pass)")
                switch c.codes {
                case .u8: XCTAssertEqual(width, 1, "\(labels) labels")
                case .u16: XCTAssertEqual(width, 2, "\(labels) labels")
                case .u32: XCTAssertEqual(width, 4, "\(labels) labels")
                }
                XCTAssertEqual(c.labels.count, labels, "\(labels) \(pass)")
                for i in 0..<rows {
                    XCTAssertEqual(try ds.column(0).text(i), i % 41 == 40 ? nil : "L\(i % labels)", "\(labels) \(pass) row \(i)")
                }
            }
        }
    }

    func testDeclaredAndInferredTypesAreCachedApart() throws {
        let path = try makeCSV()
        let bare = try Dataset.bare(name: "cases", path: path)
        XCTAssertEqual(try bare.column(5).type, .number)
        var f = FieldSchema(name: "days"); f.declaredType = .category
        let declared = Dataset(name: "cases", path: path, source: try TableSource(path: path), fields: [f])
        XCTAssertEqual(try declared.column(5).type, .category)
    }

    /// Two processes building the same cache at once both answer correctly.
    func testConcurrentProcesses() throws {
        let misq = try XCTUnwrap(Fixtures.builtMisqBinary, "misq binary not built")
        for round in 0..<3 {
            let path = try makeCSV(rows: 30_000 + round)
            let want = expected(rows: 30_000 + round).map { NumberFormat.plain($0) }
            let processes = (0..<2).map { _ -> (Process, Pipe) in
                let p = Process(), out = Pipe()
                p.executableURL = misq
                p.arguments = ["--data", path, "--format", "csv", "-e", "count cases where outcome = dismissal_without_notice",
                               "-e", "count cases where suspended and period 2022", "-e", "sum days"]
                p.standardOutput = out
                return (p, out)
            }
            for (p, _) in processes { try p.run() }
            for (p, out) in processes {
                let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                p.waitUntilExit()
                XCTAssertEqual(p.terminationStatus, 0)
                let values = text.split(separator: "\n").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
                XCTAssertEqual(values, want, "round \(round)")
            }
            XCTAssertEqual(try answers(path), expected(rows: 30_000 + round))
        }
    }

    /// The cache's name comes from the CSV's path made standard by hand
    /// (no file system calls): expected values written by hand.
    func testPathsAreMadeStandardLexically() {
        let table = [
            ("/a/b/c.csv", "/a/b/c.csv"),
            ("/a/./b//c.csv", "/a/b/c.csv"),
            ("/a/x/../b/c.csv", "/a/b/c.csv"),
            ("/../a/c.csv", "/a/c.csv"),
            ("/a/b/", "/a/b"),
            ("/", "/"),
        ]
        for (path, want) in table { XCTAssertEqual(ColumnCache.lexicallyStandard(path), want, path) }
    }

    /// Category codes from the cache are checked as the passes read them.
    /// A cache written with codes past their labels (what only damage
    /// leaves; its checksum is good) must give the CSV's answers through
    /// every kind of pass: a filter, a one-byte and a two-byte key, a
    /// distinct count alone and by group, two keys at once, and a listing
    /// (which checks the whole column first). The reference answers are
    /// those of the first run, parsed from the CSV.
    func testCodesPastTheLabelsAreCaughtAndTheCSVAnswers() throws {
        let dir = try Fixtures.temporaryDirectory()
        var text = "id,outcome,officer,suspended\n"
        for i in 0..<3_000 {
            text += "A\(i),\(["Pending", "Written warning", "Dismissal without notice"][i % 3]),P\(i * 7 % 300),\(i % 4 == 0 ? "yes" : "no")\n"
        }
        let path = dir.appendingPathComponent("cases.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let queries = ["count cases where outcome = dismissal_without_notice", "count cases by outcome", "count cases by officer",
                       "count distinct officer where suspended", "count distinct officer by outcome", "count cases by outcome, officer",
                       "show cases where suspended and outcome = pending limit 3"]
        func run(_ q: String) throws -> String {
            let s = Session()
            try s.add(try Dataset.bare(name: "cases", path: path))
            let events = try ScriptRunner(session: s).run(SourceFile(name: "q", text: q), mode: .run)
            return events.compactMap { if case .result(let r, _, _, _) = $0 { return Renderer.render(r, as: .csv) } else { return nil } }.joined()
        }
        let want = try queries.map(run)

        for (column, past) in [(1, UInt32(5)), (2, UInt32(400))] {
            let ds = try Dataset.bare(name: "cases", path: path)
            guard let cache = ColumnCache(csvPath: path) else { return XCTFail("no cache") }
            let name = cache.columnName(column, ds.schema(column), [])
            guard case .category(let good)? = cache.readColumn(name, rows: 3_000) else { return XCTFail("column \(column) not cached") }
            // Every 97th row's code past the labels.
            let codes: CategoryCodes
            switch good.codes {
            case .u8(let v): codes = .u8(ColumnValues(v.indices.map { $0 % 97 == 0 ? UInt8(past) : v[$0] }))
            case .u16(let v): codes = .u16(ColumnValues(v.indices.map { $0 % 97 == 0 ? UInt16(past) : v[$0] }))
            case .u32(let v): codes = .u32(ColumnValues(v.indices.map { $0 % 97 == 0 ? past : v[$0] }))
            }
            for (q, answer) in zip(queries, want) {
                // Damaged anew for each query: the one before rewrote it.
                cache.writeColumn(name, .category(CategoryColumn(codes: codes, labels: good.labels)), declaredOrder: nil)
                XCTAssertEqual(try run(q), answer, "\(q), column \(column) with codes past its \(good.labelCount) labels")
                guard case .category(let again)? = cache.readColumn(name, rows: 3_000) else { return XCTFail("column \(column) not rewritten") }
                if q.contains(ds.columnNames[column]) {
                    XCTAssertTrue(again.codes.fit(labels: again.labelCount), "\(q): column \(column) not rewritten from the CSV")
                }
            }
        }
    }
}
