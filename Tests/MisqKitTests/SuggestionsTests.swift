import XCTest
@testable import MisqKit
import MisqCLI

/// The helpers that let a value be looked up, suggested and ordered among an
/// id column's millions of labels without a String or a sort per label.
final class SuggestionsTests: XCTestCase {
    /// `normalizes(s, to:)` agrees with `normalize(s) ==` on every case,
    /// ASCII or not (the expected column is `normalize` itself).
    func testNormalizesAgreesWithNormalize() {
        let labels = ["Dismissal without notice", "C000001", "c000001", "C-000-001", "", "  ", "Café", "CAFÉ", "cafe",
                      "Straße", "strasse", "No further action", "nofurtheraction", "No further action!", "P1271325", "ÀB1"]
        let words = ["dismissal_without_notice", "c000001", "C000001", "cafe", "café", "strasse", "straße", "", "nofurtheraction", "p1271325", "àb1", "ab1"]
        for l in labels {
            for w in words {
                let want = Suggestions.normalize(w)
                XCTAssertEqual(Suggestions.normalizes(l, to: Array(want.utf8)), Suggestions.normalize(l) == want, "\(l) vs \(w)")
            }
        }
    }

    /// The first k in sorted order, checked against sorting everything.
    func testSmallest() {
        var g = SystemRandomNumberGenerator()
        for n in [0, 1, 5, 12, 48, 49, 200, 5_000] {
            let strings = (0..<n).map { _ in "P" + String(Int.random(in: 0..<100_000, using: &g)) }
            for k in [1, 3, 12] {
                XCTAssertEqual(Suggestions.smallest(k, of: strings), Array(strings.sorted().prefix(k)), "n \(n) k \(k)")
            }
        }
    }

    /// `top` keeps the first k of the full order, ties broken the same way.
    func testFirstInOrder() {
        let values = [5, 1, 5, 3, 9, 9, 0, 5, 2, 7, 7, 7, 1, 8, 4, 6, 3, 3, 9, 2]
        let before = { (a: Int, b: Int) in values[a] != values[b] ? values[a] > values[b] : a < b }
        for k in [1, 2, 3, 5] {
            let items = Array(values.indices)
            let got = Executor.firstInOrder(k, of: items, by: before)
            XCTAssertEqual(Array(got.prefix(k)), Array(items.sorted(by: before).prefix(k)), "k \(k)")
            XCTAssertEqual(got.sorted(), items, "every item kept once")
        }
    }

    /// An id column past the table limit finds values by scanning, with the
    /// same answer as the table.
    func testCodesByScanMatchTheTable() {
        let n = CategoryColumn.normalizedTableLimit + 10
        let labels = (0..<n).map { "C" + String($0) } + ["Dismissal without notice", "dismissal-without-notice"]
        let codes = ColumnValues<UInt32>((0..<UInt32(labels.count)).map { $0 })
        let big = CategoryColumn(codes: .u32(codes), labels: labels)
        for word in ["c17", "C65545", "dismissal_without_notice", "C999999999", "c"] {
            let norm = Suggestions.normalize(word)
            let expected = labels.indices.filter { Suggestions.normalize(labels[$0]) == norm }.map(UInt32.init)
            XCTAssertEqual(big.codes(normalized: norm), expected, word)
        }
    }

    /// End to end on an id column past the limit: a known id is found, an
    /// unknown one near a real one is suggested, with sorted examples.
    func testUnknownIdInALargeColumn() throws {
        let n = CategoryColumn.normalizedTableLimit + 100
        var text = "case_id,outcome\n"
        for k in stride(from: n - 1, through: 0, by: -1) { text += "C\(100_000 + k),x\n" }
        let csv = try CSVFile(path: "ids.csv", bytes: Array(text.utf8))
        let s = Session()
        try s.add(Dataset(name: "ids", path: "ids.csv", csv: csv, fields: [FieldSchema(name: "case_id"), FieldSchema(name: "outcome")],
                          units: ["allegations": .rows], periodColumn: nil, asOf: nil, isDefault: true))
        let found = try ScriptRunner(session: s).run(SourceFile(name: "q", text: "count allegations where case_id = c100017"), mode: .run)
        guard case .result(let r, _, _, _)? = found.first else { return XCTFail("no result") }
        XCTAssertEqual(r.scalarValue, 1)
        XCTAssertThrowsError(try ScriptRunner(session: s).run(SourceFile(name: "q", text: "count allegations where case_id = C10001X"), mode: .run)) { e in
            let shown = DiagnosticRenderer.render(e.misqErrors)
            XCTAssertTrue(shown.contains("'C10001X' is not a value of 'case_id'"), shown)
            XCTAssertTrue(shown.contains("did you mean"), shown)
            XCTAssertTrue(shown.contains("values of case_id: C100000, C100001, C100002,"), shown)
            XCTAssertTrue(shown.contains("(\(NumberFormat.count(n)) in all)"), shown)
        }
    }

    /// With no datasets loaded the error listed "a unit ()": now it says
    /// nothing is loaded and how to load something.
    func testUnknownUnitWithNothingLoadedSaysSo() throws {
        let empty = try Fixtures.temporaryDirectory().path
        let r = MisqCLI.capture(["--datasets", empty, "-e", "count cases"])
        XCTAssertEqual(r.code, 2)
        XCTAssertFalse(r.err.contains("a unit ()"), r.err)
        XCTAssertTrue(r.err.contains("no datasets are loaded"), r.err)
        XCTAssertTrue(r.err.contains("--data FILE"), r.err)
    }
}
