import XCTest
@testable import MisqKit

/// Completion at the cursor, table-driven over the fixture datasets: the
/// text before the word, the word, and what Tab should offer.
final class CompleterTests: XCTestCase {
    /// A derived value completes wherever a column does.
    func testDerivedValuesCompleteAsColumns() throws {
        let session = Fixtures.smallSession.fork()
        try ScriptRunner(session: session).run(SourceFile(name: "t", text: "define weeks_open = round(days_open / 7, 1)"), mode: .run)
        let c = Completer(session: session)
        for before in ["count cases where ", "median ", "count cases by ", "define w = "] {
            XCTAssertEqual(c.candidates(before: before, word: "weeks").sorted(), ["weeks_open"], before)
        }
    }

    func testTable() {
        let session = Fixtures.smallSession.fork()
        session.params["window"] = ParamBinding(value: .period(.literal(.year(2022), .none)), source: SourceFile(name: "t", text: ""), span: .none, overridden: false)
        let c = Completer(session: session)
        let files: (String) -> [String] = { _ in ["queries/", "exports.csv"] }
        let cases: [(String, String, [String])] = [
            ("", "cou", ["count"]),
            ("", "", Completer.statementWords.sorted()),
            ("count ", "ca", ["cases"]),
            ("count ", "", ["allegations", "cases", "distinct", "individuals", "npcc", "rows"]),
            ("count cases where ", "outc", ["outcome"]),
            ("count cases where ", "vaw", ["vawg"]),
            ("count cases where ", "su", ["suspended"]),
            ("count cases where outcome = ", "dism", ["dismissal_with_notice", "dismissal_without_notice"]),
            ("count cases where outcome != ", "pe", ["pending"]),
            ("count cases where source in (", "pub", ["public_complaint"]),
            ("count cases where source in (public_complaint, ", "int", ["internal_conduct"]),
            ("count cases where suspended = ", "", ["no", "yes"]),
            ("count cases from ", "np", ["npcc"]),
            ("count cases from npcc where ", "sc", ["scope"]),
            ("count cases from npcc where scope = ", "", ["met", "national"]),
            ("count cases by ", "ye", ["year"]),
            ("count cases by outcome, ", "f", ["fy"]),
            ("count cases by outcome across ", "com", ["command"]),
            ("count distinct ", "off", ["officer_id"]),
            ("median ", "day", ["day(", "days(", "days_open"]),
            ("median ", "mon", ["month(", "months("]),
            ("", "perc", ["percent(", "percentile"]),
            ("percentile ", "", []),
            ("percentile 90 ", "day", ["day(", "days(", "days_open"]),
            ("percentile 99.5 ", "rep", ["reported"]),
            ("percentile 90 days_open ", "w", ["where", "with"]),
            ("assert percentile 90 ", "day", ["day(", "days(", "days_open"]),
            ("define w = ", "rou", ["round("]),
            ("define w = ", "days_", ["days_open"]),
            ("define w = round(", "days_", ["days_open"]),
            ("define w = round(days_open / ", "da", ["date(", "day(", "days(", "days_open"]),
            ("define w = date(year(reported), ", "mo", ["month(", "months("]),
            ("count cases where period ", "w", ["window"]),
            ("count cases where period ", "FY", ["FY2023/24"]),
            ("count cases where outcome ", "i", ["in", "inner", "is"]),
            ("count cases where outcome ", "s", ["starts"]),
            ("count cases where outcome ", "c", ["contains"]),
            ("count cases where days_open ", "c", []),
            ("count cases where outcome starts ", "", ["with"]),
            ("count cases where outcome not ", "", ["contains", "ends", "in", "starts"]),
            ("count cases where not ", "outc", ["outcome"]),
            ("count cases where outcome starts with ", "\"Dismissal w", ["\"Dismissal with notice\"", "\"Dismissal without notice\""]),
            ("count cases where not outcome contains ", "\"pe", ["\"Pending\""]),
            ("show ", "outc", ["outcome"]),
            ("show ", "ca", ["case_id", "cases"]),
            ("show outcome, ", "day", ["days_open"]),
            // `or` there fails ('expected end of statement, found 'or''): no condition is open.
            ("show outcome, days_open from allegations ", "or", ["order"]),
            ("count cases ", "w", ["where", "with"]),
            ("count cases with ", "p", ["percent"]),
            // Several measures: after a comma between measures, another measure.
            ("count allegations, ", "", Completer.measureWords.sorted()),
            ("count allegations, ", "c", ["count"]),
            ("percent(count cases where vawg, ", "co", ["count"]),
            ("count allegations where outcome = pending, ", "su", ["sum"]),
            ("count allegations, count cases by outcome with percent, ", "t", ["total"]),
            ("count cases where outcome is ", "", ["missing", "not"]),
            ("", ".de", [".describe"]),
            (".describe ", "vaw", ["vawg"]),
            (".mode ", "j", ["json"]),
            (".help ", "per", ["periods"]),
            (".run ", "", ["exports.csv", "queries/"]),
            ("load \"", "", ["exports.csv", "queries/"]),
        ]
        for (before, word, expected) in cases {
            XCTAssertEqual(c.candidates(before: before, word: word, files: files), expected, "\(before)|\(word)")
        }
    }

