import XCTest
@testable import MisqKit

/// `percentile P COLUMN` (issue 17, item 4). Numbers: DuckDB's
/// `quantile_cont(x, P/100)`; dates: `quantile_disc(d, P/100)`, the rule
/// `median` of dates already follows. Every expected figure below comes
/// from DuckDB 2.0.1 on Fixtures/percentile/closures.csv, printed by
/// Fixtures/percentile/duckdb_expected.py (run it there to re-check); the
/// file has ties (Upheld), one value (Not upheld), two (Withdrawn), none
/// (Pending: every value missing) and missing values among others
/// (Referred, Upheld's `closed`).
final class PercentileTests: XCTestCase {
    static let closures = Fixtures.testsDirectory.appendingPathComponent("Fixtures/percentile/closures.csv").path

    typealias Figure = (Double?, String?)
    /// P, then per outcome (days_to_close, closed), then over all rows.
    static let expected: [(String, [String: Figure], Figure)] = [
        ("0", ["Not upheld": (15.0, "2022-09-09"), "Pending": (nil, nil), "Referred": (-2.0, "2022-04-04"), "Upheld": (3.0, "2022-01-10"), "Withdrawn": (4.0, "2021-12-01")], (-2.0, "2021-12-01")),
        ("10", ["Not upheld": (15.0, "2022-09-09"), "Pending": (nil, nil), "Referred": (-1.16, "2022-04-04"), "Upheld": (3.0, "2022-01-10"), "Withdrawn": (4.5, "2021-12-01")], (0.5200000000000001, "2022-01-10")),
        ("25", ["Not upheld": (15.0, "2022-09-09"), "Pending": (nil, nil), "Referred": (0.1, "2022-04-05"), "Upheld": (4.0, "2022-02-01"), "Withdrawn": (5.25, "2021-12-01")], (3.0, "2022-03-15")),
        ("33.3", ["Not upheld": (15.0, "2022-09-09"), "Pending": (nil, nil), "Referred": (0.2992, "2022-04-05"), "Upheld": (6.988000000000001, "2022-02-01"), "Withdrawn": (5.665000000000001, "2021-12-01")], (3.6610000000000005, "2022-03-15")),
        ("50", ["Not upheld": (15.0, "2022-09-09"), "Pending": (nil, nil), "Referred": (0.7, "2022-04-06"), "Upheld": (9.75, "2022-03-15"), "Withdrawn": (6.5, "2021-12-01")], (8.0, "2022-04-06")),
        ("90", ["Not upheld": (15.0, "2022-09-09"), "Pending": (nil, nil), "Referred": (600013.3500000001, "2024-02-29"), "Upheld": (45.899999999999984, "2023-06-30"), "Withdrawn": (8.5, "2022-12-01")], (55.70000000000003, "2023-06-30")),
        ("99.5", ["Not upheld": (15.0, "2022-09-09"), "Pending": (nil, nil), "Referred": (980000.905, "2024-02-29"), "Upheld": (87.795, "2023-06-30"), "Withdrawn": (8.975, "2022-12-01")], (915007.8787499992, "2024-02-29")),
        ("100", ["Not upheld": (15.0, "2022-09-09"), "Pending": (nil, nil), "Referred": (1000000.25, "2024-02-29"), "Upheld": (90.0, "2023-06-30"), "Withdrawn": (9.0, "2022-12-01")], (1000000.25, "2024-02-29")),
    ]

    func run(_ text: String) throws -> [QueryResult] {
        try Fixtures.results("load \"\(Self.closures)\" as closures\n" + text, session: Session())
    }

    func groups(_ text: String) throws -> [String: Double] {
        guard case .groups(let g)? = try run(text).last?.body else { throw MisqError(.runtime, "not grouped: \(text)") }
        return Dictionary(uniqueKeysWithValues: g.rows.map { ($0.keys.map { $0 ?? "(missing)" }.joined(separator: "/"), $0.values[0]) })
    }

    func scalar(_ text: String) throws -> Double {
        guard let v = try run(text).last?.scalarValue else { throw MisqError(.runtime, "not a scalar: \(text)") }
        return v
    }

