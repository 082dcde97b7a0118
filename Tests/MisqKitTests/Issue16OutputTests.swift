import XCTest
import Foundation
@testable import MisqCLI
@testable import MisqKit

/// Issue 16's cold test of what misq prints: values from data that could
/// fake lines in `describe`, a NaN in a footer, an ESC echoed by the
/// argument parser, and a did-you-mean no one can type. Each test failed
/// on the code before its fix (the Markdown case is the golden
/// `cli/hostile_markdown_syntax.case`; history is in HistoryAndPathTests).
final class Issue16OutputTests: XCTestCase {
    /// A caveat, title and column name with a line break in them stay on
    /// their own line, the break shown as `\n`. Before: `fake: line` was a
    /// line of its own and the column `a\nb` split over two.
    func testDescribeShowsLineBreaksInValuesAsEscapes() throws {
        let dir = try Fixtures.temporaryDirectory()
        try "\"a\nb\",c\n1,x\n2,y\n".write(to: dir.appendingPathComponent("x.csv"), atomically: true, encoding: .utf8)
        try """
        {"resources": [{"name": "things", "path": "x.csv", "title": "T\\nfake: title",
          "misq:caveats": ["cav\\nfake: line"]}]}
        """.write(to: dir.appendingPathComponent("datapackage.json"), atomically: true, encoding: .utf8)
        let s = Session()
        _ = try Fixtures.results("load \"\(dir.appendingPathComponent("x.csv").path)\" as things", session: s)
        let text = try Describer.describe("things", in: s)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertTrue(lines.contains("caveat: cav\\nfake: line"), text)
        XCTAssertTrue(lines.contains("title: T\\nfake: title"), text)
        XCTAssertFalse(lines.contains { $0.hasPrefix("fake:") }, text)
        XCTAssertTrue(lines.contains { $0.hasPrefix("a\\nb: number") }, text)
        XCTAssertFalse(lines.contains { $0.hasPrefix("b: ") }, text)
        let list = Describer.datasets(s, errors: &Self.ignored)
        XCTAssertFalse(list.split(separator: "\n").contains { $0.hasPrefix("fake:") }, list)
    }
    nonisolated(unsafe) static var ignored: [MisqError] = []

    /// A group whose values are all missing has no average: the footer says
    /// `(missing)` as the table does, never `NaN` (hand count: id 9 has two
    /// rows, both with v empty).
    func testAnAverageOfNothingIsMissingNotNaN() throws {
        let path = try Fixtures.temporaryDirectory().appendingPathComponent("n.csv").path
        try "id,v\n1,2\n1,4\n9,\n9,\n".write(toFile: path, atomically: true, encoding: .utf8)
        let table = MisqCLI.capture(["--data", path, "-e", "avg v from n where id = 9 by id"])
        XCTAssertEqual(table.code, 0, table.err)
        XCTAssertTrue(table.out.contains("overall avg v: (missing)"), table.out)
        XCTAssertFalse(table.out.contains("NaN") || table.out.contains("nan"), table.out)
        let json = MisqCLI.capture(["--data", path, "--format", "json", "-e", "avg v from n where id = 9 by id"])
        XCTAssertEqual(json.code, 0, json.err)
        XCTAssertTrue(json.out.contains("overall avg v: (missing)"), json.out)
        XCTAssertFalse(json.out.contains("NaN") || json.out.contains("nan"), json.out)
        XCTAssertEqual(NumberFormat.figure(.nan), "(missing)")
    }

    /// ArgumentParser's own errors quote the argument as typed: the ESC in
    /// it is shown as `\e`, as in every other error.
    func testArgumentParserErrorsDoNotEchoEscapes() {
        for args in [["--format", "x\u{1B}[2J", "-e", "count cases"], ["\u{1B}[2Jbogus", "extra"]] {
            let r = MisqCLI.execute(args, console: Console(collect: true), quick: false)
            XCTAssertEqual(r, 2)
            let c = Console(collect: true)
            _ = MisqCLI.execute(args, console: c, quick: false)
            XCTAssertFalse(c.err.unicodeScalars.contains("\u{1B}"), c.err)
            XCTAssertTrue(c.err.contains("\\e[2J"), c.err)
        }
    }

    /// `kind\e[5m` cannot be typed: it is not offered as a did-you-mean.
    func testNamesWithControlsAreNotSuggested() {
        XCTAssertNil(Suggestions.didYouMeanName("kind", ["kind\u{1B}[5m"]))
        XCTAssertNil(Suggestions.didYouMean("kind", ["kind\u{1B}[5m"]))
        XCTAssertEqual(Suggestions.didYouMeanName("kinds", ["kind\u{1B}[5m", "kind"]), "did you mean 'kind'?")
    }
}
