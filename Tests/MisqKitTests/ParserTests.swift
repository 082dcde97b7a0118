import XCTest
@testable import MisqKit

/// Table-driven: source → the tree printed back in canonical form, which
/// shows how the parser grouped things; then printed → parsed → printed
/// must be stable.
final class ParserTests: XCTestCase {
    func printed(_ text: String) throws -> [String] {
        try Parser.parse(SourceFile(name: "t", text: text)).statements.map(\.description)
    }

    func testTable() throws {
        let cases: [(String, [String])] = [
            ("count cases", ["count cases"]),
            ("count cases where vawg and period window by outcome with percent, total",
             ["count cases where vawg and period window by outcome with percent, total"]),
            ("count allegations where (domestic_abuse or sexual_misconduct)\n    and period 2017-01..2022-07 by year with total",
             ["count allegations where (domestic_abuse or sexual_misconduct) and period 2017-01..2022-07 by year with total"]),
            ("count cases by source across year", ["count cases by source across year"]),
            ("count cases from npcc_2022 where force = met by source", ["count cases from npcc_2022 where force = met by source"]),
            ("show allegations where outcome = dismissal_without_notice limit 10",
             ["show allegations where outcome = dismissal_without_notice limit 10"]),
            ("let daso_year = cases where daso and last 12 months", ["let daso_year = cases where daso and last 12 months"]),
            ("assert count daso_year = 282", ["assert count daso_year = 282"]),
            // The assertion's `=` is the last one outside parentheses.
            ("assert count daso_year where linked_criminal = 217", ["assert count daso_year where linked_criminal = 217"]),
            ("assert percent(count daso_year where linked_criminal, count daso_year) ~ 78%",
             ["assert percent(count daso_year where linked_criminal, count daso_year) ~ 78%"]),
            ("count cases where a or b and not c", ["count cases where a or (b and not c)"]),
            ("count cases where not (a or b)", ["count cases where not (a or b)"]),
            ("count distinct officer_id where suspended", ["count distinct officer_id where suspended"]),
            ("median days_open by year(reported) order by count desc top 5",
             ["median days_open by year(reported) order by count desc top 5"]),
            ("count cases where outcome not in (a, \"B c\") and x is not missing and y is missing",
             ["count cases where outcome not in (a, \"B c\") and x is not missing and y is missing"]),
            ("count cases where not not not x", ["count cases where not x"]),
            ("let y = - - - 1", ["let y = -1"]),
            ("count cases where reported in FY2022/23 and finalised < 2023-06-01",
             ["count cases where reported in FY2022/23 and finalised < 2023-06-01"]),
            ("count cases where since 2021-03", ["count cases where since 2021-03"]),
            // Several measures: each keeps its own `where`; the clauses after the last apply to all.
            ("count allegations where vawg, count cases by outcome order by cases desc with total",
             ["count allegations where vawg, count cases by outcome order by cases desc with total"]),
            ("percent(count cases where daso, count cases) by year", ["percent(count cases where daso, count cases) by year"]),
            ("1000 * sum cases_to_answer / sum staff from forces by region",
             ["((1000 * sum cases_to_answer) / sum staff) from forces by region"]),
            // One measure: the clauses are its own, in any order, as before.
            ("count cases by outcome where vawg", ["count cases where vawg by outcome"]),
            // Arithmetic with no table clause is a scalar: the `from` is the last measure's.
            ("count cases / count cases from npcc", ["(count cases / count cases from npcc)"]),
            ("count cases where period 2022 through 2023-Q1", ["count cases where period 2022 through 2023-Q1"]),
            ("param window = 2022-05..2023-05\nparam force = met", ["param window = 2022-05..2023-05", "param force = met"]),
            ("define vawg = allegation_type in (rape, sexual_assault)", ["define vawg = allegation_type in (rape, sexual_assault)"]),
            ("load \"exports/centurion.csv\" as cases", ["load \"exports/centurion.csv\" as cases"]),
            ("let r = count a / count b * 100", ["let r = ((count a / count b) * 100)"]),
            ("let low = total / 1.0385", ["let low = (total / 1.0385)"]),
            ("let both = a + b * 2", ["let both = (a + (b * 2))"]),
            ("let recent = cases where daso", ["let recent = cases where daso"]),
            ("assert count x = 280 within 5", ["assert count x = 280 within 5"]),
            ("assert count x ~ 1100 within 2%", ["assert count x ~ 1100 within 2%"]),
            ("assert count removals where reason = sexual_offences by action =\n  | action | count |\n  |---|---|\n  | restricted_duties | 1 |\n  | suspended | 4 |",
             ["assert count removals where reason = sexual_offences by action = \n| action | count |\n| restricted_duties | 1 |\n| suspended | 4 |"]),
            ("count cases where x = -3", ["count cases where x = -3"]),
        ]
        for (input, expected) in cases {
            let got = try printed(input)
            XCTAssertEqual(got, expected, "parsing \(input.debugDescription)")
        }
    }

