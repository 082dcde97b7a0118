import XCTest
@testable import MisqKit

/// The CSV loader: every case names the expected load result or error.
final class CSVLoaderTests: XCTestCase {
    func load(_ bytes: [UInt8]) throws -> Dataset {
        let dir = try Fixtures.temporaryDirectory()
        let path = dir.appendingPathComponent("x.csv").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let ds = try Dataset.bare(name: "x", path: path)
        // The header is read at once, the rows on first use: count them
        // here so a bad row fails the load, as it does for a query.
        _ = try ds.rowCount
        return ds
    }
    func load(_ text: String) throws -> Dataset { try load(Array(text.utf8)) }

    func texts(_ ds: Dataset, _ column: Int) throws -> [String?] {
        let c = try ds.column(column)
        return (0..<(try ds.rowCount)).map { c.text($0) }
    }

    func testQuotingCRLFAndBOM() throws {
        let ds = try load([0xEF, 0xBB, 0xBF] + Array("id,note\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\nlines\"\r\n4,\r\n".utf8))
        XCTAssertEqual(ds.columnNames, ["id", "note"])
        XCTAssertEqual(try ds.rowCount, 4)
        XCTAssertEqual(try texts(ds, 1), ["a, b", "say \"hi\"", "two\nlines", nil])
    }

    /// Every row length across the 16-byte steps of the fast path, with
    /// the line feed at every offset in a step: a row with the right
    /// number of fields gives its fields back exactly, and a row with one
    /// field too many is an error at its separator (expected values by
    /// construction: the rows are written here field by field).
    func testRowLengthsAcrossScanSteps() throws {
        for width in 1...3 {
            for pad in 0..<40 {
                let fields = (0..<width).map { k in k == width - 1 ? String(repeating: "x", count: pad) + "e" : "f\(k)" }
                let header = (0..<width).map { "c\($0)" }.joined(separator: ",")
                let good = header + "\n" + fields.joined(separator: ",") + "\n"
                let csv = try CSVFile(path: "w.csv", bytes: Array(good.utf8))
                XCTAssertEqual(try csv.rowCount, 1, "width \(width) pad \(pad)")
                let ds = Dataset(name: "w", path: "w.csv", csv: csv)
                for k in 0..<width { XCTAssertEqual(try ds.column(k).text(0), fields[k], "width \(width) pad \(pad) field \(k)") }

                let extra = header + "\n" + fields.joined(separator: ",") + ",z\n"
                XCTAssertThrowsError(try CSVFile(path: "w.csv", bytes: Array(extra.utf8)), "width \(width) pad \(pad)") { error in
                    XCTAssertTrue("\(error)".contains("more than the \(width) field"), "\(error)")
                }
            }
        }
    }

    /// A chunk whose dictionary passes 65,536 entries switches its codes
    /// from two bytes to four mid-chunk; every value must survive that.
    func testChunkWithMoreThan65536DistinctValues() throws {
        let rows = 70_000
        var text = "id,kind\n"
        for i in 0..<rows { text += "P\(i * 7),k\(i % 3)\n" }
        let bytes = Array(text.utf8)
        let csv = try CSVFile(path: "ids.csv", bytes: bytes, chunkBytes: bytes.count + 1)
        let ds = Dataset(name: "ids", path: "ids.csv", csv: csv)
        let ids = try ds.column(0), kinds = try ds.column(1)
        XCTAssertEqual(ids.count, rows)
        for i in [0, 1, 65_535, 65_536, 65_537, rows - 1] {
            XCTAssertEqual(ids.text(i), "P\(i * 7)")
            XCTAssertEqual(kinds.text(i), "k\(i % 3)")
        }
        XCTAssertEqual(Set((0..<rows).compactMap { ids.text($0) }).count, rows)
    }

