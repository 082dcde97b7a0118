import XCTest
@testable import MisqKit

/// A dataset named like another dataset's unit (`--data cases.csv`,
/// `load … as cases`) counted its own rows for `count cases` (issue 16:
/// 2, not the cases of the package). Both readings are now asked for.
final class UnitNamedDatasetTests: XCTestCase {
    func csv() throws -> String {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("cases.csv").path
        try "id\n1\n2\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testBothReadingsAreAnError() throws {
        let load = "load \"\(try csv())\" as cases\n"
        XCTAssertThrowsError(try Fixtures.results(load + "count cases")) { e in
            let m = e.misqErrors.first
            XCTAssertTrue(m?.message.contains("both a dataset and a unit") == true, "\(e)")
            XCTAssertTrue(m?.suggestion?.contains("rows from cases") == true, "\(e)")
        }
        // The forms that decide it: the file's two rows (hand count), and
        // the unit as counted with no dataset named cases.
        XCTAssertEqual(try Fixtures.results(load + "count rows from cases").last?.scalarValue, 2)
        let unit = try Fixtures.results("count cases").last?.scalarValue
        let s = Fixtures.smallSession
        let holder = try XCTUnwrap(s.datasets.first { d in s.units(of: d).keys.contains("cases") }?.name)
        XCTAssertEqual(try Fixtures.results(load + "count cases from \(holder)").last?.scalarValue, unit)
    }

    func testOneReadingIsNoQuestion() throws {
        XCTAssertEqual(try Fixtures.results("load \"\(try csv())\" as cases\ncount cases", session: Session()).last?.scalarValue, 2)
    }
}
