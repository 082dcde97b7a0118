import XCTest
@testable import MisqKit

/// Published-table shapes in Fixtures/sheets/layout.xlsx (openpyxl) and
/// layout.ods (the same converted by LibreOffice), written by
/// Tests/Spreadsheets/make_layout_fixtures.py. python-calamine reads the
/// same cells from both (its rows quoted in each test); the expected rows,
/// names and sums are counted by hand from them.
final class SpreadsheetLayoutTests: XCTestCase {
    static let dir = Fixtures.testsDirectory.appendingPathComponent("Fixtures/sheets").path
    static let files = ["layout.xlsx", "layout.ods"]

    func run(_ text: String) throws -> (Session, [QueryResult]) {
        let s = Session()
        s.baseDirectory = Self.dir
        var results: [QueryResult] = []
        _ = try ScriptRunner(session: s).run(SourceFile(name: "t", text: text), mode: .run) { event in
            if case .result(let r, _, _, _) = event { results.append(r) }
        }
        return (s, results)
    }

    /// Dates is the second sheet (calamine: ['case_id', 'reported',
    /// 'finalised'], two dates each row): describe's hint names it, and the
    /// hint, run as written, sets the period column.
    func testThePeriodHintNamesTheSheetAndParses() throws {
        for file in Self.files {
            let (s, _) = try run("load \"\(file)\" sheet \"Dates\" as d")
            let text = try Describer.describe("d", in: s)
            guard let line = text.split(separator: "\n").first(where: { $0.contains("declare one: ") }),
                  let from = line.range(of: "declare one: ") else { return XCTFail("\(file): no hint in\n\(text)") }
            let hint = String(line[from.upperBound...].dropLast())
            XCTAssertEqual(hint, "load \"\(Self.dir)/\(file)\" sheet \"Dates\" as d period reported", file)
            let (again, _) = try run(hint)
            XCTAssertEqual(again.dataset(named: "d")?.periodColumn, "reported", file)
            XCTAssertEqual(try again.dataset(named: "d")?.rowCount, 2, file)
        }
    }
}