    func testTypeInference() throws {
        let ds = try load("""
        flag,n,when,uk,label,bits
        yes,"1,131",2022-05-01,01/06/2023,Met,1
        N,2.5,2022-05-02,31/12/2022,Met,0
        ,-3,,,  ,1

        """)
        XCTAssertEqual(try (0..<6).map { try ds.column($0).type }, [.boolean, .number, .date, .date, .category, .number])
        XCTAssertEqual(try texts(ds, 0), ["yes", "no", nil])
        XCTAssertEqual(try texts(ds, 1), ["1131", "2.5", "-3"])
        XCTAssertEqual(try texts(ds, 3), ["2023-06-01", "2022-12-31", nil])  // UK dates are day first
        XCTAssertEqual(try texts(ds, 4), ["Met", "Met", nil])  // blank (spaces) is missing
    }

    func testRowInvariant() throws {
        // Rows loaded equal data rows in the file, blank trailing lines aside.
        for (text, rows) in [("a\n1\n2\n", 2), ("a\n1\n2", 2), ("a,b\n1,2\n\n\n", 1), ("a\n", 0), ("a", 0), ("a\n\n1\n", 2)] {
            XCTAssertEqual(try load(text).rowCount, rows, text.debugDescription)
        }
    }

    /// A NUL past the first megabyte (read with the header) is found in the
    /// values of the column that holds it, when a query codes that column,
    /// and pointed at exactly; the other columns load. Line 40,002 is the
    /// 40,001st data row (rows are 29 bytes, so it starts 1.16 MB in); its
    /// second field starts at column 10 ("row40000," is 9 bytes) and the
    /// NUL is that field's third byte, column 12.
    func testNulPastTheFirstMegabyte() throws {
        var bytes = Array("id,note,n\n".utf8)
        for r in 0..<50_000 {
            var line = Array(String(format: "row%05d,note%05d,%09d\n", r, r % 7, r).utf8)
            if r == 40_000 { line[11] = 0 }
            bytes += line
        }
        let ds = try load(bytes)
        XCTAssertEqual(try texts(ds, 2).count, 50_000)
        XCTAssertThrowsError(try ds.column(1)) { error in
            let e = error.misqErrors[0]
            XCTAssertTrue(e.message.contains("NUL byte"), e.message)
            XCTAssertEqual(e.location.map { "\($0.line):\($0.column)" }, "40002:12")
        }
    }

    func testMalformed() {
        let cases: [(String, String, String)] = [
            // (file, message fragment, "line:column")
            ("a,b\n1,2\n3\n", "line has 1 field, the header has 2", "3:2"),
            ("a,b\n1,2\n3,4,5\n", "more than the 2 fields", "3:4"),
            ("a,b\n1,\"open\n", "unterminated quoted field", "2:3"),
            ("a,b\n1,\"x\"y\n", "text after the closing quote", "2:6"),
            ("a,b\n1,2\n\n3,4\n", "blank in the middle", "3:1"),
            ("", "the file is empty", "1:1"),
            ("\n1\n", "the header line is blank", "1:1"),
            // An unnamed or repeated header name is named, not refused
            // (BareCSVTests.testRepeatedAndUnnamedHeaderFields).
        ]
        for (text, message, at) in cases {
            XCTAssertThrowsError(try load(text), text.debugDescription) { error in
                let e = error.misqErrors[0]
                XCTAssertTrue(e.message.contains(message), "\(text.debugDescription): \(e.message)")
                XCTAssertEqual(e.location.map { "\($0.line):\($0.column)" }, at, text.debugDescription)
                XCTAssertEqual(e.kind, .data)
            }
        }
    }

