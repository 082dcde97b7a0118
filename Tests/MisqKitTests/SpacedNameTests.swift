import XCTest
@testable import MisqKit

/// A column whose name holds a space (`Subject Ref`), used as FOI extracts
/// do (issue 15, item 16): a backticked param stands as a value, and the
/// name written without backticks is suggested with them. Fixture rows,
/// counted by hand: Subject Ref S1 1, S2 2, S3 1, S4 1.
final class SpacedNameTests: XCTestCase {
    var dir: URL!
    var session: Session!

    override func setUpWithError() throws {
        dir = try Fixtures.temporaryDirectory()
        let csv = dir.appendingPathComponent("guns.csv").path
        try "id,allegation,Subject Ref,count\n1,Gun fired,S1,3\n2,Gun Fired,S2,4\n3,Gun Fired,S2,5\n4,gun-fired,S3,6\n5,Knife,S4,7\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        session = Session()
        try session.add(Dataset.bare(name: "guns", path: csv))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func scalar(_ text: String) throws -> Double? {
        try Fixtures.results(text, session: session).last?.scalarValue
    }

    func testABacktickedParamIsAValue() throws {
        // Was: "expected a value …, found `the ref`".
        XCTAssertEqual(try scalar("param `the ref` = S2\ncount guns where `Subject Ref` = `the ref`"), 2)
        XCTAssertEqual(try scalar("param `the ref` = S2\ncount guns where `Subject Ref` in (`the ref`, S4)"), 3)
        // Like a bare word that is no param, a backticked one is a label.
        XCTAssertEqual(try scalar("count guns where allegation = `Knife`"), 1)
    }

    func testAValueThatNeedsBackticksPrintsWithThem() throws {
        let program = try Parser.parse(SourceFile(name: "t", text: "count guns where `Subject Ref` = `the ref`"))
        guard case .query(let q)? = program.statements.first?.kind else { return XCTFail("not a query") }
        XCTAssertTrue(q.description.contains("= `the ref`"), q.description)
    }

    func testTwoWordsNamingAColumnSuggestTheColumnInBackticks() {
        // Was: "did you mean 'let'?" (Ref is one edit from let).
        for text in ["count guns by Subject Ref", "count guns where subject ref = S2"] {
            XCTAssertThrowsError(try session.parse(SourceFile(name: "t", text: text)), text) { e in
                XCTAssertEqual(e.misqErrors.first?.suggestion, "did you mean `Subject Ref`? a name with a space is written in backticks")
            }
            XCTAssertThrowsError(try Fixtures.results(text, session: session), text) { e in
                XCTAssertTrue(e.misqErrors.first?.suggestion?.contains("`Subject Ref`") == true, "\(e)")
            }
        }
        // Words that make no column keep the keyword suggestion.
        XCTAssertThrowsError(try session.parse(SourceFile(name: "t", text: "count guns by Subject Rf"))) { e in
            XCTAssertFalse(e.misqErrors.first?.suggestion?.contains("Subject") == true)
        }
    }
}
