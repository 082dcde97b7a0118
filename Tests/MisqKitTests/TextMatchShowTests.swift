import Foundation
import XCTest
@testable import MisqKit

/// Issue 17, item 2: `starts with` / `ends with` / `contains` on category
/// columns, and `show COL, COL, …`. Expected figures are counted by hand
/// (the small tests) or computed by DuckDB on the same CSV (the `Duck`
/// tests, skipped when python3 has no duckdb), with DuckDB's own
/// `starts_with(lower(col), lower(text))`, `ends_with`, `contains`.
final class TextMatchShowTests: XCTestCase {
    func write(_ text: String, _ name: String) throws -> String {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent(name).path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        return path
    }

    func message(_ body: () throws -> Void) -> MisqError? {
        do { try body(); return nil } catch { return error.misqErrors.first }
    }

    /// Eight complaints, counted by hand.
    static let small = """
        complaint_id,year_received,disposition
        1,2019,Substantiated
        2,2019,Substantiated - Other
        3,2020,substantiated (partial)
        4,2020,Not Substantiated
        5,2020,Unsubstantiated
        6,2021,
        7,2021,Exonerated
        8,2021,SUBSTANTIATED
        """

    func smallRun(_ q: String) throws -> [QueryResult] {
        let path = try write(TextMatchShowTests.small, "complaints.csv")
        return try Fixtures.results("load \"\(path)\" as complaints\n" + q, session: Session())
    }

    func groups(_ r: QueryResult?) -> [String] {
        guard case .groups(let g)? = r?.body else { return [] }
        return g.rows.map { $0.keys.map { $0 ?? "(missing)" }.joined(separator: "/") + "=" + $0.values.map(NumberFormat.plain).joined(separator: ",") }
    }

    /// By hand: rows 1, 2, 3 and 8 start with "substantiated" ignoring case
    /// (2 in 2019, 1 in 2020, 1 in 2021); the footer names the 4 labels.
    func testStartsWithByYearByHand() throws {
        let r = try smallRun("count complaints where disposition starts with \"Substantiated\" by year_received").last
        XCTAssertEqual(groups(r), ["2019=2", "2020=1", "2021=1"])
        XCTAssertEqual(r?.footer.noteTexts.last,
                       "disposition starts with \"Substantiated\": 4 labels matched — \"SUBSTANTIATED\", \"Substantiated\", \"Substantiated - Other\", \"substantiated (partial)\"")
    }

    /// By hand: "ends with ed" — 1, 4, 5, 7, 8 (SUBSTANTIATED); contains
    /// "sub" — 1, 2, 3, 4, 5, 8. `not X contains` keeps the missing row 6
    /// (7 and 6: 2), `X not contains` does not (7 alone: 1).
    func testEndsContainsAndBothNotsByHand() throws {
        XCTAssertEqual(try smallRun("count complaints where disposition ends with \"ED\"").last?.scalarValue, 5)
        XCTAssertEqual(try smallRun("count complaints where disposition contains sub").last?.scalarValue, 6)
        XCTAssertEqual(try smallRun("count complaints where not disposition contains \"sub\"").last?.scalarValue, 2)
        XCTAssertEqual(try smallRun("count complaints where disposition not contains \"sub\"").last?.scalarValue, 1)
        // Spaces and punctuation are matched as written: "- other" is in row 2 only.
        XCTAssertEqual(try smallRun("count complaints where disposition contains \"- other\"").last?.scalarValue, 1)
        XCTAssertNotNil(message { _ = try smallRun("count complaints where disposition contains \"-other\"") })
    }

    func testNoMatchIsAnErrorWithTheClosestLabels() throws {
        let e = message { _ = try smallRun("count complaints where disposition starts with \"Substantiatd\"") }
        XCTAssertEqual(e?.message, "no value of 'disposition' starts with \"Substantiatd\"")
        XCTAssertEqual(e?.suggestion, "closest: \"SUBSTANTIATED\", \"Substantiated\", \"Substantiated - Other\"")
        // A bare word is matched as written; the fix is said.
        let w = message { _ = try smallRun("count complaints where disposition starts with substantiated_other") }
        XCTAssertEqual(w?.suggestion?.hasPrefix("closest: \"Substantiated - Other\""), true)
        let s = message { _ = try smallRun("count complaints where disposition contains not_substantiated") }
        XCTAssertEqual(s?.suggestion, "text is matched as written; with spaces, in quotes: disposition contains \"not substantiated\"")
    }

