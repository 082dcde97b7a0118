import XCTest
@testable import MisqKit

/// A blank value and a label that is the text "(missing)" are two groups,
/// and every format keeps them apart: the table quotes the label, CSV and
/// TSV leave the blank empty, JSON gives it null. Before, both came out as
/// the same "(missing)" text, and CSV and JSON turned the label into a blank.
final class MissingKeyTests: XCTestCase {
    func session() throws -> Session {
        let dir = try Fixtures.temporaryDirectory()
        let path = dir.path + "/m.csv"
        try "id,x\n1,(missing)\n2,\n3,a\n4,\n".write(toFile: path, atomically: true, encoding: .utf8)
        let s = Session()
        try s.add(Dataset.bare(name: "m", path: path))
        return s
    }

    func render(_ q: String, _ f: OutputFormat) throws -> String {
        guard let r = try Fixtures.results(q, session: try session()).last else { throw MisqError(.runtime, "no result") }
        return Renderer.render(r, as: f)
    }

    func testGroupsKeepALabelApartFromABlank() throws {
        guard case .groups(let g)? = try Fixtures.results("count rows by x", session: try session()).last?.body else { return XCTFail("not grouped") }
        // Hand count: "(missing)" once, a once, blank twice.
        XCTAssertEqual(g.rows.map(\.keys), [["(missing)"], ["a"], [nil]])
        XCTAssertEqual(g.rows.map { $0.values[0] }, [1, 1, 2])
    }

    func testEveryFormatKeepsThemApart() throws {
        XCTAssertTrue(try render("count rows by x", .csv).hasPrefix("x,rows\n(missing),1\na,1\n,2\n"))
        XCTAssertTrue(try render("count rows by x", .tsv).hasPrefix("x\trows\n(missing)\t1\na\t1\n\t2\n"))
        let json = try render("count rows by x", .json)
        XCTAssertTrue(json.contains("{\"x\": \"(missing)\", \"rows\": 1}"), json)
        XCTAssertTrue(json.contains("{\"x\": null, \"rows\": 2}"), json)
        let table = try render("count rows by x", .table)
        XCTAssertTrue(table.contains("│ \"(missing)\" │"), table)
        XCTAssertTrue(table.contains("│ (missing)   │"), table)
        XCTAssertTrue(try render("count rows by x", .markdown).contains("| \"(missing)\" | 1 |"))
    }

    func testShownRowsKeepTheLabel() throws {
        XCTAssertEqual(try render("show rows", .csv), "id,x\n1,(missing)\n2,\n3,a\n4,\n")
    }
}

/// A number column's values as group keys are numbers in JSON and CSV, as
/// `show` gives them: `{"staff": 1000}`, not `{"staff": "1000"}`.
final class NumberKeyTests: XCTestCase {
    func testNumberKeysAreNumbers() throws {
        let dir = try Fixtures.temporaryDirectory()
        try "force,staff\nA,1000\nB,\nC,2.5\n".write(toFile: dir.path + "/f.csv", atomically: true, encoding: .utf8)
        let s = Session()
        try s.add(Dataset.bare(name: "f", path: dir.path + "/f.csv"))
        guard let r = try Fixtures.results("count f by staff", session: s).last else { return XCTFail("no result") }
        let json = Renderer.render(r, as: .json)
        XCTAssertTrue(json.contains("{\"staff\": 2.5, \"f\": 1}") && json.contains("{\"staff\": 1000, \"f\": 1}") && json.contains("{\"staff\": null, \"f\": 1}"), json)
        guard let t = try Fixtures.results("count f by force", session: s).last else { return XCTFail("no result") }
        XCTAssertTrue(Renderer.render(t, as: .json).contains("{\"force\": \"A\", \"f\": 1}"))
    }
}
