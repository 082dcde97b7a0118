import XCTest
@testable import MisqKit

/// A grouped result kept as a dataset, on the 20-row fixture. Expected
/// figures from DuckDB 2.0.1 over the same CSV (`SELECT officer_id,
/// count(*) FROM allegations GROUP BY ALL`: 16 officers, P01 with 3, P02
/// and P06 with 2, the rest 1), and the top share counted by hand from them.
final class GroupedDatasetTests: XCTestCase {
    func run(_ text: String) throws -> QueryResult {
        guard let r = try Fixtures.results("let per_officer = count allegations by officer_id\n" + text).last else {
            throw MisqError(.runtime, "no result")
        }
        return r
    }

    func testItsRowsAreTheGroupsAndItsMeasureIsNamedByTheUnit() throws {
        XCTAssertEqual(try run("count per_officer").scalarValue, 16)
        XCTAssertEqual(try run("count per_officer where allegations > 1").scalarValue, 3)
        XCTAssertEqual(try run("median allegations from per_officer").scalarValue, 1)
        XCTAssertEqual(try run("sum allegations from per_officer").scalarValue, 20)
    }

    func testTopShareOfItsRowsKeepsTiesAndSaysHowMany() throws {
        // ⌈16 × 12.5 / 100⌉ = 2: P01 (3) and P02 (2), and P06 tied at 2.
        let r = try run("sum allegations from per_officer top 12.5%")
        XCTAssertEqual(r.scalarValue, 7)
        XCTAssertTrue(r.footer.noteTexts.contains("top 12.5% of 16 rows by allegations: the largest 2 (12.5% of 16, rounded up), with 1 more tied at 2: 3 measured"),
                      r.footer.noteTexts.joined(separator: "\n"))
    }

    func testItsFooterSaysWhatARowIsAndWhereTheRowsCameFrom() throws {
        let r = try run("count per_officer")
        XCTAssertEqual(r.footer.title, "16 rows, one per officer_id group of: count allegations by officer_id, from allegations")
        XCTAssertTrue(r.footer.synthetic, "the fixture is synthetic, and so is what is made from it")
        XCTAssertTrue(r.footer.noteTexts.contains("per_officer is of allegations's rows: 20 scanned, 20 matched"), r.footer.noteTexts.joined(separator: "\n"))
    }

    func testACrosstabCannotBeKept() {
        XCTAssertThrowsError(try run("let x = count cases by outcome across severity")) { e in
            XCTAssertTrue(e.misqErrors.first?.message.contains("'across' makes a crosstab") ?? false, "\(e)")
        }
    }
}