    func testDeclaredTypesAreChecked() throws {
        let dir = try Fixtures.temporaryDirectory()
        try "id,when,n\n1,2022-01-01,5\n2,31/02/2023,x\n".write(to: dir.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        let package = """
        {"resources": [{"name": "d", "path": "d.csv", "schema": {"fields": [{"name": "when", "type": "date"}, {"name": "n", "type": "integer"}]}}]}
        """
        try package.write(to: dir.appendingPathComponent("datapackage.json"), atomically: true, encoding: .utf8)
        let s = try Session.open(datasetsDirectory: dir.path)
        XCTAssertThrowsError(try s.datasets[0].column(1)) { error in
            let e = error.misqErrors[0]
            XCTAssertEqual(e.message, "'31/02/2023' is not a real date")
            XCTAssertEqual(e.location?.description, dir.appendingPathComponent("d.csv").path + ":3:3")
        }
        XCTAssertThrowsError(try s.datasets[0].column(2)) { error in
            XCTAssertTrue(error.misqErrors[0].message.contains("'x' is not a number"))
        }
    }

    func testBadDataPackage() throws {
        let cases: [(String, String)] = [
            ("{ \"resources\": [ ", "is not valid JSON"),
            ("{\"resources\": [{\"name\": \"d\", \"path\": \"missing.csv\"}]}", "points at missing.csv, which does not exist"),
            ("{\"resources\": [{\"name\": \"d\", \"path\": \"d.csv\", \"schema\": {\"fields\": [{\"name\": \"nope\"}]}}]}", "declares field 'nope'"),
        ]
        for (json, message) in cases {
            let dir = try Fixtures.temporaryDirectory()
            try "a\n1\n".write(to: dir.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
            try json.write(to: dir.appendingPathComponent("datapackage.json"), atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try Session.open(datasetsDirectory: dir.path), json) {
                XCTAssertTrue($0.misqErrors[0].message.contains(message), "\(json): \($0.misqErrors[0].message)")
            }
        }
    }

    /// Chunked parallel parsing must give the codes a one-chunk parse would.
    func testManyChunksAgree() throws {
        var text = "id,k\n"
        for i in 0..<200_000 { text += "\(i),v\(i % 7)\n" }
        let ds = try load(text)
        guard case .category(let c) = try ds.column(1) else { return XCTFail() }
        XCTAssertEqual(c.labels.count, 7)
        XCTAssertEqual(c.labels[Int(c.codes[199_999])], "v\(199_999 % 7)")
        XCTAssertEqual(c.labels[Int(c.codes[65_536])], "v\(65_536 % 7)")
    }

    /// Rows written by this test, quoted fields holding line feeds, commas
    /// and doubled quotes, in a file of many chunks: a chunk that starts
    /// inside a quoted field must be found and parsed again. The expected
    /// values are the rows as written, not another parse.
    func testQuotedLineFeedsAcrossChunks() throws {
        var rows: [(String, String)] = []
        var text = "id,note,k\n"
        var i = 0
        while text.utf8.count < 3_000_000 {
            // Long multi-line notes make many chunk starts land inside quotes.
            let note = i % 3 == 0 ? String(repeating: "line \(i), with \"quotes\"\n", count: 1 + i % 50) : "plain \(i)"
            rows.append(("r\(i)", note))
            let quoted = note.contains("\n") || note.contains(",") ? "\"" + note.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : note
            text += "r\(i),\(quoted),\(i % 5)\n"
            i += 1
        }
        let ds = try load(text)
        XCTAssertEqual(try ds.rowCount, rows.count)
        XCTAssertEqual(try texts(ds, 0), rows.map { $0.0 })
        XCTAssertEqual(try texts(ds, 1), rows.map { $0.1 })
        // Two bad rows: the first one in the file is reported, wherever
        // the chunks fall.
        let late = text + "bad\n"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        XCTAssertThrowsError(try load(late)) { XCTAssertEqual($0.misqErrors[0].location?.line, lines) }
        // A short row inserted after a row in the middle: it is the error.
        let half = rows.count / 2
        let before = rows[..<half].enumerated().map { k, r -> String in
            let quoted = r.1.contains("\n") || r.1.contains(",") ? "\"" + r.1.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : r.1
            return "\(r.0),\(quoted),\(k % 5)\n"
        }.joined()
        XCTAssertTrue(text.hasPrefix("id,note,k\n" + before))
        let early = "id,note,k\n" + before + "x,y\n" + String(text.dropFirst(("id,note,k\n" + before).count)) + "bad\n"
        let earlyLine = before.filter { $0 == "\n" }.count + 2
        XCTAssertThrowsError(try load(early)) { e in
            XCTAssertEqual(e.misqErrors[0].location?.line, earlyLine)
            XCTAssertTrue(e.misqErrors[0].message.contains("line has 2 fields"), e.misqErrors[0].message)
        }
    }
}
