import XCTest
@testable import MisqKit

/// A table published rounded is audited from its rounded figures and the
/// rule (`Disclosure/RoundedAudit.swift`). Every interval below is worked
/// out by hand: a figure shown as R under rounding 5 is R − 2 to R + 2, and
/// not a count the rule hides; a [c] is one of those.
final class RoundedAuditTests: XCTestCase {
    /// A one-way table with a Total, as `count … by k with total` gives.
    static func oneWay(_ values: [Double]) -> GroupedResult {
        GroupedResult(keyNames: ["k"], acrossName: nil, acrossLabels: [], rows: values.enumerated().map { GroupRow(keys: ["k\($0)"], values: [$1], rowTotal: $1) },
                      totals: nil, grandTotal: values.reduce(0, +), withTotal: true, withPercent: false, percentBase: values, groupsBeforeTop: values.count)
    }

    static func protect(_ g: GroupedResult, _ rule: SuppressionRule, base: Int) throws -> QueryResult {
        let r = QueryResult(body: .groups(g), valueName: "n", valueIsInteger: true,
                            footer: Footer(dataset: "t", title: nil, synthetic: false, source: [], periods: [], scanned: 0, matched: 0, notes: []))
        return try Disclosure.protect(r, rule: rule, rounding: Rounding(base: base, span: .none))
    }

    /// 1, 1, 10 under 10, rounding 5: the 10 is shown as 10 and, not being
    /// under 10, is 10 to 12; the total 12 is shown as 10, so 8 to 12. The
    /// two [c] add up to at most 12 − 10 = 2, and each is at least 1: both
    /// are 1. The table is refused.
    func testTwoSmallCountsBesideARoundedTotalArePinned() {
        XCTAssertThrowsError(try Self.protect(Self.oneWay([1, 1, 10]), GaussSuppressionTests.rule(below: 10, zeros: false), base: 5)) { e in
            let m = (e as? MisqError)?.message ?? "\(e)"
            XCTAssertTrue(m.contains("suppression under 10, rounding 5 could not hide every small count: k=k0 can still be worked out"), m)
            XCTAssertEqual((e as? MisqError)?.suggestion, "publish without rounding (with suppression under 10), which hides more cells beside the small ones, or fewer breakdowns")
        }
        // A reader who does not know the 10 is not a hidden count (a rule
        // on another unit): it is 8 to 12, the two [c] add up to at most 4,
        // and each is 0 to 4.
        let g = Self.oneWay([1, 1, 10])
        let model = TableModel(g, statedSum: nil, margins: .all)
        let status: [CellStatus] = [.primary, .primary, .published, .published]
        let a = RoundedAudit.run(model, status, rounding: Rounding(base: 5, span: .none), rule: GaussSuppressionTests.rule(below: 10, zeros: false),
                                 ruleOnFigures: false, required: [1, 1, 1, 1])
        XCTAssertEqual(a.intervals.map { [$0.low, $0.high] }, [[0, 4], [0, 4]])
        XCTAssertTrue(a.passed)
    }

    /// 1, 1, 20 under 10, rounding 5: the 20 is 18 to 22, the total 22
    /// shown as 20 is 18 to 22, so the [c] add up to at most 4: each is 1
    /// to 3, narrower than the rule's 1 to 9 alone, and not one value.
    func testTheRoundedTotalNarrowsButDoesNotPin() throws {
        let r = try Self.protect(Self.oneWay([1, 1, 20]), GaussSuppressionTests.rule(below: 10, zeros: false), base: 5)
        guard case .groups(let g) = r.body, let a = g.suppression?.audit else { return XCTFail("no audit") }
        XCTAssertEqual(a.intervals.map { [$0.low, $0.high] }, [[1, 3], [1, 3]])
        XCTAssertEqual(a.roundedTo, 5)
        XCTAssertTrue(r.footer.noteTexts.contains {
            $0 == "audit: each of the 2 cells hidden by the rule can only be placed in an interval at least 2 wide from the published figures rounded to the nearest 5 (a figure shown as R is a count from R − 2 to R + 2) and the rule (linear programming; 1 required); the narrowest: k=k0 in [1, 3]"
        }, "\(r.footer.noteTexts)")
        // Base 10: the 20 is 15 to 24 (not under 10), the total 22 shown
        // as 20 is 15 to 24: the [c] add up to at most 9, each 1 to 8.
        let ten = try Self.protect(Self.oneWay([1, 1, 20]), GaussSuppressionTests.rule(below: 10, zeros: false), base: 10)
        guard case .groups(let g10) = ten.body, let a10 = g10.suppression?.audit else { return XCTFail("no audit") }
        XCTAssertEqual(a10.intervals.map { [$0.low, $0.high] }, [[1, 8], [1, 8]])
    }

    /// The fixture's allegations by outcome, under 3, rounding 5: 4, 3, 3,
    /// 3 shown as 5 (each 3 to 7) and seven 1s hidden, total 20 (18 to 22).
    /// The hidden seven add up to 18 − 28 at least and 22 − 12 at most,
    /// which each [c]'s own 1 to 2 is inside: each is 1 to 2.
    func testTheFixturesRoundedTableIsAudited() throws {
        let r = try XCTUnwrap(Fixtures.results("count allegations by outcome with total, suppression under 3, rounding 5").last)
        guard case .groups(let g) = r.body, let a = g.suppression?.audit else { return XCTFail("no audit") }
        XCTAssertEqual(a.intervals.count, 7)
        XCTAssertTrue(a.intervals.allSatisfy { $0.low == 1 && $0.high == 2 && $0.status == .primary }, "\(a.intervals)")
        XCTAssertTrue(a.passed)
        // misq audit says the same of the run, and fails it under a wider rule.
        let s = Fixtures.smallSession.fork()
        try ScriptRunner(session: s).run(SourceFile(name: "t", text: "count allegations by outcome with total, suppression under 3, rounding 5"), mode: .run)
        let audit = try RunAudit.run(s)
        XCTAssertTrue(audit.passed)
        XCTAssertTrue(audit.text.contains("published rounded to the nearest 5 (a figure shown as R is a count from R − 2 to R + 2), only the rule's cells hidden"), audit.text)
        XCTAssertTrue(audit.text.contains("[c] outcome=Discontinued"), audit.text)
        XCTAssertTrue(audit.text.contains("in [1, 2]  width 1, 1 required: ok"), audit.text)
        XCTAssertTrue(audit.text.contains("audit passed: each of the 7 cells hidden by a rule"), audit.text)
        s.published[0].rule.protection = .width(2)
        let wider = try RunAudit.run(s)
        XCTAssertFalse(wider.passed)
        XCTAssertTrue(wider.text.contains("2 required: FAILS"), wider.text)
    }

    /// A rule asking more than the rounding gives is refused when run: a [c]
    /// under 3 is 1 or 2, an interval 1 wide, and `protect 2` asks for 2.
    func testAProtectionTheRoundingCannotGiveIsRefused() {
        XCTAssertThrowsError(try Fixtures.results("count allegations by outcome with total, suppression under 3 protect 2, rounding 5")) { e in
            let m = (e as? MisqError)?.message ?? "\(e)"
            XCTAssertTrue(m.contains("rounding 5 could not hide every small count") && m.contains("narrower than the 2 the rule requires"), m)
        }
    }
}
