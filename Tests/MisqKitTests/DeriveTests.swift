import XCTest
@testable import MisqKit

/// Derived values per row (`define NAME = EXPRESSION`, issue 17 item 1) on
/// two CSVs in the shapes the issue names (Fixtures/derive): complaints with
/// a year and a month received and a closing date (one month written 13,
/// one blank), and forces with cases to answer and staff (one with 0 staff,
/// one with no figure). Every expected value is from DuckDB 2.0.1 over the
/// same files, read as
///   create table complaints as select * from read_csv('complaints.csv', types={'month_received':'VARCHAR'});
///   create table forces as select * from read_csv('forces.csv');
/// with `received` written `try(make_date(year_received, try_cast(month_received as bigint), 1))`
/// (an impossible date is NULL) and a division as `a / nullif(b, 0)` (DuckDB
/// gives inf for x/0, misq a missing value).
final class DeriveTests: XCTestCase {
    static let folder = Fixtures.testsDirectory.appendingPathComponent("Fixtures/derive").path
    static let session: Session = { (try? Session.open(datasetsDirectory: folder)) ?? Session() }()

    static let received = "define received = date(year_received, month_received)\n"
    static let rate = "define rate = round(1000 * cases_to_answer / staff, 1)\n"

    private func result(_ text: String) throws -> QueryResult {
        guard let r = try Fixtures.results(text, session: DeriveTests.session.fork()).last else { throw MisqError(.runtime, "no result") }
        return r
    }

    private func groups(_ text: String) throws -> [String] {
        guard case .groups(let g) = try result(text).body else { throw MisqError(.runtime, "not grouped: \(text)") }
        return g.rows.map { $0.keys.map { $0 ?? "(missing)" }.joined(separator: "/") + "=" + $0.values.map(NumberFormat.plain).joined(separator: ",") }
    }

    private func scalar(_ text: String) throws -> Double {
        guard let v = try result(text).scalarValue else { throw MisqError(.runtime, "not a scalar: \(text)") }
        return v
    }

    // MARK: the issue's statements

    /// `select fy, count(*) … where r >= '2018-07-01' and r < '2019-07-01'`: FY2018/19 10, FY2019/20 5.
    func testDateFromYearAndMonthInAPeriodByFinancialYear() throws {
        let r = try result(DeriveTests.received + "count complaints where received in 2018-07..2019-07 by fy(received)")
        XCTAssertEqual(try groups(DeriveTests.received + "count complaints where received in 2018-07..2019-07 by fy(received)"),
                       ["FY2018/19=10", "FY2019/20=5"])
        XCTAssertEqual(r.footer.periods.first?.column, "received")
        // Month 13 is no date: missing, and said; the blank month is missing in, missing out.
        XCTAssertEqual(r.footer.notes.map(\.text), ["'received' could not be computed in 1 of 60 rows scanned, so has no value there (nor where an input is missing): 1 date that does not exist, e.g. date(2020, 13, 1)"])
    }

    /// `select force, cases_to_answer, staff, round(1000*cases_to_answer/nullif(staff,0),1) rate
    /// from forces order by rate desc limit 10` (NULLs last).
    func testRatePerThousandRankedWithMissingLast() throws {
        let r = try result(DeriveTests.rate + "show forces order by rate desc limit 10")
        guard case .rows(let rows) = r.body else { return XCTFail("not rows") }
        XCTAssertEqual(rows.columns.last, "rate")
        XCTAssertEqual(rows.rows.map { "\($0[0] ?? "-") \($0.last.flatMap { $0 } ?? "-")" },
                       ["Avon and Somerset 7.1", "Merseyside 5.8", "Bedfordshire 5.7", "Devon and Cornwall 5.6", "Cheshire 5.3",
                        "Essex 5", "Kent 4.9", "Lancashire 4.7", "Suffolk 4.3", "Norfolk 3.8"])
        XCTAssertTrue(r.footer.notes.map(\.text).contains("'rate' could not be computed in 1 of 14 rows scanned, so has no value there (nor where an input is missing): 1 division by zero"), "\(r.footer.notes.map(\.text))")
    }

