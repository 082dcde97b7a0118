import XCTest
@testable import MisqKit

/// `load … period COL` checks the column at the load statement.
final class LoadPeriodTests: XCTestCase {
    /// A category column named as the period column: the error was only at
    /// the first `period` query, pointed at that query. Now at the load
    /// statement, at the column's name, with the date columns offered
    /// (the two date columns of the file written here, counted by hand).
    func testACategoryPeriodColumnIsAnErrorAtTheLoad() throws {
        let dir = try Fixtures.temporaryDirectory()
        let path = dir.appendingPathComponent("two.csv").path
        try "kind,reported,closed\ncomplaint,2023-01-05,2023-02-01\nconduct,2023-03-09,\n".write(toFile: path, atomically: true, encoding: .utf8)
        let text = "load \"\(path)\" as two period kind"
        XCTAssertThrowsError(try Fixtures.results(text, session: Session())) { error in
            guard let e = error as? MisqError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.kind, .type)
            XCTAssertEqual(String(decoding: Array(text.utf8)[e.span.start..<e.span.end], as: UTF8.self), "kind")
            XCTAssertTrue(e.message.contains("'kind' holds category values, not dates"), e.message)
            XCTAssertEqual(e.suggestion, "date columns: reported, closed")
        }
        // A date column is accepted, and its queries run.
        let r = try Fixtures.results("load \"\(path)\" as two period closed\ncount two by year", session: Session())
        XCTAssertEqual(r.count, 1)
    }
}
