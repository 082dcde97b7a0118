import XCTest
@testable import MisqKit

/// `~`, `=` and `within` decided in exact arithmetic (issue 15, item 14),
/// and table literals whose total row is unambiguous. Each expected
/// outcome is worked by hand in the comment beside it.
final class ExactAssertionTests: XCTestCase {
    func outcomes(_ text: String, session: Session? = nil) throws -> [Bool] {
        let s = session ?? Fixtures.smallSession.fork()
        let events = try ScriptRunner(session: s).run(SourceFile(name: "t", text: text), mode: .test)
        return events.compactMap { e -> Bool? in if case .assertion(let a) = e { return a.passed } else { return nil } }
    }

    func testRoundsToIsExact() throws {
        let text = """
        assert 29 / 200 * 100 ~ 14
        assert 29 / 200 * 100 ~ 15
        assert 1.005 ~ 1.00
        assert 1.005 ~ 1.01
        assert 77.5 ~ 78
        assert 78.5 ~ 78
        assert 78.4999 ~ 78
        assert -0.5 ~ -1
        assert -0.5 ~ 0
        assert 2 / 3 ~ 0.67
        assert percent(29, 200) ~ 15%
        assert percent(1, 8) ~ 12.5%
        assert percent(1, 8) ~ 13%
        """
        // 29/200*100 = 14.5, which rounds half away from zero to 15 (the
        // Double 14.4999… made it 14). 1.005 to two places is 1.01. 77.5 →
        // 78, 78.5 → 79 (78% accepts 77.5 up to, not including, 78.5).
        // -0.5 → -1. 2/3 = 0.666… → 0.67. 1/8 = 12.5% → 13%.
        XCTAssertEqual(try outcomes(text), [false, true, false, true, true, false, true, true, false, true, true, true, true])
    }

    func testEqualsIsExact() throws {
        let text = """
        assert 1000000001 = 1000000000
        assert 0.1 + 0.2 = 0.3
        assert 10 / 4 = 2.5
        assert 1 / 3 = 0.3333333333
        assert count allegations = 20
        assert 0.12345678901234567891 = 0.12345678901234567892
        """
        // A relative 1e-9 slack made 1,000,000,001 equal 1,000,000,000; the
        // last two literals are one Double but not one decimal.
        XCTAssertEqual(try outcomes(text), [false, true, true, false, true, false])
    }

    func testTolerancesAreExact() throws {
        let text = """
        assert 10.3 = 10 within 0.3
        assert 10.31 = 10 within 0.3
        assert 102 = 100 within 2%
        assert 102.01 = 100 within 2%
        """
        // |10.3 - 10| = 0.3 ≤ 0.3; 0.31 > 0.3; 2 ≤ 2% of 100; 2.01 > 2.
        XCTAssertEqual(try outcomes(text), [true, false, true, false])
    }

    func testAFailureShowsTheExactRounding() throws {
        let s = Fixtures.smallSession.fork()
        let events = try ScriptRunner(session: s).run(SourceFile(name: "t", text: "assert 29 / 200 * 100 ~ 14"), mode: .test)
        guard case .assertion(let a)? = events.first(where: { if case .assertion = $0 { return true } else { return false } }) else {
            return XCTFail("no assertion")
        }
        XCTAssertEqual(a.actual, "14.5 (rounds to 15)")
    }

    /// kind: A, A, Total — a real group named Total (hand count: A 2, Total 1, all 3).
    func totalSession() throws -> Session {
        let dir = try Fixtures.temporaryDirectory()
        let path = dir.appendingPathComponent("k.csv").path
        try "kind\nA\nA\nTotal\nB\n".write(toFile: path, atomically: true, encoding: .utf8)
        let s = Session()
        _ = try ScriptRunner(session: s).run(SourceFile(name: "load", text: "load \"\(path)\" as k"), mode: .run)
        return s
    }

    func table(_ rows: [(String, String)]) -> String {
        "assert count k by kind =\n  | kind | count |\n" + rows.map { "  | \($0.0) | \($0.1) |" }.joined(separator: "\n")
    }

    func testARealGroupNamedTotalIsCompared() throws {
        // Groups: A 2, B 1, Total 1; all rows 4.
        XCTAssertEqual(try outcomes(table([("A", "2"), ("B", "1"), ("Total", "1"), ("(total)", "4")]), session: totalSession()), [true])
        XCTAssertEqual(try outcomes(table([("A", "2"), ("B", "1"), ("Total", "2"), ("(total)", "4")]), session: totalSession()), [false])
        XCTAssertEqual(try outcomes(table([("A", "2"), ("B", "1"), ("Total", "1"), ("Total", "4")]), session: totalSession()), [true])
        XCTAssertEqual(try outcomes(table([("A", "2"), ("B", "1"), ("Total", "1"), ("Total", "5")]), session: totalSession()), [false])
        // The group Total left out of the table is a difference, not skipped.
        XCTAssertEqual(try outcomes(table([("A", "2"), ("B", "1"), ("(total)", "4")]), session: totalSession()), [false])
    }

    func testALoneLastTotalRowIsAmbiguousWhenTheDataHasATotalGroup() throws {
        // Old code compared `Total | 4` with the total and never checked the
        // group Total: a pass with one group unchecked.
        XCTAssertThrowsError(try outcomes(table([("A", "2"), ("B", "1"), ("Total", "4")]), session: totalSession())) { e in
            XCTAssertTrue(e.misqErrors.first?.message.contains("could be the group named Total") == true, "\(e)")
        }
        XCTAssertThrowsError(try outcomes(table([("(total)", "4"), ("A", "2")]), session: totalSession()))
    }

    func testATotalRowStillComparesWithTheTotal() throws {
        // Fixture: 20 allegations, 13 internal conduct, 7 public complaint (EvaluatorTests).
        let t = "assert count allegations by source =\n  | source | count |\n  | Internal conduct | 13 |\n  | Public complaint | 7 |\n  | Total | 20 |"
        XCTAssertEqual(try outcomes(t), [true])
        XCTAssertEqual(try outcomes(t.replacingOccurrences(of: "| 20 |", with: "| 21 |")), [false])
    }

    func testExactNumbers() {
        XCTAssertEqual(ExactNumber(decimal: "1,131"), ExactNumber(1131))
        XCTAssertEqual(ExactNumber(decimal: "1.005")?.roundedUnits(decimals: 2), 101)
        XCTAssertEqual(ExactNumber(decimal: "-2.5")?.roundedUnits(decimals: 0), -3)
        XCTAssertEqual(ExactNumber(1.005)?.description, "201/200")
        XCTAssertEqual(ExactNumber.fixed(units: -5, decimals: 2), "-0.05")
        XCTAssertNil(ExactNumber(Double.nan))
        let big = ExactNumber(Int(1) << 62)
        XCTAssertNil((big * big).flatMap { $0 * big })  // past 128 bits: no exact value, not a wrong one
    }
}
