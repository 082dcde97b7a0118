import XCTest
@testable import MisqKit

/// The malformed-data corpus (Tests/MisqKitTests/Malformed): every input
/// gives exactly its expected load result or located error, and the row
/// invariant holds throughout: rows loaded equal the data rows in the file,
/// or the load fails naming the first offending line.
final class MalformedDataTests: XCTestCase {
    static let folder = Fixtures.testsDirectory.appendingPathComponent("Malformed")

    /// Loads a CSV or a package folder and parses every column.
    func outcome(_ name: String) -> String {
        let path = Self.folder.appendingPathComponent(name).path
        do {
            let datasets: [Dataset]
            if name.hasSuffix(".csv") { datasets = [try Dataset.bare(name: "d", path: path)] }
            else { datasets = try Session.open(datasetsDirectory: path).datasets }
            for d in datasets { for k in d.columnNames.indices { _ = try d.column(k) } }
            return "rows \(try datasets.map { try $0.rowCount }.reduce(0, +))"
        } catch {
            let e = error.misqErrors[0]
            return "error \(e.location.map { "\($0.line):\($0.column)" } ?? "-") \(e.message)"
        }
    }

    func testCorpus() throws {
        let lines = try String(contentsOf: Self.folder.appendingPathComponent("expected.txt"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
        let listed = Set(lines.map { String($0.split(separator: "\t")[0]) })
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { !$0.hasPrefix(".") }).subtracting(["expected.txt"])
        XCTAssertEqual(present.subtracting(listed), [], "every corpus file has an expectation")
        XCTAssertGreaterThanOrEqual(lines.count, 30)
        for line in lines {
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            let got = outcome(parts[0])
            XCTAssertTrue(got.hasPrefix(parts[1]), "\(parts[0]): expected \(parts[1]), got \(got)")
        }
    }

    /// What the loads that succeed actually hold.
    func testValues() throws {
        func column(_ file: String, _ k: Int) throws -> [String?] {
            let d = try Dataset.bare(name: "d", path: Self.folder.appendingPathComponent(file).path)
            let c = try d.column(k)
            return (0..<(try d.rowCount)).map { c.text($0) }
        }
        XCTAssertEqual(try column("quote_in_unquoted.csv", 1), ["5\" screen", "x"])  // a stray quote is kept as text
        XCTAssertEqual(try column("embedded_newline.csv", 1), ["line1\nline2", "x"])
        XCTAssertEqual(try column("embedded_cr.csv", 1), ["x\ry", "z"])
        XCTAssertEqual(try column("invalid_utf8.csv", 1), ["\u{FFFD}\u{FFFD}", "ok"])  // shown as U+FFFD, not dropped
        XCTAssertEqual(try column("thousands.csv", 0), ["1131", "12000", "7"])
        XCTAssertEqual(try column("ambiguous_date.csv", 0), ["2023-06-01", "2023-01-06"])  // day first (UK)
        XCTAssertEqual(try column("spaces_padding.csv", 1), ["yes"])
        XCTAssertEqual(try column("single_column_blank_row.csv", 0), ["1", nil, "2"])
        XCTAssertEqual(try column("mixed_types.csv", 0), ["1", "two", "3"])
        let q = try Dataset.bare(name: "d", path: Self.folder.appendingPathComponent("quoted_header.csv").path)
        XCTAssertEqual(q.columnNames, ["case id", "out,come"])
        XCTAssertEqual(try Dataset.bare(name: "d", path: Self.folder.appendingPathComponent("double_bom.csv").path).columnNames, ["id", "x"])
        // A repeated name and an unnamed field get names, each said in a note.
        let dup = try Dataset.bare(name: "d", path: Self.folder.appendingPathComponent("duplicate_header.csv").path)
        XCTAssertEqual(dup.columnNames, ["a", "b", "A_2"])
        XCTAssertEqual(dup.headerNotes, ["'A' names fields 1 and 3 in the header: field 3 is called 'A_2'"])
        let unnamed = try Dataset.bare(name: "d", path: Self.folder.appendingPathComponent("empty_header.csv").path)
        XCTAssertEqual(unnamed.columnNames, ["a", "column2", "c"])
        XCTAssertEqual(unnamed.headerNotes, ["field 2 has no name in the header: it is called 'column2'"])
    }

    /// 10,000 columns and a 10 MB field, made here rather than committed.
    func testWideAndLong() throws {
        let dir = try Fixtures.temporaryDirectory()
        let wide = dir.appendingPathComponent("wide.csv").path
        let header = (0..<10_000).map { "c\($0)" }.joined(separator: ",")
        let row = (0..<10_000).map { "\($0)" }.joined(separator: ",")
        try (header + "\n" + row + "\n" + row + "\n").write(toFile: wide, atomically: true, encoding: .utf8)
        let w = try Dataset.bare(name: "w", path: wide)
        XCTAssertEqual(w.columnNames.count, 10_000)
        XCTAssertEqual(try w.rowCount, 2)
        XCTAssertEqual(try w.column(9_999).text(1), "9999")

        let long = dir.appendingPathComponent("long.csv").path
        let field = String(repeating: "x", count: 10 << 20)
        try ("id,note\n1,\"" + field + "\"\n2,short\n").write(toFile: long, atomically: true, encoding: .utf8)
        let l = try Dataset.bare(name: "l", path: long)
        XCTAssertEqual(try l.rowCount, 2)
        XCTAssertEqual(try l.column(1).text(0)?.count, 10 << 20)
        // A bad line after the long field is still found, and the shown excerpt stays short.
        try ("id,note\n1,\"" + field + "\"\n2\n").write(toFile: long, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Dataset.bare(name: "l", path: long).rowCount) { e in
            XCTAssertEqual(e.misqErrors[0].location?.line, 3)
            XCTAssertLessThan(DiagnosticRenderer.render(e.misqErrors[0]).count, 2_000)
        }
    }
}
