import XCTest
import ZIPFoundation
@testable import MisqKit

/// Workbooks built byte by byte here (ZIPFoundation writes the ZIP): the
/// smallest XLSX and ODS, and hostile ones — a ZIP bomb, a broken ZIP,
/// malformed XML, a DOCTYPE, a shared string past the table, a sheet that
/// claims 16,384 × 1,048,576 cells. Each loads, or fails with an error
/// naming the file, the part and where; none crashes or allocates its claim.
final class SpreadsheetHostileTests: XCTestCase {
    static let dir = FileManager.default.temporaryDirectory.appendingPathComponent("misq-hostile-\(UUID().uuidString)")

    static func zip(_ entries: [(String, String)], compress: Bool = true) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in entries {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: compress ? .deflate : .none) { pos, size in
                data.subdata(in: Int(pos)..<Int(pos) + size)
            }
        }
        return archive.data ?? Data()
    }

    func write(_ data: Data, _ name: String) throws -> String {
        try FileManager.default.createDirectory(at: Self.dir, withIntermediateDirectories: true)
        let url = Self.dir.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    static let workbook = """
        <?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
        <sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>
        """
    static func sheet(_ rows: String) -> String {
        "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>\(rows)</sheetData></worksheet>"
    }
    static let strings = """
        <?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <si><t>force</t></si><si><t>n</t></si><si><r><t>Ke</t></r><r><t>nt</t></r></si></sst>
        """

    func xlsx(_ rows: String, strings: String = SpreadsheetHostileTests.strings, name: String) throws -> String {
        try write(try Self.zip([("xl/workbook.xml", Self.workbook), ("xl/sharedStrings.xml", strings),
                                ("xl/worksheets/sheet1.xml", Self.sheet(rows))]), name)
    }

    func load(_ path: String, _ selection: SheetSelection? = nil) throws -> Dataset {
        try Dataset.bare(name: "t", path: path, sheet: selection)
    }

    func error(_ body: () throws -> Void) -> String {
        do { try body(); return "no error" } catch let e as MisqError { return e.message } catch { return "\(error)" }
    }

    /// No styles, no relationships part: Excel's default names, shared
    /// strings with runs, an inline string, cells without `r`.
    func testTheSmallestXLSXLoads() throws {
        let path = try xlsx("""
            <row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>\
            <row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>12</v></c></row>\
            <row><c t="inlineStr"><is><t>Essex</t></is></c><c><v>7.5</v></c></row>
            """, name: "small.xlsx")
        let ds = try load(path)
        XCTAssertEqual(ds.columnNames, ["force", "n"])
        XCTAssertEqual(try ds.rowCount, 2)
        guard case .category(let f) = try ds.column(0), case .number(let n) = try ds.column(1) else { return XCTFail("types") }
        XCTAssertEqual(f.labels, ["Kent", "Essex"])
        XCTAssertEqual(Array(n.values), [12, 7.5])
    }

    func testASharedStringPastTheTableIsALocatedError() throws {
        let path = try xlsx("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>99</v></c></row>", name: "sst.xlsx")
        let m = error { _ = try load(path) }
        XCTAssertTrue(m.contains("cell A2: shared string 99 does not exist (the workbook has 3)"), m)
        XCTAssertTrue(m.contains("sst.xlsx"), m)
    }

    func testMalformedXMLNamesThePartAndLine() throws {
        let path = try xlsx("<row r=\"1\"><c r=\"A1\"><v>1</v></c>\n<row r=\"2\"></sheetData>", name: "bad.xlsx")
        let m = error { _ = try load(path) }
        XCTAssertTrue(m.contains("bad.xlsx (xl/worksheets/sheet1.xml) line 2"), m)
        XCTAssertTrue(m.contains("malformed XML"), m)
    }

    func testADoctypeIsRefusedBeforeAnyEntityExpands() throws {
        let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
            + "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>&lol2;</t></si></sst>"
        let path = try xlsx("<row r=\"1\"><c t=\"s\"><v>0</v></c></row>", strings: laughs, name: "doctype.xlsx")
        let m = error { _ = try load(path) }
        XCTAssertTrue(m.contains("DOCTYPE"), m)
    }

    func testABrokenZIPIsAnErrorNotACrash() throws {
        let good = try Self.zip([("xl/workbook.xml", Self.workbook)])
        for (name, bytes) in [("empty.xlsx", Data()), ("text.xlsx", Data("force,n\nKent,1\n".utf8)),
                              ("cut.xlsx", good.prefix(good.count / 2)), ("tail.xlsx", good.suffix(40))] {
            let path = try write(bytes, name)
            let m = error { _ = try load(path) }
            // The last 40 bytes hold an intact (empty) ZIP directory; CSV
            // text under a workbook's name is said to be text.
            XCTAssertTrue(m.contains("is not a readable spreadsheet") || name == "tail.xlsx" && m.contains("not a workbook")
                          || name == "text.xlsx" && m.contains("is text, not a workbook"), "\(name): \(m)")
        }
        // Damaged compressed data inside an intact directory.
        var damaged = try Self.zip([("xl/workbook.xml", Self.workbook + String(repeating: " ", count: 2000))])
        if let at = damaged.range(of: Data("xl/workbook.xml".utf8))?.upperBound { for k in at..<(at + 30) { damaged[k] ^= 0x5A } }
        let path = try write(damaged, "damaged.xlsx")
        XCTAssertNotEqual(error { _ = try load(path) }, "no error")
    }

    /// A bomb: the header declares a small part that inflates far past it.
    func testAZipBombStopsAtItsDeclaredSize() throws {
        let big = Self.sheet(String(repeating: "<row/>", count: 200_000))
        var data = try Self.zip([("xl/workbook.xml", Self.workbook), ("xl/worksheets/sheet1.xml", big)])
        // The central directory's uncompressed size of the sheet (offset 24
        // of its record), then the local header's (offset 22), set to 1000.
        func patch(_ signature: [UInt8], _ offset: Int) {
            var from = data.startIndex
            while let r = data.range(of: Data(signature), in: from..<data.endIndex) {
                let nameLength = Int(data[r.lowerBound + (signature[2] == 1 ? 28 : 26)])
                let nameAt = r.lowerBound + (signature[2] == 1 ? 46 : 30)
                if String(decoding: data[nameAt..<(nameAt + nameLength)], as: UTF8.self).hasSuffix("sheet1.xml") {
                    for (k, b) in [0xE8, 0x03, 0, 0].enumerated() { data[r.lowerBound + offset + k] = UInt8(b) }
                }
                from = r.upperBound
            }
        }
        patch([0x50, 0x4B, 0x01, 0x02], 24)
        patch([0x50, 0x4B, 0x03, 0x04], 22)
        let path = try write(data, "bomb.xlsx")
        let m = error { _ = try load(path) }
        XCTAssertTrue(m.contains("inflates past the 1,000 bytes its header declares"), m)
    }

    func testAPartOverTheLimitIsNotInflated() throws {
        let saved = SpreadsheetLimits.entryBytes
        SpreadsheetLimits.entryBytes = 10_000
        defer { SpreadsheetLimits.entryBytes = saved }
        let path = try xlsx(String(repeating: "<row/>", count: 5000), name: "limit.xlsx")
        let m = error { _ = try load(path) }
        XCTAssertTrue(m.contains("would inflate to 30,"), m)
    }

    static func ods(_ rows: String) -> String {
        """
        <?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
        xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">\
        <office:body><office:spreadsheet><table:table table:name="One">\(rows)</table:table></office:spreadsheet></office:body></office:document-content>
        """
    }

    static func cell(_ v: Double) -> String { "<table:table-cell office:value-type=\"float\" office:value=\"\(v)\"><text:p>\(v)</text:p></table:table-cell>" }

    /// The trap: a sheet claiming every cell of 16,384 × 1,048,576, empty,
    /// after two rows of data. It must not allocate what it claims.
    func testAMillionRepeatedEmptyRowsCostNothing() throws {
        let rows = "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>a</text:p></table:table-cell>"
            + "<table:table-cell office:value-type=\"string\"><text:p>b</text:p></table:table-cell><table:table-cell table:number-columns-repeated=\"16382\"/></table:table-row>"
            + "<table:table-row table:number-rows-repeated=\"3\">\(Self.cell(1))\(Self.cell(2))<table:table-cell table:number-columns-repeated=\"16382\"/></table:table-row>"
            + "<table:table-row table:number-rows-repeated=\"1048572\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>"
        let path = try write(try Self.zip([("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", Self.ods(rows))]), "repeats.ods")
        let started = Date()
        let ds = try load(path)
        XCTAssertEqual(ds.columnNames, ["a", "b"])
        XCTAssertEqual(try ds.rowCount, 3)
        guard case .number(let b) = try ds.column(1) else { return XCTFail("type") }
        XCTAssertEqual(Array(b.values), [2, 2, 2])
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.0)
    }

    /// A value repeated over every cell of the sheet is 17 billion cells:
    /// an error at once, not an allocation.
    func testAFullSheetOfOneValueIsRefused() throws {
        let rows = "<table:table-row>\(Self.cell(1).replacingOccurrences(of: "<table:table-cell ", with: "<table:table-cell table:number-columns-repeated=\"16384\" "))</table:table-row>"
        let full = rows.replacingOccurrences(of: "<table:table-row>", with: "<table:table-row table:number-rows-repeated=\"1048576\">")
        let path = try write(try Self.zip([("content.xml", Self.ods(full))]), "full.ods")
        let started = Date()
        let m = error { _ = try load(path) }
        XCTAssertTrue(m.contains("more than 400,000,000 cells"), m)
        XCTAssertLessThan(Date().timeIntervalSince(started), 2.0)
    }

    func testAnUnknownSheetListsTheSheets() throws {
        let path = try xlsx("<row r=\"1\"><c t=\"s\"><v>0</v></c></row>", name: "named.xlsx")
        let m = error { _ = try load(path, try SheetSelection(sheet: "Dta")) }
        XCTAssertTrue(m.contains("has no sheet 'Dta'"), m)
    }

    func testNotAWorkbookSaysSo() throws {
        let path = try write(try Self.zip([("readme.txt", "hello")]), "plain.xlsx")
        XCTAssertTrue(error { _ = try load(path) }.contains("is a ZIP archive but not a workbook"))
    }
}
