import XCTest
import MisqCLI
@testable import MisqKit

/// A scalar answer carries the provenance a table does (issue 15, item 3).
/// Figures over Fixtures/small, hand-counted (EvaluatorTests): 20
/// allegations, 16 cases, 15 VAWG allegations in 12 cases.
final class ScalarProvenanceTests: XCTestCase {
    func scalarResult(_ text: String) throws -> QueryResult {
        guard let r = try Fixtures.results(text).last else { throw MisqError(.runtime, "no result: \(text)") }
        return r
    }

    func testAPercentOfTwoQueriesNamesItsDatasetAndEachQuery() throws {
        let r = try scalarResult("percent(count cases where vawg, count cases)")
        XCTAssertEqual(r.scalarValue, 75)  // 12 of 16
        XCTAssertTrue(r.valueIsPercent)
        XCTAssertEqual(r.footer.lines, [
            "dataset: allegations — Fixture allegations (hand-made, 20 rows) [SYNTHETIC DATA]",
            "source: misq tests; FIXTURE-1",
            "caveat: hand-made rows for tests",
            "count cases where vawg — rows: 20 scanned, 15 matched",
            "count cases — rows: 20 scanned, 20 matched",
        ])
        XCTAssertTrue(Renderer.render(r, as: .json).contains("[SYNTHETIC DATA]"), "JSON's footer is not empty")
    }

    func testPeriodsAndLetsFlowIntoTheFooter() throws {
        let r = try scalarResult("let v = count cases where vawg and period 2022\n(count allegations where vawg and period 2022) / v")
        XCTAssertEqual(r.footer.parts?.map(\.query), ["count allegations where vawg and period 2022", "count cases where vawg and period 2022"])
        XCTAssertTrue(r.footer.lines.contains { $0.contains("period: 2022-01-01 to 2022-12-31 (12 months, 365 days) on reported") })
    }

    func testLiteralArithmeticHasNoProvenanceToState() throws {
        XCTAssertEqual(try scalarResult("2 + 3").footer.lines, [])
    }

    /// Two datasets: each one's provenance, and which query used which.
    func testEachDatasetIsNamed() throws {
        let r = try scalarResult("count cases / count cases from npcc")
        let lines = r.footer.lines
        XCTAssertTrue(lines.contains { $0.hasPrefix("dataset: allegations") })
        XCTAssertTrue(lines.contains { $0.hasPrefix("dataset: npcc") })
        XCTAssertTrue(lines.contains { $0.hasPrefix("count cases from npcc — dataset: npcc; ") })
    }

    /// `misq run` heads a scalar answer with its question comment.
    func testRunHeadsAScalarWithItsQuestion() {
        let (out, _, code) = MisqCLI.capture(["--datasets", Fixtures.small, "run", (Fixtures.golden as NSString).appendingPathComponent("files/scalar_question.misq")])
        XCTAssertEqual(code, 0)
        XCTAssertTrue(out.contains("-- Q1. What share of the VAWG-related cases in the window involved a suspension?\n┌"), out)
        XCTAssertTrue(out.contains("-- Q2. Allegations per case, VAWG-related.\n┌"), out)
    }
}
