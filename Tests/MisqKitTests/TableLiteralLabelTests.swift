import XCTest
@testable import MisqKit

/// A table literal's row labels name groups by the rule `where` values
/// follow (issue 15, item 2), and a label the data does not have is an
/// error, not a silent zero. The fixture's rows, counted by hand:
/// "Gun fired" 1, "Gun Fired" 2, "gun-fired" 1, "Knife" 1; by force, A:
/// Gun fired 1, Gun Fired 1, Knife 1; B: Gun Fired 1, gun-fired 1.
final class TableLiteralLabelTests: XCTestCase {
    var dir: URL!
    var session: Session!

    override func setUpWithError() throws {
        dir = try Fixtures.temporaryDirectory()
        let csv = dir.appendingPathComponent("guns.csv").path
        try "id,allegation,force\n1,Gun fired,A\n2,Gun Fired,A\n3,Gun Fired,B\n4,gun-fired,B\n5,Knife,A\n".write(toFile: csv, atomically: true, encoding: .utf8)
        session = Session()
        try session.add(Dataset.bare(name: "guns", path: csv))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func outcome(_ rows: [(String, String)], filter: String = "") throws -> AssertionOutcome? {
        let text = "assert count guns \(filter)by allegation =\n  | allegation | count |\n" + rows.map { "  | \($0.0) | \($0.1) |" }.joined(separator: "\n")
        let events = try ScriptRunner(session: session.fork()).run(SourceFile(name: "t", text: text), mode: .test)
        return events.compactMap { e -> AssertionOutcome? in if case .assertion(let a) = e { return a } else { return nil } }.first
    }

    let correct = [("Gun fired", "1"), ("Gun Fired", "2"), ("gun-fired", "1"), ("Knife", "1")]

    func testACorrectTableOfLabelsDifferingInCasePasses() throws {
        // Old code folded the labels into one key: "Gun Fired: expected 2, actual 1".
        XCTAssertEqual(try outcome(correct)?.passed, true)
        XCTAssertEqual(try outcome(correct.reversed())?.passed, true)
        // A single folded match still names its label.
        XCTAssertEqual(try outcome([("Gun fired", "1"), ("Gun Fired", "2"), ("gun-fired", "1"), ("knife", "1")])?.passed, true)
    }

    func testEveryDifferingRowIsListed() throws {
        // Gun Fired wrong (3, actual 2) and gun-fired and Knife left out:
        // three differences. Old code listed one.
        let o = try outcome([("Gun fired", "1"), ("Gun Fired", "3")])
        XCTAssertEqual(o?.passed, false)
        XCTAssertEqual(o?.details.sorted(), ["Gun Fired: expected 3, actual 2",
                                             "Knife: not in the table, actual 1",
                                             "gun-fired: not in the table, actual 1"])
    }

    func testALabelMatchingSeveralOnlyWhenFoldedIsAnError() {
        XCTAssertThrowsError(try outcome([("GUN FIRED", "4"), ("Knife", "1")])) { e in
            XCTAssertTrue(e.misqErrors.first?.message.contains("matches 3 labels of 'allegation'") == true, "\(e)")
        }
    }

    func testALabelTheDataDoesNotHaveIsAnErrorWithCloseMatches() {
        // Old code compared "Knif | 0" with nothing and passed (exit 0).
        XCTAssertThrowsError(try outcome([("Knife", "1"), ("Knif", "0")], filter: "where allegation = Knife ")) { e in
            let err = e.misqErrors.first
            XCTAssertEqual(err?.message, "'Knif' is not a value of 'allegation'")
            XCTAssertEqual(err?.suggestion, "did you mean 'Knife'?")
        }
        // Every unknown label is reported.
        XCTAssertThrowsError(try outcome([("Knife", "1"), ("Knif", "0"), ("Nonsense label", "0")], filter: "where allegation = Knife ")) { e in
            XCTAssertEqual(e.misqErrors.map(\.message), ["'Knif' is not a value of 'allegation'", "'Nonsense label' is not a value of 'allegation'"])
        }
    }

    func testALabelWithNoRowsAfterTheFilterComparesAsZero() throws {
        // where allegation = Knife: Knife 1, every gun label 0.
        XCTAssertEqual(try outcome([("Knife", "1"), ("Gun Fired", "0")], filter: "where allegation = Knife ")?.passed, true)
        XCTAssertEqual(try outcome([("Knife", "1"), ("Gun Fired", "2")], filter: "where allegation = Knife ")?.passed, false)
    }

    func across(_ header: String, _ rows: [String]) throws -> Bool? {
        let text = "assert count guns by force across allegation =\n  | force | \(header) |\n" + rows.map { "  | \($0) |" }.joined(separator: "\n")
        let events = try ScriptRunner(session: session.fork()).run(SourceFile(name: "t", text: text), mode: .test)
        return events.compactMap { e -> Bool? in if case .assertion(let a) = e { return a.passed } else { return nil } }.first
    }

    func testAcrossHeadingsAreExactLabelsToo() throws {
        let header = "Gun fired | Gun Fired | gun-fired | Knife"
        XCTAssertEqual(try across(header, ["A | 1 | 1 | 0 | 1", "B | 0 | 1 | 1 | 0"]), true)
        XCTAssertEqual(try across(header, ["A | 1 | 1 | 0 | 1", "B | 1 | 0 | 1 | 0"]), false)
        XCTAssertThrowsError(try across("GUN FIRED | Knife", ["A | 2 | 1", "B | 2 | 0"]))
    }
}