    /// The issue's statement as written, `show` choosing columns: the same
    /// ten rows as DuckDB's query above, in the columns named.
    func testShowChosenColumnsWithARate() throws {
        let r = try result(DeriveTests.rate + "show force, cases_to_answer, staff, rate from forces order by rate desc limit 10")
        guard case .rows(let rows) = r.body else { return XCTFail("not rows") }
        XCTAssertEqual(rows.columns, ["force", "cases_to_answer", "staff", "rate"])
        XCTAssertEqual(rows.rows.map { $0.map { $0 ?? "-" }.joined(separator: " ") },
                       ["Avon and Somerset 41 5800 7.1", "Merseyside 38 6500 5.8", "Bedfordshire 12 2100 5.7", "Devon and Cornwall 33 5900 5.6",
                        "Cheshire 19 3600 5.3", "Essex 27 5400 5", "Kent 31 6300 4.9", "Lancashire 24 5100 4.7", "Suffolk 10 2300 4.3",
                        "Norfolk 11 2900 3.8"])
    }

    /// `select category, median(date_sub('month', r, closed)) … group by 1`:
    /// Discourtesy 16, Discrimination 13, Neglect of duty 11, Use of force 12.5; overall 12.
    func testMedianOfAnExpressionDirectly() throws {
        let text = DeriveTests.received + "median months(received, closed) from complaints by category"
        XCTAssertEqual(try groups(text), ["Discourtesy=16", "Discrimination=13", "Neglect of duty=11", "Use of force=12.5"])
        XCTAssertEqual(try result(text).valueName, "median months(received, closed)")
        XCTAssertEqual(try scalar(DeriveTests.received + "median months(received, closed) from complaints"), 12)
    }

    // MARK: everywhere a column is

    /// `select region, sum(rate), avg(rate) … group by 1`: East 18.8 / 4.7,
    /// North West 19.5 / 4.875, South East 8.7 / 4.35, South West 12.7 / 6.35.
    func testDerivedAsMeasureAndKeyAndCondition() throws {
        XCTAssertEqual(try groups(DeriveTests.rate + "sum rate from forces by region"),
                       ["East=18.8", "North West=19.5", "South East=8.7", "South West=12.7"])
        XCTAssertEqual(try groups(DeriveTests.rate + "avg rate from forces by region"),
                       ["East=4.7", "North West=4.875", "South East=4.35", "South West=6.35"])
        // `select count(*) from forces where rate > 5`: 5.
        XCTAssertEqual(try scalar(DeriveTests.rate + "count forces where rate > 5"), 5)
        // Missing where the staff is 0 or the cases unknown: 2.
        XCTAssertEqual(try scalar(DeriveTests.rate + "count forces where rate is missing"), 2)
        // `select quarter(r), count(*) … where r is not null`: 12, 20, 16, 10.
        XCTAssertEqual(try groups(DeriveTests.received + "define q = quarter(received)\ncount complaints where received is not missing by q"),
                       ["1=12", "2=20", "3=16", "4=10"])
    }

    /// `select year(r), count(*) … group by 1`: 2017 15, 2018 15, 2019 14, 2020 14, NULL 2.
    func testDerivedDateByYearKeepsMissingAsAGroup() throws {
        XCTAssertEqual(try groups(DeriveTests.received + "count complaints by year(received)"),
                       ["2017=15", "2018=15", "2019=14", "2020=14", "(missing)=2"])
    }

    /// `select sum(closed - r), min(closed - r), max(closed - r)`: 20845, 7, 654.
    func testDaysBetweenDates() throws {
        XCTAssertEqual(try scalar(DeriveTests.received + "define open_days = days(received, closed)\nsum open_days from complaints"), 20845)
        XCTAssertEqual(try scalar(DeriveTests.received + "min days(received, closed) from complaints"), 7)
        XCTAssertEqual(try scalar(DeriveTests.received + "max days(received, closed) from complaints"), 654)
    }

    /// Precedence, parentheses and unary minus: `round(-(cases_to_answer - 20) / 3.0, 2)`
    /// ordered by force gives -7, 2.67, 0.33, 4.33, -4.33.
    func testArithmeticPrecedence() throws {
        let r = try result("define v = round(-(cases_to_answer - 20) / 3, 2)\ndefine w = cases_to_answer * 2 + 1\nshow forces where v is not missing and w > 0 order by force limit 5")
        guard case .rows(let rows) = r.body else { return XCTFail("not rows") }
        XCTAssertEqual(Array(rows.columns.suffix(2)), ["v", "w"])
        guard rows.columns.count == 6 else { return XCTFail("\(rows.columns)") }
        XCTAssertEqual(rows.rows.map { $0[4] ?? "-" }, ["-7", "2.67", "0.33", "4.33", "-4.33"])
        XCTAssertEqual(rows.rows.prefix(3).map { $0[5] ?? "-" }, ["83", "25", "39"])
    }

