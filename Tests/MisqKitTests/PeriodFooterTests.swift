import Testing
import PropertyBased
@testable import MisqKit

/// The footer's period states exactly the days a condition admits. The
/// fixture has one row per day from 2019-07-01 to 2023-06-30 for each
/// value of a yes/no `flag`, and two rows with no date; the real filter
/// runs over it, and the footer's day set (as data, not text) must admit
/// exactly the rows' days the filter kept.
struct PeriodFooterTests {
    static let first = Day.number(2019, 7, 1), last = Day.number(2023, 6, 30)

    /// Rows in order: (day or nil, flag).
    static let rows: [(Int?, Bool)] = {
        var out: [(Int?, Bool)] = []
        for d in first...last { out.append((d, true)); out.append((d, false)) }
        out.append((nil, true)); out.append((nil, false))
        return out
    }()

    static let session: Session? = {
        var text = "reported,flag\n"
        for (d, f) in rows { text += "\(d.map(Day.iso) ?? ""),\(f ? "yes" : "no")\n" }
        guard let csv = try? CSVFile(path: "days.csv", bytes: Array(text.utf8)) else { return nil }
        var reported = FieldSchema(name: "reported"); reported.declaredType = .date
        var flag = FieldSchema(name: "flag"); flag.declaredType = .boolean
        let s = Session()
        // As of mid-March, so `last N months` takes the day-after branch.
        guard (try? s.add(Dataset(name: "d", path: "days.csv", csv: csv, fields: [reported, flag], units: ["rows": .rows],
                                  periodColumn: "reported", asOf: Day.number(2023, 3, 15), isDefault: true))) != nil else { return nil }
        return s
    }()

    /// Random conditions over `reported` (and, with `flag`, over a second column).
    struct Walker {
        var choices: [Int]
        var withFlag: Bool
        var i = 0
        mutating func next(_ n: Int) -> Int {
            defer { i += 1 }
            return choices.isEmpty ? 0 : abs(choices[i % choices.count]) % n
        }
        mutating func literal() -> String {
            let y = 2020 + next(3)
            switch next(5) {
            case 0: return "\(y)"
            case 1: return PeriodLiteral.month(y, 1 + next(12)).description
            case 2: return PeriodLiteral.dayOf(y, 1 + next(12), 1 + next(28)).description
            case 3: return "\(y)-Q\(1 + next(4))"
            default: return PeriodLiteral.financialYear(y).description
            }
        }
        mutating func period() -> String {
            switch next(5) {
            case 0, 1: return literal()
            case 2: return "\(literal())..\(literal())"
            case 3: return "\(literal()) through \(literal())"
            default: return next(2) == 0 ? "since \(literal())" : "last \(1 + next(30)) months"
            }
        }
        mutating func atom() -> String {
            switch next(withFlag ? 7 : 6) {
            case 0, 1: return "reported \(["<", "<=", ">", ">=", "=", "!="][next(6)]) \(literal())"
            case 2: return "reported in \(period())"
            case 3: return "period \(period())"
            case 4: return "reported is \(next(2) == 0 ? "" : "not ")missing"
            case 5: return "reported \(["<", ">="][next(2)]) \(literal())"
            default: return next(2) == 0 ? "flag" : "flag = no"
            }
        }
        mutating func condition(_ depth: Int) -> String {
            switch depth > 3 ? 0 : next(6) {
            case 0, 1: return atom()
            case 2: return "not \(condition(depth + 1))"
            case 3: return "(\(condition(depth + 1)) or \(condition(depth + 1)))"
            case 4: return "(\(condition(depth + 1)) and \(condition(depth + 1)))"
            default: return "(\(condition(depth + 1)) and \(condition(depth + 1)) or \(condition(depth + 1)))"
            }
        }
    }

    enum Outcome { case checked, skipped }

