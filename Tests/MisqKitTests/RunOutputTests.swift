import XCTest
import Foundation
@testable import MisqCLI

/// How `misq run`, `-e` and `misq test` frame what they print and write:
/// several answers in one JSON document, CSV answers apart, `--out` one
/// file per answer, no printing before a bad `--param` is found, a test
/// run that checks nothing fails, and JUnit counts a file that errored.
/// Figures are hand counts of Fixtures/small (DuckDB agrees: see
/// Golden/files/matrix.misq).
final class RunOutputTests: XCTestCase {
    let small = Fixtures.small
    var matrix: String { Fixtures.golden + "/files/matrix.misq" }
    var foi: String { Fixtures.golden + "/files/foi.misq" }

    // MARK: item 9 — several answers

    /// Before: each answer was its own JSON document, one after another,
    /// which JSON parsers refuse.
    func testSeveralAnswersAreOneJSONDocument() throws {
        let (out, err, code) = MisqCLI.capture(["run", matrix, foi, "--datasets", small, "--format", "json"])
        XCTAssertEqual(code, 0, err)
        let parsed = try JSONSerialization.jsonObject(with: Data(out.utf8))
        let answers = try XCTUnwrap(parsed as? [[String: Any]], out)
        XCTAssertEqual(answers.count, 5)  // two in matrix.misq, three in foi.misq
        XCTAssertEqual(answers.map { $0["file"] as? String }, [matrix, matrix, foi, foi, foi])
        XCTAssertEqual(answers[0]["question"] as? String, "Q1. How many cases in the window?")
        let rows = try XCTUnwrap(answers[0]["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.first?["cases"] as? Int, 6)
        // The assertion's line stays off standard output.
        XCTAssertTrue(err.hasPrefix("ok   "), err)

        // -e statements too, and a scalar among them.
        let e = MisqCLI.capture(["--datasets", small, "--format", "json", "-e", "count cases", "-e", "count allegations / count cases"])
        let list = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(e.out.utf8)) as? [[String: Any]], e.out)
        XCTAssertEqual(list.count, 2)
        XCTAssertNil(list[0]["file"])
    }