    /// A derived value used by another, and by the query both ways.
    func testDerivedOnDerived() throws {
        let text = DeriveTests.received + "define months_open = months(received, closed)\nmedian months_open from complaints by category"
        XCTAssertEqual(try groups(text), ["Discourtesy=16", "Discrimination=13", "Neglect of duty=11", "Use of force=12.5"])
    }

    /// A value read only by another is computed within it (no column of
    /// its own), and its failures are counted once, in the value named.
    func testIntermediateValuesAreWrittenIntoTheirReaders() throws {
        let text = DeriveTests.received + "define months_open = months(received, closed)\nmedian months_open from complaints"
        let s = DeriveTests.session.fork()
        let program = try Parser.parse(SourceFile(name: "t", text: text))
        try ScriptRunner(session: s).run(Program(source: program.source, statements: Array(program.statements.prefix(2)), comments: []), mode: .run)
        guard case .query(let q) = program.statements[2].kind else { return XCTFail() }
        let plan = try Checker(session: s, source: program.source).plan(q)
        XCTAssertEqual(plan.derive.map(\.name), ["received", "months_open"])
        XCTAssertEqual(plan.derive.map(\.intermediate), [true, false])
        XCTAssertEqual(try result(text).footer.notes.map(\.text),
                       ["'months_open' could not be computed in 1 of 60 rows scanned, so has no value there (nor where an input is missing): 1 date that does not exist, e.g. date(2020, 13, 1)"])
        // Named by the query too, it is computed, and its failures counted there.
        let both = try result(DeriveTests.received + "define months_open = months(received, closed)\nmedian months_open from complaints where received is not missing")
        XCTAssertEqual(both.footer.notes.map(\.text), ["'received' could not be computed in 1 of 60 rows scanned, so has no value there (nor where an input is missing): 1 date that does not exist, e.g. date(2020, 13, 1)"])
    }

    /// `show` lists the values the query names, not those only they read
    /// (which have no column: showing one failed as a column gone).
    func testShowListsTheValuesNamed() throws {
        let r = try result(DeriveTests.rate + "define twice = rate * 2\nshow forces where twice > 0 order by twice desc limit 1")
        guard case .rows(let rows) = r.body else { return XCTFail("not rows") }
        XCTAssertEqual(rows.columns, ["force", "region", "cases_to_answer", "staff", "twice"])
        XCTAssertEqual(rows.rows.first?.last, "14.2")
    }

    func testUnusedDerivedValuesAreNotComputed() throws {
        let s = DeriveTests.session.fork()
        let events = try ScriptRunner(session: s).run(SourceFile(name: "t", text: DeriveTests.rate + DeriveTests.received), mode: .run)
        XCTAssertEqual(events.count, 2)
        let q = try Parser.parse(SourceFile(name: "q", text: "count complaints by category")).statements[0]
        guard case .query(let query) = q.kind else { return XCTFail() }
        XCTAssertEqual(try Checker(session: s, source: SourceFile(name: "q", text: "")).plan(query).derive, [])
    }

    /// A subset, a distinct count and an assertion over a derived value.
    /// DuckDB: `select count(*), count(distinct r) from (select round(1000*cases_to_answer/nullif(staff,0)) r from forces) where r >= 5`
    /// gives 8 and 3; over all rows `count(distinct r)` is 4.
    func testDerivedInSubsetsDistinctCountsAndAssertions() throws {
        let text = "define r = round(1000 * cases_to_answer / staff)\nlet high = forces where r >= 5\n"
        XCTAssertEqual(try scalar(text + "count high"), 8)
        XCTAssertEqual(try scalar(text + "count distinct r from high"), 3)
        XCTAssertEqual(try scalar(text + "count distinct r from forces"), 4)
        let events = try ScriptRunner(session: DeriveTests.session.fork()).run(SourceFile(name: "t", text: text + "assert count high = 8"), mode: .test)
        XCTAssertTrue(events.contains { if case .assertion(let o) = $0 { return o.passed } else { return false } })
    }

