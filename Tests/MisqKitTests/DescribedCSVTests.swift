import XCTest
@testable import MisqKit

/// A CSV that a `datapackage.json` beside it describes keeps the
/// resource's provenance, schema and units when it is loaded by path
/// (`--data FILE`, `load "FILE" as NAME`). It was read as a bare CSV:
/// the shipped synthetic export lost `[SYNTHETIC DATA]`.
final class DescribedCSVTests: XCTestCase {
    static let shipped = Fixtures.testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("datasets/centurion_synthetic.csv").path

    /// The README's `--data datasets/centurion_synthetic.csv` and the help's
    /// `load "datasets/centurion_synthetic.csv" as export`: every footer says
    /// synthetic and names the resource.
    func testTheShippedSyntheticFileLoadedByPathSaysSynthetic() throws {
        let r = try Fixtures.results("load \"\(Self.shipped)\" as export\ncount export by role", session: Session())
        let footer = try XCTUnwrap(r.last?.footer)
        XCTAssertTrue(footer.synthetic)
        XCTAssertEqual(footer.title, "SYNTHETIC allegation-level export shaped like Centurion, 2012 – April 2024")
        XCTAssertTrue(footer.lines[0].hasSuffix("[SYNTHETIC DATA]"), footer.lines[0])
        XCTAssertTrue(footer.lines.contains { $0.hasSuffix("described by resource 'centurion_synthetic' of \((Self.shipped as NSString).deletingLastPathComponent)/datapackage.json") },
                      footer.lines.joined(separator: "\n"))
        XCTAssertTrue(footer.lines.contains { $0.hasPrefix("caveat: synthetic data calibrated") })
    }

    /// Schema, units and period column come with it: `count cases` is the
    /// package's distinct case_id (DuckDB: `count(DISTINCT case_id)` of
    /// `read_csv('datasets/centurion_synthetic.csv', all_varchar=true)` is
    /// 20824). On the old code 'cases' was an unknown unit.
    func testUnitsAndPeriodColumnComeFromThePackage() throws {
        let s = Session()
        let r = try Fixtures.results("load \"\(Self.shipped)\" as export\ncount cases from export", session: s)
        XCTAssertEqual(r.last?.scalarValue, 20824)
        XCTAssertEqual(s.dataset(named: "export")?.periodColumn, "reported")
        XCTAssertEqual(s.dataset(named: "export")?.isDefault, false)
    }

    /// Generally: any folder, a resource whose path resolves to the file
    /// (here through `./`), a name of the loader's choosing.
    func testAnyPackageBesideTheFileDescribesIt() throws {
        let dir = try Fixtures.temporaryDirectory()
        try "id,when\na,2023-01-02\nb,2023-02-03\n".write(to: dir.appendingPathComponent("x.csv"), atomically: true, encoding: .utf8)
        try """
        {"resources": [{"name": "things", "path": "./x.csv", "title": "Things", "misq:synthetic": true,
          "misq:caveats": ["made up"], "misq:units": {"things": "rows"}}]}
        """.write(to: dir.appendingPathComponent("datapackage.json"), atomically: true, encoding: .utf8)
        let path = dir.appendingPathComponent("x.csv").path
        let d = try Dataset.bare(name: "mine", path: path)
        XCTAssertEqual(d.name, "mine")
        XCTAssertEqual(d.path, path)
        XCTAssertEqual(d.provenance.title, "Things")
        XCTAssertTrue(d.provenance.synthetic)
        XCTAssertEqual(d.provenance.caveats, ["made up"])
        XCTAssertEqual(d.units["things"], .rows)
        XCTAssertEqual(d.provenance.describedBy, "resource 'things' of \(dir.path)/datapackage.json")
        // Another CSV in the folder the package does not describe: bare, no note.
        try "a\n1\n".write(to: dir.appendingPathComponent("other.csv"), atomically: true, encoding: .utf8)
        let other = try Dataset.bare(name: "other", path: dir.appendingPathComponent("other.csv").path)
        XCTAssertNil(other.provenance.describedBy)
        XCTAssertFalse(other.provenance.synthetic)
        XCTAssertEqual(other.provenance.notes, [])
    }

    /// A package beside the file that cannot be read: the file loads bare,
    /// and every footer has a note saying so.
    func testAPackageThatCannotBeReadIsANote() throws {
        let dir = try Fixtures.temporaryDirectory()
        try "a\n1\n2\n".write(to: dir.appendingPathComponent("x.csv"), atomically: true, encoding: .utf8)
        try "{\"resources\": [".write(to: dir.appendingPathComponent("datapackage.json"), atomically: true, encoding: .utf8)
        let path = dir.appendingPathComponent("x.csv").path
        let r = try Fixtures.results("load \"\(path)\" as x\ncount x", session: Session())
        XCTAssertEqual(r.last?.scalarValue, 2)
        let notes = try XCTUnwrap(r.last?.footer.noteTexts)
        XCTAssertEqual(notes.count, 1)
        XCTAssertTrue(notes[0].hasPrefix("\(dir.path)/datapackage.json is beside this file but could not be read (datapackage.json is not valid JSON"), notes[0])
    }
}
