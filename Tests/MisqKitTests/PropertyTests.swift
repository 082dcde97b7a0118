import Testing
import PropertyBased
@testable import MisqKit

/// Properties over random inputs (x-sheep/swift-property-based). Inputs are
/// lists of choice numbers walked through a small grammar, so a failure
/// shrinks to a short query or a small table.
struct PropertyTests {
    // MARK: random query text

    /// Builds query text from choices: conditions, keys, periods, options.
    struct QueryWalker {
        var choices: [Int]
        var i = 0
        mutating func next(_ n: Int) -> Int {
            defer { i += 1 }
            return choices.isEmpty ? 0 : abs(choices[i % choices.count]) % n
        }
        static let columns = ["outcome", "source", "suspended", "days"]
        static let values = ["pending", "written_warning", "\"Dismissal without notice\"", "internal", "yes", "3"]
        mutating func period() -> String {
            let lits = ["2022", "2022-05", "2022-05-17", "2022-Q2", "FY2022/23", "2023"]
            switch next(4) {
            case 0: return lits[next(lits.count)]
            case 1: return "\(lits[next(3)])..\(lits[5])"
            case 2: return "since \(lits[next(lits.count)])"
            default: return "last \(1 + next(24)) months"
            }
        }
        mutating func condition(_ depth: Int) -> String {
            switch depth > 2 ? next(5) : next(9) {
            case 0: return "suspended"
            case 1: return "\(Self.columns[next(2)]) = \(Self.values[next(4)])"
            case 2: return "outcome in (\(Self.values[next(3)]), \(Self.values[next(3)]))"
            case 3: return "days \(["<", "<=", ">", ">=", "!="][next(5)]) \(next(200))"
            case 4: return "period \(period())"
            case 5: return "not \(condition(depth + 1))"
            case 6: return "(\(condition(depth + 1)) or \(condition(depth + 1)))"
            case 7: return "\(condition(depth + 1)) and \(condition(depth + 1))"
            default: return "outcome is \(next(2) == 0 ? "" : "not ")missing"
            }
        }
        mutating func query() -> String {
            var q = ["count cases", "count allegations", "count distinct officer_id", "sum days", "median days", "show allegations"][next(6)]
            if next(3) > 0 { q += " where \(condition(0))" }
            if !q.hasPrefix("show"), next(2) == 0 {
                q += " by \(["outcome", "year", "fy", "quarter(reported)", "suspended", "outcome, source"][next(6)])"
                if next(3) == 0 { q += " across source" }
                if next(2) == 0 { q += " with \(["total", "percent, total", "percent"][next(3)])" }
                if next(3) == 0 { q += " order by count desc top \(1 + next(5))" }
            }
            if q.hasPrefix("show") && next(2) == 0 { q += " limit \(1 + next(5))" }
            return q
        }
    }

    static let choices = Gen.int(in: 0...10_000).array(of: 1...40)

    /// Printing a parsed query and parsing it again gives the same tree.
    @Test func printedQueriesParseToTheSameTree() async {
        await propertyCheck(count: 300, input: Self.choices) { choices in
            var w = QueryWalker(choices: choices)
            let text = w.query()
            guard let once = try? Parser.parse(SourceFile(name: "p", text: text)).statements.map(\.description) else {
                Issue.record("generated query did not parse: \(text)"); return
            }
            let twice = try? Parser.parse(SourceFile(name: "p", text: once.joined(separator: "\n"))).statements.map(\.description)
            #expect(twice == once, "\(text)")
        }
    }

    // MARK: random datasets against a naive evaluator

    struct Row { var caseID: Int; var officer: Int; var outcome: String?; var source: String; var suspended: Bool?; var days: Int?; var reported: Int? }

    static let outcomes = ["Pending", "Written warning", "Dismissal without notice"]

    /// Rows from choices: a few cases, officers, outcomes (some missing), dates in 2021–2023.
    static func rows(_ choices: [Int]) -> [Row] {
        stride(from: 0, to: choices.count - 5, by: 6).map { k in
            let c = Array(choices[k..<k + 6])
            return Row(caseID: c[0] % 6, officer: c[1] % 5, outcome: c[2] % 4 == 3 ? nil : outcomes[c[2] % 4],
                       source: c[3] % 2 == 0 ? "internal" : "public", suspended: c[4] % 3 == 2 ? nil : c[4] % 3 == 1,
                       days: c[5] % 5 == 4 ? nil : c[5] % 300, reported: c[0] % 7 == 6 ? nil : Day.number(2021, 1, 1) + (c[5] * 7 + c[1]) % 1095)
        }
    }