    /// Plans `count rows where text`, runs its filter, and checks the
    /// footer's statement for `reported` against the rows kept.
    static func check(_ text: String, mayCombine: Bool) -> Outcome {
        guard let s = session else { Issue.record("fixture did not load"); return .checked }
        let src = SourceFile(name: "q", text: "count rows where \(text)")
        let plan: LogicalPlan
        let kept: Bitmap
        do {
            guard case .query(let q)? = try Parser.parse(src).statements.first?.kind else { Issue.record("not a query: \(text)"); return .checked }
            plan = try Checker(session: s, source: src).plan(q)
            guard let ds = s.dataset(named: plan.dataset) else { Issue.record("no dataset"); return .checked }
            kept = try Filter.evaluate(try Lower.condition(plan.filter, ds), ds)
        } catch let e as MisqError where e.kind == .period {
            return .skipped  // a generated range that ends before it starts
        } catch {
            Issue.record("\(text): \(DiagnosticRenderer.render(error.misqErrors))"); return .checked
        }
        let statements = plan.periods.filter { $0.column == "reported" }
        #expect(statements.count <= 1, "\(text): one statement per column")
        // No statement: nothing restricted.
        let p = statements.first ?? ResolvedPeriod(column: "reported", days: .all, admitsMissing: true)
        func claimed(_ day: Int?) -> Bool { day.map(p.days.contains) ?? p.admitsMissing }
        if !p.exact {
            #expect(mayCombine, "\(text): only a second column makes a combination")
            #expect(!p.named.isEmpty || text.contains("missing"), "\(text): a combination names its periods")
        }
        // Exact: a row counts when its day is admitted and the rest of the
        // condition, which tests only `flag`, holds. So the rows of one flag
        // value are kept on every admitted day or on none.
        var flagHolds: [Bool: Bool] = [:]
        for (r, (day, flag)) in rows.enumerated() {
            let k = kept[r]
            if k && !claimed(day) {
                Issue.record("\(text): \(day.map(Day.iso) ?? "missing") (flag \(flag)) counted, but the footer says \(p.statement ?? "nothing")")
                return .checked
            }
            guard p.exact, claimed(day) else { continue }
            if let prev = flagHolds[flag], prev != k {
                Issue.record("\(text): the footer's \(p.statement ?? "nothing") does not say which days of flag \(flag) count")
                return .checked
            }
            flagHolds[flag] = k
        }
        if p.exact && !mayCombine {
            // Without flag, exactly the admitted days.
            #expect(flagHolds.values.allSatisfy { $0 } || flagHolds.isEmpty, "\(text): an admitted day was not counted")
        }
        return .checked
    }

    /// Only `reported`: the footer's days are exactly the filter's.
    @Test func footerDaysAreTheFilteredDays() async {
        var checked = 0
        await propertyCheck(count: 400, input: Gen.int(in: 0...10_000).array(of: 1...40)) { choices in
            var w = Walker(choices: choices, withFlag: false)
            if Self.check(w.condition(0), mayCombine: false) == .checked { checked += 1 }
        }
        #expect(checked > 200, "most generated conditions plan")
    }

    /// With a second column: exact where the date part separates, and a
    /// true outer bound where it does not.
    @Test func footerDaysBoundTheFilteredDaysBesideOtherConditions() async {
        await propertyCheck(count: 400, input: Gen.int(in: 0...10_000).array(of: 1...40)) { choices in
            var w = Walker(choices: choices, withFlag: true)
            _ = Self.check(w.condition(0), mayCombine: true)
        }
    }