    /// Missing is NaN in a result; DuckDB's NULL is nil here.
    func number(_ v: Double?) -> Double? { v.flatMap { $0.isNaN ? nil : $0 } }
    func day(_ v: Double?) -> String? { number(v).map { Day.iso(Int($0)) } }

    /// Every group's figure equals DuckDB's to the last bit, numbers and
    /// dates, grouped and over all rows.
    func testMatchesDuckDBByGroupAndOverall() throws {
        for (p, byOutcome, overall) in Self.expected {
            let numbers = try groups("percentile \(p) days_to_close from closures by outcome")
            let dates = try groups("percentile \(p) closed from closures by outcome")
            XCTAssertEqual(Set(numbers.keys), Set(byOutcome.keys), p)
            for (outcome, (n, d)) in byOutcome {
                XCTAssertEqual(number(numbers[outcome]), n, "percentile \(p) days_to_close, \(outcome)")
                XCTAssertEqual(day(dates[outcome]), d, "percentile \(p) closed, \(outcome)")
            }
            XCTAssertEqual(number(try scalar("percentile \(p) days_to_close from closures")), overall.0, "percentile \(p) overall")
            XCTAssertEqual(day(try scalar("percentile \(p) closed from closures")), overall.1, "percentile \(p) closed overall")
        }
    }

    /// `percentile 50` is `median`, bit for bit, for numbers and dates: one
    /// kernel computes both.
    func testPercentile50IsTheMedian() throws {
        for column in ["days_to_close", "closed"] {
            let p50 = try groups("percentile 50 \(column) from closures by outcome")
            let median = try groups("median \(column) from closures by outcome")
            XCTAssertEqual(p50.keys.sorted(), median.keys.sorted())
            for (k, v) in p50 { XCTAssertEqual(v.bitPattern, median[k]?.bitPattern, "\(column) \(k)") }
        }
        // And on the 20-row fixture, whose medians DateMeasureTests and the
        // goldens pin.
        for text in ["days_open by outcome", "days_open by severity across source", "reported by severity"] {
            guard case .groups(let a)? = try Fixtures.results("percentile 50 " + text).last?.body,
                  case .groups(let b)? = try Fixtures.results("median " + text).last?.body else { return XCTFail(text) }
            XCTAssertEqual(a.rows.map { $0.values.map(\.bitPattern) }, b.rows.map { $0.values.map(\.bitPattern) }, text)
            XCTAssertEqual(a.grandTotal.bitPattern, b.grandTotal.bitPattern, text)
        }
    }

    /// With `where`, `top`, `order by`, `across`: expected from DuckDB
    /// (duckdb_expected.py, the lines after the table).
    func testWithTheOtherClauses() throws {
        XCTAssertEqual(try scalar("percentile 90 days_to_close from closures where outcome != upheld"), 300023.1749999998)
        guard case .groups(let top)? = try run("percentile 75 days_to_close from closures by outcome top 2").last?.body else { return XCTFail() }
        XCTAssertEqual(top.rows.map { $0.keys[0] }, ["Referred", "Upheld"])
        XCTAssertEqual(top.rows.map { $0.values[0] }, [33.0, 20.0])
        guard case .groups(let ordered)? = try run("percentile 75 days_to_close from closures by outcome order by value desc").last?.body else { return XCTFail() }
        XCTAssertEqual(ordered.rows.prefix(2).map { $0.keys[0] }, ["Referred", "Upheld"])
        guard case .groups(let cross)? = try run("percentile 50 days_to_close from closures where closed is not missing by outcome across year(closed)").last?.body else { return XCTFail() }
        XCTAssertEqual(cross.acrossLabels, ["2021", "2022", "2023", "2024"])
        var cells: [String: Double] = [:]
        for row in cross.rows { for (label, v) in zip(cross.acrossLabels, row.values) where !v.isNaN { cells[(row.keys[0] ?? "(missing)") + " " + label] = v } }
        XCTAssertEqual(cells, ["Not upheld 2022": 15.0, "Referred 2022": 0.39999999999999997, "Referred 2024": 1000000.25,
                               "Upheld 2022": 7.0, "Upheld 2023": 65.5, "Withdrawn 2021": 4.0, "Withdrawn 2022": 9.0])
    }

