import XCTest
@testable import MisqKit

/// `with suppression under N protect W` (`SuppressionRule.protection`):
/// every primary cell's interval, as scipy's linprog finds it over the
/// published cells and totals (Differential/suppression_lp.py, not misq's
/// simplex), is at least the width the rule asks for.
extension SuppressionPropertyTests {
    func testAProtectionIntervalIsReachedForEveryPrimaryCell() throws {
        var jobs: [[String: Any]] = []
        var protected: [(GroupedResult, SuppressionRule, SuppressionPattern)] = []
        var refused = 0, narrowerByDefault = 0
        for (t, (g, base)) in Self.randomTables(40).enumerated() {
            var rule = base
            rule.protection = t % 2 == 0 ? .width(4) : .percent(60)
            let p: SuppressionPattern
            // A table no pattern protects that widely is refused, naming the cell: allowed, counted.
            do { p = try GaussSuppressionTests.protect(g, rule) } catch let e as MisqError {
                XCTAssertTrue(e.message.contains("narrower than the") || e.message.contains("worked out"), e.message)
                refused += 1
                continue
            }
            // The same table under the plain rule: how often the option had to act.
            if let plain = try GaussSuppressionTests.protect(g, base).audit,
               plain.intervals.contains(where: { $0.status == .primary && $0.width < rule.requiredWidth($0.value) }) {
                narrowerByDefault += 1
            }
            protected.append((g, rule, p))
            jobs.append([
                "cells": g.rows.map { $0.values },
                "hidden": g.rows.indices.map { i in (0..<p.width).map { p.cell(i, $0).isHidden } },
                "rowHidden": p.rowTotals.map(\.isHidden), "columnHidden": p.columnTotals.map(\.isHidden), "grandHidden": p.grandTotal.isHidden,
            ])
        }
        let answers = try lp(jobs)
        var primaries = 0
        for ((g, rule, p), a) in zip(protected, answers) {
            XCTAssertTrue(try XCTUnwrap(p.audit).passed)
            for c in a.cells {
                let i = Int(c[0] ?? 0), j = Int(c[1] ?? 0)
                guard p.cell(i, j) == .primary else { continue }
                let low = c[2] ?? .nan, high = c[3] ?? .infinity, value = g.rows[i].values[j]
                XCTAssertGreaterThanOrEqual(high - low, rule.requiredWidth(value) - 1e-6, "r\(i) c\(j) = \(value) in [\(low), \(high)] under \(rule.text) protect \(rule.requirement)")
                primaries += 1
            }
        }
        XCTAssertGreaterThan(primaries, 50)
        XCTAssertGreaterThan(narrowerByDefault, 3, "the option acted: the plain rule leaves narrower intervals in some tables")
        XCTAssertLessThan(refused, 20)
    }
}

final class ProtectionSyntaxTests: XCTestCase {
    func testParsedProtection() throws {
        func rule(_ w: String) throws -> SuppressionRule {
            let program = try Parser.parse(SourceFile(name: "t", text: "count cases by outcome with suppression " + w))
            guard case .query(let q) = program.statements[0].kind else { throw MisqError(.runtime, "not a query") }
            return try XCTUnwrap(q.suppression)
        }
        XCTAssertNil(try rule("under 5").protection)
        XCTAssertEqual(try rule("under 5 protect 3").protection, .width(3))
        XCTAssertEqual(try rule("under 5 individuals protect 20%").protection, .percent(20))
        XCTAssertEqual(try rule("under 5 individuals protect 20%").unit?.text, "individuals")
        XCTAssertEqual(try rule("1-4 protect 2").protection, .width(2))
        XCTAssertEqual(try rule("under 5 protect 3").text, "under 5 protect 3")
        // 20% of 3 is 0.6: at least 1; 20% of 40 is 8.
        XCTAssertEqual(try rule("under 5 protect 20%").requiredWidth(3), 1)
        XCTAssertEqual(try rule("under 5 protect 20%").requiredWidth(40), 8)
        XCTAssertEqual(try rule("under 5 protect 3").requiredWidth(1), 3)
        // A data package's rule reads the same words.
        XCTAssertEqual(SuppressionRule.parse("under 5 protect 3", setBy: "d")?.protection, .width(3))
        XCTAssertNil(SuppressionRule.parse("under 5 protect", setBy: "d"))
    }

    func testTheFooterAndTheAuditSayTheWidth() throws {
        let r = try XCTUnwrap(Fixtures.results("count allegations by severity across outcome with total, suppression under 3 protect 3").last)
        guard case .groups(let g) = r.body, let audit = g.suppression?.audit else { return XCTFail("not suppressed") }
        XCTAssertTrue(audit.passed)
        XCTAssertTrue(audit.intervals.filter { $0.status == .primary }.allSatisfy { $0.width >= 3 }, "\(audit.intervals)")
        XCTAssertTrue(r.footer.noteTexts.contains { $0.hasPrefix("audit: each of the") && $0.contains("(linear programming; 3 required)") }, "\(r.footer.noteTexts)")
        // misq audit holds the table to its rule: the same pattern under a wider rule fails.
        let s = Fixtures.smallSession.fork()
        try ScriptRunner(session: s).run(SourceFile(name: "t", text: "count allegations by severity across outcome with total, suppression under 3 protect 3"), mode: .run)
        XCTAssertTrue(try RunAudit.run(s).passed)
        s.published[0].rule.protection = .width(50)
        let a = try RunAudit.run(s)
        XCTAssertFalse(a.passed)
        XCTAssertTrue(a.text.contains("50 required: FAILS"), a.text)
    }
}
