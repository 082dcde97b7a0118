import XCTest
@testable import MisqKit

/// `with suppression`: primary cells on the 20-row fixture. Expected
/// counts by hand from Fixtures/small/allegations.csv (`cut -d, -f9 | sort
/// | uniq -c`): Written warning 4; Dismissal without notice, No further
/// action, Pending 3 each; seven outcomes (the missing one included) 1 each.
final class SuppressionTests: XCTestCase {
    let query = "count allegations by outcome with total, suppression under 3"

    func grouped(_ text: String) throws -> (QueryResult, GroupedResult) {
        let r = try XCTUnwrap(Fixtures.results(text).last)
        guard case .groups(let g) = r.body else { throw MisqError(.runtime, "not grouped") }
        return (r, g)
    }

    func testPrimaryCellsAreTheSmallCountsAndTypedNotText() throws {
        let (_, g) = try grouped(query)
        let p = try XCTUnwrap(g.suppression)
        var hidden = 0
        for (i, row) in g.rows.enumerated() {
            let v = row.values[0]
            // The figure stays a number (assert checks the data)…
            XCTAssertFalse(v.isNaN)
            // …and the published value says whether it may be shown.
            if v >= 1 && v <= 2 {
                XCTAssertEqual(g.published(row: i, column: 0), .confidential(.primary), "\(row.keys)")
                hidden += 1
            } else {
                XCTAssertEqual(g.published(row: i, column: 0), .figure(v), "\(row.keys)")
            }
        }
        XCTAssertEqual(hidden, 7)
        XCTAssertEqual(p.grandTotal, .published)
        XCTAssertEqual(g.grandTotal, 20)
    }

    func testEveryFormatPrintsTheMarkerAndTheFooterSaysTheRule() throws {
        let r = try XCTUnwrap(Fixtures.results(query).last)
        for format in OutputFormat.allCases {
            let text = Renderer.render(r, as: format)
            XCTAssertTrue(text.contains(format == .markdown ? "\\[c\\]" : "[c]"), "\(format)")
            // CSV and TSV are the table alone (the command line writes the footer to stderr).
            if format != .csv && format != .tsv {
                XCTAssertTrue(text.contains("suppression under 3 hides counts from 1 to 2 (7 cells)"), "\(format)")
            }
        }
        let csv = Renderer.render(r, as: .csv).split(separator: "\n").map(String.init)
        XCTAssertTrue(csv.contains("Discontinued,[c]"))
        XCTAssertTrue(csv.contains("Written warning,4"))
        XCTAssertTrue(csv.contains("Total,20"))
        let json = Renderer.render(r, as: .json)
        XCTAssertTrue(json.contains("{\"outcome\": \"Discontinued\", \"allegations\": \"[c]\"}"), json)
    }

    func testAShareOfAHiddenCellIsHidden() throws {
        let r = try XCTUnwrap(Fixtures.results("count allegations by outcome with percent, suppression under 3").last)
        let csv = Renderer.render(r, as: .csv)
        XCTAssertTrue(csv.contains("Discontinued,[c],[c]\n"), csv)
        // 4 of 20 allegations: 20%, published.
        XCTAssertTrue(csv.contains("Written warning,4,20\n"), csv)
    }

    func testZerosOnlyWhenAsked() throws {
        // Severity × outcome has empty cells: `Misconduct, Pending` is 0.
        let plain = try grouped("count allegations by severity across outcome with suppression 1-2").1
        let zeros = try grouped("count allegations by severity across outcome with suppression 0-2").1
        let p = try XCTUnwrap(plain.suppression), z = try XCTUnwrap(zeros.suppression)
        for i in plain.rows.indices {
            for j in plain.acrossLabels.indices {
                let v = plain.rows[i].values[j]
                XCTAssertEqual(p.cell(i, j) == .primary, v >= 1 && v <= 2)
                XCTAssertEqual(z.cell(i, j) == .primary, v <= 2)
            }
        }
        XCTAssertTrue(plain.rows.contains { $0.values.contains(0) }, "the fixture has a zero cell to test")
    }

    func testAssertComparesTheFiguresBeforeSuppression() throws {
        // Discontinued is 1 (hidden when published); the assertion sees 1,
        // and fails on 2 (so it is not passing for want of a figure).
        func passed(_ expected: Int) throws -> [Bool] {
            let text = """
            assert count allegations by outcome where outcome = discontinued with suppression under 3 =
            | outcome      | allegations |
            | Discontinued | \(expected)           |
            """
            let events = try ScriptRunner(session: Fixtures.smallSession.fork()).run(SourceFile(name: "t", text: text), mode: .test)
            return events.compactMap { e -> Bool? in if case .assertion(let a) = e { return a.passed } else { return nil } }
        }
        XCTAssertEqual(try passed(1), [true])
        XCTAssertEqual(try passed(2), [false])
    }

