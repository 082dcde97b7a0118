import XCTest
@testable import MisqKit

/// A unit is never silently taken from another dataset (issue 15, item 4).
/// met.csv's cases counted by hand: A1, A2 → 2; the fixture's 16 cases
/// are EvaluatorTests' (hand-counted, DuckDB-checked).
final class UnitChoiceTests: XCTestCase {
    func testAUnitOnTwoDatasetsIsAnErrorUnlessFromDecides() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "case_ref,officer\nA1,P1\nA1,P2\nA2,P1\n".write(to: dir.appendingPathComponent("met.csv"), atomically: true, encoding: .utf8)
        let session = Fixtures.smallSession.fork()
        session.baseDirectory = dir.path
        let setup = "load \"met.csv\" as met\nunit cases = distinct case_ref from met\n"
        XCTAssertThrowsError(try Fixtures.results(setup + "count cases", session: session)) { error in
            let e = error.misqErrors[0]
            XCTAssertEqual(e.message, "'cases' is declared on several datasets: allegations, met")
            XCTAssertEqual(e.suggestion, "say which: count cases from allegations, or count cases from met")
        }
        XCTAssertEqual(try Fixtures.results("count cases from met", session: session).last?.scalarValue, 2)
        XCTAssertEqual(try Fixtures.results("count cases from allegations", session: session).last?.scalarValue, 16)
        // A subset needs the same answer.
        XCTAssertThrowsError(try Fixtures.results("let mine = cases where officer = p1", session: session))
    }

    /// Beside a published table, the case-level dataset is still the one.
    func testPublishedTablesDoNotMakeAUnitAmbiguous() throws {
        XCTAssertEqual(try Fixtures.scalar("count cases"), 16)
    }
}