    func testNotACategoryColumnIsATypeError() throws {
        let e = message { _ = try smallRun("count complaints where year_received starts with 20") }
        XCTAssertEqual(e?.kind, .type)
        XCTAssertEqual(e?.message, "'starts with' matches the text of a category column; 'year_received' holds number values")
        let empty = message { _ = try smallRun("count complaints where disposition contains \"\"") }
        XCTAssertEqual(empty?.kind, .value)
    }

    /// A number is matched as its source text: `starts with 007` is "007".
    func testNumberTextIsAsWritten() throws {
        let path = try write("id,x\n007,1\n7,1\n0071,1\n", "ids.csv")
        let r = try Fixtures.results("load \"\(path)\" as t\ncount t where id starts with 007", session: Session())
        XCTAssertEqual(r.last?.scalarValue, 2)
    }

    /// A value the data package declares but no row holds: an honest zero, as `=` gives.
    func testDeclaredValueMatchingIsAnHonestZero() throws {
        let dir = try Fixtures.temporaryDirectory()
        try TextMatchShowTests.small.write(to: dir.appendingPathComponent("complaints.csv"), atomically: true, encoding: .utf8)
        let pkg = """
            {"name": "t", "resources": [{"name": "complaints", "path": "complaints.csv", "schema": {"fields": [
              {"name": "complaint_id", "type": "string"}, {"name": "year_received", "type": "integer"},
              {"name": "disposition", "type": "string", "constraints": {"enum": ["Substantiated", "Substantiated - Other",
                "substantiated (partial)", "Not Substantiated", "Unsubstantiated", "Exonerated", "SUBSTANTIATED", "Withdrawn"]}}]}}]}
            """
        try pkg.write(to: dir.appendingPathComponent("datapackage.json"), atomically: true, encoding: .utf8)
        let s = try Session.open(datasetsDirectory: dir.path)
        let r = try Fixtures.results("count complaints where disposition starts with \"with\"", session: s).last
        XCTAssertEqual(r?.scalarValue, 0)
        XCTAssertEqual(r?.footer.noteTexts.last, "disposition starts with \"with\": no label in the data matched (the data package allows such a value; no row holds it)")
    }

    /// A definition's text match is named in the footer of the query using it.
    func testMatchInsideADefinitionIsNoted() throws {
        let r = try smallRun("define sub = disposition starts with \"substantiated -\"\ncount complaints where sub").last
        XCTAssertEqual(r?.scalarValue, 1)
        XCTAssertEqual(r?.footer.noteTexts.last, "disposition starts with \"substantiated -\": 1 label matched — \"Substantiated - Other\"")
    }

    /// Two queries of one statement, planned by one checker: each plan
    /// names its own match only (it named both before).
    func testEachPlanNamesItsOwnMatches() throws {
        let path = try write(TextMatchShowTests.small, "complaints.csv")
        let s = Session()
        _ = try Fixtures.results("load \"\(path)\" as complaints", session: s)
        let text = try Explain.text(SourceFile(name: "q", text: "percent(count complaints where disposition starts with \"sub\", count complaints where disposition contains \"exon\")"), session: s)
        let matches = text.split(separator: "\n").filter { $0.contains("match ") }
        XCTAssertEqual(matches.count, 2, text)
        XCTAssertEqual(matches.last?.contains("exon"), true, text)
    }

    /// Labels are written as the language writes strings: a quote doubled.
    func testQuotesInLabelsAreDoubled() throws {
        let path = try write("label,n\n\"Say \"\"no\"\"\",1\nOther,1\n", "q.csv")
        let r = try Fixtures.results("load \"\(path)\" as t\ncount t where label contains \"SAY\"", session: Session()).last
        XCTAssertEqual(r?.scalarValue, 1)
        XCTAssertEqual(r?.footer.noteTexts.last, "label contains \"SAY\": 1 label matched — \"Say \"\"no\"\"\"")
    }