    /// The issue's examples, and each form, by hand: the days of 2022 are
    /// 2022-01-01 to 2022-12-31.
    @Test func statementsByHand() {
        let cases: [(String, String?)] = [
            ("reported < 2022", "up to 2021-12-31 on reported"),
            ("reported <= 2022", "up to 2022-12-31 on reported"),
            ("reported > 2022", "from 2023-01-01 on reported"),
            ("reported >= 2022-05", "from 2022-05-01 on reported"),
            ("not reported in 2022", "up to 2021-12-31 and from 2023-01-01 on reported, and rows where reported is missing"),
            ("reported != 2022", "up to 2021-12-31 and from 2023-01-01 on reported"),
            ("reported in 2020 or reported in 2022",
             "2020-01-01 to 2020-12-31 (12 months, 366 days) and 2022-01-01 to 2022-12-31 (12 months, 365 days) on reported"),
            ("period 2022-05..2023-05 and reported < 2023", "2022-05-01 to 2022-12-31 (8 months, 245 days) on reported"),
            ("period 2022 and flag", "2022-01-01 to 2022-12-31 (12 months, 365 days) on reported"),
            ("reported in 2021 or reported in 2022", "2021-01-01 to 2022-12-31 (24 months, 730 days) on reported"),
            ("reported in 2021 and reported in 2022", "no dates on reported"),
            ("reported < 2022 or reported >= 2022", "any date on reported; rows where it is missing are left out"),
            ("reported < 2022 or not reported < 2022", nil),
            ("reported is missing", "no dates on reported: only rows where reported is missing"),
            ("last 3 months", "2022-12-16 to 2023-03-15 (90 days) on reported, to the as-of date 2023-03-15"),
            // Issue 15, item 3: the as-of note only where the days end on it
            // (days counted by hand: 16 in December; 31 + 28 + 15 = 74).
            ("last 3 months and not period 2023", "2022-12-16 to 2022-12-31 (16 days) on reported"),
            ("last 3 months and reported >= 2023-01", "2023-01-01 to 2023-03-15 (74 days) on reported, to the as-of date 2023-03-15"),
            ("period 2022 or flag",
             "2022-01-01 to 2022-12-31 (12 months, 365 days) on reported, combined with other conditions: rows of any date can count, and rows where reported is missing"),
            ("(period 2021 and flag) or (period 2022 and not flag)",
             "2021-01-01 to 2021-12-31 (12 months, 365 days); 2022-01-01 to 2022-12-31 (12 months, 365 days) on reported, combined with other conditions: only rows from 2021-01-01 to 2022-12-31 (24 months, 730 days) can count"),
        ]
        guard let s = Self.session else { Issue.record("fixture did not load"); return }
        for (text, expected) in cases {
            let src = SourceFile(name: "q", text: "count rows where \(text)")
            do {
                guard case .query(let q)? = try Parser.parse(src).statements.first?.kind else { continue }
                let plan = try Checker(session: s, source: src).plan(q)
                #expect(plan.periods.compactMap(\.statement) == (expected.map { [$0] } ?? []), "\(text)")
            } catch {
                Issue.record("\(text): \(DiagnosticRenderer.render(error.misqErrors))")
            }
        }
    }

    @Test func daySetAlgebra() {
        let a = DaySet(from: 10, to: 20), b = DaySet(from: 15, to: 30)
        #expect(a.union(b).intervals == [DayInterval(start: 10, end: 30)])
        #expect(a.intersection(b).intervals == [DayInterval(start: 15, end: 20)])
        #expect(a.complement.complement == a)
        #expect(a.complement.intersection(a).isEmpty)
        #expect(a.complement.union(a).isAll)
        // Touching intervals merge: [10, 20) and [20, 25) are one run of days.
        #expect(a.union(DaySet(from: 20, to: 25)).intervals.count == 1)
        #expect(DaySet.empty.complement.isAll)
    }

    /// Issue 16: the year keeps four digits.
    @Test func earlyYearsPrintInFull() {
        #expect(Day.iso(Day.number(1, 1, 1)) == "0001-01-01")
        #expect(Day.iso(Day.number(999, 12, 31)) == "0999-12-31")
        #expect(Day.iso(Day.number(2022, 5, 17)) == "2022-05-17")
    }
}
