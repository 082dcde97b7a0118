import XCTest
@testable import MisqKit

/// Secondary suppression against the published examples of Statistics
/// Norway's GaussSuppression (R package, vignette "Small count frequency
/// table suppression", dataset `SSBtoolsData("example1")`, year 2014):
///
///     age    Iceland Portugal Spain | Total
///     young        2        0     5 |     7
///     old          3        4     6 |    13
///     Total        5        4    11 |    20
///
/// Table 1 there: `SuppressSmallCounts(dimVar = c("age", "geo"), maxN = 1)`
/// (zeros and ones primary) suppresses young:Portugal (primary) and, as
/// secondary, young:Iceland, old:Iceland and old:Portugal; every total
/// stays published.
final class GaussSuppressionTests: XCTestCase {
    /// A two-way table as a grouped result, rows × columns with totals.
    static func table(_ cells: [[Double]], rowLabels: [String], columnLabels: [String]) -> GroupedResult {
        let rows = cells.enumerated().map { i, v in GroupRow(keys: [rowLabels[i]], values: v, rowTotal: v.reduce(0, +)) }
        let totals = columnLabels.indices.map { j in cells.reduce(0) { $0 + $1[j] } }
        return GroupedResult(keyNames: ["row"], acrossName: "column", acrossLabels: columnLabels, rows: rows, totals: totals,
                             grandTotal: totals.reduce(0, +), withTotal: true, withPercent: false, percentBase: totals, groupsBeforeTop: cells.count)
    }

    static func protect(_ g: GroupedResult, _ rule: SuppressionRule) throws -> SuppressionPattern {
        let r = QueryResult(body: .groups(g), valueName: "n", valueIsInteger: true,
                            footer: Footer(dataset: "t", title: nil, synthetic: false, source: [], periods: [], scanned: 0, matched: 0, notes: []))
        guard case .groups(let out) = try Disclosure.protect(r, rule: rule).body, let p = out.suppression else { throw MisqError(.runtime, "no pattern") }
        return p
    }

    static func rule(below: Int, zeros: Bool) -> SuppressionRule {
        SuppressionRule(below: below, zeros: zeros, text: zeros ? "0-\(below - 1)" : "under \(below)", span: .none)
    }

    func testGaussSuppressionVignetteTable1() throws {
        let g = Self.table([[2, 0, 5], [3, 4, 6]], rowLabels: ["young", "old"], columnLabels: ["Iceland", "Portugal", "Spain"])
        // maxN = 1 with zeros protected: counts 0 and 1 are primary.
        let p = try Self.protect(g, Self.rule(below: 2, zeros: true))
        XCTAssertEqual(p.cells, [.secondary, .primary, .published,
                                 .secondary, .secondary, .published])
        XCTAssertEqual(p.rowTotals, [.published, .published])
        XCTAssertEqual(p.columnTotals, [.published, .published, .published])
        XCTAssertEqual(p.grandTotal, .published)
        XCTAssertEqual(p.secondaryMethod, GaussElimination.name)
        // The audit: young:Portugal lies in [0, 2] (young's other hidden
        // cell, Iceland, holds 2 − Portugal of the row's 7 − 5), not one value.
        let audit = try XCTUnwrap(p.audit)
        XCTAssertTrue(audit.passed)
        let portugal = try XCTUnwrap(audit.intervals.first { $0.cell == "row=young, column=Portugal" })
        XCTAssertEqual(portugal.low, 0)
        XCTAssertEqual(portugal.high, 2)
    }

    /// The hand-suppression failure the issue starts from: hide a 2 in a row
    /// whose total is published and it can be subtracted back. Secondary
    /// suppression must hide a second cell of that row and of that column.
    func testALoneSmallCellIsNotLeftAlone() throws {
        let g = Self.table([[2, 10, 12], [9, 11, 14], [13, 8, 20]], rowLabels: ["a", "b", "c"], columnLabels: ["x", "y", "z"])
        let p = try Self.protect(g, Self.rule(below: 5, zeros: false))
        XCTAssertEqual(p.cell(0, 0), .primary)
        XCTAssertTrue((1..<3).contains { p.cell(0, $0) == .secondary }, "another cell of row a")
        XCTAssertTrue((1..<3).contains { p.cell($0, 0) == .secondary }, "another cell of column x")
        XCTAssertTrue(try XCTUnwrap(p.audit).passed)
        // The smallest candidates are hidden: 8 (c,y) closes the rectangle
        // with 10 (a,y) and 9 (b,x)? No: the four corners are a:x (2), a:y
        // (10), c:x (13)… checked by the audit rather than guessed here.
    }
}

/// Random tables: no primary cell leaks to an attacker's linear programme
/// (scipy.optimize.linprog, HiGHS, in Differential/suppression_lp.py:
/// an independent solver), misq's audit agrees with it cell for cell, and
/// publishing any one secondary cell lets some primary cell be pinned.
final class SuppressionPropertyTests: XCTestCase {
    /// A small linear congruential generator: the same tables every run.
    struct Seeded {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    static func randomTables(_ count: Int) -> [(GroupedResult, SuppressionRule)] {
        var rng = Seeded(state: 20)
        var out: [(GroupedResult, SuppressionRule)] = []
        for t in 0..<count {
            let rows = 2 + rng.next(6), cols = 2 + rng.next(6)
            // Many small counts and some zeros, as a year of one force's outcomes has.
            let cells = (0..<rows).map { _ in (0..<cols).map { _ in Double([0, 1, 2, 3, 4, 5, 7, 9, 12, 20, 35][rng.next(11)]) } }
            let g = GaussSuppressionTests.table(cells, rowLabels: (0..<rows).map { "r\($0)" }, columnLabels: (0..<cols).map { "c\($0)" })
            let rule = GaussSuppressionTests.rule(below: [3, 5, 10][t % 3], zeros: t % 4 == 0)
            out.append((g, rule))
        }
        return out
    }