    /// The list is cut after five labels with a count of the rest.
    func testLongListsAreCut() throws {
        let rows = (1...9).map { "L\($0)x,1" }.joined(separator: "\n")
        let path = try write("label,n\n" + rows + "\n", "l.csv")
        let r = try Fixtures.results("load \"\(path)\" as t\ncount t where label ends with \"X\"", session: Session()).last
        XCTAssertEqual(r?.footer.noteTexts.last, "label ends with \"X\": 9 labels matched — \"L1x\", \"L2x\", \"L3x\", \"L4x\", \"L5x\", and 4 more")
    }

    /// The printed form parses back to itself (scripts are re-printed in errors and notes).
    func testPrintedFormsParseBack() throws {
        for text in ["count complaints where disposition starts with \"Sub - x\" and not year contains 20",
                     "count complaints where `Odd Name` not ends with sub or disposition contains \"%\"",
                     "show force, `Cases To Answer` from forces where region contains \"north\" order by staff desc limit 3"] {
            let once = try Parser.parse(SourceFile(name: "p", text: text))
            guard case .query(let q)? = once.statements.first?.kind else { return XCTFail(text) }
            let again = try Parser.parse(SourceFile(name: "p", text: q.description))
            guard case .query(let q2)? = again.statements.first?.kind else { return XCTFail(q.description) }
            XCTAssertEqual(q2.description, q.description)
            XCTAssertEqual(q.description, text)
        }
    }

    // MARK: show

    static let forces = """
        force,region,cases_to_answer,staff
        Avon,South West,12,6000
        Bedford,East,,2100
        Cumbria,North West,4,1900
        Durham,North East,9,2300
        Essex,East,30,5500
        """

    func forcesRun(_ q: String) throws -> QueryResult? {
        let path = try write(TextMatchShowTests.forces, "forces.csv")
        return try Fixtures.results("load \"\(path)\" as forces\n" + q, session: Session()).last
    }

    func rows(_ r: QueryResult?) -> [String] {
        guard case .rows(let rows)? = r?.body else { return [] }
        return [rows.columns.joined(separator: ",")] + rows.rows.map { $0.map { $0 ?? "" }.joined(separator: ",") }
    }

    /// By hand: the columns asked for, in that order; a missing value last
    /// whichever way the order goes (DuckDB's NULLS LAST).
    func testShowColumnsOrderedByHand() throws {
        let r = try forcesRun("show force, cases_to_answer, staff from forces order by cases_to_answer desc limit 10")
        XCTAssertEqual(rows(r), ["force,cases_to_answer,staff", "Essex,30,5500", "Avon,12,6000", "Durham,9,2300", "Cumbria,4,1900", "Bedford,,2100"])
        let asc = try forcesRun("show force from forces order by cases_to_answer limit 2")
        XCTAssertEqual(rows(asc), ["force", "Cumbria", "Durham"])
    }

    /// `order by` a column not shown; names fold case and take backticks.
    func testOrderByAColumnNotShown() throws {
        let r = try forcesRun("show FORCE, `Staff` from forces where region contains \"north\" order by staff desc")
        XCTAssertEqual(rows(r), ["force,staff", "Durham,2300", "Cumbria,1900"])
        XCTAssertEqual(rows(try forcesRun("show force from forces order by staff limit 1")), ["force", "Cumbria"])
    }

    func testShowColumnErrors() throws {
        let e = message { _ = try forcesRun("show force, staf from forces") }
        XCTAssertEqual(e?.message, "unknown column 'staf' in 'forces'")
        XCTAssertEqual(e?.suggestion, "did you mean 'staff'?")
        let lone = message { _ = try forcesRun("show forc from forces") }
        XCTAssertEqual(lone?.message, "'forc' is neither a column nor a unit of 'forces'")
        XCTAssertEqual(lone?.suggestion, "did you mean 'force'?")
        let order = message { _ = try forcesRun("show force from forces order by staf") }
        XCTAssertEqual(order?.message, "unknown column 'staf' in 'forces'")
    }

    /// `show UNIT` and `show` keep showing every column.
    func testShowUnitStillShowsEveryColumn() throws {
        XCTAssertEqual(rows(try forcesRun("show forces limit 1")).first, "force,region,cases_to_answer,staff")
        XCTAssertEqual(rows(try forcesRun("show from forces limit 1")).first, "force,region,cases_to_answer,staff")
        XCTAssertEqual(rows(try forcesRun("show staff from forces limit 1")), ["staff", "6000"])
    }

