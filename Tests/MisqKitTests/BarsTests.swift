import XCTest
import MisqCLI
@testable import MisqKit

/// `with bars`, `.mode bars`, `.output` and `.once` (issue 21, item 4).
final class BarsTests: XCTestCase {
    /// Lengths in eighths of a character, worked by hand: fraction × width × 8, rounded.
    func testBarLengthsAreExactToAnEighth() {
        let cases: [(Double, Int, String)] = [
            (1, 8, "████████"),
            (0.5, 8, "████"),
            (0.25, 30, "███████▌"),      // 60 eighths: 7 whole, 4 left
            (1.0 / 3, 8, "██▋"),         // 21.3 → 21 eighths: 2 whole, 5 left
            (0.01, 8, "▏"),              // 0.64 → 1 eighth
            (0.001, 8, ""),              // 0.064 → 0 eighths
            (0, 8, ""), (-1, 8, ""), (.nan, 8, ""),
            (2, 4, "████"),              // never past the column
        ]
        for (f, w, want) in cases { XCTAssertEqual(Bars.draw(f, width: w), want, "\(f) of \(w)") }
    }

    /// The small fixture's cases by outcome (DuckDB: count(distinct case_id)
    /// group by outcome gives Written warning 4, No further action 3,
    /// Dismissal without notice 2, the rest 1): bars of 30 characters
    /// scaled to the 4, none on the total row.
    func testWithBarsOnTheCommandLine() {
        let (out, err, code) = MisqCLI.capture(["--datasets", Fixtures.small, "-e", "count cases by outcome with total, bars"])
        XCTAssertEqual(code, 0, err)
        XCTAssertTrue(out.contains("│ Written warning           │     4 │ ██████████████████████████████ │"), out)
        XCTAssertTrue(out.contains("│ No further action         │     3 │ ██████████████████████▌        │"), out)
        XCTAssertTrue(out.contains("│ Dismissal without notice  │     2 │ ███████████████                │"), out)
        XCTAssertTrue(out.contains("│ Total                     │    16 │                                │"), out)
        XCTAssertTrue(out.contains("bars: each group's cases as a share of the largest shown, 4\n"), out)
        // CSV carries the bar as text, at the same fixed width.
        let csv = MisqCLI.capture(["--datasets", Fixtures.small, "--format", "csv", "-e", "count cases by outcome with bars"]).out
        XCTAssertTrue(csv.hasPrefix("outcome,cases,bar\n"), csv)
        XCTAssertTrue(csv.contains("\nWritten warning,4,\(String(repeating: "█", count: 30))\n"), csv)
    }

    /// Where a bar would be a guess, `with bars` is an error at its place.
    func testWithBarsWhereItCannotDraw() {
        let cases: [(String, String)] = [
            ("count cases by outcome across severity with bars", "'with bars' draws one bar a row"),
            ("count cases with bars", "'with bars' acts on groups"),
            ("show allegations with bars", "'with bars' applies to grouped counts"),
            ("count cases by outcome with bar", "'percent', 'total', 'bars', 'suppression' or 'rounding' after 'with'"),
        ]
        for (statement, message) in cases {
            let (_, err, code) = MisqCLI.capture(["--datasets", Fixtures.small, "-e", statement])
            XCTAssertEqual(code, 2, statement)
            XCTAssertTrue(err.contains(message), "\(statement): \(err)")
        }
    }

    /// Printed back as written, so `explain` and history keep it.
    func testWithBarsPrints() throws {
        let p = try Parser.parse(SourceFile(name: "t", text: "count cases by outcome with total, bars"))
        guard case .query(let q) = p.statements.first?.kind else { return XCTFail("not a query") }
        XCTAssertTrue(q.withBars && q.withTotal)
        XCTAssertEqual(q.description, "count cases by outcome with total, bars")
    }
}