    /// Printing and parsing again gives the same printed tree.
    func testRoundTrip() throws {
        let inputs = ["count cases where a or b and not c by x, year(reported) across fy with total",
                      "assert percent(count a where b, count a) ~ 78.5% within 1",
                      "let s = cases from centurion where outcome in (a, b) and last 3 quarters"]
        for input in inputs {
            let once = try printed(input)
            XCTAssertEqual(try printed(once.joined(separator: "\n")), once, input)
        }
    }

    func testSpansPointAtNodes() throws {
        let src = SourceFile(name: "t", text: "count cases\n  where outcome = dismissal")
        let p = try Parser.parse(src)
        guard case .query(let q) = p.statements[0].kind, case .compare(let n, _, let v)? = q.filter else { return XCTFail() }
        XCTAssertEqual(src.location(n.span).description, "t:2:9")
        XCTAssertEqual(src.location(v.span).description, "t:2:19")
    }

    /// The comment beside or above an assertion is its source note.
    func testNotes() throws {
        let p = try Parser.parse(SourceFile(name: "t", text: "-- Met DASO update, April 2024\nassert count x = 282\nassert count y = 1 -- seed 004\n"))
        XCTAssertEqual(p.statements.map(\.note), ["Met DASO update, April 2024", "seed 004"])
    }

    func testErrorsKeepGoing() {
        let text = "count 5\ncount cases where )\ncount cases by 7"
        XCTAssertThrowsError(try Parser.parse(SourceFile(name: "t", text: text))) { error in
            XCTAssertEqual(error.misqErrors.map { $0.location?.line }, [1, 2, 3])
        }
    }

    /// Hostile input (issue 6): each is a clear error or a defined answer,
    /// never a stack overflow.
    func testHostileInput() throws {
        // 100,000 nested parentheses: an error at the 201st.
        let deep = String(repeating: "(", count: 100_000) + "x" + String(repeating: ")", count: 100_000)
        XCTAssertThrowsError(try Parser.parse(SourceFile(name: "t", text: "count cases where \(deep)"))) { e in
            XCTAssertEqual(e.misqErrors.first?.message, "parentheses nested more than 200 deep")
            XCTAssertEqual(e.misqErrors.first?.location?.column, 19 + 200)
        }
        let deepExpr = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        XCTAssertThrowsError(try Parser.parse(SourceFile(name: "t", text: "let x = \(deepExpr)")))
        // 100,000 nots fold to none (even count); 100,000 ands make one wide node.
        let nots = String(repeating: "not ", count: 100_000)
        XCTAssertEqual(try printed("count cases where \(nots)x"), ["count cases where x"])
        let ands = (0..<100_000).map { "x\($0)" }.joined(separator: " and ")
        guard case .query(let q) = try Parser.parse(SourceFile(name: "t", text: "count cases where \(ands)")).statements[0].kind,
              case .and(let parts)? = q.filter else { return XCTFail() }
        XCTAssertEqual(parts.count, 100_000)
        // An arithmetic chain past the limit is an error, under it an answer.
        let sum = Array(repeating: "1", count: 20_000).joined(separator: " + ")
        XCTAssertThrowsError(try Parser.parse(SourceFile(name: "t", text: "let x = \(sum)")))
        // A 1 MB query of one long word is lexed and rejected with a location.
        let big = "count " + String(repeating: "a", count: 1 << 20)
        XCTAssertNoThrow(try Parser.parse(SourceFile(name: "t", text: big)))
        // An unterminated string at the very end of the input.
        XCTAssertThrowsError(try Parser.parse(SourceFile(name: "t", text: "count cases where outcome = \""))) { e in
            XCTAssertEqual(e.misqErrors.first?.message, "unterminated string")
        }
    }
}