    /// The plan lists the columns shown and the labels matched.
    func testPlanNamesColumnsAndLabels() throws {
        let path = try write(TextMatchShowTests.forces, "forces.csv")
        let s = Session()
        _ = try Fixtures.results("load \"\(path)\" as forces", session: s)
        let program = try Parser.parse(SourceFile(name: "q", text: "show force, staff from forces where region ends with \"west\" order by cases_to_answer desc"))
        guard case .query(let q)? = program.statements.first?.kind else { return XCTFail("not a query") }
        let plan = try Checker(session: s, source: program.source).plan(q)
        XCTAssertEqual(PlanText.lines(plan), [
            "scan     dataset forces",
            "filter   region in (\"North West\", \"South West\")",
            "match    region ends with \"west\": 2 labels matched — \"North West\", \"South West\"",
            "measure  show force, staff",
            "order    cases_to_answer desc",
        ])
    }

    /// An id column of 500,000 labels is matched by a byte scan: every
    /// label once, no String made per label (a generous bound for a debug
    /// build on a shared machine; a String per label took several times it).
    func testManyLabelsMatchByByteScan() throws {
        let labels = (0..<500_000).map { "P" + String($0 + 1_000_000) }
        let start = Date()
        let hits = TextMatch.matching(labels, .endsWith, "99999")
        XCTAssertEqual(hits.count, 5)  // 1099999, 1199999, 1299999, 1399999, 1499999
        XCTAssertEqual(TextMatch.matching(labels, .startsWith, "p10000").count, 100)
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
    }

    // MARK: DuckDB

