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
        // One plan per query of the corpus: each line that is not a comment or a define.
        let corpus = try String(contentsOfFile: (expectedPath as NSString).deletingPathExtension + ".misq", encoding: .utf8)
        let queries = corpus.split(separator: "\n").filter { !$0.hasPrefix("--") && !$0.hasPrefix("define") && !$0.isEmpty }.count
        XCTAssertEqual(actual.components(separatedBy: "plan of: ").count - 1, queries, "one plan per query of the corpus")
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

/// The plan prints labels from other people's files: quoted as the language
/// writes them, control characters shown, not sent (as tables do).
final class PlanTextSafetyTests: XCTestCase {
    func testLabelsAreQuotedAndEscaped() throws {
        let dir = try Fixtures.temporaryDirectory()
        try "lab,n\n\"He said \"\"hi\"\"\",1\n\"new\nline\",2\nesc\u{1B}[31mred,3\n".write(toFile: dir.path + "/q.csv", atomically: true, encoding: .utf8)
        let s = Session()
        try s.add(Dataset.bare(name: "q", path: dir.path + "/q.csv"))
        let text = try Explain.text(SourceFile(name: "q", text: "count q where lab in (\"He said \"\"hi\"\"\", new_line, esc_31mred)"), session: s)
        XCTAssertTrue(text.contains(#"lab in ("He said ""hi""", "new\nline", "esc\e[31mred")"#), text)
        XCTAssertFalse(text.contains("\u{1B}"))
        XCTAssertEqual(text.split(separator: "\n").count, 4, "no label splits a line: \(text)")
    }

    /// A published table's query has no footer total; the plan does not promise one.
    func testPublishedTableHasNoFooterTotal() throws {
        let text = try Explain.text(SourceFile(name: "q", text: "count cases from npcc by source"), session: Fixtures.smallSession.fork())
        XCTAssertTrue(text.contains("total    none: a published table's figures often include their own totals"), text)
    }
}