    /// A group whose values are all missing (Pending) has no figure; it
    /// sorts last in either direction (SQL's NULLS LAST) and is never in a
    /// `top`. Its NaN compared as a number used to scramble the sort: `top 2`
    /// of the fixture's medians gave 200 and 90, skipping 180.
    func testMissingFiguresSortLast() throws {
        XCTAssertEqual(try Fixtures.groups("median days_open by outcome top 2"),
                       ["Dismissal without notice=200", "Dismissal with notice=180"])
        for direction in ["asc", "desc"] {
            let rows = try Fixtures.groups("median days_open by outcome order by value \(direction)")
            XCTAssertEqual(rows.suffix(2), ["Pending=(missing)", "(missing)=(missing)"], direction)
            let values = rows.dropLast(2).compactMap { $0.split(separator: "=").last.flatMap { Double($0) } }
            XCTAssertEqual(values, direction == "asc" ? values.sorted() : values.sorted(by: >), direction)
        }
    }

    /// The heading, the footer's overall figure, and dates shown as dates.
    func testResultWording() throws {
        guard let r = try run("percentile 90 days_to_close from closures by outcome").last else { return XCTFail() }
        let g = Grid(r)
        XCTAssertEqual(g.header, ["outcome", "percentile 90 days_to_close"])
        XCTAssertTrue(g.footer.contains("overall percentile 90 days_to_close: 55.70"), "\(g.footer)")
        XCTAssertEqual(g.rows.first { $0[0].text == "Pending" }?[1].text, "(missing)")
        guard let d = try run("percentile 99.5 closed from closures").last else { return XCTFail() }
        XCTAssertEqual(Grid(d).header, ["percentile 99.5 closed"])
        XCTAssertEqual(Grid(d).rows[0][0].text, "2024-02-29")
    }

    private func assertion(_ text: String) throws -> AssertionOutcome? {
        let events = try ScriptRunner(session: Session()).run(
            SourceFile(name: "t", text: "load \"\(Self.closures)\" as closures\n" + text), mode: .run)
        for case .assertion(let o) in events { return o }
        return nil
    }

    func testAssertions() throws {
        XCTAssertEqual(try assertion("assert percentile 90 days_to_close from closures where outcome = upheld ~ 45.9")?.passed, true)
        let miss = try assertion("assert percentile 90 days_to_close from closures where outcome = upheld = 46")
        XCTAssertEqual(miss?.passed, false)
        XCTAssertEqual(miss?.actual, "45.9")
        XCTAssertEqual(try assertion("assert percentile 90 closed from closures = 2023-06-30")?.passed, true)
        XCTAssertEqual(try assertion("assert percentile 90 closed from closures = 2023-06-29")?.difference, "+1 day")
    }

    /// Out of range, a sign, no P, a text column: errors that point at the
    /// fault, from the registry entry's range and types.
    func testErrors() throws {
        func error(_ text: String) -> MisqError? {
            do { _ = try run(text); return nil } catch { return error.misqErrors.first }
        }
        let over = error("percentile 150 days_to_close from closures")
        XCTAssertEqual(over?.message, "percentile 150 is outside 0 to 100")
        XCTAssertEqual(over?.suggestion, "e.g. percentile 90 days_to_close")
        XCTAssertEqual(error("percentile 100.5 days_to_close from closures")?.message, "percentile 100.5 is outside 0 to 100")
        XCTAssertEqual(error("percentile -1 days_to_close from closures")?.message, "percentile -1 is outside 0 to 100")
        let none = error("percentile days_to_close from closures")
        XCTAssertEqual(none?.suggestion, "e.g. percentile 90 days_to_close")
        XCTAssertTrue(none?.message.hasPrefix("expected P after 'percentile'") ?? false, "\(String(describing: none))")
        XCTAssertEqual(error("percentile 90 outcome from closures")?.message,
                       "percentile needs a number or date column; 'outcome' holds category values")
        XCTAssertNil(error("percentile 0 days_to_close from closures"))
        XCTAssertNil(error("percentile 100 days_to_close from closures"))
    }