    /// An error after some answers still leaves a whole JSON document.
    func testJSONStaysWholeWhenARunFails() throws {
        let (out, err, code) = MisqCLI.capture(["--datasets", small, "--format", "json", "-e", "count cases", "-e", "count cases / 0"])
        XCTAssertEqual(code, 2)
        XCTAssertTrue(err.contains("division by zero"), err)
        let list = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]], out)
        XCTAssertEqual(list.count, 1)
    }

    /// CSV and TSV answers are apart: one empty line between them.
    func testCSVAnswersAreSeparatedByAnEmptyLine() {
        let (out, _, code) = MisqCLI.capture(["run", matrix, "--datasets", small, "--format", "tsv"])
        XCTAssertEqual(code, 0)
        XCTAssertEqual(out, "cases\n6\n\nsource\tcases\nPublic complaint\t2\nInternal conduct\t4\n")
    }

    /// `--out DIR`: a file per answer, named after its question comment or
    /// else its statement number, in the format asked for.
    func testOutWritesOneFilePerAnswer() throws {
        let dir = try Fixtures.temporaryDirectory().appendingPathComponent("answers").path
        let script = try Fixtures.temporaryDirectory().appendingPathComponent("s.misq").path
        try """
        -- Q1. How many cases?
        count cases
        count allegations by source
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let (out, err, code) = MisqCLI.capture(["run", script, "--datasets", small, "--format", "csv", "--out", dir])
        XCTAssertEqual(code, 0, err)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        XCTAssertEqual(names, [".misq-answers", "01-q1-how-many-cases.csv", "02-statement-2.csv"])
        XCTAssertEqual(try String(contentsOfFile: dir + "/.misq-answers", encoding: .utf8), "01-q1-how-many-cases.csv\n02-statement-2.csv\n")
        XCTAssertEqual(try String(contentsOfFile: dir + "/01-q1-how-many-cases.csv", encoding: .utf8), "cases\n16\n")
        XCTAssertEqual(try String(contentsOfFile: dir + "/02-statement-2.csv", encoding: .utf8),
                       "source,allegations\nPublic complaint,7\nInternal conduct,13\n")  // hand count, as in Golden/cli/bare_csv
        XCTAssertEqual(out, "wrote \(dir)/01-q1-how-many-cases.csv\nwrote \(dir)/02-statement-2.csv\n")

        // Several files: a folder each; JSON files are one object each.
        let both = try Fixtures.temporaryDirectory().path
        let r = MisqCLI.capture(["run", matrix, foi, "--datasets", small, "--format", "json", "--out", both])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: both).sorted(), [".misq-answers", "foi", "matrix"])
        let q3 = both + "/foi/03-q3-outcomes-by-year.json"
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: q3))) as? [String: Any]
        XCTAssertEqual(object?["question"] as? String, "Q3. Outcomes, by year.")
        // Run again with one of the two: the other's folder goes with its answers.
        let again = MisqCLI.capture(["run", matrix, "--datasets", small, "--format", "json", "--out", both])
        XCTAssertEqual(again.code, 0, again.err)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: both).sorted(), [".misq-answers", "01-q1-how-many-cases-in-the-window.json", "02-q2-cases-in-the-window-by-source.json"])
    }

    /// A CSV holds no footer, so nothing in it said what [c] means or which
    /// rule and audit applied (cold test of issue 20): the footer goes in
    /// NAME.notes.txt beside it; an answer with no footer gets none.
    func testASuppressedCSVAnswerHasItsFooterInANotesFile() throws {
        let dir = try Fixtures.temporaryDirectory().appendingPathComponent("answers").path
        let script = try Fixtures.temporaryDirectory().appendingPathComponent("s.misq").path
        try "-- Q1\ncount allegations by outcome with suppression under 3\n-- Q2\ncount cases\n".write(toFile: script, atomically: true, encoding: .utf8)
        let r = MisqCLI.capture(["run", script, "--datasets", small, "--format", "csv", "--out", dir])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), [".misq-answers", "01-q1.csv", "01-q1.notes.txt", "02-q2.csv"])
        let csv = try String(contentsOfFile: dir + "/01-q1.csv", encoding: .utf8)
        // Machine-readable as before: a header and a row per outcome (11, by hand), every line two fields.
        let lines = csv.split(separator: "\n")
        XCTAssertEqual(lines.count, 12, csv)
        XCTAssertTrue(lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 2 }, csv)
        XCTAssertTrue(csv.contains("[c]"), csv)
        let notes = try String(contentsOfFile: dir + "/01-q1.notes.txt", encoding: .utf8)
        XCTAssertTrue(notes.hasPrefix("-- Q1\nnotes for 01-q1.csv:\n"), notes)
        XCTAssertTrue(notes.contains("[c]") && notes.contains("under 3"), notes)
        // The same lines the table format prints under the table.
        let table = MisqCLI.capture(["--datasets", small, "-e", "count allegations by outcome with suppression under 3"]).out
        for line in notes.split(separator: "\n").dropFirst(2) { XCTAssertTrue(table.contains(line), "\(line) not in\n\(table)") }
        XCTAssertEqual(try String(contentsOfFile: dir + "/.misq-answers", encoding: .utf8), "01-q1.csv\n01-q1.notes.txt\n02-q2.csv\n")
        XCTAssertEqual(r.out, "wrote \(dir)/01-q1.csv\nwrote \(dir)/01-q1.notes.txt\nwrote \(dir)/02-q2.csv\n")
    }

    func testSlug() {
        XCTAssertEqual(AnswerSink.slug("Q1. How many VAWG-related misconduct or gross misconduct cases against police officers?"),
                       "q1-how-many-vawg-related-misconduct-or-gross")
        XCTAssertEqual(AnswerSink.slug("Q2 — Staff / officers (%)"), "q2-staff-officers")
        XCTAssertEqual(AnswerSink.slug("—"), "")
    }

    // MARK: item 13 — a bad --param value, before anything is printed

    /// Before: Q1 was printed, then the run failed at the question that
    /// used the param.
    func testBadParamValueIsFoundBeforeAnyAnswer() throws {
        let script = try Fixtures.temporaryDirectory().appendingPathComponent("p.misq").path
        try """
        param o = written_warning
        -- Q1. All cases.
        count cases
        -- Q2. Cases with outcome o.
        count cases where outcome = o
        assert percent(count cases where outcome = o, count cases) ~ 25%
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let (out, err, code) = MisqCLI.capture(["run", script, "--datasets", small, "--param", "o=writen_warning"])
        XCTAssertEqual(code, 2)
        XCTAssertEqual(out, "")
        XCTAssertTrue(err.contains("'writen_warning' is not a value of 'outcome'"), err)
        // The right value runs: 4 of 16 cases have a written warning (C01, C03, C09, C14; DuckDB agrees).
        let good = MisqCLI.capture(["run", script, "--datasets", small, "--param", "o=written_warning"])
        XCTAssertEqual(good.code, 0, good.err)
        // With -e, a param no statement declares is an error, not ignored.
        let e = MisqCLI.capture(["--datasets", small, "-e", "count cases", "--param", "window=2022"])
        XCTAssertEqual(e.code, 2)
        XCTAssertEqual(e.out, "")
        XCTAssertTrue(e.err.contains("no statement declares a param 'window'"), e.err)
    }

    /// The dry pass binds what a scalar let or an assertion holds too, and
    /// does not run: a later error in one still stops the run first.
    func testDryPassCoversScalarsAndAssertions() {
        let r = MisqCLI.capture(["--datasets", small, "-e", "count cases", "-e", "let v = count cases where outcom = x"])
        XCTAssertEqual(r.code, 2)
        XCTAssertEqual(r.out, "")
        let a = MisqCLI.capture(["--datasets", small, "-e", "count cases", "-e", "assert count casez = 1"])
        XCTAssertEqual(a.code, 2)
        XCTAssertEqual(a.out, "")
    }

    // MARK: items 11, 12 — misq test

    /// Before: `0 assertions … 0 failed` and exit 0.
    func testZeroAssertionsFail() throws {
        let empty = try Fixtures.temporaryDirectory().path
        let none = MisqCLI.capture(["test", empty, "--datasets", small])
        XCTAssertEqual(none.code, 1)
        XCTAssertTrue(none.err.contains("no assertions ran: no .misq files in \(empty)"), none.err)
        let noAsserts = MisqCLI.capture(["test", foi, "--datasets", small])
        XCTAssertEqual(noAsserts.code, 1)
        XCTAssertTrue(noAsserts.err.contains("no assertions ran: \(foi) holds no assertion"), noAsserts.err)
        XCTAssertTrue(noAsserts.err.contains("--allow-empty"), noAsserts.err)
        let allowed = MisqCLI.capture(["test", empty, "--datasets", small, "--allow-empty"])
        XCTAssertEqual(allowed.code, 0, allowed.err)
        // A file with none beside one with some is named, and passes.
        let mixed = MisqCLI.capture(["test", foi, matrix, "--datasets", small])
        XCTAssertEqual(mixed.code, 0, mixed.err)
        XCTAssertTrue(mixed.out.contains("note: no assertions in \(foi)"), mixed.out)
    }

    /// Before: an errored file was an `<error>` case but not in `tests`.
    func testJUnitCountsAnErroredFile() throws {
        let dir = try Fixtures.temporaryDirectory()
        let bad = dir.appendingPathComponent("bad.misq").path
        try "assert count casez = 1\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let report = dir.appendingPathComponent("r.xml").path
        let (_, _, code) = MisqCLI.capture(["test", matrix, bad, "--datasets", small, "--junit", report])
        XCTAssertEqual(code, 2)
        let xml = try String(contentsOfFile: report, encoding: .utf8)
        XCTAssertTrue(xml.contains("<testsuites name=\"misq\" tests=\"2\" failures=\"0\" errors=\"1\" skipped=\"0\">"), xml)
        XCTAssertTrue(xml.contains("name=\"\(bad)\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\""), xml)
        // Every testcase is counted: tests equals the testcase elements.
        XCTAssertEqual(xml.components(separatedBy: "<testcase ").count - 1, 2)
    }

    /// A `--param` that no tested file declares is an error, not ignored.
    func testTestChecksParamNames() {
        let r = MisqCLI.capture(["test", matrix, "--datasets", small, "--param", "windw=2022"])
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.err.contains("did you mean 'window'?"), r.err)
    }
}