    struct LPAnswer: Decodable {
        var cells: [[Double?]]
        var rows: [[Double?]]
        var columns: [[Double?]]
        var grand: [Double?]?
    }

    func testNoPrimaryCellLeaksToAnLPAttack() throws {
        let tables = Self.randomTables(60)
        var jobs: [[String: Any]] = []
        var patterns: [SuppressionPattern] = []
        for (g, rule) in tables {
            let p = try GaussSuppressionTests.protect(g, rule)
            patterns.append(p)
            jobs.append([
                "cells": g.rows.map { $0.values },
                "hidden": g.rows.indices.map { i in (0..<p.width).map { p.cell(i, $0).isHidden } },
                "rowHidden": p.rowTotals.map(\.isHidden), "columnHidden": p.columnTotals.map(\.isHidden), "grandHidden": p.grandTotal.isHidden,
            ])
        }
        let answers = try lp(jobs)
        XCTAssertEqual(answers.count, tables.count)
        var primaries = 0
        for (t, ((g, rule), p)) in zip(tables, patterns).enumerated() {
            let audit = try XCTUnwrap(p.audit)
            XCTAssertTrue(audit.passed, "table \(t)")
            let a = answers[t]
            func check(_ label: String, _ status: CellStatus, _ value: Double, _ lp: ArraySlice<Double?>) {
                let low = lp.first.flatMap { $0 } ?? .nan, high = lp.dropFirst().first.flatMap { $0 } ?? .infinity
                XCTAssertLessThanOrEqual(low, value + 1e-6, "\(t) \(label)"); XCTAssertGreaterThanOrEqual(high, value - 1e-6, "\(t) \(label)")
                if status == .primary {
                    primaries += 1
                    XCTAssertGreaterThanOrEqual(high - low, 1 - 1e-6, "table \(t): primary \(label) = \(value) pinned to [\(low), \(high)] under \(rule.text)")
                }
                // misq's own audit finds the same interval.
                if let mine = audit.intervals.first(where: { $0.cell == label }) {
                    XCTAssertEqual(mine.low, low, accuracy: 1e-6, "\(t) \(label) low")
                    if high.isFinite { XCTAssertEqual(mine.high, high, accuracy: 1e-6, "\(t) \(label) high") } else { XCTAssertFalse(mine.high.isFinite) }
                } else {
                    XCTFail("table \(t): misq's audit has no interval for \(label)")
                }
            }
            for c in a.cells {
                let i = Int(c[0] ?? 0), j = Int(c[1] ?? 0)
                check("row=r\(i), column=c\(j)", p.cell(i, j), g.rows[i].values[j], c[2...])
            }
            for c in a.rows { let i = Int(c[0] ?? 0); check("row=r\(i), Total", p.rowTotal(i), g.rows[i].rowTotal ?? 0, c[1...]) }
            for c in a.columns { let j = Int(c[0] ?? 0); check("Total, column=c\(j)", p.columnTotal(j), g.totals?[j] ?? 0, c[1...]) }
            if let gr = a.grand { check("Total", p.grandTotal, g.grandTotal, gr[...]) }
            // Every primary cell of the rule is hidden.
            for (i, row) in g.rows.enumerated() { for (j, v) in row.values.enumerated() where rule.isSensitive(v) { XCTAssertEqual(p.cell(i, j), .primary) } }
        }
        XCTAssertGreaterThan(primaries, 100, "the random tables have primary cells to protect")
    }

    /// Each secondary cell is needed: publish it (alone) and the audit
    /// finds a primary cell that can be worked out.
    func testPublishingAnySecondaryCellFailsTheAudit() throws {
        var checked = 0
        for (g, rule) in Self.randomTables(30) + [(GaussSuppressionTests.table([[2, 0, 5], [3, 4, 6]], rowLabels: ["young", "old"],
                                                                               columnLabels: ["Iceland", "Portugal", "Spain"]), GaussSuppressionTests.rule(below: 2, zeros: true))] {
            let p = try GaussSuppressionTests.protect(g, rule)
            let model = TableModel(g, statedSum: nil, margins: .all)
            var status = p.cells + p.rowTotals + p.columnTotals + [p.grandTotal]
            XCTAssertEqual(status.count, model.cells.count)
            for k in status.indices where status[k] == .secondary {
                status[k] = .published
                XCTAssertFalse(Audit.run(model, status, requiredWidth: 1).passed, "publishing \(model.cells[k].label) leaks nothing")
                status[k] = .secondary
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 50)
    }

    func lp(_ jobs: [[String: Any]]) throws -> [LPAnswer] {
        let out = try Fixtures.python("suppression_lp.py", importing: "scipy.optimize", install: "scipy", requiredBy: "MISQ_REQUIRE_DUCKDB", input: jobs)
        return try JSONDecoder().decode([LPAnswer].self, from: out)
    }
}
