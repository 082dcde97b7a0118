import XCTest
@testable import MisqKit

/// The spreadsheet shipped in datasets/spreadsheets: a RE-CREATION in the
/// published-table shape (datasets/spreadsheets/make_recreation.py says why
/// it is not the publisher's file), read through the ODS reader. Every
/// figure it loads must be the one the seeds' transcription
/// (datasets/npcc_vawg_2023.csv) gives for the same area, period, source
/// and measure, and the one marked `[x]` must be one the CSV lacks.
final class SpreadsheetShippedTests: XCTestCase {
    static let root = ShippedDataTests.root

    func testEveryFigureOfTheRecreatedTableIsTheSeedsFigure() throws {
        let ods = try Dataset.bare(name: "t1", path: Self.root.appendingPathComponent("datasets/spreadsheets/npcc_vawg_2023_recreated.ods").path,
                                   sheet: try SheetSelection(sheet: "Table 1"))
        XCTAssertEqual(ods.columnNames, ["Area", "Period start", "Period end", "All sources Cases", "All sources Allegations",
                                         "Internal conduct Cases", "Internal conduct Individuals", "Public complaint Cases",
                                         "Public complaint Individuals", "Workforce Percent"])
        XCTAssertEqual(try ods.rowCount, 3)
        let csv = try Dataset.bare(name: "npcc", path: Self.root.appendingPathComponent("datasets/npcc_vawg_2023.csv").path)
        var seeds: [String: Double] = [:]
        let cols = try ["force", "source", "measure", "period_start", "value"].map { try XCTUnwrap(csv.columnIndex($0)) }
        for r in 0..<(try csv.rowCount) {
            let t = try cols.map { try csv.column($0).text(r) ?? "" }
            seeds["\(t[0])|\(t[1])|\(t[2])|\(t[3])"] = Double(t[4].replacingOccurrences(of: ",", with: ""))
        }
        let measures = [(3, "All sources", "cases"), (4, "All sources", "allegations"), (5, "Internal conduct", "cases"),
                        (6, "Internal conduct", "individuals"), (7, "Public complaint", "cases"), (8, "Public complaint", "individuals"),
                        (9, "All sources", "workforce_percent")]
        var checked = 0, marked = 0
        for r in 0..<3 {
            let area = try ods.column(0).text(r) ?? ""
            let force = area.replacingOccurrences(of: " (update)", with: "")
            let start = try ods.column(1).text(r) ?? ""
            for (k, source, measure) in measures {
                guard case .number(let n) = try ods.column(k) else { return XCTFail("column \(k) is not numbers") }
                let key = "\(force)|\(source)|\(measure)|\(start)"
                if n.values[r].isNaN {
                    XCTAssertNil(seeds[key], "\(key) is [x] in the table but the CSV has it")
                    marked += 1
                } else {
                    XCTAssertEqual(n.values[r], seeds[key], key)
                    checked += 1
                }
            }
        }
        XCTAssertEqual(checked, 20)
        XCTAssertEqual(marked, 1)
        XCTAssertTrue(ods.headerNotes.contains("'All sources Cases': 1 cell '[x]' read as missing (not available)"), "\(ods.headerNotes)")
        XCTAssertTrue(ods.headerNotes.contains { $0.hasPrefix("row 9 below the data is a note, not data: 'Source: re-created by misq") }, "\(ods.headerNotes)")
    }
}
