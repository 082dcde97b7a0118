import XCTest
import Foundation
@testable import MisqCLI
@testable import MisqKit

/// Issue 15's cold test of the command line: inputs and options that were
/// taken silently (a repeated `--param`, `-e ''`, one file given twice,
/// stale files beside `--out` answers), JUnit that hid what did not run,
/// and paths with spaces at the prompt. Each test failed on the code
/// before its fix. Figures are hand counts on `Fixtures/small` (see
/// `EvaluatorTests`: 16 cases, 20 allegations).
final class CommandLineTrustTests: XCTestCase {
    let small = Fixtures.small
    var matrix: String { Fixtures.golden + "/files/matrix.misq" }

    func script(_ text: String, name: String = "s.misq") throws -> String {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    // MARK: 2 — a repeated --param

    /// Before: the last value won, with no message.
    func testRepeatedParamIsAUsageError() {
        for args in [["run", matrix, "--param", "window=2020", "--param", "window=2021"],
                     ["test", matrix, "--param", "window=2020", "--param", "Window=2021"],
                     ["--param", "window=2020", "--param", "window=2021", "-e", "param window = 2022", "-e", "count cases where period window"]] {
            let r = MisqCLI.capture(["--datasets", small] + args)
            XCTAssertEqual(r.code, 2, args.joined(separator: " ") + r.out)
            XCTAssertTrue(r.err.contains("--param window given twice") || r.err.contains("--param Window given twice"), r.err)
            XCTAssertEqual(r.out, "")
        }
        // Two different params are still two overrides.
        let ok = MisqCLI.capture(["--datasets", small, "--format", "csv", "--param", "a=2021", "--param", "b=2022",
                                  "-e", "param a = 2020", "-e", "param b = 2020", "-e", "count cases where period a"])
        XCTAssertEqual(ok.code, 0, ok.err)
    }

    // MARK: 6 — -e with no statement

    /// Before: `misq -e ''` exited 0 and printed nothing.
    func testEmptyStatementIsAUsageError() {
        for e in ["", "   ", "-- only a comment", "\n\t\n"] {
            let r = MisqCLI.capture(["--datasets", small, "-e=" + e])
            XCTAssertEqual(r.code, 2, "-e '\(e)'")
            XCTAssertTrue(r.err.contains("-e was given no statement"), r.err)
        }
        let second = MisqCLI.capture(["--datasets", small, "-e", "count cases", "-e", ""])
        XCTAssertEqual(second.code, 2)
        XCTAssertTrue(second.err.contains("-e was given no statement (the 2nd -e)"), second.err)
        XCTAssertEqual(second.out, "", "nothing runs when one -e is empty")
    }

    // MARK: 7 — one file given twice as --data

    /// Before: `--data x.csv --data ./x.csv` was quietly one dataset.
    func testSameDataFileTwiceIsAnError() throws {
        let dir = try Fixtures.temporaryDirectory()
        let csv = dir.appendingPathComponent("x.csv").path
        try "a\n1\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let dotted = dir.path + "/./x.csv"
        let r = MisqCLI.capture(["--data", csv, "--data", dotted, "-e", "count rows"])
        XCTAssertEqual(r.code, 2, r.out)
        XCTAssertTrue(r.err.contains("are the same file"), r.err)
        let same = MisqCLI.capture(["--data", csv, "--data", csv, "-e", "count rows"])
        XCTAssertEqual(same.code, 2, same.out)
        XCTAssertTrue(same.err.contains("given twice"), same.err)
    }

    // MARK: 1 — an empty script given to run

    /// Before: exit 0, no output, no word. Now a note says nothing was
    /// answered (an empty file is not an error: a draft may be empty).
    func testEmptyScriptToRunIsNoted() throws {
        let empty = try script("-- to be written\n")
        let r = MisqCLI.capture(["--datasets", small, "run", empty])
        XCTAssertEqual(r.code, 0)
        XCTAssertEqual(r.out, "")
        XCTAssertTrue(r.err.contains("note: \(empty) holds no statement: nothing to answer"), r.err)
    }

    // MARK: 3 — --out DIR

    /// Before: a second run into the same folder left the first run's
    /// answers beside its own, with no warning.
    func testOutReplacesItsOwnEarlierAnswersOnly() throws {
        let dir = try Fixtures.temporaryDirectory().appendingPathComponent("answers").path
        let a = try script("-- Q1. Cases\ncount cases\n-- Q2. Allegations\ncount allegations\n", name: "a.misq")
        let b = try script("-- Only one\ncount cases\n", name: "b.misq")
        XCTAssertEqual(MisqCLI.capture(["--datasets", small, "run", a, "--format", "csv", "--out", dir]).code, 0)
        let second = MisqCLI.capture(["--datasets", small, "run", b, "--format", "csv", "--out", dir])
        XCTAssertEqual(second.code, 0, second.err)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        XCTAssertEqual(names, [AnswerSink.manifestName, "01-only-one.csv"])
        XCTAssertEqual(second.out, "removed \(dir)/01-q1-cases.csv (an answer from an earlier run)\n"
                       + "removed \(dir)/02-q2-allegations.csv (an answer from an earlier run)\n"
                       + "wrote \(dir)/01-only-one.csv\n")
        XCTAssertEqual(try String(contentsOfFile: dir + "/01-only-one.csv", encoding: .utf8), "cases\n16\n")

        // A file misq did not write: refused, nothing removed or written.
        try "mine\n".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        let third = MisqCLI.capture(["--datasets", small, "run", a, "--format", "csv", "--out", dir])
        XCTAssertEqual(third.code, 2)
        XCTAssertTrue(third.err.contains("holds a file misq did not write: notes.txt"), third.err)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(),
                       [AnswerSink.manifestName, "01-only-one.csv", "notes.txt"])

        // A folder that existed before misq, not empty: refused too.
        let other = try Fixtures.temporaryDirectory().path
        try "x\n".write(toFile: other + "/old.csv", atomically: true, encoding: .utf8)
        XCTAssertEqual(MisqCLI.capture(["--datasets", small, "run", a, "--out", other]).code, 2)
        // An empty one is written to.
        let fresh = try Fixtures.temporaryDirectory().path
        XCTAssertEqual(MisqCLI.capture(["--datasets", small, "run", a, "--out", fresh]).code, 0)
    }