    /// A name is a condition or a value, whichever it was defined as last.
    func testRedefiningSwitchesKind() throws {
        let s = DeriveTests.session.fork()
        try ScriptRunner(session: s).run(SourceFile(name: "t", text: "define x = staff > 5000\ndefine x = staff / 1000"), mode: .run)
        XCTAssertNil(s.defines["x"])
        XCTAssertNotNil(s.derivations["x"])
        try ScriptRunner(session: s).run(SourceFile(name: "t", text: "define x = staff > 5000"), mode: .run)
        XCTAssertNotNil(s.defines["x"])
        XCTAssertNil(s.derivations["x"])
        XCTAssertTrue(try Describer.describeText("x", in: s).hasPrefix("definition x = staff > 5000"))
        try ScriptRunner(session: s).run(SourceFile(name: "t", text: "define x = staff / 1000"), mode: .run)
        XCTAssertTrue(try Describer.describeText("x", in: s).hasPrefix("derived value x = staff / 1000 (computed for each row)"))
    }

    // MARK: functions against DuckDB

    /// DuckDB 2.0.1, `select round(x::double, d)` for each: the double's
    /// exact value rounded, halves away from zero (2.675 is stored as
    /// 2.67499…, though 2.675 * 100 is 267.5 in doubles; 8.345 as 8.34500…06).
    func testRoundAsDuckDB() throws {
        let cases: [(Double, Int, Double)] = [
            (0.125, 2, 0.13), (0.375, 2, 0.38), (-0.125, 2, -0.13), (1.5, 0, 2), (2.5, 0, 3), (-2.5, 0, -3), (2.675, 2, 2.67),
            (1.005, 2, 1), (0.285, 2, 0.28), (1.115, 2, 1.11), (8.345, 2, 8.35), (125, -1, 130), (135, -1, 140), (-125, -1, -130),
            (1234.5678, -2, 1200), (0.1 + 0.2, 1, 0.3), (1e300, 2, 1e300), (123456789012.345, 3, 123456789012.345), (5.015, 2, 5.01),
            (4.35, 1, 4.3), (4.45, 1, 4.5), (0.5, 1, 0.5), (1e308, 2, 1e308), (1e308, -2, 1e308), (5e-324, 2, 0),
            (0.5e-10, 10, 1e-10), (1.23456789, 15, 1.23456789), (0.0000000000000005, 15, 1e-15),
        ]
        for (x, d, want) in cases { XCTAssertEqual(Derive.roundHalfAway(x, digits: d), want, "round(\(x), \(d))") }
        let col = try Derive.compute(.round(.number(.nan), digits: 1), type: .number, rows: 1) { _ in throw MisqError(.runtime, "no column") }
        guard case .number(let n) = col.column else { return XCTFail() }
        XCTAssertTrue(n.values[0].isNaN, "missing in, missing out")
    }

    /// `select date_sub('month', a, b), date_diff('day', a, b)` for each pair.
    func testWholeMonthsAndDaysAsDuckDB() throws {
        let pairs: [(String, String, Int, Int)] = [
            ("2020-01-31", "2020-02-29", 1, 29), ("2020-01-30", "2020-02-29", 1, 30), ("2021-01-31", "2021-02-28", 1, 28),
            ("2021-01-28", "2021-02-28", 1, 31), ("2021-01-29", "2021-02-27", 0, 29), ("2020-02-29", "2020-03-28", 0, 28),
            ("2020-02-29", "2020-03-29", 1, 29), ("2020-03-31", "2020-02-29", -1, -31), ("2020-03-30", "2020-02-29", -1, -30),
            ("2020-03-15", "2020-02-16", 0, -28), ("2019-07-01", "2019-07-01", 0, 0), ("2019-07-15", "2020-07-14", 11, 365),
            ("2019-07-15", "2020-07-15", 12, 366), ("2018-12-31", "2019-06-30", 6, 181), ("2018-08-31", "2018-09-30", 1, 30),
            ("2018-08-30", "2018-09-30", 1, 31), ("2016-02-29", "2017-02-28", 12, 365), ("2017-02-28", "2016-02-29", -12, -365),
            ("2000-01-01", "2024-04-30", 291, 8886), ("2024-04-30", "1999-12-31", -292, -8887),
        ]
        for (a, b, months, days) in pairs {
            guard let x = ValueParsing.date(a), let y = ValueParsing.date(b) else { return XCTFail("\(a) \(b)") }
            XCTAssertEqual(Derive.wholeMonths(from: x, to: y), months, "months(\(a), \(b))")
            let d = try Derive.compute(.days(.day(x), .day(y)), type: .number, rows: 1) { _ in throw MisqError(.runtime, "no column") }
            guard case .number(let n) = d.column else { return XCTFail() }
            XCTAssertEqual(n.values[0], Double(days), "days(\(a), \(b))")
        }
    }