    /// Labels differing only in case or punctuation: their bare form would
    /// be ambiguous (an error), so Tab offers each exactly, quoted, and
    /// every candidate runs. Rows by hand: Gun fired 1, Gun Fired 2,
    /// gun-fired 1, Knife 1. Old code offered `gun_fired`, which errors.
    func testAmbiguousLabelsAreOfferedQuoted() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("guns.csv").path
        try "id,allegation\n1,Gun fired\n2,Gun Fired\n3,Gun Fired\n4,gun-fired\n5,Knife\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let session = Session()
        try session.add(Dataset.bare(name: "guns", path: csv))
        let c = Completer(session: session)
        let before = "count guns where allegation = "
        XCTAssertEqual(c.candidates(before: before, word: "gu"), ["\"Gun fired\"", "\"Gun Fired\"", "\"gun-fired\""].sorted())
        XCTAssertEqual(c.candidates(before: before, word: "\"Gu"), ["\"Gun fired\"", "\"Gun Fired\"", "\"gun-fired\""].sorted())
        XCTAssertEqual(c.candidates(before: before, word: "kn"), ["knife"])
        // After an opened quote (readline breaks words at it): the labels as written.
        XCTAssertEqual(c.candidates(before: before + "\"", word: "gun"), ["Gun fired", "Gun Fired", "gun-fired"].sorted())
        XCTAssertEqual(Completer.appended(after: ["Knife"], context: before + "\""), "\"")
        var counts: [String: Double] = [:]
        for cand in c.candidates(before: before, word: "") {
            counts[cand] = try Fixtures.results(before + cand, session: session).last?.scalarValue
        }
        XCTAssertEqual(counts, ["\"Gun fired\"": 1, "\"Gun Fired\"": 2, "\"gun-fired\"": 1, "knife": 1])
    }

    /// Lines the completer's own tokenizer misread, before it completed
    /// from the lexer's tokens (each case failed on that code): each
    /// expectation is what the language reads there, worked out by hand.
    func testCompletesFromTheLexersTokens() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("guns.csv").path
        try "id,Subject Ref,allegation\n1,S1,Gun fired\n2,S2,Gun Fired\n3,S2,Knife\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let session = Session()
        try session.add(Dataset.bare(name: "guns", path: csv))
        let c = Completer(session: session)
        let cases: [(String, String, [String])] = [
            // A quoted label with a space: readline's word is what follows
            // the space, so Tab offers the rest of each label that fits.
            ("count guns where allegation = \"Gun ", "f", ["Fired", "fired"]),
            // A backticked name with a space, likewise, closed.
            ("count guns by `Subject ", "R", ["Ref`"]),
            // Inside a comment there is nothing to complete.
            ("count guns -- by ", "", []),
            // `<>` is `!=`: a value comes next.
            ("count guns where allegation <> ", "kn", ["knife"]),
            // A range's end is a period (the old tokenizer read `2022..` as one word).
            ("count guns where period 2022..", "", Completer.periodForms.sorted()),
            // After `;` a new statement starts.
            ("show guns limit 5; ", "co", ["count"]),
            // A single-quoted string holding a double quote is one value;
            // the old tokenizer thought a string was still open.
            ("count guns where allegation = 'say \"hi' and ", "al", ["allegation"]),
        ]
        for (before, word, expected) in cases {
            XCTAssertEqual(c.candidates(before: before, word: word), expected, "\(before)|\(word)")
        }
        // After a sole candidate: the quote left open, else a space.
        XCTAssertEqual(Completer.appended(after: ["Knife"], context: "count guns where allegation = 'Gun "), "'")
        XCTAssertEqual(Completer.appended(after: ["knife"], context: "count guns where allegation = 'say \"hi' or allegation = "), " ")
        // What Tab inserts parses and counts: by hand, 1 row says "Gun fired".
        XCTAssertEqual(try Fixtures.results("count guns where allegation = \"Gun fired\"", session: session).last?.scalarValue, 1)
    }

    /// Labels holding `(`, `=` and spaces, and labels differing only in
    /// case. Inside an open string readline's word is all of it after the
    /// quote (wordStart), so a candidate is the whole label; cut at a `(`
    /// (readline's usual breaks) it is the rest after what is typed. Each
    /// expectation is the label as written in the CSV below. On the old
    /// code, `"Abuse (` + "" offered `(sexual)` (making `"Abuse ((sexual)`),
    /// and one Tab on "Gun Fired"/"Gun fired" took readline's prefix,
    /// ignoring case: all of `"Gun Fired"`.
    func testQuotedLabelsWithPunctuationAndCase() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("punct.csv").path
        try "id,kind,category\n1,Abuse (sexual),Gun Fired\n2,x=y,Gun fired\n3,Abuse (sexual),(missing)\n4,it's,Gun Fired\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let session = Session()
        try session.add(Dataset.bare(name: "punct", path: csv))
        let c = Completer(session: session)
        let cases: [(String, String, [String])] = [
            // Readline's usual breaks: the word starts after `(` or `=`.
            ("count punct where kind = \"Abuse (", "", ["sexual)"]),
            ("count punct where kind = \"Abuse (", "s", ["sexual)"]),
            ("count punct where kind = \"x=", "", ["y"]),
            ("count punct where category = \"(", "mis", ["missing)"]),
            // The word as wordStart makes it: all of the string so far.
            ("count punct where kind = \"", "Abuse (", ["Abuse (sexual)"]),
            ("count punct where kind = \"", "x=", ["x=y"]),
            ("count punct where category = \"", "(mis", ["(missing)"]),
            ("count punct where category = \"", "gun", ["Gun Fired", "Gun fired"]),
            ("count punct by `", "ki", ["kind`"]),
            // A quote inside a label is doubled, as the lexer reads it.
            ("count punct where kind = '", "ab", ["Abuse (sexual)"]),
            ("count punct where kind = '", "it", ["it''s"]),
        ]
        for (before, word, expected) in cases {
            XCTAssertEqual(c.candidates(before: before, word: word), expected, "\(before)|\(word)")
        }
        XCTAssertEqual(Completer.wordStart(before: "count punct where kind = \"Abuse ("), "\"")
        XCTAssertEqual(Completer.wordStart(before: "count punct where kind = 'say \"hi"), "'")
        XCTAssertEqual(Completer.wordStart(before: "count punct by `Subject R"), "`")
        XCTAssertEqual(Completer.wordStart(before: ".load \"exports/da ta"), "\"")
        XCTAssertNil(Completer.wordStart(before: "count punct where kind = \"x=y\" and "))
        XCTAssertNil(Completer.wordStart(before: ".load exports/"))
        // One Tab inserts what all candidates share exactly, never one label's case.
        XCTAssertEqual(Completer.commonPrefix(of: c.candidates(before: "count punct where category = ", word: "gu"), word: "gu"), "\"Gun ")
        XCTAssertEqual(Completer.commonPrefix(of: ["Gun Fired", "Gun fired"], word: "gun"), "Gun ")
        XCTAssertEqual(Completer.commonPrefix(of: ["dismissal_with_notice", "dismissal_without_notice"], word: "DISM"), "dismissal_with")
        // Shorter than the word (they differ in case within it): the word stays.
        XCTAssertEqual(Completer.commonPrefix(of: ["Apple", "apricot"], word: "ap"), "ap")
    }

    /// After a value only what parses there: each word the old code
    /// offered beyond these (`asc`, `desc`, `percent`, `total`, a clause
    /// given already, clause words inside `in (…)`, query words after
    /// `load "f.csv"`, a JSON file for `load`) then failed with 'expected
    /// end of statement' or could not load. Expectations from the grammar
    /// (ParseQuery.swift: clauses in any order, once each).
    func testOffersOnlyWhatParses() {
        let c = Completer(session: Fixtures.smallSession.fork())
        let files: (String) -> [String] = { _ in ["pkg/", "pkg/data.csv", "pkg/datapackage.json", "pkg/DATA2.CSV"] }
        let cases: [(String, String, [String])] = [
            ("count cases where outcome = pending ", "", ["across", "and", "by", "from", "inner", "join", "left", "limit", "or", "order", "per", "top", "with"]),
            ("count cases where outcome = pending ", "d", []),
            ("count cases where outcome = pending ", "p", ["per"]),
            ("count cases by outcome ", "", ["across", "from", "in", "inner", "join", "left", "limit", "order", "per", "top", "where", "with"]),
            ("count cases by outcome order by count ", "", ["across", "asc", "desc", "from", "inner", "join", "left", "limit", "per", "top", "where", "with"]),
            ("count cases by outcome order by count desc ", "", ["across", "from", "inner", "join", "left", "limit", "per", "top", "where", "with"]),
            ("count cases by outcome order by outcome desc, count ", "", ["across", "asc", "desc", "from", "inner", "join", "left", "limit", "per", "top", "where", "with"]),
            ("count cases by outcome with percent ", "", ["across", "from", "inner", "join", "left", "limit", "order", "per", "top", "where"]),
            ("count cases by outcome with percent, ", "", ["bars", "rounding", "suppression", "total"]),
            // A suppression rule, word by word (SuppressionRule.swift): the fixture's units are
            // allegations, cases and individuals (a rule on rows is refused when checked, not here).
            ("count cases by outcome with suppression ", "", ["under"]),
            ("count cases by outcome with suppression under 5 ", "p", ["per", "protect"]),
            ("count cases by outcome with suppression under 5 ", "i", ["individuals", "inner"]),
            ("count cases by outcome with suppression 1-4 ", "p", ["per", "protect"]),
            ("count cases by outcome with suppression under 5 individuals ", "p", ["per", "protect"]),
            ("count cases by outcome with suppression under 5 protect ", "", []),
            ("count cases where source in (public_complaint, \"🚓 Police\" ", "", []),
            ("count cases where source in (public_complaint ", "w", []),
            ("count cases where (vawg ", "", ["and", "or"]),
            // `starts with` is a text match, not the with clause.
            ("count cases where outcome starts with \"Dis\" ", "w", ["with"]),
            ("count cases where outcome ", "", ["!=", "=", "across", "and", "by", "contains", "ends", "from", "in", "is", "inner", "join", "left", "limit", "or", "order", "per", "starts", "top", "with"]),
            ("count cases where (outcome ", "i", ["in", "is"]),
            ("percent(count cases where vawg ", "", ["across", "and", "by", "from", "inner", "join", "left", "limit", "or", "order", "per", "top", "with"]),
            ("assert count cases = 16 ", "", ["within"]),
            ("define x = outcome = pending ", "", ["and", "or"]),
            ("let x = cases ", "", ["from", "where"]),
            ("let x = cases where vawg ", "", ["and", "or"]),
            ("let x = cases from npcc ", "", ["where"]),
            ("let n = count cases where vawg ", "b", ["by"]),
            ("load \"punct.csv\" ", "", ["as"]),
            ("load \"punct.csv\" as p ", "", ["period"]),
            ("load \"", "pkg/da", ["pkg/DATA2.CSV", "pkg/data.csv"]),
            (".load ", "pkg/da", ["pkg/DATA2.CSV", "pkg/data.csv"]),
            (".run ", "pkg/da", ["pkg/DATA2.CSV", "pkg/data.csv", "pkg/datapackage.json"]),
            (".help ", "acr", ["across"]),
            (".mode ", "b", ["bars"]),
            (".once ", "pkg/da", ["pkg/DATA2.CSV", "pkg/data.csv", "pkg/datapackage.json"]),
            (".help ", "per", ["periods"]),
        ]
        for (before, word, expected) in cases {
            XCTAssertEqual(c.candidates(before: before, word: word, files: files), expected.sorted(), "\(before)|\(word)")
        }
    }

    func testBareWords() {
        XCTAssertEqual(Completer.bareWord("Dismissal without notice"), "dismissal_without_notice")
        XCTAssertEqual(Completer.bareWord("Authority, respect and courtesy"), "authority_respect_and_courtesy")
        // The bare word matches the label it came from.
        XCTAssertEqual(Suggestions.normalize(Completer.bareWord("Referral to the reflective practice review process")),
                       Suggestions.normalize("Referral to the reflective practice review process"))
    }

    /// When a statement typed at the prompt goes on to another line.
    func testNeedsMore() {
        let cases: [(String, Bool)] = [
            ("count cases\n", false),
            ("count cases where vawg and\n", true),
            ("count cases where (vawg or\n", true),
            ("count cases where outcome = \"Dismissal\n", true),
            ("count cases by\n", true),
            ("count cases where outcome =\n", true),
            ("assert count x by y =\n  | y | count |\n", true),
            ("assert count x by y =\n  | y | count |\n  | a | 1 |\n", true),
            ("count cases where vawg and;\n", false),
            ("count cases where vawg\n", false),
            ("let x = count cases /\n", true),
            ("count cases where period 2022 through\n", true),
            ("count cases @\n", false),  // a lexer error other than an open string: run it and show the error
        ]
        for (text, more) in cases { XCTAssertEqual(Lexer.needsMore(text), more, text.debugDescription) }
    }
}
