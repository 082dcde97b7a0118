import XCTest
@testable import MisqKit

/// `top N` keeps the groups tied with the Nth and says so (issue 15, item 2).
/// Counts per officer in the 20-row fixture, from DuckDB:
/// `select officer_id, count(*) from 'allegations.csv' group by 1 order by 2 desc`
/// gives P01 3, P02 2, P06 2, then 13 officers with 1.
final class TopTiesTests: XCTestCase {
    private func top(_ n: Int) throws -> (groups: [String], notes: [String]) {
        guard let r = try Fixtures.results("count allegations by officer_id top \(n)").last else { throw MisqError(.runtime, "no result") }
        guard case .groups(let g) = r.body else { throw MisqError(.runtime, "not grouped") }
        return (g.rows.map { ($0.keys[0] ?? "(missing)") + "=" + NumberFormat.plain($0.values[0]) }, r.footer.noteTexts)
    }

    func testTiesWithTheNthAreKeptAndStated() throws {
        let t = try top(2)
        XCTAssertEqual(t.groups, ["P01=3", "P02=2", "P06=2"])
        XCTAssertEqual(t.notes, ["top 2 of 16 groups, with 1 more tied at 2: 3 shown; the total counts all 16"])
    }

    func testNoTieNoExtra() throws {
        let t = try top(1)
        XCTAssertEqual(t.groups, ["P01=3"])
        XCTAssertEqual(t.notes, ["top 1 of 16 groups shown; the total counts all 16"])
    }

    func testTiesCanReachEveryGroup() throws {
        XCTAssertEqual(try top(3).notes, ["top 3 of 16 groups shown; the total counts all 16"])
        let t = try top(4)
        XCTAssertEqual(t.groups.count, 16)
        XCTAssertEqual(t.notes, ["top 4 of 16 groups, with 12 more tied at 1: 16 shown"])
    }
}

/// `top` with `order by` takes the first N in the order asked, not the
/// largest, and cuts exactly (cold tester, issue 18): the footer says
/// which groups, and how many tied ones it left out. Same DuckDB counts.
extension TopTiesTests {
    func notes(_ q: String) throws -> (groups: [String], notes: [String]) {
        guard let r = try Fixtures.results(q).last, case .groups(let g) = r.body else { throw MisqError(.runtime, "not grouped") }
        return (g.rows.map { ($0.keys[0] ?? "(missing)") + "=" + NumberFormat.plain($0.values[0]) }, r.footer.noteTexts)
    }

    func testTopInTheOrderAskedSaysSoAndTheTiesItLeftOut() throws {
        // Ascending: 13 officers with 1; ⌈16 × 10 / 100⌉ = 2 kept, 11 more with 1 left out.
        let t = try notes("count allegations by officer_id order by count asc top 10%")
        XCTAssertEqual(t.groups.count, 2)
        XCTAssertEqual(t.notes, ["top 10% of 16 groups: the first 2 in the order asked (by allegations ascending), not the largest (10% of 16, rounded up) shown; "
                                 + "11 more are tied with the last one shown and left out (with 'order by', top keeps exactly 2); the total counts all 16"])
        let k = try notes("count allegations by officer_id order by officer_id top 2")
        XCTAssertEqual(k.groups, ["P01=3", "P02=2"])
        XCTAssertEqual(k.notes, ["top 2 of 16 groups: the first 2 in the order asked (by officer_id ascending), not the largest shown; the total counts all 16"])
    }

    func testAShareThatNeedsNoRoundingDoesNotSaySo() throws {
        // 12.5% of 16 is 2 exactly; P06 ties P02 at 2.
        XCTAssertEqual(try notes("count allegations by officer_id top 12.5%").notes,
                       ["top 12.5% of 16 groups: the largest 2 (12.5% of 16), with 1 more tied at 2: 3 shown; the total counts all 16"])
    }
}
