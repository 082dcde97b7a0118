import XCTest
@testable import MisqKit

/// Labels that differ only in case or punctuation are separate categories
/// (issue 15, item 2). The fixture's rows, counted by hand: "Gun fired" 2,
/// "Gun Fired" 1, "gun-fired" 1, "Other" 1, "-" 1.
final class ExactLabelTests: XCTestCase {
    var dir: URL!
    var session: Session!

    override func setUpWithError() throws {
        dir = try Fixtures.temporaryDirectory()
        let csv = dir.appendingPathComponent("g.csv").path
        try "id,allegation\n1,Gun fired\n2,Gun Fired\n3,Gun fired\n4,Other\n5,gun-fired\n6,-\n".write(toFile: csv, atomically: true, encoding: .utf8)
        session = Session()
        try session.add(Dataset.bare(name: "g", path: csv))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func count(_ condition: String) throws -> Double? {
        try Fixtures.results("count g where \(condition)", session: session).last?.scalarValue
    }

    func testAQuotedValueThatIsALabelMeansThatLabelAlone() throws {
        XCTAssertEqual(try count("allegation = \"Gun Fired\""), 1)  // was 4: every folded match
        XCTAssertEqual(try count("allegation = \"Gun fired\""), 2)
        XCTAssertEqual(try count("allegation != \"Gun Fired\""), 5)
        XCTAssertEqual(try count("allegation in (\"Gun fired\", \"gun-fired\")"), 3)
        // A label with no letters or digits can still be named exactly.
        XCTAssertEqual(try count("allegation = \"-\""), 1)
        // One folded match is still found from a bare word.
        XCTAssertEqual(try count("allegation = other"), 1)
    }

    func testAValueMatchingSeveralLabelsOnlyWhenFoldedIsAnErrorNamingEach() {
        for value in ["gun_fired", "\"GUN FIRED\"", "\"gun fired\""] {
            XCTAssertThrowsError(try count("allegation = \(value)"), value) { error in
                let e = error.misqErrors[0]
                XCTAssertTrue(e.message.contains("matches 3 labels of 'allegation'"), e.message)
                XCTAssertEqual(e.notes, ["the data counts them apart: \"Gun fired\" (2 rows), \"Gun Fired\" (1 row), \"gun-fired\" (1 row)"])
                XCTAssertTrue(e.suggestion?.contains("allegation in (\"Gun fired\", \"Gun Fired\", \"gun-fired\")") == true)
            }
        }
    }

    /// `by` and `where` agree: the groups are the labels.
    func testByShowsEachLabel() throws {
        guard case .groups(let g)? = try Fixtures.results("count g by allegation", session: session).last?.body else { return XCTFail("not grouped") }
        XCTAssertEqual(Set(g.rows.map { "\($0.keys[0] ?? "(missing)")=\(NumberFormat.plain($0.values[0]))" }),
                       ["Gun fired=2", "Gun Fired=1", "gun-fired=1", "Other=1", "-=1"])
    }
}