    func testParsedRules() throws {
        func rule(_ w: String) throws -> SuppressionRule {
            let program = try Parser.parse(SourceFile(name: "t", text: "count cases by outcome with suppression " + w))
            guard case .query(let q) = program.statements[0].kind else { throw MisqError(.runtime, "not a query") }
            return try XCTUnwrap(q.suppression)
        }
        XCTAssertEqual(try rule("under 5").below, 5)
        XCTAssertEqual(try rule("1-4").below, 5)
        XCTAssertEqual(try rule("1-4").zeros, false)
        XCTAssertEqual(try rule("0-4").zeros, true)
        XCTAssertEqual(try rule("0-9").below, 10)
        XCTAssertTrue(try rule("under 5").isSensitive(4))
        XCTAssertFalse(try rule("under 5").isSensitive(5))
        XCTAssertFalse(try rule("under 5").isSensitive(0))
        XCTAssertTrue(try rule("0-4").isSensitive(0))
    }
}

/// Secondary suppression on the shipped data, end to end: the table that
/// hand suppression gets wrong (a hidden cell in a row whose total is
/// published) comes out with the cells that would give it away hidden.
final class SecondarySuppressionTests: XCTestCase {
    func testNoHiddenCellIsTheTotalMinusThePublishedOnes() throws {
        let r = try XCTUnwrap(Fixtures.results("count allegations by severity across outcome with total, suppression under 3").last)
        guard case .groups(let g) = r.body, let p = g.suppression else { return XCTFail("not suppressed") }
        XCTAssertGreaterThan(p.secondaryCount, 0)
        // No published total has exactly one hidden member: it would be
        // the total minus the rest.
        for i in g.rows.indices where !p.rowTotal(i).isHidden {
            XCTAssertNotEqual((0..<p.width).filter { p.cell(i, $0).isHidden }.count, 1, "row \(i)")
        }
        for j in 0..<p.width where !p.columnTotal(j).isHidden {
            XCTAssertNotEqual(g.rows.indices.filter { p.cell($0, j).isHidden }.count, 1, "column \(j)")
        }
        XCTAssertTrue(try XCTUnwrap(p.audit).passed)
        XCTAssertTrue(r.footer.noteTexts.contains { $0.hasPrefix("audit: each of the") }, "\(r.footer.noteTexts)")
    }
}

/// `under N individuals`: the rule counts the people behind each cell.
/// On the fixture (hand count, `cut -d, -f3,9`): P01 has three Written
/// warning... the figures below are read from the fixture by two queries,
/// the allegations table and the same table counted in individuals, and
/// the primary cells must be exactly those with 1 to 2 individuals.
final class IndividualsRuleTests: XCTestCase {
    func testPrimaryCellsAreThoseWithFewIndividuals() throws {
        let results = try Fixtures.results("""
        count allegations by outcome with total, suppression under 3 individuals
        count individuals by outcome with total
        """)
        guard results.count == 2, case .groups(let g) = results[0].body, case .groups(let people) = results[1].body, let p = g.suppression else {
            return XCTFail("two grouped results")
        }
        var individuals: [[String?]: Double] = [:]
        for row in people.rows { individuals[row.keys] = row.values[0] }
        var differs = false
        for (i, row) in g.rows.enumerated() {
            let n = try XCTUnwrap(individuals[row.keys])
            XCTAssertEqual(p.cell(i, 0) == .primary, n >= 1 && n <= 2, "\(row.keys): \(n) individuals, \(row.values[0]) allegations")
            if (n >= 1 && n <= 2) != (row.values[0] >= 1 && row.values[0] <= 2) { differs = true }
        }
        XCTAssertTrue(differs, "the fixture has a cell where the two rules disagree")
        XCTAssertTrue(results[0].footer.noteTexts.contains { $0.contains("suppression under 3 individuals hides cells of 1 to 2 individuals") },
                      "\(results[0].footer.noteTexts)")
    }

    func testTheUnitMustBeCountedOnceEach() throws {
        XCTAssertThrowsError(try Fixtures.results("count allegations by outcome with suppression under 3 allegations")) { e in
            XCTAssertTrue("\(e)".contains("needs a unit counted once each"), "\(e)")
        }
        XCTAssertThrowsError(try Fixtures.results("count allegations by outcome with suppression under 3 peoples")) { e in
            XCTAssertTrue("\(e)".contains("is not a unit of"), "\(e)")
        }
    }
}
