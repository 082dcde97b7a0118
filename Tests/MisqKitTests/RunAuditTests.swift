import XCTest
@testable import MisqCLI
@testable import MisqKit

/// `misq audit`: every hidden cell of every table of a run, against all the
/// run publishes. The property the check names: publishing any one
/// cell hidden beside the small ones (a secondary cell) makes the audit fail,
/// so no secondary cell is hidden for nothing and the audit is not passing
/// for want of looking.
final class RunAuditTests: XCTestCase {
    /// Runs `text` on the fixture and audits it; then, for each secondary
    /// cell of each table, publishes that one cell and audits again.
    func checkEverySecondaryIsNeeded(_ text: String, session: Session? = nil, minimum: Int) throws {
        let s = session ?? Fixtures.smallSession.fork()
        try ScriptRunner(session: s).run(SourceFile(name: "t", text: text), mode: .run)
        let audit = try RunAudit.run(s)
        XCTAssertTrue(audit.passed, audit.text)
        var checked = 0
        for t in s.published.indices {
            guard let p = s.published[t].table.suppression else { continue }
            func publishing(_ change: (inout SuppressionPattern) -> Void, _ what: String) throws {
                var q = p
                change(&q)
                s.published[t].table.suppression = q
                let a = try RunAudit.run(s)
                XCTAssertFalse(a.passed, "publishing \(what) of \(s.published[t].label) leaks nothing:\n\(a.text)")
                s.published[t].table.suppression = p
                checked += 1
            }
            for k in p.cells.indices where p.cells[k] == .secondary { try publishing({ $0.cells[k] = .published }, "cell \(k)") }
            for k in p.rowTotals.indices where p.rowTotals[k] == .secondary { try publishing({ $0.rowTotals[k] = .published }, "row total \(k)") }
            for k in p.columnTotals.indices where p.columnTotals[k] == .secondary && !(p.rowTotals.isEmpty) {
                try publishing({ $0.columnTotals[k] = .published }, "column total \(k)")
            }
            if p.grandTotal == .secondary { try publishing({ $0.grandTotal = .published; if $0.rowTotals.isEmpty { $0.columnTotals = [.published] } }, "the grand total") }
        }
        XCTAssertGreaterThanOrEqual(checked, minimum)
    }

    func testPublishingAnySecondaryCellMakesTheAuditFail() throws {
        // Severity × outcome and outcome × severity under 3 on the fixture
        // (the 20 allegations: seven outcomes of 1, by hand), each with secondary cells.
        try checkEverySecondaryIsNeeded("""
        count allegations by severity across outcome with total, suppression under 3
        count allegations by outcome with total, suppression under 3
        count allegations by command across outcome with total, suppression under 3
        count allegations by command across severity with total, suppression under 3
        """, minimum: 3)
    }

    func testLinkedTablesSecondaryCellsAreEachNeeded() throws {
        // The two tables of LinkedSuppressionTests: the force table's two
        // cells are hidden only because of the first table.
        let path = try LinkedSuppressionTests.records()
        let s = Session()
        try s.add(Dataset.bare(name: "recs", path: path))
        try checkEverySecondaryIsNeeded(LinkedSuppressionTests.first + "\n" + LinkedSuppressionTests.second, session: s, minimum: 2)
        // Audited together, and each table alone would pass: only the
        // link shows the leak.
        s.published[1].table.suppression?.cells = [.published, .published]
        let a = try RunAudit.run(s)
        XCTAssertFalse(a.passed)
        XCTAssertEqual(a.failures.map(\.cell).sorted(), ["force=f1, outcome=o1", "force=f2, outcome=o1"])
        XCTAssertTrue(a.text.contains("audited together with t:2 (count recs by force with total, suppression under 3)"), a.text)
        XCTAssertTrue(RunAudit.alone(s.published[0]).failures.isEmpty && RunAudit.alone(s.published[1]).failures.isEmpty)
    }

    func testTheCommandExitsOneOnAFailureAndReportsEachCell() throws {
        let dir = try Fixtures.temporaryDirectory()
        let file = dir.appendingPathComponent("t.misq").path
        try "count allegations by severity across outcome with total, suppression under 3\n".write(toFile: file, atomically: true, encoding: .utf8)
        let ok = MisqCLI.capture(["audit", file, "--datasets", Fixtures.small])
        XCTAssertEqual(ok.code, 0, ok.err)
        XCTAssertTrue(ok.out.contains("hidden by the rule") && ok.out.contains("hidden beside them") && ok.out.contains("\naudit passed: each of the "), ok.out)
        try "count allegations by outcome\n".write(toFile: file, atomically: true, encoding: .utf8)
        let none = MisqCLI.capture(["audit", file, "--datasets", Fixtures.small])
        XCTAssertEqual(none.code, 0, none.err)
        XCTAssertEqual(none.out, "audit: \(file) publishes no table with suppression: nothing to audit\n")
    }
}