    /// Before: `¿Cuántos casos? Ünïcödé` gave `cu-ntos-casos-n-c-d`, other
    /// scripts were dropped, and a long word after `Q6.` left `q6`.
    func testSlugFoldsAccentsAndKeepsWords() {
        XCTAssertEqual(AnswerSink.slug("¿Cuántos casos? Ünïcödé…"), "cuantos-casos-unicode")
        XCTAssertEqual(AnswerSink.slug("Q7. 第一 问题"), "q7-第一-问题")
        XCTAssertEqual(AnswerSink.slug("Q6. " + String(repeating: "misconduct", count: 8)),
                       "q6-" + String(String(repeating: "misconduct", count: 8).prefix(47)))
        // A cut at a word still wins when it keeps most of the name.
        XCTAssertEqual(AnswerSink.slug("Q1. How many VAWG-related misconduct or gross misconduct cases against police officers?"),
                       "q1-how-many-vawg-related-misconduct-or-gross")
    }

    // MARK: 4 — JUnit and runtime errors

    /// Before: `<testcase name="load"><error message="error">`, the
    /// assertion after it not reported, and the summary counting 0 of 2.
    func testRuntimeErrorInAnAssertion() throws {
        let f = try script("let n = count cases\nassert count cases / 0 = 1\nassert count cases = 16\nassert count allegations = 20\n")
        let report = try Fixtures.temporaryDirectory().appendingPathComponent("r.xml").path
        let r = MisqCLI.capture(["--datasets", small, "test", f, "--junit", report])
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.out.contains("note: 2 assertions in \(f) did not run: the error at \(f):2 stopped the file"), r.out)
        XCTAssertTrue(r.out.contains("3 assertions in 1 file: 0 passed, 0 failed, 1 errored, 2 not run, 1 file with errors"), r.out)
        let xml = try String(contentsOfFile: report, encoding: .utf8)
        XCTAssertTrue(xml.contains("<testsuites name=\"misq\" tests=\"3\" failures=\"0\" errors=\"1\" skipped=\"2\">"), xml)
        XCTAssertTrue(xml.contains("name=\"line 2: assert count cases / 0 = 1\">\n      <error message=\"division by zero\">"), xml)
        XCTAssertTrue(xml.contains("name=\"line 3: assert count cases = 16\">\n      <skipped message=\"did not run: the error at \(f):2 stopped the file\"/>"), xml)
        XCTAssertTrue(xml.contains("name=\"line 4: assert count allegations = 20\">"), xml)
        XCTAssertFalse(xml.contains("name=\"load\""), xml)
        XCTAssertEqual(xml.components(separatedBy: "<testcase ").count - 1, 3)
    }

    // MARK: 5 — paths with spaces at the prompt

    /// Before: split at every blank, so `.load "exports/da ta.csv"` tried
    /// to open `"exports/da`.
    func testDotCommandWords() {
        XCTAssertEqual(MetaCommands.words(".load \"exports/da ta.csv\" as dt").words, [".load", "exports/da ta.csv", "as", "dt"])
        XCTAssertEqual(MetaCommands.words(".load exports/da\\ ta.csv").words, [".load", "exports/da ta.csv"])
        XCTAssertEqual(MetaCommands.words(".run 'q/my file.misq'").words, [".run", "q/my file.misq"])
        XCTAssertEqual(MetaCommands.words(".load \"exports/da").unclosed, "\"")
        XCTAssertEqual(MetaCommands.words("  .mode   csv ").words, [".mode", "csv"])
    }

    func testLoadAPathWithASpaceAtThePrompt() throws {
        let dir = try Fixtures.temporaryDirectory()
        let csv = dir.appendingPathComponent("da ta.csv").path
        try "a\n1\n2\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let console = Console(collect: true)
        let meta = MetaCommands(session: Session(), console: console, format: .table, color: false)
        let escaped = csv.replacingOccurrences(of: " ", with: "\\ ")
        XCTAssertEqual(meta.run(".load \"\(csv)\" as quoted") == .done, true, console.err)
        XCTAssertEqual(meta.run(".load \(escaped) as escaped") == .done, true, console.err)
        XCTAssertEqual(console.out, "loaded quoted: 2 rows\nloaded escaped: 2 rows\n")
    }

    /// Before: `.load "exports/da ⇥` offered `as"`, and `load "exports/da ⇥`
    /// offered statement keywords.
    func testCompletionInsideAPathWithASpace() {
        let c = Completer(session: Fixtures.smallSession.fork())
        let files: (String) -> [String] = { p in ["exports/da ta.csv", "exports/data.csv"].filter { $0.hasPrefix(p) } }
        XCTAssertEqual(c.candidates(before: ".load \"exports/da ", word: "", files: files), ["ta.csv"])
        XCTAssertEqual(c.candidates(before: ".run \"exports/da ", word: "t", files: files), ["ta.csv"])
        XCTAssertEqual(c.candidates(before: "load \"exports/da ", word: "", files: files), ["ta.csv"])
        XCTAssertEqual(c.candidates(before: ".load exports/da\\ ", word: "", files: files), ["ta.csv"])
        XCTAssertEqual(c.candidates(before: ".load ", word: "exports/d", files: files), ["exports/da\\ ta.csv", "exports/data.csv"])
        XCTAssertEqual(c.candidates(before: ".load \"", word: "exports/d", files: files), ["exports/da ta.csv", "exports/data.csv"])
        // After the path: `as`, as before.
        XCTAssertEqual(c.candidates(before: ".load \"exports/da ta.csv\" ", word: "", files: files), ["as"])
        XCTAssertEqual(Completer.appended(after: ["ta.csv"], context: ".load \"exports/da "), "\"")
    }
}