    /// P below 1 is valid but is how SQL writes the 90th (quantile 0.9):
    /// the footer says what it means; from 1 up it does not.
    func testAFractionalPIsExplained() throws {
        let note = "P is a percent: percentile 0.9 is 0.9% of the way up the sorted values, near the smallest; the 90th percentile is percentile 90"
        XCTAssertEqual(try run("percentile 0.9 days_to_close from closures").last?.footer.noteTexts, [note])
        XCTAssertEqual(try run("percentile 0.9 closed from closures by outcome").last?.footer.noteTexts, [note])
        for p in ["0", "1", "90", "100"] {
            XCTAssertEqual(try run("percentile \(p) days_to_close from closures").last?.footer.noteTexts, [], p)
        }
    }

    /// The kernel's rank for dates is exact: 0.07 × 100 is 7, so the 7th
    /// value (index 6), where floating point would give 7.000…01 and the 8th.
    /// DuckDB: `select quantile_disc(x, 0.07) from range(0, 100) t(x)` is 6.
    func testDiscreteRankIsExact() throws {
        let q = try XCTUnwrap(ExactNumber(decimal: "0.07"))
        XCTAssertEqual(Measurer.discreteRank(q, 100), 6)
        XCTAssertEqual(Measurer.discreteRank(try XCTUnwrap(ExactNumber(decimal: "0.9")), 5), 4)
        XCTAssertEqual(Measurer.discreteRank(ExactNumber(0), 5), 0)
        XCTAssertEqual(Measurer.discreteRank(ExactNumber(1), 5), 4)
    }

    /// `.help percentile` (and `.help median`, …) shows the aggregates
    /// topic, one line per registry entry, and states the definition.
    func testHelp() {
        let text = HelpText.render("percentile")
        XCTAssertTrue(text.contains(HelpText.render("aggregates")), text)
        for a in AggregateSpec.all {
            let form = ([a.name] + a.parameters.map(\.name) + ["COLUMN"]).joined(separator: " ")
            XCTAssertTrue(text.contains("  " + form + " "), form)
            XCTAssertTrue(text.contains(a.summary), a.name)
        }
        for phrase in ["quantile_cont(x, P/100)", "quantile_disc", "percentile 50 is the median", "Missing values are left out", "99.5"] {
            XCTAssertTrue(text.contains(phrase), phrase)
        }
        XCTAssertTrue(HelpText.render(nil).contains("aggregates"))
    }

    /// Selection puts at k what sorting would, with nothing greater before
    /// and nothing smaller after: random runs with many ties, all equal,
    /// sorted, reversed, and k at both ends.
    func testSelectionAgreesWithSorting() {
        var rng = SystemRandomNumberGenerator()
        var runs: [[Double]] = [[], [5], [2, 1], [Double](repeating: 3, count: 50), (0..<200).map(Double.init), (0..<200).reversed().map(Double.init)]
        for _ in 0..<300 {
            let n = Int.random(in: 1...400, using: &rng), spread = Double(Int.random(in: 1...1000, using: &rng))
            runs.append((0..<n).map { _ in (Double.random(in: 0..<spread, using: &rng)).rounded() - spread / 2 })
        }
        for run in runs where !run.isEmpty {
            let sorted = run.sorted()
            for k in Set([0, run.count - 1, run.count / 2, Int.random(in: 0..<run.count, using: &rng)]) {
                var a = run
                a.withUnsafeMutableBufferPointer { Measurer.select($0, k) }
                XCTAssertEqual(a[k], sorted[k], "n \(run.count) k \(k)")
                XCTAssertTrue(a[..<k].allSatisfy { $0 <= a[k] } && a[(k + 1)...].allSatisfy { $0 >= a[k] })
                XCTAssertEqual(a.sorted(), sorted, "a permutation")
            }
        }
    }

    /// The plan names the percentile and the text prints back as written.
    func testPlanAndPrintedForm() throws {
        let program = try Parser.parse(SourceFile(name: "t", text: "percentile 99.5 days_open by outcome"))
        XCTAssertEqual(program.statements.first?.description, "percentile 99.5 days_open by outcome")
        let plan = try Explain.text(SourceFile(name: "t", text: "percentile 90 days_open by outcome"), session: Fixtures.smallSession.fork())
        XCTAssertTrue(plan.contains("measure  percentile 90 days_open as \"percentile 90 days_open\""), plan)
    }
}