/// `misq audit TABLE.csv`: a table made elsewhere, audited from its
/// published figures alone.
final class PublishedCSVAuditTests: XCTestCase {
    func testAReviewerAuditsAPublishedCSVAndFindsAPublishedSecondaryCell() throws {
        // misq's own CSV of a suppressed crosstab: it passes.
        let r = try XCTUnwrap(Fixtures.results("count allegations by severity across outcome with total, suppression under 3").last)
        guard case .groups(let g) = r.body, let p = g.suppression else { return XCTFail("not suppressed") }
        let csv = Renderer.render(r, as: .csv)
        let dir = try Fixtures.temporaryDirectory()
        let file = dir.appendingPathComponent("published.csv").path
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        let clean = try RunAudit.csv(file)
        XCTAssertTrue(clean.passed, clean.text)
        XCTAssertEqual(clean.tables.first?.intervals.count, p.all.filter(\.isHidden).count)
        // The same table with one secondary cell published (its figure in
        // place of [c]): some hidden cell can then be worked out exactly.
        let (i, j) = try XCTUnwrap(g.rows.indices.lazy.flatMap { i in (0..<p.width).map { (i, $0) } }.first { p.cell($0.0, $0.1) == .secondary })
        var lines = csv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var fields = lines[i + 1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[g.keyNames.count + j] = NumberFormat.plain(g.rows[i].values[j])
        lines[i + 1] = fields.joined(separator: ",")
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let leaky = try RunAudit.csv(file)
        XCTAssertFalse(leaky.passed, leaky.text)
        let out = MisqCLI.capture(["audit", file])
        XCTAssertEqual(out.code, 1, out.out + out.err)
        XCTAssertTrue(out.out.contains("audit FAILED"), out.out)
    }

    /// `with percent` writes `NAME %` beside each count column: a share,
    /// not a count. Read as counts they made no table agree, and every [c]
    /// came out "in [(missing), no upper bound] … ok" and the audit passed.
    func testPercentColumnsAreNotCountsAndAPublishedOneBesideAHiddenCountFails() throws {
        let dir = try Fixtures.temporaryDirectory()
        // misq's own CSV with percent columns passes.
        let r = try XCTUnwrap(Fixtures.results("count allegations by severity across outcome with total, percent, suppression under 3").last)
        let file = dir.appendingPathComponent("pct.csv").path
        try Renderer.render(r, as: .csv).write(toFile: file, atomically: true, encoding: .utf8)
        let own = try RunAudit.csv(file)
        XCTAssertTrue(own.passed, own.text)
        XCTAssertFalse(own.text.contains("[(missing)"), own.text)   // every interval worked out
        XCTAssertFalse(own.text.contains(" %"), own.text)   // no percentage audited as a count
        // The cold tester's table (counts by hand): Essex publishes Dismissal 0,
        // No further action 29, Written warning 7 and its total 40, so its
        // hidden Final written warning is 40 − 0 − 29 − 7 = 4.
        let bad = """
        force,Dismissal,Dismissal %,Final written warning,Final written warning %,No further action,No further action %,Written warning,Written warning %,Total
        Essex,0,0,[c],[c],29,20.56737588652482,7,16.666666666666668,40
        Kent,[c],[c],[c],[c],25,17.73049645390071,9,21.428571428571427,38
        Met,[c],[c],[c],[c],27,19.148936170212767,8,19.047619047619047,42
        Surrey,0,0,[c],[c],26,18.43971631205674,[c],[c],37
        Sussex,[c],[c],[c],[c],34,24.113475177304963,10,23.80952380952381,51
        Total,5,100,20,100,141,100,42,100,208

        """
        try bad.write(toFile: file, atomically: true, encoding: .utf8)
        let leaky = try RunAudit.csv(file)
        XCTAssertFalse(leaky.passed, leaky.text)
        let essex = try XCTUnwrap(leaky.failures.first { $0.cell == "force=Essex, Final written warning" }, leaky.text)
        XCTAssertEqual([essex.low, essex.high], [4, 4])
        // Surrey's Written warning hidden, its percentage published: 42 × 2/42
        // (hand: 42 − 7 − 9 − 8 − 10 = 8; 8/42 = 19.05%).
        let pctLeak = bad.replacingOccurrences(of: "Surrey,0,0,[c],[c],26,18.43971631205674,[c],[c],37",
                                               with: "Surrey,0,0,[c],[c],26,18.43971631205674,[c],19.047619047619047,37")
            .replacingOccurrences(of: "Essex,0,0,[c],[c],29,20.56737588652482,7,16.666666666666668,40",
                                  with: "Essex,0,0,[c],[c],29,20.56737588652482,[c],[c],40")
        try pctLeak.write(toFile: file, atomically: true, encoding: .utf8)
        let byPercent = try RunAudit.csv(file)
        let surrey = try XCTUnwrap(byPercent.failures.first { $0.cell.hasPrefix("force=Surrey, Written warning") }, byPercent.text)
        XCTAssertEqual([surrey.low, surrey.high], [8, 8])
        // A column that is not counts (no `NAME %` partner) makes no table of
        // counts agree: an error, not "ok".
        try "force,allegations,rate,Total\nKent,[c],0.5,10\nEssex,6,0.25,6\nTotal,10,0.75,16\n".write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RunAudit.csv(file)) { e in
            XCTAssertTrue(((e as? MisqError)?.message ?? "\(e)").contains("no table of counts agrees"), "\(e)")
        }
    }

    func testACSVWithoutFiguresIsAnError() throws {
        let file = try Fixtures.temporaryDirectory().appendingPathComponent("t.csv").path
        try "force,outcome\nKent,dismissed\n".write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RunAudit.csv(file)) { e in
            XCTAssertTrue(((e as? MisqError)?.message ?? "\(e)").contains("no column of figures"), "\(e)")
        }
    }
}