    /// Rows of each SQL query, cells as text (integers without decimals,
    /// NULL empty), from python3's duckdb; nil when it is not installed.
    func duck(_ tables: [String: String], _ queries: [String]) throws -> [[[String]]]? {
        let script = """
            import json, sys
            try:
                import duckdb
            except ImportError:
                print("null"); sys.exit(0)
            spec = json.loads(sys.argv[1])
            con = duckdb.connect()
            for name, path in spec["tables"].items():
                con.execute(f"create table {name} as select * from read_csv('{path}', header=true)")
            def cell(v):
                if v is None: return ""
                if isinstance(v, float) and v.is_integer(): return str(int(v))
                return str(v)
            print(json.dumps([[[cell(v) for v in row] for row in con.execute(q).fetchall()] for q in spec["queries"]]))
            """
        let spec = try JSONSerialization.data(withJSONObject: ["tables": tables, "queries": queries])
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, String(decoding: spec, as: UTF8.self)]
        p.standardOutput = out
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return try JSONSerialization.jsonObject(with: data) as? [[[String]]]
    }

    /// A complaints export (allegation-level) and a per-force table, made
    /// by a fixed generator: labels in several cases, with punctuation,
    /// accents, `%` and `_` (LIKE's wildcards, here plain text), and blanks.
    func makeData() throws -> (complaints: String, forces: String) {
        var seed: UInt64 = 17
        func next(_ n: Int) -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int((seed >> 33) % UInt64(n)) }
        let dispositions = ["Substantiated", "Substantiated - Other", "substantiated (partial)", "Not Substantiated", "Unsubstantiated",
                            "Exonerated", "Withdrawn by complainant", "SUBSTANTIATED", "Fondé - Ébauche", "Ébauche fondée", "",
                            "50% upheld", "under_review", "Unfounded"]
        let categories = ["Use of force", "Discourtesy", "Abuse of authority", "Untruthful statement", "use of FORCE (vehicle)"]
        var c = "complaint_id,year_received,disposition,category\n"
        for i in 0..<3000 {
            c += "C\(100000 + i),\(2015 + next(8)),\(dispositions[next(dispositions.count)]),\(categories[next(categories.count)])\n"
        }
        let regions = ["East", "North East", "North West", "South East", "South West", "Wales"]
        var f = "force,region,cases_to_answer,staff\n"
        var used = Set<Int>(), usedStaff = Set<Int>()
        for i in 0..<43 {
            var cases = next(400); while used.contains(cases) { cases = next(400) }; used.insert(cases)
            var staff = 1000 + next(30000); while usedStaff.contains(staff) { staff = 1000 + next(30000) }; usedStaff.insert(staff)
            f += "Force \(i),\(regions[next(regions.count)]),\(i % 9 == 4 ? "" : String(cases)),\(staff)\n"
        }
        return (try write(c, "complaints.csv"), try write(f, "forces.csv"))
    }

    func testTextMatchesMatchDuckDB() throws {
        let (complaints, forces) = try makeData()
        // misq query, the same in SQL; grouped results in key order.
        let cases: [(String, String)] = [
            ("count complaints where disposition starts with \"Substantiated\" by year_received",
             "select year_received, count(*) from complaints where starts_with(lower(disposition), lower('Substantiated')) group by 1 order by 1"),
            ("count complaints where disposition ends with \"ED\"",
             "select count(*) from complaints where ends_with(lower(disposition), lower('ED'))"),
            ("count complaints where disposition contains \"%\"",
             "select count(*) from complaints where contains(lower(disposition), '%')"),
            ("count complaints where disposition contains \"_review\"",
             "select count(*) from complaints where contains(lower(disposition), '_review')"),
            ("count complaints where not disposition contains \"sub\" by category",
             "select category, count(*) from complaints where not coalesce(contains(lower(disposition), 'sub'), false) group by 1 order by lower(category)"),
            ("count complaints where disposition not starts with \"substantiated\"",
             "select count(*) from complaints where disposition is not null and not starts_with(lower(disposition), 'substantiated')"),
            ("count complaints where disposition contains \"É\" by year_received",
             "select year_received, count(*) from complaints where contains(lower(disposition), lower('É')) group by 1 order by 1"),
            ("count complaints where disposition ends with \"OTHER\" or category starts with \"use\"",
             "select count(*) from complaints where ends_with(lower(disposition), 'other') or starts_with(lower(category), 'use')"),
            ("count distinct category where disposition starts with \"un\" and category contains \"of\"",
             "select count(distinct category) from complaints where starts_with(lower(disposition), 'un') and contains(lower(category), 'of')"),
        ]
        guard let expected = try duck(["complaints": complaints, "forces": forces], cases.map(\.1)) else {
            throw XCTSkip("python3 with duckdb is not installed")
        }
        for (k, (q, sql)) in cases.enumerated() {
            let r = try Fixtures.results("load \"\(complaints)\" as complaints\n" + q, session: Session()).last
            let got: [[String]]
            switch r?.body {
            case .scalar(let v)?: got = [[NumberFormat.plain(v)]]
            case .groups(let g)?: got = g.rows.map { $0.keys.map { $0 ?? "" } + $0.values.map(NumberFormat.plain) }
            default: got = []
            }
            XCTAssertEqual(got, expected[k], "\(q)\n\(sql)")
        }
    }

    func testShowMatchesDuckDB() throws {
        let (complaints, forces) = try makeData()
        let cases: [(String, String)] = [
            ("show force, cases_to_answer, staff from forces order by cases_to_answer desc limit 10",
             "select force, cases_to_answer, staff from forces order by cases_to_answer desc nulls last limit 10"),
            ("show force, region from forces where region contains \"north\" order by staff limit 5",
             "select force, region from forces where contains(lower(region), 'north') order by staff limit 5"),
            ("show staff, force from forces where cases_to_answer is missing order by staff desc",
             "select staff, force from forces where cases_to_answer is null order by staff desc"),
            ("show force, staff from forces order by region, staff desc limit 8",
             "select force, staff from forces order by region, staff desc limit 8"),
        ]
        guard let expected = try duck(["complaints": complaints, "forces": forces], cases.map(\.1)) else {
            throw XCTSkip("python3 with duckdb is not installed")
        }
        for (k, (q, sql)) in cases.enumerated() {
            let r = try Fixtures.results("load \"\(forces)\" as forces\n" + q, session: Session()).last
            guard case .rows(let rows)? = r?.body else { XCTFail(q); continue }
            XCTAssertEqual(rows.rows.map { $0.map { $0 ?? "" } }, expected[k], "\(q)\n\(sql)")
            XCTAssertFalse(expected[k].isEmpty, q)
        }
    }
}