    static func session(_ rows: [Row]) throws -> Session {
        var text = "case_id,officer_id,outcome,source,suspended,days,reported\n"
        for r in rows {
            text += "C\(r.caseID),P\(r.officer),\(r.outcome ?? ""),\(r.source),\(r.suspended.map { $0 ? "yes" : "no" } ?? ""),"
                + "\(r.days.map(String.init) ?? ""),\(r.reported.map(Day.iso) ?? "")\n"
        }
        let csv = try CSVFile(path: "p.csv", bytes: Array(text.utf8))
        // Declared types, so a column that happens to hold only blanks or
        // one kind of value is still what the conditions expect.
        var fields = ["case_id", "officer_id", "outcome", "source"].map { FieldSchema(name: $0) }
        for (n, t) in [("suspended", ColumnType.boolean), ("days", .number), ("reported", .date)] {
            var f = FieldSchema(name: n); f.declaredType = t; fields.append(f)
        }
        for k in 0..<4 { fields[k].declaredType = .category }
        fields[2].enumValues = outcomes  // so a value absent from a small table is a zero, not unknown
        fields[3].enumValues = ["internal", "public"]
        let s = Session()
        try s.add(Dataset(name: "p", path: "p.csv", csv: csv, fields: fields,
                          units: ["allegations": .rows, "cases": .distinct("case_id"), "individuals": .distinct("officer_id")],
                          periodColumn: "reported", asOf: Day.number(2023, 12, 31), isDefault: true))
        return s
    }

    /// The query's value; an error is recorded as a test failure.
    static func scalar(_ s: Session, _ text: String) -> Double? {
        do {
            let events = try ScriptRunner(session: s).run(SourceFile(name: "q", text: text), mode: .run)
            for case .result(let r, _, _, _) in events { return r.scalarValue }
        } catch {
            Issue.record("\(text): \(DiagnosticRenderer.render(error.misqErrors))")
        }
        return nil
    }

    /// Each condition, with the same meaning written by hand over rows.
    static let conditions: [(String, (Row) -> Bool)] = [
        ("suspended", { $0.suspended == true }),
        ("not suspended", { $0.suspended != true }),
        ("suspended = no", { $0.suspended == false }),
        ("outcome = pending", { $0.outcome == "Pending" }),
        ("outcome != pending", { $0.outcome != nil && $0.outcome != "Pending" }),
        ("not outcome = pending", { $0.outcome != "Pending" }),
        ("outcome in (pending, written_warning)", { $0.outcome == "Pending" || $0.outcome == "Written warning" }),
        ("outcome not in (pending)", { $0.outcome != nil && $0.outcome != "Pending" }),
        ("outcome is missing", { $0.outcome == nil }),
        ("days >= 150", { ($0.days ?? -1) >= 150 }),
        ("days < 100 or source = public", { ($0.days.map { $0 < 100 } ?? false) || $0.source == "public" }),
        ("period 2022", { $0.reported.map { $0 >= Day.number(2022, 1, 1) && $0 < Day.number(2023, 1, 1) } ?? false }),
        ("period 2021-05..2022-05 and suspended", { r in (r.reported.map { $0 >= Day.number(2021, 5, 1) && $0 < Day.number(2022, 5, 1) } ?? false) && r.suspended == true }),
        ("last 6 months", { $0.reported.map { $0 >= Day.number(2023, 7, 1) && $0 <= Day.number(2023, 12, 31) } ?? false }),
        ("reported is missing or days is missing", { $0.reported == nil || $0.days == nil }),
    ]

