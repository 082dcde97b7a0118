import XCTest
@testable import MisqKit

/// Logical plans of a corpus of queries (`Golden/plans/corpus.misq`) on the
/// small fixture, as `misq explain` prints them, against `corpus.plan`.
/// The plan names columns and labels, never codes or column numbers: a
/// change in how the checker resolves a query shows here as text.
/// Re-record with `MISQ_RECORD=1 swift test --filter PlanSnapshot`.
final class PlanSnapshotTests: XCTestCase {
    func testCorpusPlans() throws {
        let dir = Fixtures.golden + "/plans"
        let text = try String(contentsOfFile: dir + "/corpus.misq", encoding: .utf8)
        let actual = try Explain.text(SourceFile(name: "corpus.misq", text: text), session: Fixtures.smallSession.fork())
        let expectedPath = dir + "/corpus.plan"
        if ProcessInfo.processInfo.environment["MISQ_RECORD"] == "1" {
            try actual.write(toFile: expectedPath, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
        XCTAssertEqual(actual, expected)
        // No dictionary code or column number reaches the text: each
        // `filter` names columns of the fixture.
        XCTAssertFalse(actual.contains("column:"))
        XCTAssertEqual(actual.components(separatedBy: "plan of: ").count - 1, 21, "one plan per query of the corpus (22 statements, one a define)")
    }

    /// The plan does not depend on the data's codes: the same query on two
    /// copies of the file whose rows (so dictionary codes) come in another
    /// order plans to the same text.
    func testPlanIsTheSameWhateverTheCodes() throws {
        let dir = try Fixtures.temporaryDirectory()
        let csv = try String(contentsOfFile: Fixtures.small + "/allegations.csv", encoding: .utf8)
        var lines = csv.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = lines.removeFirst()
        try ([header] + lines).joined(separator: "\n").write(toFile: dir.path + "/a.csv", atomically: true, encoding: .utf8)
        try ([header] + lines.reversed()).joined(separator: "\n").write(toFile: dir.path + "/b.csv", atomically: true, encoding: .utf8)
        func plan(_ file: String) throws -> String {
            let s = Session()
            try s.add(Dataset.bare(name: "d", path: dir.path + "/" + file))
            return try Explain.text(SourceFile(name: "q", text: "count rows from d where outcome in (written_warning, dismissal_without_notice) by command"), session: s)
        }
        XCTAssertEqual(try plan("a.csv"), try plan("b.csv"))
        XCTAssertTrue(try plan("a.csv").contains("outcome in (\"Dismissal without notice\", \"Written warning\")") ||
                      plan("a.csv").contains("outcome in (\"Written warning\", \"Dismissal without notice\")"))
    }
}