    /// `make_date(2019, 2, 30)` is an error in DuckDB (NULL under try): missing, counted.
    func testImpossibleDatesAreMissingAndCounted() throws {
        let d = try Derive.compute(.makeDate(.number(2019), .number(2), .number(30)), type: .date, rows: 3) { _ in throw MisqError(.runtime, "") }
        guard case .date(let c) = d.column else { return XCTFail() }
        XCTAssertEqual(Array(c.days), [DateColumn.missing, DateColumn.missing, DateColumn.missing])
        XCTAssertEqual(d.noSuchDate, 3)
        XCTAssertEqual(d.noSuchDateExample, "date(2019, 2, 30)")
        let ok = try Derive.compute(.part(.quarter, .makeDate(.number(2019), .number(8), nil)), type: .number, rows: 1) { _ in throw MisqError(.runtime, "") }
        guard case .number(let q) = ok.column else { return XCTFail() }
        XCTAssertEqual(q.values[0], 3)
    }

    /// Many rows, split into many slices: the same column as one pass, and
    /// the counts of failures add up across slices.
    func testSlicesJoin() throws {
        let n = 5_000
        let values = ColumnValues((0..<n).map { Double($0 % 7) })
        let col: (String) throws -> Column = { _ in .number(NumberColumn(values: values, allIntegers: true)) }
        let e = PlanExpr.arithmetic(.divide, .number(1), .column("x"))
        let whole = try Derive.compute(e, type: .number, rows: n, column: col)
        let sliced = try Parallel.$testGrain.withValue(300) { try Derive.compute(e, type: .number, rows: n, column: col) }
        guard case .number(let a) = whole.column, case .number(let b) = sliced.column else { return XCTFail() }
        XCTAssertTrue(zip(a.values, b.values).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
        XCTAssertEqual(whole.divisionsByZero, (n + 6) / 7)
        XCTAssertEqual(sliced.divisionsByZero, whole.divisionsByZero)
    }

    // MARK: conditions stay conditions

    func testDefineTellsConditionsFromExpressions() throws {
        let program = try Parser.parse(SourceFile(name: "t", text: """
            define a = outcome = dismissal
            define b = (suspended or vawg)
            define c = suspended
            define d = 2022-05-17
            define e = reported in 2022
            define f = round(days_open / 7)
            define g = 1000
            define h = days(reported, 2024-04-30)
            define i = outcome starts with "dismissal"
            define j = outcome contains "notice"
            """))
        let kinds = program.statements.map { s -> String in
            switch s.kind {
            case .define: return "condition"
            case .derive: return "value"
            default: return "other"
            }
        }
        XCTAssertEqual(kinds, ["condition", "condition", "condition", "condition", "condition", "value", "value", "value", "condition", "condition"])
    }

    /// `.help define` and `.help round` explain values per row.
    func testHelpExplainsDerivedValues() {
        XCTAssertTrue(HelpText.render("define").contains("define NAME = EXPRESSION"))
        XCTAssertTrue(HelpText.render("round").contains("halves away from zero"))
        XCTAssertTrue(HelpText.render("derived").contains("months(a, b)"))
    }

    /// A very long expression is an error, not a stack overflow in the
    /// checker or the printer (9,000 terms crashed the printer).
    func testLongExpressionsAreBounded() throws {
        let long = "define x = " + Array(repeating: "days_open", count: 1_002).joined(separator: " + ")
        XCTAssertThrowsError(try Parser.parse(SourceFile(name: "t", text: long))) { e in
            XCTAssertTrue("\(e)".contains("more than 1000 operators and calls"), "\(e)")
        }
        let fine = "define x = " + Array(repeating: "days_open", count: 1_000).joined(separator: " + ")
        XCTAssertNoThrow(try Parser.parse(SourceFile(name: "t", text: fine)))
    }

    func testPrintedExpressionParsesToTheSameText() throws {
        for text in ["round(1000 * a / b, 1)", "a - (b - c)", "(a + b) * c", "-(a - 1) / 3", "a / (b * c)", "days(x, 2024-04-30)"] {
            let p = try Parser.parse(SourceFile(name: "t", text: "define v = " + text))
            guard case .derive(_, let e, _) = p.statements[0].kind else { return XCTFail(text) }
            XCTAssertEqual(e.description, text)
        }
    }
}