    /// misq's counts equal a naive evaluator's for every unit and condition.
    @Test func countsMatchANaiveEvaluator() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...1_000).array(of: 6...180), Gen.int(in: 0...(Self.conditions.count - 1))) { choices, which in
            let rows = Self.rows(choices)
            guard let s = try? Self.session(rows) else { Issue.record("fixture did not load"); return }
            let (text, keep) = Self.conditions[which]
            let kept = rows.filter(keep)
            #expect(Self.scalar(s, "count allegations where \(text)") == Double(kept.count), "\(text)")
            #expect(Self.scalar(s, "count cases where \(text)") == Double(Set(kept.map(\.caseID)).count), "\(text)")
            #expect(Self.scalar(s, "count individuals where \(text)") == Double(Set(kept.map(\.officer)).count), "\(text)")
            let days = kept.compactMap(\.days)
            if !days.isEmpty { #expect(Self.scalar(s, "sum days where \(text)") == Double(days.reduce(0, +)), "\(text)") }
        }
    }

    /// The groups of a `by` over a row unit add up to the total.
    @Test func groupsOfRowsSumToTheTotal() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...1_000).array(of: 6...180), Gen.element(of: ["outcome", "source", "suspended", "year", "fy", "quarter", "outcome, source"])) { choices, key in
            guard let s = try? Self.session(Self.rows(choices)),
                  let events = try? ScriptRunner(session: s).run(SourceFile(name: "q", text: "count allegations by \(key!) with total"), mode: .run),
                  case .result(let r, _, _, _)? = events.first, case .groups(let g) = r.body else { Issue.record("no result"); return }
            #expect(g.rows.map { $0.values[0] }.reduce(0, +) == g.grandTotal)
            #expect(g.grandTotal == Double(Self.rows(choices).count))
        }
    }

    /// `a..b` followed by `b..c` covers `a..c` with no day counted twice.
    @Test func adjacentPeriodsAddUp() async {
        let months = Gen.int(in: 0...47).array(of: 3...3)
        await propertyCheck(count: 100, input: months, Gen.int(in: 0...1_000).array(of: 6...120)) { m, choices in
            let sorted = m.sorted()
            guard sorted[0] < sorted[1], sorted[1] < sorted[2] else { return }
            func lit(_ k: Int) -> String { PeriodLiteral.month(2021 + k / 12, k % 12 + 1).description }
            let (a, b, c) = (lit(sorted[0]), lit(sorted[1]), lit(sorted[2]))
            guard let s = try? Self.session(Self.rows(choices)) else { return }
            let ab = Self.scalar(s, "count allegations where period \(a)..\(b)") ?? -1
            let bc = Self.scalar(s, "count allegations where period \(b)..\(c)") ?? -1
            let ac = Self.scalar(s, "count allegations where period \(a)..\(c)") ?? -1
            #expect(ab + bc == ac, "\(a)..\(b) + \(b)..\(c)")
            let i1 = DayInterval(start: PeriodLiteral.month(2021 + sorted[0] / 12, sorted[0] % 12 + 1).start, end: PeriodLiteral.month(2021 + sorted[1] / 12, sorted[1] % 12 + 1).start)
            let i2 = DayInterval(start: i1.end, end: PeriodLiteral.month(2021 + sorted[2] / 12, sorted[2] % 12 + 1).start)
            #expect(i1.days + i2.days == DayInterval(start: i1.start, end: i2.end).days)
        }
    }

    /// Work split into slices of a row or two gives what one slice gives:
    /// filters, cell counts and distinct counts join their partial results
    /// correctly. (Real runs split only from 256K rows up.)
    /// Not shrunk: shrinking a few hundred rows reruns them thousands of
    /// times; the failing query and seed are reported as they are.
    @Test(.shrinking(false)) func slicedRunsMatchWholeRuns() async {
        func outcome(_ s: Session, _ text: String) -> String {
            do {
                let events = try ScriptRunner(session: s).run(SourceFile(name: "q", text: text), mode: .run)
                return events.map { e in
                    if case .result(let r, _, _, _) = e { return Renderer.render(r, as: .json) }
                    return "\(e)"
                }.joined(separator: "\n")
            } catch { return DiagnosticRenderer.render(error.misqErrors) }
        }
        await propertyCheck(count: 200, input: Self.choices, Gen.int(in: 0...1_000).array(of: 6...600)) { choices, data in
            var w = QueryWalker(choices: choices)
            let text = w.query()
            guard let s = try? Self.session(Self.rows(data)) else { return }
            let whole = outcome(s, text)
            let sliced = Parallel.$testGrain.withValue(1) { outcome(s, text) }
            // Not #expect(==): on failure it diffs the two texts, which
            // takes minutes at this length.
            if whole != sliced { Issue.record("\(text)\nwhole:\n\(whole.prefix(2_000))\nsliced:\n\(sliced.prefix(2_000))") }
        }
        // And the fixed conditions against the naive evaluator, sliced.
        await propertyCheck(count: 60, input: Gen.int(in: 0...1_000).array(of: 6...600), Gen.int(in: 0...(Self.conditions.count - 1))) { choices, which in
            let rows = Self.rows(choices)
            guard let s = try? Self.session(rows) else { Issue.record("fixture did not load"); return }
            let (text, keep) = Self.conditions[which]
            let kept = rows.filter(keep)
            Parallel.$testGrain.withValue(1) {
                #expect(Self.scalar(s, "count allegations where \(text)") == Double(kept.count), "\(text)")
                #expect(Self.scalar(s, "count individuals where \(text)") == Double(Set(kept.map(\.officer)).count), "\(text)")
            }
        }
    }

    /// Random query text never crashes the checker or engine on real-shaped data.
    @Test func generatedQueriesRunOrFailCleanly() async {
        await propertyCheck(count: 200, input: Self.choices, Gen.int(in: 0...1_000).array(of: 6...60)) { choices, data in
            var w = QueryWalker(choices: choices)
            let text = w.query()
            guard let s = try? Self.session(Self.rows(data)) else { return }
            do { _ = try ScriptRunner(session: s).run(SourceFile(name: "q", text: text), mode: .run) }
            catch { #expect(!error.misqErrors.isEmpty) }
        }
    }
}
