import XCTest
@testable import MisqKit

/// Tables of one run protected together (`Disclosure/LinkedTables.swift`).
/// The records are made here, so every count is known by hand:
///
///     force outcome year  records
///     f1    o1      2020   1
///     f1    o2      2020   5
///     f1    o2      2021   5
///     f2    o1      2021   2
///     f2    o2      2020   6
///     f2    o2      2021   4
///
/// Force by outcome under 3 hides f1/o1 (1) and f2/o1 (2); with only the
/// grand total (23) published, each lies in [0, 3]. A second table of the
/// same records by force publishes f1 = 11, and 11 − 10 (f1/o2, published
/// in the first) gives f1/o1 = 1 back: the leak that protecting each table
/// on its own leaves. The attacker is scipy's linprog over both published
/// tables (Differential/linked_lp.py), which knows nothing of misq's model.
final class LinkedSuppressionTests: XCTestCase {
    static let first = "count recs by force, outcome with total, suppression under 3"
    static let second = "count recs by force with total, suppression under 3"

    static func records() throws -> String {
        var lines = ["id,force,outcome,year"]
        let groups: [(String, String, Int, Int)] = [("f1", "o1", 2020, 1), ("f1", "o2", 2020, 5), ("f1", "o2", 2021, 5),
                                                    ("f2", "o1", 2021, 2), ("f2", "o2", 2020, 6), ("f2", "o2", 2021, 4)]
        for (f, o, y, n) in groups { for _ in 0..<n { lines.append("\(lines.count),\(f),\(o),\(y)") } }
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("recs.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func session(_ path: String) throws -> Session {
        let s = Session()
        try s.add(Dataset.bare(name: "recs", path: path))
        return s
    }

    func testPerTableProtectionLeaksThroughTheOtherTableAndLinkedProtectionClosesIt() throws {
        let path = try Self.records()
        // Each table in a run of its own: protected alone.
        let alone = try [Self.first, Self.second].map { try XCTUnwrap(Fixtures.results($0, session: try session(path)).last) }
        // Both in one run: the second protected with the first.
        let together = try Fixtures.results(Self.first + "\n" + Self.second, session: try session(path))
        XCTAssertEqual(together.count, 2)

        func attack(_ results: [QueryResult]) throws -> [Attack] {
            let tables: [[String: Any]] = [["keys": ["force", "outcome"], "across": NSNull(), "csv": Renderer.render(results[0], as: .csv)],
                                           ["keys": ["force"], "across": NSNull(), "csv": Renderer.render(results[1], as: .csv)]]
            return try Self.lp(["records": path, "tables": tables])
        }
        // Alone: f1/o1 (1 record) is worked out exactly from both tables.
        let aloneAttacks = try attack(alone)
        let leaked = aloneAttacks.filter { $0.value >= 1 && $0.value <= 2 && $0.high - $0.low < 1 }
        XCTAssertEqual(leaked.map(\.cell), ["f1, o1", "f2, o1"], "\(aloneAttacks)")
        XCTAssertEqual(leaked.first?.low, 1)
        // Together: the second table hides both forces, and no primary cell is narrower than 1.
        XCTAssertTrue(Renderer.render(together[1], as: .csv).contains("f1,[c]\nf2,[c]\nTotal,23"), Renderer.render(together[1], as: .csv))
        let attacks = try attack(together)
        XCTAssertFalse(attacks.isEmpty)
        for a in attacks where a.value >= 1 && a.value <= 2 {
            XCTAssertGreaterThanOrEqual(a.high - a.low, 1, "\(a)")
        }
        let notes = together[1].footer.noteTexts
        XCTAssertTrue(notes.contains { $0.hasPrefix("protected together with the table published before it over the same records (the same dataset, rows and unit): test:1 (count recs by force, outcome") },
                      "\(notes)")
        XCTAssertFalse(alone[1].footer.noteTexts.contains { $0.contains("protected together") })
    }

    func testTheOrderDoesNotMatterForSafety() throws {
        // The force table first publishes 11 and 12: the crosstab after it
        // is protected against them (a second cell in each force hidden).
        let path = try Self.records()
        let results = try Fixtures.results(Self.second + "\n" + "count recs by force across outcome with total, suppression under 3", session: try session(path))
        let csv = Renderer.render(results[1], as: .csv)
        XCTAssertTrue(csv.contains("f1,[c],[c],11\nf2,[c],[c],12\n"), csv)
        let tables: [[String: Any]] = [["keys": ["force"], "across": NSNull(), "csv": Renderer.render(results[0], as: .csv)],
                                       ["keys": ["force"], "across": "outcome", "csv": csv]]
        for a in try Self.lp(["records": path, "tables": tables]) where a.value >= 1 && a.value <= 2 {
            XCTAssertGreaterThanOrEqual(a.high - a.low, 1, "\(a)")
        }
    }

    /// Tables over other filters of the same records share the records
    /// both keep. By hand: by force across outcome (all records) under 3
    /// hides f1/o1 (1) and f2/o1 (2), and beside them f1/o2 and f2/o2 (10
    /// each), so only totals are published and f1/o1 lies in [0, 3]. The o2
    /// records by force are f1 10, f2 10, total 20, none small: protected on
    /// their own they publish f1 = 10, and the first table's f1 total 11 − 10
    /// gives f1/o1 = 1 back. Linked over the cross-classification by force,
    /// outcome and which filter a record passes, the second table hides both
    /// forces (either gives the other from the total 20).
    func testTablesOfOtherFiltersAreLinkedOverTheFilters() throws {
        let path = try Self.records()
        let all = "count recs by force across outcome with total, suppression under 3"
        let o2 = "count recs where outcome = o2 by force with total, suppression under 3"
        func attack(_ first: QueryResult, _ second: QueryResult) throws -> [Attack] {
            let tables: [[String: Any]] = [["keys": ["force"], "across": "outcome", "csv": Renderer.render(first, as: .csv)],
                                           ["keys": ["force"], "across": NSNull(), "where": ["outcome": "o2"], "csv": Renderer.render(second, as: .csv)]]
            return try Self.lp(["records": path, "tables": tables])
        }
        let firstCSV = Renderer.render(try XCTUnwrap(Fixtures.results(all, session: try session(path)).last), as: .csv)
        XCTAssertTrue(firstCSV.contains("f1,[c],[c],11\nf2,[c],[c],12\nTotal,3,20,23"), firstCSV)
        // Each in a run of its own: scipy's attacker pins f1/o1 and f2/o1.
        let alone = try [all, o2].map { try XCTUnwrap(Fixtures.results($0, session: try session(path)).last) }
        XCTAssertTrue(Renderer.render(alone[1], as: .csv).contains("f1,10\nf2,10\nTotal,20"), Renderer.render(alone[1], as: .csv))
        let leaked = try attack(alone[0], alone[1]).filter { $0.value >= 1 && $0.value <= 2 && $0.high - $0.low < 1 }
        XCTAssertEqual(leaked.map(\.cell), ["f1 | o1", "f2 | o1"], "\(leaked)")
        // In one run: linked, and no primary cell narrower than 1.
        let together = try Fixtures.results(all + "\n" + o2, session: try session(path))
        XCTAssertTrue(Renderer.render(together[1], as: .csv).contains("f1,[c]\nf2,[c]\nTotal,20"), Renderer.render(together[1], as: .csv))
        let attacks = try attack(together[0], together[1])
        XCTAssertEqual(attacks.filter { $0.value >= 1 && $0.value <= 2 }.count, 2, "\(attacks)")
        for a in attacks where a.value >= 1 && a.value <= 2 { XCTAssertGreaterThanOrEqual(a.high - a.low, 1, "\(a)") }
        let notes = together[1].footer.noteTexts
        XCTAssertTrue(notes.contains { $0.hasPrefix("protected together with the table published before it over the same records (the same dataset and unit; where their filters differ, over the records each combination of the filters keeps): test:1 (count recs by force across outcome") }, "\(notes)")

        // misq audit links them too, and fails when the second table
        // publishes f1 (10), which gives f1/o1 back.
        let s = try session(path)
        _ = try ScriptRunner(session: s).run(SourceFile(name: "t", text: all + "\n" + o2), mode: .run)
        let audit = try RunAudit.run(s)
        XCTAssertTrue(audit.passed, audit.text)
        XCTAssertTrue(audit.text.contains("audited together with t:1 (count recs by force across outcome"), audit.text)
        XCTAssertTrue(audit.text.contains("(the same dataset and unit, over the records each combination of their filters keeps)"), audit.text)
        s.published[1].table.suppression?.cells[0] = .published
        let leaky = try RunAudit.run(s)
        XCTAssertFalse(leaky.passed, leaky.text)
        XCTAssertTrue(leaky.text.contains("force=f1, outcome=o1"), leaky.text)
    }

    /// Filters neither of which holds the other (the records of 2020 by
    /// force across outcome, the o2 records by force), in both orders: the
    /// attacker over both published tables pins no small count.
    func testOverlappingFiltersInEitherOrderLeakNothing() throws {
        let path = try Self.records()
        let y2020 = "count recs where year = 2020 by force across outcome with total, suppression under 3"
        let o2 = "count recs where outcome = o2 by force with total, suppression under 3"
        let t2020: [String: Any] = ["keys": ["force"], "across": "outcome", "where": ["year": "2020"]]
        let to2: [String: Any] = ["keys": ["force"], "across": NSNull(), "where": ["outcome": "o2"]]
        var small = 0
        for (text, specs) in [(y2020 + "\n" + o2, [t2020, to2]), (o2 + "\n" + y2020, [to2, t2020])] {
            let results = try Fixtures.results(text, session: try session(path))
            XCTAssertEqual(results.count, 2)
            let tables = zip(specs, results).map { spec, r -> [String: Any] in var t = spec; t["csv"] = Renderer.render(r, as: .csv); return t }
            for a in try Self.lp(["records": path, "tables": tables]) where a.value >= 1 && a.value <= 2 {
                XCTAssertGreaterThanOrEqual(a.high - a.low, 1, "\(text): \(a)")
                small += 1
            }
            XCTAssertTrue(results[1].footer.noteTexts.contains { $0.hasPrefix("protected together with") }, "\(results[1].footer.noteTexts)")
        }
        XCTAssertGreaterThan(small, 0, "the 2020 table has a small count (f1/o1 = 1) to protect")
    }

    /// Each more filter doubles the runs over the records; past 4 the
    /// table is protected on its own, and its footer and misq audit say so.
    func testMoreThanFourFiltersAreProtectedApartAndSaySo() throws {
        let path = try Self.records()
        let text = ["", "where year = 2020 ", "where year = 2021 ", "where outcome = o1 ", "where outcome = o2 "]
            .map { "count recs \($0)by force with total, suppression under 3" }.joined(separator: "\n")
        let s = try session(path)
        let events = try ScriptRunner(session: s).run(SourceFile(name: "t", text: text), mode: .run)
        let results = events.compactMap { if case .result(let r, _, _, _) = $0 { return r } else { return nil } }
        XCTAssertEqual(results.count, 5)
        XCTAssertTrue(results[3].footer.noteTexts.contains { $0.hasPrefix("protected together with the tables published before it") }, "\(results[3].footer.noteTexts)")
        XCTAssertTrue(results[4].footer.noteTexts.contains {
            $0.hasPrefix("NOT protected together with the tables over the same dataset and unit published before it (t:1")
                && $0.hasSuffix("they count records of 5 different filters, more than the 4 misq splits the records by to protect tables together; check the whole run with misq audit")
        }, "\(results[4].footer.noteTexts)")
        let audit = try RunAudit.run(s)
        XCTAssertTrue(audit.text.contains("audited on its own: they count records of 5 different filters"), audit.text)
    }

    func testAnAssertionsTableLinksNothing() throws {
        // An assertion's table is not published: it links nothing.
        let path = try Self.records()
        let s = try session(path)
        _ = try ScriptRunner(session: s).run(SourceFile(name: "t", text: """
        assert count recs by force with suppression under 3 =
          | force | recs |
          | f1    | 11   |
          | f2    | 12   |
        """), mode: .run)
        XCTAssertTrue(s.published.isEmpty)
    }

    func testADistinctUnitInTwoFinerGroupsIsNotLinkedAndTheFooterSaysSo() throws {
        // Officer p1 has allegations in 2020 and 2021 (by hand): force f1
        // counts 4 officers, its years 2 + 3 = 5. The force table is not
        // the sum of the finer groups, so the two are protected apart.
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("people.csv").path
        let rows = [("p1", "f1", 2020), ("p1", "f1", 2021), ("p2", "f1", 2020), ("p3", "f2", 2021), ("p4", "f2", 2020),
                    ("p5", "f2", 2020), ("p6", "f1", 2021), ("p7", "f1", 2021), ("p8", "f2", 2021)]
        let text = (["id,officer,force,year"] + rows.enumerated().map { "\($0),\($1.0),\($1.1),\($1.2)" }).joined(separator: "\n") + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let s = Session()
        try s.add(Dataset.bare(name: "people", path: path))
        let results = try Fixtures.results("""
        unit officers = distinct officer from people
        count officers by force with total, suppression under 3
        count officers by force across year with total, suppression under 3
        """, session: s)
        let notes = try XCTUnwrap(results.last).footer.noteTexts
        XCTAssertTrue(notes.contains { $0.hasPrefix("NOT protected together with the table over the same dataset and unit published before it (test:2 (count officers by force") && $0.contains("the cell force=f1 of test:2") && $0.hasSuffix("check the whole run with misq audit") }, "\(notes)")
    }

    struct Attack: Decodable, CustomStringConvertible {
        var table: Int, cell: String, value: Double, low: Double, high: Double
        var description: String { "table \(table) \(cell) = \(value) in [\(low), \(high)]" }
    }

    static func lp(_ job: [String: Any]) throws -> [Attack] {
        let out = try Fixtures.python("linked_lp.py", importing: "scipy.optimize", install: "scipy", requiredBy: "MISQ_REQUIRE_DUCKDB", input: job)
        return try JSONDecoder().decode([Attack].self, from: out)
    }
}
