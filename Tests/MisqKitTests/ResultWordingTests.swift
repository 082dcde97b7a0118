import XCTest
@testable import MisqKit

/// Counts with their nouns, and blank rows a count includes (issue 15, item 5).
final class ResultWordingTests: XCTestCase {
    static let dir = Fixtures.testsDirectory.appendingPathComponent("Fixtures/wording").path

    func testPluralHelper() {
        XCTAssertEqual(Plural.count(1, "row"), "1 row")
        XCTAssertEqual(Plural.count(0, "row"), "0 rows")
        XCTAssertEqual(Plural.count(29_365, "row"), "29,365 rows")
    }

    /// one.csv has one data row under its header (hand count).
    func testDescribeSaysOneRow() throws {
        let s = Session()
        try s.add(Dataset.bare(name: "one", path: Self.dir + "/one.csv"))
        let text = try Describer.describeText("one", in: s)
        XCTAssertTrue(text.contains("file: \(Self.dir)/one.csv, 1 row\n"), text)
    }

    /// messy.csv: 7 data rows, of which the last 4 have every field empty
    /// (hand count; DuckDB's `read_csv(all_varchar=true)` agrees: 7 rows, 4
    /// with every column null).
    func testACountSaysHowManyRowsAreBlank() throws {
        let s = Session()
        try s.add(Dataset.bare(name: "messy", path: Self.dir + "/messy.csv"))
        let all = try Fixtures.results("count messy", session: s).last
        XCTAssertEqual(all?.scalarValue, 7)
        XCTAssertEqual(all?.footer.noteTexts, ["4 of the 7 rows counted are entirely blank (every field empty)"])
        let some = try Fixtures.results("count messy where outcome = nfa", session: s).last
        XCTAssertEqual(some?.scalarValue, 2)
        XCTAssertEqual(some?.footer.noteTexts, [], "no blank row is among the 2 counted")
        let blanks = try Fixtures.results("count messy where outcome is missing", session: s).last
        XCTAssertEqual(blanks?.footer.noteTexts, ["4 of the 4 rows counted are entirely blank (every field empty)"])
        let distinct = try Fixtures.results("count distinct ref from messy", session: s).last
        XCTAssertEqual(distinct?.footer.noteTexts, [], "blank rows have no id, so a distinct count is not about them")
    }
}
