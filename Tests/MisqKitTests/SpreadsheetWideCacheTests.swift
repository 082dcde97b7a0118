import XCTest
@testable import MisqKit

/// A very wide sheet keeps no file per column in the cache (issue 22 gap
/// 10: the cold tester's 16,383-column ODS wrote 16,384 cache files, 67 MB
/// and 3.5 s of system time; with only the metadata, 1 file and 0.15 s,
/// and a warm run reads the sheet again: 1.08 s of CPU where the column
/// files took 0.32 s, measured with the debug build). The answers are the
/// same either way: hand counts of the rows written here.
final class SpreadsheetWideCacheTests: XCTestCase {
    /// A header `c0 … c(n-1)` and two rows: row r holds r + 1 in every column.
    func sheet(columns n: Int, in dir: URL) throws -> String {
        func text(_ s: String) -> String { "<table:table-cell office:value-type=\"string\"><text:p>\(s)</text:p></table:table-cell>" }
        var rows = "<table:table-row>" + (0..<n).map { text("c\($0)") }.joined() + "</table:table-row>"
        for r in 1...2 { rows += "<table:table-row>" + String(repeating: SpreadsheetHostileTests.cell(Double(r)), count: n) + "</table:table-row>" }
        let path = dir.appendingPathComponent("wide\(n).ods").path
        try SpreadsheetHostileTests.zip([("content.xml", SpreadsheetHostileTests.ods(rows))]).write(to: URL(fileURLWithPath: path))
        return path
    }

    func files(_ dir: URL) -> Int {
        (FileManager.default.enumerator(atPath: dir.path)?.allObjects as? [String] ?? []).filter { name in
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path, isDirectory: &isDir) && !isDir.boolValue
        }.count
    }

    func testAWideSheetCachesItsHeaderNotAFilePerColumn() throws {
        let dir = try Fixtures.temporaryDirectory()
        for (columns, cached) in [(SheetTable.cachedColumns + 1, false), (3, true)] {
            let cache = dir.appendingPathComponent("cache\(columns)")
            setenv("MISQ_CACHE_DIR", cache.path, 1)
            defer { unsetenv("MISQ_CACHE_DIR") }
            let path = try sheet(columns: columns, in: dir)
            var answers: [[Double?]] = []
            for _ in 0..<2 {  // cold, then warm
                let s = Session()
                try s.addCSV(path)
                let r = try Fixtures.results("count wide\(columns)\nsum c0 from wide\(columns)\nsum c\(columns - 1) from wide\(columns)", session: s)
                answers.append(r.map(\.scalarValue))
            }
            XCTAssertEqual(answers, [[2, 3, 3], [2, 3, 3]], "\(columns) columns")
            // The metadata alone, or it and a file per column.
            if cached { XCTAssertEqual(files(cache), 1 + columns, "\(columns) columns") } else { XCTAssertEqual(files(cache), 1, "\(columns) columns") }
        }
    }
}
